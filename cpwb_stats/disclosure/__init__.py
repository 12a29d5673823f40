"""Measures to what may be shown: the disclosure control every published number passes."""
