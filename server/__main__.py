"""``python -m perflint`` is the ``perflint`` command."""

import sys

from perflint.cli import main

sys.exit(main())
