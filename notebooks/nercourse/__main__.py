"""``python -m nercourse``: see :mod:`nercourse.cli`."""

import sys

from .cli import main

sys.exit(main())
