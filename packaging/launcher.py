"""Entry script of the PyInstaller bundle (see ``build.spec``): run the ``factmark`` command."""

import sys

from factmark.cli import main

if __name__ == "__main__":
    sys.exit(main())
