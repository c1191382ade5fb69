"""A cheap Argon2 for the test suite only.

Django's Argon2 defaults (100 MiB, two passes, eight lanes) cost about 0.3 CPU-seconds per
hash here, and the suite hashes a password for every user it makes: minutes of a 2-core CI run
spent on hashing alone. Under ``CUMULUS_ENV=test`` passwords are still hashed and checked by
argon2-cffi in the same ``argon2$`` format (so sign-in, upgrade and format tests exercise the
real code), only with the smallest cost. Development and production keep Django's defaults,
and ``test_production_settings`` checks that they do.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class TestArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64  # KiB
    parallelism = 1
