"""`python -m cchc_consult` is the `cchc` command."""

import sys

from .cli import main

sys.exit(main())
