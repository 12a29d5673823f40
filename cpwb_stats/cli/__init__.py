"""The command line: ``python -m cpwb_stats ...``."""
