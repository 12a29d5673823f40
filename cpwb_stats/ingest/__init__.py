"""Bytes to cells: the file readers, limits, table finding, identifier checks and the proposal of a
column mapping.
"""
