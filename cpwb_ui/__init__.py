"""Streamlit glue between the pages and the statistics package: language, data, charts."""
