"""Agency feeds carry the errors real agency systems have, and the hidden truth behind them."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from cumulus.core.identifiers import IdentifierError, validate_nhs_number
from cumulus.synth.engine.config import SynthConfig
from cumulus.synth.engine.feeds import NICKNAMES, make_feed_records
from cumulus.synth.engine.generate import generate
from cumulus.synth.engine.schema import SCHEMAS


@pytest.fixture(scope="module")
def partnership() -> dict[str, pa.Table]:
    return generate(SynthConfig(children=8_000, years=2, seed=3))


def _noise_share(feed: pa.Table, label: str, mask: np.ndarray | None = None) -> float:
    flags = np.array([label in n for n in feed["noise"].to_pylist()])
    return float(flags[mask].mean() if mask is not None else flags.mean())


def test_feed_matches_its_schema_and_points_at_real_children(partnership):
    feed = partnership["feed_records"]
    assert feed.schema == SCHEMAS["feed_records"]
    children = set(partnership["children"]["person_id"].to_pylist())
    assert set(feed["true_person_id"].to_pylist()) <= children
    assert pc.count_distinct(feed["source_record_id"]).as_py() == feed.num_rows


def test_corruption_rates_are_near_the_configured_rates(partnership):
    feed = partnership["feed_records"]
    agency = np.asarray(feed["agency_key"].to_pylist())
    schools = np.char.startswith(agency.astype(str), "school")
    police = agency == "police"
    assert 0.03 < _noise_share(feed, "typo") < 0.05
    assert 0.2 < _noise_share(feed, "nhs_missing", schools) < 0.3
    assert 0.33 < _noise_share(feed, "nhs_missing", police) < 0.47
    assert 0.003 < _noise_share(feed, "duplicate") < 0.02
    # Only schools hold UPNs.
    assert feed.filter(pc.invert(pc.starts_with(feed["agency_key"], "school")))[
        "upn"
    ].null_count == (feed.num_rows - int(schools.sum()))


def test_nicknames_come_from_the_table_and_swapped_dates_are_real_dates(partnership):
    feed = partnership["feed_records"]
    nicknames = {nick for options in NICKNAMES.values() for nick in options}
    for record in feed.to_pylist():
        if "nickname" in record["noise"] and "typo" not in record["noise"]:
            assert record["given_name"] in nicknames
        assert isinstance(record["date_of_birth"], dt.date)
    truth = dict(
        zip(
            partnership["children"]["person_id"].to_pylist(),
            partnership["children"]["date_of_birth"].to_pylist(),
            strict=True,
        )
    )
    swapped = [r for r in feed.to_pylist() if r["noise"] == ["dob_swap"]]
    assert swapped
    for record in swapped:
        true = truth[record["true_person_id"]]
        assert (record["date_of_birth"].day, record["date_of_birth"].month) == (
            true.month,
            true.day,
        )


def test_clean_records_are_exact_copies(partnership):
    feed = partnership["feed_records"].to_pylist()
    children = {c["person_id"]: c for c in partnership["children"].to_pylist()}
    clean = [r for r in feed if not r["noise"]][:500]
    for record in clean:
        child = children[record["true_person_id"]]
        assert record["given_name"] == child["given_name"]
        assert record["date_of_birth"] == child["date_of_birth"]
        assert record["nhs_number"] == child["nhs_number"]


def test_an_nhs_typo_usually_breaks_the_check_digit(partnership):
    typos = [
        r["nhs_number"] for r in partnership["feed_records"].to_pylist() if "nhs_typo" in r["noise"]
    ]
    assert typos
    broken = 0
    for number in typos:
        try:
            validate_nhs_number(number)
        except IdentifierError:
            broken += 1
    assert broken / len(typos) > 0.8


def test_same_generator_state_gives_the_same_feed(partnership):
    args = {
        "children": partnership["children"],
        "households": partnership["households"],
        "involvements": partnership["involvements"],
        "params": {},
    }
    first = make_feed_records(rng=np.random.default_rng(5), **args)
    again = make_feed_records(rng=np.random.default_rng(5), **args)
    other = make_feed_records(rng=np.random.default_rng(6), **args)
    assert first.equals(again)
    assert not first.equals(other)
