"""Targets and benchmarks, and the projections towards them."""
