"""Cells to a validated extract: the data contract of each kind of extract and the checks that
apply it.
"""
