"""``python -m gateway``: the same as ``kiosk-gateway``."""

import sys

from gateway.cli import main

sys.exit(main())
