"""Agency feeds: each agency's own copy of the children it sees, with that agency's errors.

Record linkage (matching a school's pupil, a GP's patient and a police report's child to the
same person) is only as good as it is on messy data. Each record here carries the corruptions a
real agency system shows (typos, nicknames, swapped day and month, missing NHS number or UPN,
an old address, a former surname, duplicates) and, hidden, the true person id and the list of
corruptions applied, so linkage can be measured against the truth.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from cumulus.synth.engine.schema import SCHEMAS
from cumulus.synth.engine.util import as_table

FEED_AGENCIES = ("health_visiting", "gp", "hospital", "school", "early_years", "police")
NICKNAMES: dict[str, tuple[str, ...]] = {
    "William": ("Bill", "Will"),
    "Elizabeth": ("Liz", "Beth"),
    "Thomas": ("Tom",),
    "Jessica": ("Jess",),
    "Alexander": ("Alex",),
    "Robert": ("Bob", "Rob"),
    "Katherine": ("Kate", "Katie"),
    "Daniel": ("Dan",),
    "Samuel": ("Sam",),
    "Joseph": ("Joe",),
    "Margaret": ("Maggie",),
    "James": ("Jim", "Jamie"),
    "Charlotte": ("Lottie",),
    "Oliver": ("Ollie",),
    "Benjamin": ("Ben",),
    "Christopher": ("Chris",),
    "Matthew": ("Matt",),
    "Michael": ("Mike",),
    "Nicholas": ("Nick",),
    "Jonathan": ("Jon",),
    "Andrew": ("Andy",),
    "Anthony": ("Tony",),
    "Richard": ("Rick", "Richie"),
    "Edward": ("Ed", "Ted"),
    "Rebecca": ("Becky",),
    "Victoria": ("Vicky",),
    "Jennifer": ("Jenny",),
    "Samantha": ("Sam",),
    "Natalie": ("Nat",),
    "Abigail": ("Abbie",),
    "Eleanor": ("Ellie",),
    "Alexandra": ("Alex",),
    "Deborah": ("Debbie",),
    "Susan": ("Sue",),
    "Stephen": ("Steve",),
    "Patrick": ("Paddy",),
    "Timothy": ("Tim",),
    "Zachary": ("Zach",),
    "Frederick": ("Fred",),
    "Harriet": ("Hattie",),
}
DEFAULTS: dict[str, Any] = {
    "typo_rate": 0.04,
    "nickname_rate": 0.05,
    "dob_swap_rate": 0.02,
    "dob_typo_rate": 0.01,
    "nhs_missing_rate": {"school": 0.25, "early_years": 0.25, "police": 0.4, "default": 0.02},
    "upn_missing_rate": {"school": 0.03, "default": 1.0},
    "nhs_typo_rate": 0.005,
    "moved_rate": 0.5,
    "postcode_missing_rate": 0.05,
    "name_change_rate": 0.5,
    "sex_missing_rate": 0.01,
    "duplicate_rate": 0.01,
}
LETTERS = np.array(list("abcdefghijklmnopqrstuvwxyz"))
NONE = np.array(None, dtype=object)  # a null for elementwise tests and np.where


def _family(agency_key: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The kind of agency behind a key: "school_p003" -> "school", "gp_012" -> "gp"."""
    out = np.full(agency_key.size, "", dtype=object)
    for family in FEED_AGENCIES:
        out = np.where(np.char.startswith(agency_key.astype(str), family), family, out)
    return out


def _rate(
    params: Mapping[str, Any], name: str, family: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    value = params[name]
    if not isinstance(value, Mapping):
        return np.full(family.size, float(value))
    return np.array([float(value.get(f, value["default"])) for f in family])


def _typo(word: str, rng: np.random.Generator) -> str:
    if len(word) < 3:
        return word + str(rng.choice(LETTERS))
    i = int(rng.integers(1, len(word) - 1))
    kind = int(rng.integers(0, 3))
    if kind == 0:  # substitution
        return word[:i] + str(rng.choice(LETTERS)) + word[i + 1 :]
    if kind == 1:  # deletion
        return word[:i] + word[i + 1 :]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]  # adjacent transposition


def make_feed_records(
    *,
    children: pa.Table,
    households: pa.Table,
    involvements: pa.Table,
    rng: np.random.Generator,
    params: Mapping[str, Any],
) -> pa.Table:
    """One record per involvement of a child with a feeding agency, corrupted as configured."""
    p = {**DEFAULTS, **params.get("feeds", {})}
    agency_all = np.asarray(involvements["agency_key"].to_pylist(), dtype=object)
    family_all = _family(agency_all)
    keep = family_all != ""
    person = involvements["person_id"].to_numpy()[keep]
    agency = agency_all[keep]
    family = family_all[keep]
    # Duplicates: the same child registered twice by the same agency.
    dup = rng.random(person.size) < p["duplicate_rate"]
    person = np.concatenate([person, person[dup]])
    agency = np.concatenate([agency, agency[dup]])
    family = np.concatenate([family, family[dup]])
    is_duplicate = np.concatenate([np.zeros(dup.size, bool), np.ones(int(dup.sum()), bool)])
    n = person.size

    # Look up each child's true details.
    child_ids = children["person_id"].to_numpy()
    order = np.argsort(child_ids)
    at = order[np.searchsorted(child_ids, person, sorter=order)]

    def column(name: str) -> np.ndarray[Any, Any]:
        return np.asarray(children[name].to_pylist(), dtype=object)[at]

    given, family_name = column("given_name"), column("family_name")
    former = column("former_family_name")
    sex = column("sex")
    nhs, upn = column("nhs_number"), column("upn")
    dob = np.asarray(children["date_of_birth"].cast(pa.int32()).to_numpy(), dtype=np.int64)[at]
    hh_ids = households["household_id"].to_numpy()
    hh_at = np.searchsorted(hh_ids, children["household_id"].to_numpy()[at])
    postcode = np.asarray(households["postcode"].to_pylist(), dtype=object)[hh_at]
    previous = np.asarray(households["previous_postcode"].to_pylist(), dtype=object)[hh_at]

    noise: list[list[str]] = [["duplicate"] if d else [] for d in is_duplicate]

    def apply(mask: np.ndarray[Any, Any], label: str) -> np.ndarray[Any, Any]:
        for i in np.flatnonzero(mask):
            noise[i].append(label)
        return mask

    # Nicknames, then typos, on names.
    has_nick = np.array([g in NICKNAMES for g in given])
    for i in np.flatnonzero(apply(has_nick & (rng.random(n) < p["nickname_rate"]), "nickname")):
        options = NICKNAMES[given[i]]
        given[i] = options[int(rng.integers(0, len(options)))]
    typo = apply(rng.random(n) < p["typo_rate"], "typo")
    in_given = rng.random(n) < 0.5
    for i in np.flatnonzero(typo):
        if in_given[i]:
            given[i] = _typo(str(given[i]), rng)
        else:
            family_name[i] = _typo(str(family_name[i]), rng)
    changed = apply(
        np.not_equal(former, NONE) & (rng.random(n) < p["name_change_rate"]), "former_name"
    )
    family_name = np.where(changed, former, family_name)

    # Dates of birth: day and month swapped, or a day out.
    as_dates = dob.astype("datetime64[D]")
    years = as_dates.astype("datetime64[Y]")
    months = (as_dates.astype("datetime64[M]") - years).astype(np.int64) + 1
    days = (as_dates - as_dates.astype("datetime64[M]")).astype(np.int64) + 1
    swappable = (days <= 12) & (days != months)
    swap = apply(swappable & (rng.random(n) < p["dob_swap_rate"]), "dob_swap")
    swapped = (years.astype("datetime64[M]") + (days - 1).astype("timedelta64[M]")).astype(
        "datetime64[D]"
    ) + (months - 1).astype("timedelta64[D]")
    out_dob = np.where(swap, swapped.astype(np.int64), dob)
    off = apply(~swap & (rng.random(n) < p["dob_typo_rate"]), "dob_typo")
    out_dob = np.where(off, out_dob + np.where(rng.random(n) < 0.5, -1, 1), out_dob)

    # Identifiers.
    nhs_missing = apply(
        np.not_equal(nhs, NONE) & (rng.random(n) < _rate(p, "nhs_missing_rate", family)),
        "nhs_missing",
    )
    nhs = np.where(nhs_missing, NONE, nhs)
    nhs_typo = apply(np.not_equal(nhs, NONE) & (rng.random(n) < p["nhs_typo_rate"]), "nhs_typo")
    for i in np.flatnonzero(nhs_typo):
        pos = int(rng.integers(3, 10))
        digit = (int(nhs[i][pos]) + int(rng.integers(1, 10))) % 10
        nhs[i] = nhs[i][:pos] + str(digit) + nhs[i][pos + 1 :]
    upn_rate = _rate(p, "upn_missing_rate", family)
    upn_missing = np.not_equal(upn, NONE) & (rng.random(n) < upn_rate)
    apply(upn_missing & (upn_rate < 1.0), "upn_missing")  # non-schools never hold UPNs
    upn = np.where(upn_missing, NONE, upn)

    # Addresses and sex.
    moved = apply(np.not_equal(previous, NONE) & (rng.random(n) < p["moved_rate"]), "old_address")
    postcode = np.where(moved, previous, postcode)
    no_postcode = apply(rng.random(n) < p["postcode_missing_rate"], "postcode_missing")
    postcode = np.where(no_postcode, NONE, postcode)
    sex = np.where(apply(rng.random(n) < p["sex_missing_rate"], "sex_missing"), "U", sex)

    prefix = np.array([f.upper()[:3] for f in family], dtype=object)
    source_ids = [f"{pre}-{i:08d}" for pre, i in zip(prefix, rng.permutation(n) + 1, strict=True)]
    return as_table(
        {
            "record_id": np.arange(1, n + 1, dtype=np.int64),
            "agency_key": pa.array(agency, type=pa.string()),
            "source_record_id": source_ids,
            "given_name": pa.array(given, type=pa.string()),
            "family_name": pa.array(family_name, type=pa.string()),
            "date_of_birth": pa.array(out_dob.astype(np.int32), type=pa.date32()),
            "sex": pa.array(sex, type=pa.string()),
            "postcode": pa.array(postcode, type=pa.string()),
            "nhs_number": pa.array(nhs, type=pa.string()),
            "upn": pa.array(upn, type=pa.string()),
            "true_person_id": person.astype(np.int64),
            "noise": pa.array(noise, type=pa.list_(pa.string())),
        },
        SCHEMAS["feed_records"],
    )


def date_of(days: int) -> dt.date:
    return dt.date(1970, 1, 1) + dt.timedelta(days=days)
