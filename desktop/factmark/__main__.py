"""`python -m factmark` runs the command line."""

from factmark.cli import main

raise SystemExit(main())
