"""The ``cumulus`` command: the one entry point for everything an operator does.

It wraps Django's management commands, so ``cumulus migrate``, ``cumulus check --deploy``
and the project's own commands (``cumulus demo``) all run with Cumulus's settings::

    cumulus demo --port 8000      # prepare the demo partnership and serve it
    cumulus demo --no-serve       # prepare the demo database only
    cumulus check --deploy --fail-level WARNING
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cumulus.config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["cumulus", *(args or ["help"])])


if __name__ == "__main__":
    main()
