"""Thousands of malformed CIN census files: each ends in a clear rejection, never a crash."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cumulus.interchange.batches import Checked, FileRejectedError, ParsedFile, batch_run
from cumulus.interchange.cin.handler import CinCensusHandler
from cumulus.interchange.models import BatchStatus
from cumulus.interchange.tests.cin_builder import base_child, census_xml

VALID = census_xml([base_child("C001"), base_child("C002", "938000000002")])
TAGS = [
    b"<Child>",
    b"</Child>",
    b"<CINdetails>",
    b"</Message>",
    b"<!ENTITY x 'y'>",
    b"&amp;",
    b"&x;",
    b"<![CDATA[",
    b"\xff\xfe",
    b"\x00",
    b"<?xml version='1.0'?>",
    b"2024-13-45",
]


@st.composite
def malformed(draw: st.DrawFn) -> bytes:
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete", "tag"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[pos:]
        elif action == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=20))
        elif action == "delete":
            del data[pos : pos + draw(st.integers(1, 200))]
        else:
            data[pos:pos] = draw(st.sampled_from(TAGS))
    return bytes(data)


@pytest.fixture
def handler(db):
    return CinCensusHandler()


@settings(max_examples=1200, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=malformed())
def test_a_malformed_file_is_read_or_refused_with_a_reason_never_a_crash(handler, data):
    handler.ctx = None
    try:
        parsed = handler.parse(data, source_name="fuzz.xml")
        checked = handler.check(parsed)
    except FileRejectedError as exc:
        reason = str(exc)
        assert reason
        return
    assert isinstance(parsed, ParsedFile)
    assert len(checked) == len(parsed.items)
    assert all(isinstance(c, Checked) for c in checked)
    for index, result in enumerate(checked):
        for finding in [*parsed.findings.get(index, []), *result.errors]:
            assert finding.rule
            assert finding.message


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=malformed())
def test_a_malformed_file_through_the_whole_batch_keeps_its_counts(data):
    result = batch_run(handler=CinCensusHandler(), source_name="fuzz.xml", data=data, actor=None)
    batch = result.batch
    if batch.status == BatchStatus.REJECTED:
        assert batch.rejection_reason
    else:
        assert batch.records_read == batch.records_accepted + batch.records_quarantined
