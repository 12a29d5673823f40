"""Validated extracts to measures: representation, the recruitment funnel, retention, survival,
intervals and progress.
"""
