"""Agency feeds: each agency's own copy of the children it sees, with that agency's errors.

Why: record linkage (matching a school's pupil, a GP's patient and a police report's child to
the same person) is only as good as it is on messy data, and no real child's data may enter the
repository. Each record here carries the errors real agency systems show (typos, nicknames,
swapped day and month, missing NHS number or UPN, an old address, a former surname, duplicate
registrations) and, hidden, the true person id and the list of corruptions applied, so linkage
can be measured against the truth.

Everything is vectorised: corrupted subsets are chosen with boolean masks and only their strings
go through Python, so a million records take a second or two.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from cumulus.synth.engine.schema import SCHEMAS
from cumulus.synth.engine.util import merged_parameters

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

# Kinds of agency that keep their own record of a child, matched on the start of the agency key
# ("school_p003", "gp_012", "police"). School nursing is a health service, not a school.
FEED_AGENCIES: tuple[str, ...] = (
    "health_visiting",
    "gp",
    "hospital",
    "school",
    "early_years",
    "police",
)
NOT_FEEDS = frozenset({"school_nursing"})
SOURCE_PREFIX = {
    "health_visiting": "HV",
    "gp": "GP",
    "hospital": "MRN",
    "school": "SCH",
    "early_years": "EY",
    "police": "POL",
}

# Common English nicknames, applied only where the child's given name is a key here.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "William": ("Bill", "Will", "Billy"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "Thomas": ("Tom", "Tommy"),
    "Jessica": ("Jess",),
    "Alexander": ("Alex",),
    "Alexandra": ("Alex", "Lexi"),
    "Robert": ("Bob", "Rob"),
    "Katherine": ("Kate", "Katie"),
    "Catherine": ("Cathy", "Kate"),
    "Daniel": ("Dan", "Danny"),
    "Samuel": ("Sam",),
    "Samantha": ("Sam",),
    "Joseph": ("Joe",),
    "Josephine": ("Jo", "Josie"),
    "Margaret": ("Maggie", "Peggy"),
    "James": ("Jim", "Jamie"),
    "Charlotte": ("Lottie", "Charlie"),
    "Oliver": ("Ollie",),
    "Olivia": ("Liv",),
    "Benjamin": ("Ben",),
    "Christopher": ("Chris",),
    "Christine": ("Chris",),
    "Matthew": ("Matt",),
    "Michael": ("Mike", "Mick"),
    "Nicholas": ("Nick",),
    "Nicola": ("Nicky",),
    "Jonathan": ("Jon",),
    "Joshua": ("Josh",),
    "Jacob": ("Jake",),
    "Andrew": ("Andy",),
    "Anthony": ("Tony",),
    "Richard": ("Rich", "Richie"),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Frederick": ("Fred", "Freddie"),
    "Gregory": ("Greg",),
    "Kenneth": ("Ken",),
    "Raymond": ("Ray",),
    "Peter": ("Pete",),
    "Philip": ("Phil",),
    "Stephen": ("Steve",),
    "Steven": ("Steve",),
    "Timothy": ("Tim",),
    "Patrick": ("Pat",),
    "Dominic": ("Dom",),
    "Rebecca": ("Becky",),
    "Victoria": ("Vicky", "Tori"),
    "Jennifer": ("Jenny", "Jen"),
    "Natalie": ("Nat",),
    "Natasha": ("Tash",),
    "Abigail": ("Abbie", "Abi"),
    "Eleanor": ("Ellie",),
    "Amelia": ("Millie",),
    "Bethany": ("Beth",),
    "Deborah": ("Debbie",),
    "Susan": ("Sue",),
    "Harriet": ("Hattie",),
    "Stephanie": ("Steph",),
    "Jacqueline": ("Jackie",),
    "Francesca": ("Fran", "Frankie"),
    "Georgina": ("Georgie",),
    "Patricia": ("Pat", "Trish"),
    "Kimberley": ("Kim",),
}

# Default rates; ``params["feeds"]`` overrides any of them. A per-agency rate may be given as one
# number for every kind of agency or as a mapping of some kinds to rates.
DEFAULTS: dict[str, Any] = {
    "typo_rate": 0.04,  # one substitution, deletion or transposition in given or family name
    "nickname_rate": 0.05,  # of records whose given name has a nickname
    "dob_swap_rate": 0.02,  # of records whose day and month can be swapped
    "dob_typo_rate": 0.01,
    "nhs_missing_rate": {
        "health_visiting": 0.02,
        "gp": 0.02,
        "hospital": 0.02,
        "school": 0.25,
        "early_years": 0.25,
        "police": 0.4,
    },
    # 1.0: this kind of agency holds no UPNs at all (not counted as a corruption).
    "upn_missing_rate": {
        "health_visiting": 1.0,
        "gp": 1.0,
        "hospital": 1.0,
        "school": 0.03,
        "early_years": 1.0,
        "police": 1.0,
    },
    "nhs_typo_rate": 0.005,
    "moved_rate": 0.5,  # of records whose household moved: the agency holds the old postcode
    "postcode_missing_rate": 0.05,
    "name_change_rate": 0.5,  # of records of a child with a former surname: holds the old one
    "sex_missing_rate": 0.01,  # sex recorded as "U"
    "duplicate_rate": 0.01,  # the same child registered twice by the same agency
}
# Noise labels, in the order the corruptions are applied (and listed in ``noise``).
LABELS: tuple[str, ...] = (
    "name_change",
    "nickname",
    "typo",
    "dob_swap",
    "dob_typo",
    "nhs_missing",
    "nhs_typo",
    "upn_missing",
    "moved",
    "postcode_missing",
    "sex_missing",
    "duplicate",
)
ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def make_feed_records(
    *,
    children: pa.Table,
    households: pa.Table,
    involvements: pa.Table,
    rng: np.random.Generator,
    params: Mapping[str, Any],
) -> pa.Table:
    """One record per child per feeding agency it is involved with, corrupted as configured.

    Returns a table with ``SCHEMAS["feed_records"]``, ordered by agency then source record id.
    A child involved twice with the same agency gets one record (plus, sometimes, a deliberate
    duplicate); involvements of people who are not in ``children`` are ignored.
    """
    settings = _settings(params)
    schema = SCHEMAS["feed_records"]

    # Which involvements feed: one per (child, feeding agency).
    keys = pc.fill_null(_array(involvements, "agency_key"), "")
    encoded = pc.dictionary_encode(keys)
    dictionary: list[str] = encoded.dictionary.to_pylist()
    kind_of_key = np.array([_kind(key) for key in dictionary], dtype=np.int64)
    key_index = np.asarray(encoded.indices.to_numpy(), dtype=np.int64)
    person = np.asarray(_array(involvements, "person_id").fill_null(-1).to_numpy(), np.int64)
    child_ids = np.asarray(_array(children, "person_id").to_numpy(), dtype=np.int64)
    child_at, is_child = _lookup(child_ids, person)
    rows = np.flatnonzero(is_child & (kind_of_key[key_index] >= 0))
    rows = rows[np.lexsort((key_index[rows], person[rows]))]
    if rows.size:
        first = np.ones(rows.size, dtype=bool)
        first[1:] = (person[rows][1:] != person[rows][:-1]) | (
            key_index[rows][1:] != key_index[rows][:-1]
        )
        rows = np.sort(rows[first])
    n = rows.size
    if n == 0:
        return schema.empty_table()
    person, key_index, at = person[rows], key_index[rows], child_at[rows]

    # Duplicates (an exact copy of a record under a second source record id) and the final
    # order, by agency key then source record id, are fixed first: each column is then gathered
    # once, straight into its final order, and every later draw for a copy is its original's,
    # so the copy is exact.
    duplicated = np.flatnonzero(rng.random(n) < settings["duplicate_rate"])
    every = np.concatenate([np.arange(n), duplicated])
    m = every.size
    width = max(7, len(str(m * 10)))
    numbers = rng.permutation(np.cumsum(rng.integers(1, 10, size=m)) + 10 ** (width - 2))
    rank = np.argsort(np.argsort(np.array(dictionary, dtype=object), kind="stable"))
    order = np.lexsort((numbers, rank[key_index[every]]))
    base = every[order]  # the original record behind each output row
    numbers = numbers[order]
    kind = kind_of_key[key_index[base]]
    take = pa.array(at[base])
    flags: dict[str, BoolArray] = {"duplicate": order >= n}
    position = np.empty(m, dtype=np.int64)
    position[order] = np.arange(m)
    copies, originals = position[n:], position[duplicated]

    def uniform() -> npt.NDArray[np.float64]:
        values = rng.random(m)
        values[copies] = values[originals]
        return values

    def integers(low: int, high: int) -> IntArray:
        values = np.asarray(rng.integers(low, high, size=m), dtype=np.int64)
        values[copies] = values[originals]
        return values

    # Names: a former surname, a nickname, a typo (in that order, so each label stays true).
    given = _array(children, "given_name").take(take)
    family = _array(children, "family_name").take(take)
    former = _array(children, "former_family_name").take(take)
    flags["name_change"] = _valid(former) & (uniform() < settings["name_change_rate"])
    family = pc.if_else(pa.array(flags["name_change"]), former, family)

    nicknamed = _mask(pc.is_in(given, value_set=pa.array(list(NICKNAMES), pa.string())))
    flags["nickname"] = nicknamed & (uniform() < settings["nickname_rate"])
    pick = uniform()
    given = _replace(given, flags["nickname"], lambda name, i: _nickname(name, float(pick[i])))

    typo = uniform() < settings["typo_rate"]
    in_given = uniform() < 0.5
    kinds, where, letter = integers(0, 3), uniform(), uniform()
    typo_given = typo & in_given & _valid(given)
    typo_family = typo & ~in_given & _valid(family)

    def misspell(name: str, i: int) -> str:
        return _typo(name, int(kinds[i]), float(where[i]), float(letter[i]))

    given = _replace(given, typo_given, misspell)
    family = _replace(family, typo_family, misspell)
    flags["typo"] = typo_given | typo_family

    # Dates of birth: day and month swapped where that is another real date; otherwise,
    # sometimes, a day out (within the same month, so always a real date).
    dob_array = _array(children, "date_of_birth").take(take)
    dob_known = _valid(dob_array)
    dob = np.asarray(pc.fill_null(dob_array.cast(pa.int32()), 0).to_numpy(), dtype=np.int64)
    days = dob.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    years = days.astype("datetime64[Y]").astype("datetime64[M]")
    month = (months - years).astype(np.int64) + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    next_month = (months + np.timedelta64(1, "M")).astype("datetime64[D]")
    month_length = (next_month - months.astype("datetime64[D]")).astype(np.int64)
    swappable = dob_known & (day <= 12) & (day != month)
    flags["dob_swap"] = swappable & (uniform() < settings["dob_swap_rate"])
    swapped_month = years + (day - 1).astype("timedelta64[M]")
    swapped = swapped_month.astype("datetime64[D]").astype(np.int64) + (month - 1)
    flags["dob_typo"] = dob_known & ~flags["dob_swap"] & (uniform() < settings["dob_typo_rate"])
    earlier = uniform() < 0.5
    step = np.where(day == 1, 1, np.where((day == month_length) | earlier, -1, 1))
    dob = np.where(flags["dob_swap"], swapped, np.where(flags["dob_typo"], dob + step, dob))

    # Identifiers: NHS number missing or mistyped; UPNs only in schools, sometimes missing.
    nhs = _array(children, "nhs_number").take(take)
    nhs_rate = _by_kind(settings["nhs_missing_rate"])[kind]
    nhs_dropped = _valid(nhs) & (uniform() < nhs_rate)
    flags["nhs_missing"] = nhs_dropped & (nhs_rate < 1.0)
    nhs = _null_where(nhs, nhs_dropped)
    digit_at, digit_by = uniform(), integers(1, 10)
    flags["nhs_typo"] = _valid(nhs) & (uniform() < settings["nhs_typo_rate"])
    nhs = _replace(
        nhs,
        flags["nhs_typo"],
        lambda number, i: _mistype_digit(number, float(digit_at[i]), int(digit_by[i])),
    )
    upn = _array(children, "upn").take(take)
    upn_rate = _by_kind(settings["upn_missing_rate"])[kind]
    upn_dropped = _valid(upn) & (uniform() < upn_rate)
    flags["upn_missing"] = upn_dropped & (upn_rate < 1.0)  # 1.0: this agency holds no UPNs
    upn = _null_where(upn, upn_dropped)

    # Addresses: the old postcode for some families who moved; sometimes none at all.
    household_ids = np.asarray(_array(households, "household_id").to_numpy(), dtype=np.int64)
    child_household = np.asarray(
        _array(children, "household_id").fill_null(-1).to_numpy(), dtype=np.int64
    )[at[base]]
    household_at, has_household = _lookup(household_ids, child_household)
    household_take = pa.array(household_at, mask=~has_household)
    postcode = _array(households, "postcode").take(household_take)
    previous = _array(households, "previous_postcode").take(household_take)
    moved_on = _array(households, "moved_on").take(household_take)
    flags["moved"] = _valid(moved_on) & _valid(previous) & (uniform() < settings["moved_rate"])
    postcode = pc.if_else(pa.array(flags["moved"]), previous, postcode)
    flags["postcode_missing"] = _valid(postcode) & (uniform() < settings["postcode_missing_rate"])
    postcode = _null_where(postcode, flags["postcode_missing"])

    sex = _array(children, "sex").take(take)
    flags["sex_missing"] = uniform() < settings["sex_missing_rate"]
    sex = pc.if_else(pa.array(flags["sex_missing"]), pa.scalar("U"), sex)

    # Agency-style source record ids ("GP-0012345"), unique across the feeds.
    prefixes = pa.array([SOURCE_PREFIX[k] for k in FEED_AGENCIES]).take(pa.array(kind))
    padded = pc.utf8_lpad(pa.array(numbers).cast(pa.string()), width, "0")

    # The noise lists, from one row of flags per record.
    flag_matrix = np.column_stack([flags[label] for label in LABELS])
    offsets = np.zeros(m + 1, dtype=np.int32)
    np.cumsum(flag_matrix.sum(axis=1), out=offsets[1:])
    labels = pa.array(LABELS, pa.string()).take(pa.array(np.nonzero(flag_matrix)[1]))

    columns: dict[str, pa.Array] = {
        "record_id": pa.array(np.arange(1, m + 1, dtype=np.int64)),
        "agency_key": pa.array(dictionary, pa.string()).take(pa.array(key_index[base])),
        "source_record_id": pc.binary_join_element_wise(prefixes, padded, "-"),
        "given_name": given,
        "family_name": family,
        "date_of_birth": pa.array(dob.astype(np.int32), pa.date32(), mask=~dob_known),
        "sex": sex,
        "postcode": postcode,
        "nhs_number": nhs,
        "upn": upn,
        "true_person_id": pa.array(person[base], pa.int64()),
        "noise": pa.ListArray.from_arrays(pa.array(offsets), labels),
    }
    return pa.Table.from_arrays(
        [columns[name].cast(schema.field(name).type) for name in schema.names], schema=schema
    )


def _settings(params: Mapping[str, Any]) -> dict[str, Any]:
    """The defaults with ``params["feeds"]`` laid over them; unknown keys are an error."""
    merged = merged_parameters("feeds", DEFAULTS, params)
    for name, value in merged.items():
        rates = value.values() if isinstance(value, Mapping) else [value]
        if not all(0.0 <= float(rate) <= 1.0 for rate in rates):
            raise ValueError(f"feeds.{name} must be between 0 and 1; got {value!r}")
    return merged


def _by_kind(value: float | Mapping[str, float]) -> npt.NDArray[np.float64]:
    """A rate per kind of agency (indexed like ``FEED_AGENCIES``)."""
    if isinstance(value, Mapping):
        unknown = sorted(set(value) - set(FEED_AGENCIES))
        if unknown:
            raise ValueError(f"unknown kinds of agency: {', '.join(unknown)}")
        return np.array([float(value[kind]) for kind in FEED_AGENCIES])
    return np.full(len(FEED_AGENCIES), float(value))


def _kind(agency_key: str) -> int:
    """Index in ``FEED_AGENCIES`` of the kind of agency behind a key, or -1 if it has no feed."""
    if agency_key in NOT_FEEDS:
        return -1
    for i, kind in enumerate(FEED_AGENCIES):
        if agency_key.startswith(kind):
            return i
    return -1


def _array(table: pa.Table, name: str) -> pa.Array:
    column = table.column(name)
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _lookup(ids: IntArray, wanted: IntArray) -> tuple[IntArray, BoolArray]:
    """Positions in ``ids`` of each of ``wanted`` (0 where absent), and whether it is there."""
    if ids.size == 0:
        return np.zeros(wanted.size, dtype=np.int64), np.zeros(wanted.size, dtype=bool)
    order = np.argsort(ids, kind="stable")
    slot = np.minimum(np.searchsorted(ids, wanted, sorter=order), ids.size - 1)
    at = order[slot]
    found = ids[at] == wanted
    return np.where(found, at, 0).astype(np.int64), np.asarray(found, dtype=bool)


def _valid(values: pa.Array) -> BoolArray:
    return np.asarray(values.is_valid().to_numpy(zero_copy_only=False), dtype=bool)


def _mask(values: pa.Array) -> BoolArray:
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def _null_where(values: pa.Array, mask: BoolArray) -> pa.Array:
    return pc.if_else(pa.array(mask), pa.scalar(None, values.type), values)


def _replace(values: pa.Array, mask: BoolArray, change: Callable[[str, int], str]) -> pa.Array:
    """``values`` with each element under ``mask`` replaced by ``change(value, row)``."""
    rows = np.flatnonzero(mask)
    if rows.size == 0:
        return values
    old: list[str] = values.take(pa.array(rows)).to_pylist()
    new = [change(value, int(row)) for value, row in zip(old, rows, strict=True)]
    return pc.replace_with_mask(values, pa.array(mask), pa.array(new, values.type))


def _nickname(name: str, u: float) -> str:
    options = NICKNAMES[name]
    return options[int(u * len(options))]


def _typo(word: str, kind: int, u: float, v: float) -> str:
    """One substitution (kind 0), deletion (1) or adjacent transposition (2), never at the
    first letter, always changing the word; ``u`` and ``v`` in [0, 1) choose where and what."""
    if len(word) < 2:
        return word + ALPHABET[int(v * len(ALPHABET))]
    if kind == 2 and len(word) >= 3:
        i = 1 + int(u * (len(word) - 2))
        if word[i] != word[i + 1]:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        kind = 0
    i = 1 + int(u * (len(word) - 1))
    if kind == 1 and len(word) >= 3:
        return word[:i] + word[i + 1 :]
    old = word[i]
    letters = ALPHABET.replace(old.lower(), "")
    new = letters[int(v * len(letters))]
    return word[:i] + (new.upper() if old.isupper() else new) + word[i + 1 :]


def _mistype_digit(number: str, u: float, by: int) -> str:
    """One digit of an NHS number changed (``by`` in 1-9), so its check digit fails."""
    if not number:
        return number
    i = int(u * len(number))
    old = number[i]
    new = str((int(old) + by) % 10) if old.isdigit() else str(by)
    return number[:i] + new + number[i + 1 :]
