"""``python -m nercourse``: the command line of :mod:`nercourse.cli`, taught in notebook 06."""

import sys

from .cli import main

sys.exit(main())
