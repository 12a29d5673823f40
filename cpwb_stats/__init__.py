"""CPWB workforce diversity statistics: load, validate, measure and protect police HR extracts.

Pure pandas: this package never imports Streamlit or Plotly.
"""

__version__ = "0.1.0"
