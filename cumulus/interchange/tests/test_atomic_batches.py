"""kill -9 in the middle of a batch leaves nothing of it; the re-run completes exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from cumulus.interchange.tests.cin_builder import base_child, census_xml

CHILDREN = 200
CHUNK = 50
HOLD_AFTER = 160  # past three commit chunks of 50, so rows really were written

COUNTS = (
    "import json; from cumulus.interchange.models import ImportBatch, SourceRecord; "
    "from cumulus.people.models import Child; from cumulus.casework.models import Referral; "
    "print(json.dumps({'batches': ImportBatch.objects.count(), 'children': Child.objects.count(),"
    " 'referrals': Referral.objects.count(), 'sources': SourceRecord.objects.count()}))"
)


def counts(cumulus) -> dict[str, int]:
    out = cumulus("shell", "-c", COUNTS)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_kill_9_mid_batch_leaves_nothing_and_the_rerun_completes_exactly_once(
    fresh_cumulus, tmp_path
):
    path = tmp_path / "big.xml"
    path.write_bytes(census_xml([base_child(f"K{i:05d}", f"938{i:09d}") for i in range(CHILDREN)]))
    server = subprocess.Popen(
        [sys.executable, "-m", "cumulus.cli", "import", "cin-census", str(path)],
        env={
            **fresh_cumulus.env,
            "CUMULUS_INTERCHANGE_HOLD_AFTER": str(HOLD_AFTER),
            "CUMULUS_INTERCHANGE_COMMIT_CHUNK": str(CHUNK),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stderr is not None
    deadline = time.monotonic() + 240
    seen = []
    for line in server.stderr:
        seen.append(line)
        if line.startswith("holding after"):
            break
        assert time.monotonic() < deadline, "".join(seen)
    assert any(line.startswith("processed 150 of") for line in seen), "".join(seen)
    os.kill(server.pid, signal.SIGKILL)
    assert server.wait(timeout=30) == -signal.SIGKILL

    assert counts(fresh_cumulus) == {"batches": 0, "children": 0, "referrals": 0, "sources": 0}

    rerun = fresh_cumulus("import", "cin-census", "--quiet", str(path))
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert f"read {CHILDREN}, accepted {CHILDREN}" in rerun.stdout
    again = fresh_cumulus("import", "cin-census", "--quiet", str(path))
    assert again.returncode == 0
    assert "already imported" in again.stdout
    expected = {"batches": 1, "children": CHILDREN, "referrals": CHILDREN, "sources": CHILDREN}
    assert counts(fresh_cumulus) == expected
