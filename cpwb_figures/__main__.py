"""The command line with the zone report's charts drawn: ``python -m cpwb_figures report ...``.

Every command of ``python -m cpwb_stats`` works here too; ``report`` gets the pictures drawn by
:func:`cpwb_figures.pictures.pictures`, which the statistics package cannot draw itself.
"""

import sys

from cpwb_figures.pictures import pictures
from cpwb_stats.cli import main

sys.exit(main(pictures=pictures))
