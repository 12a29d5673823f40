import sys

from cpwb_stats.cli import main

sys.exit(main())
