"""Drawing: the charts of the pages and the zone's report, from already protected rows.

Its own stage between the statistics package and its readers: ``cpwb_stats`` describes a chart
(the protected rows and the words it carries) and never draws; the pages (through ``cpwb_ui``)
and the report command (``python -m cpwb_stats report``) draw it here with Plotly, and
kaleido prints the report's pictures. Nothing here imports Streamlit.
"""
