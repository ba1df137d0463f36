"""``python -m integrationsplan``: the command line."""

import sys

from integrationsplan.cli import main

sys.exit(main())
