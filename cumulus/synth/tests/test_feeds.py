"""Agency feeds carry the errors real agency systems have, and the hidden truth behind them.

The inputs are small tables built by hand (no generator run, no database), so each check can
compare a record with the child it really is.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cumulus.core.identifiers import (
    IdentifierError,
    synthetic_nhs_number,
    synthetic_upn,
    validate_nhs_number,
)
from cumulus.synth.engine.feeds import DEFAULTS, LABELS, NICKNAMES, _typo, make_feed_records
from cumulus.synth.engine.schema import SCHEMAS

END = dt.date(2026, 3, 31)
OTHER_NAMES = ["Zoe", "Callum", "Amber", "Li", "Jo", "Mohammed", "Aisha", "Kai"]
FAMILY_NAMES = ["Smith", "Khan", "O'Brien", "Ng", "Taylor-Wood", "Nowak", "Okafor", "Evans"]
KINDS = ("health_visiting", "gp", "hospital", "school", "early_years", "police")


def feed_inputs(n_children: int = 4_000, seed: int = 0) -> dict[str, pa.Table]:
    """Children, households and involvements conforming to ``SCHEMAS``; every child sees a GP,
    under fives a health visitor, pupils a school; some see police, early years, and agencies
    that keep no feed (children's social care, early help, school nursing)."""
    rng = np.random.default_rng(seed)
    py = random.Random(seed)
    n_h = n_children // 2
    moved = rng.random(n_h) < 0.3
    postcode = [f"EM{i % 9 + 1} {i % 10}{'ABDEFG'[i % 6]}{'HJLNPQ'[i % 5]}" for i in range(n_h)]
    previous = [f"XX{i % 7 + 1} {i % 10}ZZ" for i in range(n_h)]
    # Households listed newest first, so lookups cannot rely on ids being positions.
    order = np.arange(n_h)[::-1]
    households = pa.table(
        {
            "household_id": pa.array(order, pa.int32()),
            "lsoa_id": pa.array(order % 20, pa.int32()),
            "address_line_1": [f"{i} High Street" for i in order],
            "postcode": [postcode[i] for i in order],
            "moved_on": pa.array(
                np.full(n_h, 19_800, dtype=np.int32), pa.date32(), mask=~moved[order]
            ),
            "previous_address_line_1": pa.array(
                [f"{i} Low Road" for i in order], mask=~moved[order]
            ),
            "previous_postcode": pa.array([previous[i] for i in order], mask=~moved[order]),
            **{
                name: pa.array(np.zeros(n_h, dtype=bool))
                for name in SCHEMAS["households"].names[7:]
            },
        },
        schema=SCHEMAS["households"],
    )
    ids = np.arange(1, n_children + 1)
    end = (END - dt.date(1970, 1, 1)).days
    dob = rng.integers(end - 18 * 365, end, size=n_children)
    age = (end - dob) / 365.25
    nickname_keys = list(NICKNAMES)
    first = [
        nickname_keys[i % len(nickname_keys)] if i % 2 else OTHER_NAMES[i % len(OTHER_NAMES)]
        for i in rng.integers(0, 10_000, size=n_children)
    ]
    former = rng.random(n_children) < 0.1
    nhs = [synthetic_nhs_number(py) for _ in range(n_children)]
    upn = [synthetic_upn(py) for _ in range(n_children)]
    children = pa.table(
        {
            "person_id": pa.array(ids, pa.int64()),
            "household_id": pa.array(rng.integers(0, n_h, size=n_children), pa.int32()),
            "la_child_id": [f"EM{i:08d}" for i in ids],
            "given_name": first,
            "family_name": list(rng.choice(FAMILY_NAMES, size=n_children)),
            "former_family_name": pa.array(["Formerly"] * n_children, mask=~former),
            "sex": list(rng.choice(["M", "F"], size=n_children)),
            "date_of_birth": pa.array(dob.astype(np.int32), pa.date32()),
            "nhs_number": pa.array(nhs, mask=rng.random(n_children) < 0.01),
            "upn": pa.array(upn, mask=age < 4.5),
            "ethnicity": ["WBRI"] * n_children,
            "disability": ["NONE"] * n_children,
            "has_send": pa.array(np.zeros(n_children, dtype=bool)),
            "young_carer": pa.array(np.zeros(n_children, dtype=bool)),
            "neglect_proneness": pa.array(np.zeros(n_children, dtype=np.float32)),
        },
        schema=SCHEMAS["children"],
    )
    person: list[np.ndarray[Any, Any]] = []
    agency: list[np.ndarray[Any, Any]] = []

    def involve(who: np.ndarray[Any, Any], keys: Any) -> None:
        person.append(ids[who])
        agency.append(np.broadcast_to(np.asarray(keys, dtype=object), (int(who.sum()),)))

    everyone = np.ones(n_children, dtype=bool)
    involve(everyone, np.array(["gp_001", "gp_002", "gp_003"], dtype=object)[ids % 3])
    involve(age < 5, "health_visiting")
    primary = (age >= 4.5) & (age < 11)
    involve(primary, np.where(ids[primary] % 2 == 0, "school_p001", "school_p002"))
    involve(age >= 11, "school_s001")
    involve((age >= 2) & (age < 4.5), "early_years_001")
    some = rng.random((5, n_children)) < [[0.2], [0.1], [0.1], [0.1], [0.05]]
    involve(some[0], "police")
    involve(some[1], "csc")
    involve(some[2], "early_help")
    involve(some[3], "school_nursing")
    involve(some[4], np.array(["gp_001", "gp_002", "gp_003"], dtype=object)[ids[some[4]] % 3])
    all_person = np.concatenate([*person, [999_999]])  # an adult: not in children
    all_agency = np.concatenate([*agency, np.array(["police"], dtype=object)])
    k = all_person.size
    involvements = pa.table(
        {
            "person_id": pa.array(all_person, pa.int64()),
            "agency_key": pa.array(all_agency.tolist(), pa.string()),
            "role": ["Worker"] * k,
            "started_on": pa.array(np.full(k, end - 400, dtype=np.int32), pa.date32()),
            "ended_on": pa.array(
                np.zeros(k, dtype=np.int32), pa.date32(), mask=np.ones(k, dtype=bool)
            ),
        },
        schema=SCHEMAS["involvements"],
    )
    return {"children": children, "households": households, "involvements": involvements}


def feed(inputs: dict[str, pa.Table], seed: int = 1, **overrides: Any) -> pa.Table:
    return make_feed_records(**inputs, rng=np.random.default_rng(seed), params={"feeds": overrides})


@pytest.fixture(scope="module")
def inputs() -> dict[str, pa.Table]:
    return feed_inputs()


@pytest.fixture(scope="module")
def records(inputs: dict[str, pa.Table]) -> pa.Table:
    return feed(inputs)


def kind_of(agency_key: str) -> str:
    return next(kind for kind in KINDS if agency_key.startswith(kind))


def share(records: pa.Table, label: str, where: Any = None) -> float:
    rows = records.to_pylist()
    chosen = [r for r in rows if where is None or where(r)]
    assert chosen, f"no records to measure {label} on"
    return sum(label in r["noise"] for r in chosen) / len(chosen)


def one_edit_apart(a: str, b: str) -> bool:
    """One substitution, deletion, insertion or adjacent transposition turns ``a`` into ``b``."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and (a[diff[0]], a[diff[1]]) == (b[diff[1]], b[diff[0]])
        )
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return len(longer) == len(shorter) + 1 and any(
        longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer))
    )


def test_feed_matches_its_schema_and_points_at_real_children(inputs, records):
    assert records.schema == SCHEMAS["feed_records"]
    assert records["record_id"].to_pylist() == list(range(1, records.num_rows + 1))
    assert pc.count_distinct(records["source_record_id"]).as_py() == records.num_rows
    children = set(inputs["children"]["person_id"].to_pylist())
    assert set(records["true_person_id"].to_pylist()) <= children
    for row in records.select(["agency_key", "source_record_id"]).to_pylist():
        prefix = {"health_visiting": "HV-", "gp": "GP-", "school": "SCH-"}
        prefix |= {"early_years": "EY-", "police": "POL-"}
        assert row["source_record_id"].startswith(prefix[kind_of(row["agency_key"])])


def test_one_record_per_child_per_feeding_agency_plus_flagged_duplicates(inputs, records):
    inv = inputs["involvements"]
    children = set(inputs["children"]["person_id"].to_pylist())
    expected = {
        (p, a)
        for p, a in zip(inv["person_id"].to_pylist(), inv["agency_key"].to_pylist(), strict=True)
        if p in children and a not in {"csc", "early_help", "school_nursing"}
    }
    rows = records.to_pylist()
    originals = Counter(
        (r["true_person_id"], r["agency_key"]) for r in rows if "duplicate" not in r["noise"]
    )
    assert set(originals) == expected
    assert set(originals.values()) == {1}
    assert 999_999 not in {r["true_person_id"] for r in rows}


def test_corruption_rates_are_near_the_configured_defaults(inputs, records):
    truth = {c["person_id"]: c for c in inputs["children"].to_pylist()}
    moved = {
        h["household_id"] for h in inputs["households"].to_pylist() if h["moved_on"] is not None
    }

    def kind_is(*kinds: str) -> Any:
        return lambda r: kind_of(r["agency_key"]) in kinds

    def holds(name: str) -> Any:
        return lambda r: truth[r["true_person_id"]][name] is not None

    def swappable(r: dict[str, Any]) -> bool:
        born = truth[r["true_person_id"]]["date_of_birth"]
        return born.day <= 12 and born.day != born.month

    assert abs(share(records, "typo") - 0.04) < 0.012
    nicknameable = lambda r: truth[r["true_person_id"]]["given_name"] in NICKNAMES  # noqa: E731
    assert abs(share(records, "nickname", nicknameable) - 0.05) < 0.015
    assert abs(share(records, "dob_swap", swappable) - 0.02) < 0.01
    assert abs(share(records, "dob_typo") - 0.01) < 0.006
    with_nhs = holds("nhs_number")
    for kinds, rate in [(("school",), 0.25), (("police",), 0.4), (("gp", "health_visiting"), 0.02)]:
        where = kind_is(*kinds)
        measured = share(records, "nhs_missing", lambda r, w=where: w(r) and with_nhs(r))
        assert abs(measured - rate) < max(0.05, rate * 0.2), kinds
    assert 0.0005 < share(records, "nhs_typo") < 0.012
    school_upn = lambda r: kind_of(r["agency_key"]) == "school" and holds("upn")(r)  # noqa: E731
    assert abs(share(records, "upn_missing", school_upn) - 0.03) < 0.015
    assert share(records, "upn_missing", kind_is("gp", "police", "health_visiting")) == 0
    family_moved = lambda r: truth[r["true_person_id"]]["household_id"] in moved  # noqa: E731
    assert abs(share(records, "moved", family_moved) - 0.5) < 0.05
    assert share(records, "moved", lambda r: not family_moved(r)) == 0
    assert abs(share(records, "postcode_missing") - 0.05) < 0.012
    assert abs(share(records, "name_change", holds("former_family_name")) - 0.5) < 0.06
    assert abs(share(records, "sex_missing") - 0.01) < 0.006
    assert abs(share(records, "duplicate") - 0.01) < 0.006
    # Only schools hold UPNs.
    non_school = records.filter(pc.invert(pc.starts_with(records["agency_key"], "school")))
    assert non_school["upn"].null_count == non_school.num_rows


def test_every_record_is_its_child_as_changed_by_its_noise(inputs, records):
    truth = {c["person_id"]: c for c in inputs["children"].to_pylist()}
    homes = {h["household_id"]: h for h in inputs["households"].to_pylist()}
    nicknames = {nick for options in NICKNAMES.values() for nick in options}
    seen = Counter[str]()
    for r in records.to_pylist():
        child = truth[r["true_person_id"]]
        noise = set(r["noise"])
        assert len(noise) == len(r["noise"])
        assert noise <= set(LABELS)
        seen.update(noise)
        # Names.
        family = child["former_family_name"] if "name_change" in noise else child["family_name"]
        if "nickname" in noise:
            assert child["given_name"] in NICKNAMES
        if "typo" in noise:
            # In the given name (perhaps a nickname) or the family name, not both.
            before = (
                NICKNAMES[child["given_name"]] if "nickname" in noise else [child["given_name"]]
            )
            if r["given_name"] in before:
                assert one_edit_apart(r["family_name"], family)
            else:
                assert any(one_edit_apart(r["given_name"], name) for name in before)
                assert r["family_name"] == family
        else:
            assert r["family_name"] == family
            if "nickname" in noise:
                assert r["given_name"] in NICKNAMES[child["given_name"]]
                assert r["given_name"] in nicknames
            else:
                assert r["given_name"] == child["given_name"]
        # Date of birth: always a real date (Arrow would not hold anything else).
        born, held = child["date_of_birth"], r["date_of_birth"]
        assert isinstance(held, dt.date)
        if "dob_swap" in noise:
            assert (held.year, held.month, held.day) == (born.year, born.day, born.month)
            assert born.day <= 12
            assert born.day != born.month
        elif "dob_typo" in noise:
            assert abs((held - born).days) == 1
            assert held.month == born.month
        else:
            assert held == born
        # Identifiers.
        if "nhs_missing" in noise:
            assert r["nhs_number"] is None
        elif "nhs_typo" in noise:
            number = r["nhs_number"]
            assert sum(a != b for a, b in zip(number, child["nhs_number"], strict=True)) == 1
            with pytest.raises(IdentifierError):
                validate_nhs_number(number)
        else:
            assert r["nhs_number"] == child["nhs_number"]
        if kind_of(r["agency_key"]) != "school" or "upn_missing" in noise:
            assert r["upn"] is None
        else:
            assert r["upn"] == child["upn"]
        # Address and sex.
        home = homes[child["household_id"]]
        if "postcode_missing" in noise:
            assert r["postcode"] is None
        elif "moved" in noise:
            assert r["postcode"] == home["previous_postcode"] != home["postcode"]
        else:
            assert r["postcode"] == home["postcode"]
        assert r["sex"] == ("U" if "sex_missing" in noise else child["sex"])
    assert set(seen) == set(LABELS)


def test_duplicates_are_exact_copies_under_another_source_record_id(records):
    rows = records.to_pylist()
    by_child: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for r in rows:
        by_child.setdefault((r["true_person_id"], r["agency_key"]), []).append(r)
    duplicates = [r for r in rows if "duplicate" in r["noise"]]
    assert duplicates
    for copy in duplicates:
        pair = by_child[(copy["true_person_id"], copy["agency_key"])]
        assert len(pair) == 2
        original = next(r for r in pair if r is not copy)
        assert original["source_record_id"] != copy["source_record_id"]
        assert copy["noise"] == [*original["noise"], "duplicate"]
        fields = set(SCHEMAS["feed_records"].names) - {"record_id", "source_record_id", "noise"}
        assert {f: copy[f] for f in fields} == {f: original[f] for f in fields}


def test_same_generator_state_gives_the_same_feed_and_another_a_different_one(inputs, records):
    assert feed(inputs, seed=1).equals(records)
    assert not feed(inputs, seed=2).equals(records)


def test_overridden_rates_are_used(inputs):
    records = feed(inputs, typo_rate=0.3, nhs_missing_rate={"police": 0.0}, duplicate_rate=0.0)
    assert abs(share(records, "typo") - 0.3) < 0.03
    assert share(records, "nhs_missing", lambda r: r["agency_key"] == "police") == 0
    assert share(records, "duplicate") == 0
    # Other kinds keep their default rate.
    assert (
        abs(share(records, "nhs_missing", lambda r: r["agency_key"] == "school_s001") - 0.25) < 0.05
    )


def test_unknown_or_impossible_parameters_are_refused(inputs):
    with pytest.raises(ValueError, match="unknown feeds parameters: typo"):
        feed(inputs, typo=0.1)
    with pytest.raises(ValueError, match="between 0 and 1"):
        feed(inputs, typo_rate=1.5)
    with pytest.raises(ValueError, match="unknown kinds of agency"):
        feed(inputs, nhs_missing_rate={"csc": 0.1})
    assert set(DEFAULTS) >= {"typo_rate", "nickname_rate", "moved_rate", "name_change_rate"}


def test_no_feeding_involvements_give_an_empty_feed(inputs):
    only_csc = inputs["involvements"].filter(pc.equal(inputs["involvements"]["agency_key"], "csc"))
    empty = make_feed_records(
        children=inputs["children"],
        households=inputs["households"],
        involvements=only_csc,
        rng=np.random.default_rng(0),
        params={},
    )
    assert empty.num_rows == 0
    assert empty.schema == SCHEMAS["feed_records"]


@settings(max_examples=300, deadline=None)
@given(
    word=st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCZ'- ", min_size=1, max_size=16),
    kind=st.integers(0, 2),
    u=st.floats(0, 1, exclude_max=True),
    v=st.floats(0, 1, exclude_max=True),
)
def test_a_typo_always_changes_a_name_by_exactly_one_edit(word, kind, u, v):
    changed = _typo(word, kind, u, v)
    assert one_edit_apart(word, changed)
    assert changed[0] == word[0]  # a name's first letter is never the one mistyped
