"""The engine on small in-memory data: rules, model levels, thresholds, incremental runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pytest

from cumulus.linkage import engine
from cumulus.linkage.tests.people import population


def _one(**fields: Any) -> pa.Table:
    return pa.Table.from_pylist([fields])


CHILD = {
    "unique_id": "1",
    "forename": "William",
    "surname": "Hughes",
    "date_of_birth": dt.date(2015, 3, 7),
    "sex": "M",
    "postcode": "EM1 2AB",
    "nhs_number": "9990000018",
    "upn": None,
}


def _register(*extra: dict[str, Any]) -> pa.Table:
    others = [
        dict(CHILD, unique_id=str(i + 2), forename=name, nhs_number=None, date_of_birth=dob)
        for i, (name, dob) in enumerate(
            [("Harry", dt.date(2012, 5, 1)), ("Grace", dt.date(2016, 9, 30))]
        )
    ]
    return pa.Table.from_pylist([CHILD, *others, *extra])


def _decide(record: dict[str, Any]) -> dict[str, Any]:
    result = engine.link_to_register(
        register=_register(), records=_one(**record), model=engine.default_model()
    )
    decision: dict[str, Any] = result.decisions.to_pylist()[0]
    decision["pairs"] = result.pairs.to_pylist()
    return decision


def test_valid_nhs_number_agreeing_with_date_of_birth_links_deterministically():
    decision = _decide(dict(CHILD, unique_id="r1", forename="Someone", surname="Else"))
    assert decision["outcome"] == engine.DETERMINISTIC
    assert decision["method"] == "nhs_number"
    assert decision["child_id"] == "1"


def test_nhs_number_with_another_date_of_birth_is_not_a_deterministic_link():
    decision = _decide(
        dict(
            CHILD,
            unique_id="r1",
            forename="Zed",
            surname="Quinn",
            date_of_birth=dt.date(2001, 1, 2),
        )
    )
    assert decision["outcome"] != engine.DETERMINISTIC


def test_mistyped_nhs_number_is_not_trusted_but_still_counts_as_evidence():
    decision = _decide(dict(CHILD, unique_id="r1", nhs_number="9990000019"))
    assert decision["outcome"] == engine.AUTOMATIC
    pair = decision["pairs"][0]
    labels = {e["field"]: e["level"] for e in engine.evidence(engine.default_model(), pair)}
    assert labels["nhs_number"] == "One character different or transposed"


def test_nickname_day_month_swap_and_name_swap_levels_are_recognised():
    record = dict(
        CHILD, unique_id="r1", forename="Bill", nhs_number=None, date_of_birth=dt.date(2015, 7, 3)
    )
    decision = _decide(record)
    labels = {
        e["field"]: e["level"]
        for e in engine.evidence(engine.default_model(), decision["pairs"][0])
    }
    assert labels["forename"] == "Nickname or first of several forenames"
    assert labels["date_of_birth"] == "Day and month swapped"
    swapped = _decide(
        dict(CHILD, unique_id="r2", forename="Hughes", surname="William", nhs_number=None)
    )
    labels = {
        e["field"]: e["level"] for e in engine.evidence(engine.default_model(), swapped["pairs"][0])
    }
    assert labels["forename"] == "Forename and surname swapped"


def test_a_stranger_becomes_a_new_child():
    decision = _decide(
        {
            "unique_id": "r1",
            "forename": "Zara",
            "surname": "Okonkwo",
            "date_of_birth": dt.date(2010, 12, 25),
            "sex": "F",
            "postcode": "EM7 1XY",
        }
    )
    assert decision["outcome"] == engine.NEW
    assert decision["child_id"] is None


def test_population_is_linked_precisely_and_strangers_are_new():
    register, records = population()
    result = engine.link_to_register(
        register=register, records=records, model=engine.default_model()
    )
    truth = dict(
        zip(
            records.column("unique_id").to_pylist(),
            records.column("true_id").to_pylist(),
            strict=True,
        )
    )
    decisions = result.decisions.to_pylist()
    linked = [d for d in decisions if d["outcome"] in (engine.DETERMINISTIC, engine.AUTOMATIC)]
    wrong = [d for d in linked if truth[d["record_id"]] != d["child_id"]]
    assert not wrong
    known = [d for d in decisions if truth[d["record_id"]] is not None]
    assert len([d for d in known if d in linked]) / len(known) >= 0.97
    strangers = [d for d in decisions if truth[d["record_id"]] is None]
    assert all(d["outcome"] == engine.NEW for d in strangers)


def test_incremental_run_decides_new_records_as_a_full_run_does():
    register, records = population(n=150, seed=3)
    model = engine.default_model()
    full = engine.link_to_register(register=register, records=records, model=model)
    first, later = records.slice(0, 200), records.slice(200)
    engine.link_to_register(register=register, records=first, model=model)
    incremental = engine.link_to_register(register=register, records=later, model=model)
    expected = {d["record_id"]: (d["outcome"], d["child_id"]) for d in full.decisions.to_pylist()}
    for d in incremental.decisions.to_pylist():
        assert expected[d["record_id"]] == (d["outcome"], d["child_id"])


def test_training_estimates_every_comparison_from_the_data():
    register, records = population(n=300, seed=11)
    result = engine.link_to_register(register=register, records=records.drop_columns(["true_id"]))
    model = result.model
    assert engine.model_fields(model) == sorted(
        ["date_of_birth", "forename", "nhs_number", "postcode", "sex", "surname", "upn"]
    )
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if not level.get("is_null_level"):
                assert 0 < level["m_probability"] <= 1
                assert 0 < level["u_probability"] <= 1
    exact = next(c for c in model["comparisons"] if c["output_column_name"] == "date_of_birth")
    assert exact["comparison_levels"][1]["m_probability"] > 0.5


def test_dedupe_puts_two_records_of_one_child_in_one_cluster():
    _, records = population(n=80, seed=5)
    known = records.filter(pa.compute.is_valid(records.column("true_id")))
    pairs, clusters, _ = engine.dedupe(
        records=known.drop_columns(["true_id"]), model=engine.default_model()
    )
    cluster_of = dict(
        zip(
            clusters.column("record_id").to_pylist(),
            clusters.column("cluster_id").to_pylist(),
            strict=True,
        )
    )
    same = sum(cluster_of[f"R{i}-0"] == cluster_of[f"R{i}-1"] for i in range(80))
    assert same >= 76
    assert pairs.num_rows >= same


def test_thresholds_must_be_ordered():
    with pytest.raises(ValueError, match="0 < lower < upper < 1"):
        engine.Thresholds(upper=0.5, lower=0.9)


def test_records_without_unique_id_or_with_repeats_are_refused():
    con = engine.connect()
    with pytest.raises(ValueError, match="unique_id column"):
        engine.prepare(con, pa.table({"forename": ["A"]}), name="x")
    with pytest.raises(ValueError, match="repeated: 1"):
        engine.prepare(con, pa.table({"unique_id": ["1", "1"]}), name="y")


def test_nicknames_table_is_our_own_data_and_maps_both_ways_through_canonical_forms():
    table = engine.nicknames()
    assert "WILLIAM" in table["BILL"]
    assert {"SAMUEL", "SAMANTHA"} <= set(table["SAM"])


def test_a_register_prepared_once_serves_later_runs(tmp_path):
    register, records = population(n=100, seed=4)
    path = str(tmp_path / "register.duckdb")
    engine.prepare_register_file(register, path)
    model = engine.default_model()
    fresh = engine.link_to_register(register=register, records=records, model=model)
    reused = engine.link_to_register(
        register=None, records=records, model=model, con=engine.connect_with_register(path)
    )
    assert reused.decisions.to_pylist() == fresh.decisions.to_pylist()
    with pytest.raises(ValueError, match="no prepared register"):
        engine.link_to_register(register=None, records=records, model=model)
