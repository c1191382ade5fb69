"""A tiny seeded population for linkage tests: a register of children and agency records of
some of them with typical errors, plus records of children the register does not hold."""

from __future__ import annotations

import datetime as dt
import random

import pyarrow as pa

from cumulus.core.identifiers import synthetic_nhs_number, synthetic_upn

FORENAMES = [
    "OLIVER", "AMELIA", "GEORGE", "ISLA", "HARRY", "AVA", "NOAH", "MIA", "JACK", "IVY",
    "LEO", "LILY", "ARTHUR", "ROSIE", "MUHAMMAD", "GRACE", "OSCAR", "FREYA", "CHARLIE", "EMILY",
    "THOMAS", "WILLIAM", "ELIZABETH", "JESSICA", "SAMUEL", "DANIEL", "KATHERINE", "REBECCA",
]  # fmt: skip
SURNAMES = [
    "SMITH", "JONES", "TAYLOR", "BROWN", "WILLIAMS", "WILSON", "JOHNSON", "DAVIES", "PATEL",
    "WRIGHT", "ROBINSON", "THOMPSON", "EVANS", "WALKER", "WHITE", "ROBERTS", "GREEN", "HALL",
    "WOOD", "JACKSON", "CLARKE", "KHAN", "LEWIS", "HUGHES", "HARRIS", "EDWARDS", "MARTIN",
]  # fmt: skip


def population(n: int = 400, seed: int = 7) -> tuple[pa.Table, pa.Table]:
    """``(register, records)``; ``records.true_id`` is the register id (or ``None``)."""
    rng = random.Random(seed)
    children = []
    for i in range(n):
        born = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(17 * 365))
        children.append(
            {
                "unique_id": f"C{i}",
                "forename": rng.choice(FORENAMES),
                "surname": rng.choice(SURNAMES),
                "date_of_birth": born,
                "sex": rng.choice("MF"),
                "postcode": f"EM{rng.randrange(1, 9)} {rng.randrange(1, 9)}{rng.choice('ABD')}"
                f"{rng.choice('EFG')}",
                "nhs_number": synthetic_nhs_number(rng),
                "upn": synthetic_upn(rng) if rng.random() < 0.7 else None,
            }
        )
    records = []
    for i, child in enumerate(children):
        for copy in range(2):
            record = dict(child, unique_id=f"R{i}-{copy}", true_id=child["unique_id"])
            if rng.random() < 0.5:
                record["nhs_number"] = None
            if rng.random() < 0.5:
                record["upn"] = None
            if rng.random() < 0.1:
                name = str(record["forename"])
                j = rng.randrange(1, len(name) - 1)
                record["forename"] = name[:j] + name[j + 1] + name[j] + name[j + 2 :]
            records.append(record)
    for i in range(n // 10):  # children the register has never seen
        records.append(
            {
                "unique_id": f"N{i}",
                "forename": rng.choice(FORENAMES),
                "surname": "NEWCOMBE",
                "date_of_birth": dt.date(2019, 1, 1) + dt.timedelta(days=i * 3),
                "sex": rng.choice("MF"),
                "postcode": "EM9 9ZZ",
                "nhs_number": synthetic_nhs_number(rng),
                "upn": None,
                "true_id": None,
            }
        )
    return pa.Table.from_pylist(children), pa.Table.from_pylist(records)
