"""A partnership administrator reads an import report, fixes a quarantined child and
re-submits it; the pages pass an axe-core scan."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pages import SignInPage, path_of
from pages_interchange import ImportsPage, axe_violations

from cumulus.interchange.tests.cin_builder import base_child, census_xml

pytestmark = pytest.mark.e2e

ADMIN = (
    "from cumulus.accounts.models import User, Role; "
    "u = User.objects.create_user('partnership.admin', password='cumulus-demo-2026', "
    "role=Role.PARTNERSHIP_ADMINISTRATOR, first_name='Pat', last_name='Admin'); print(u.pk)"
)


def _cumulus(service_env, *args):
    return subprocess.run(
        [sys.executable, "-m", "cumulus.cli", *args],
        env=service_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_admin_fixes_a_quarantined_child_and_resubmits_it(page, service_env, tmp_path):
    bad = base_child("E2E0001", "938000004321")
    bad["CINdetails"][0]["CINclosureDate"] = "2025-04-02"  # after the census year: rule 8620
    good = base_child("E2E0002", "938000004322")
    path = tmp_path / "e2e-census.xml"
    path.write_bytes(census_xml([good, bad]))
    assert _cumulus(service_env, "shell", "-c", ADMIN).returncode == 0
    imported = _cumulus(service_env, "import", "cin-census", "--quiet", str(path))
    assert imported.returncode == 1, imported.stdout + imported.stderr  # one quarantined

    SignInPage(page).open().sign_in("partnership.admin")
    imports = ImportsPage(page).open()
    assert axe_violations(page) == []
    batch = imports.open_batch("e2e-census.xml")
    assert "read 2 = accepted 1 + quarantined 1" in batch.counts()
    assert batch.quarantined_keys() == ["E2E0001"]
    assert axe_violations(page) == []

    fix = batch.fix("E2E0001")
    assert "8620" in fix.reasons()
    assert axe_violations(page) == []
    corrected = fix.payload().replace("2025-04-02", "2025-01-15")
    accepted = fix.resubmit(corrected)
    assert path_of(page).startswith("/interchange/imports/")
    assert "read 1 = accepted 1 + quarantined 0" in accepted.counts()
