"""`python -m nhao` runs the command line."""

from nhao.cli import main

raise SystemExit(main())
