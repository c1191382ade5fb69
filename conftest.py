"""Project-wide pytest configuration.

The suite runs against SQLite by default and against PostgreSQL when ``DATABASE_URL`` is set
(``.ci/run`` does both). Tests run in random order (pytest-randomly).
"""

import os

os.environ.setdefault("CUMULUS_ENV", "test")
