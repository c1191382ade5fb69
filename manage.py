#!/usr/bin/env python
"""Developer shortcut: the same as the ``cumulus`` command."""

from cumulus.cli import main

if __name__ == "__main__":
    main()
