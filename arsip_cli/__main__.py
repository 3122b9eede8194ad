"""``python -m arsip_cli``: the ``arsip`` command without the installed script (tests start it this way)."""

import sys

from arsip_cli.main import main

sys.exit(main())
