"""The program ``python -m cpwb_stats``: the command line, the zone report with its charts.

This file is the program, not the library: no module imports it. It is the one place where the
drawing stage (``cpwb_figures``, Plotly) is plugged into the command line, and only when a
report's charts are drawn, so every other command starts without Plotly.
"""

import sys

from cpwb_stats.cli.main import main


def pictures(report) -> dict[str, bytes]:
    """The report's charts as pictures, drawn by ``cpwb_figures`` from the protected tables."""
    from cpwb_figures.pictures import pictures as draw

    return draw(report)


sys.exit(main(pictures=pictures))
