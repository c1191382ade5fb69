"""SSDA903 export: children looked after at any time in the year ending 31 March, as CSV tables.

Episodes are the looked-after plans overlapping the year; dates after 31 March are left out.
Codes Cumulus does not model come back from what was imported (``SourceRecord.extras``) or are
left blank (and the import of such a file warns about them). Every cell is neutralised against
spreadsheet formula injection.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Q

from cumulus.casework.models import Plan, PlanType, Review
from cumulus.core.spreadsheet import neutralise
from cumulus.interchange.models import BatchKind, SourceRecord
from cumulus.interchange.ssda903.files import TABLES
from cumulus.people.models import Child

SEX_TO_903 = {"M": "1", "F": "2"}


@dataclass
class Ssda903Export:
    rows: dict[str, int] = field(default_factory=dict)
    children_selected: int = 0
    left_out: dict[str, str] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        written = self.children_selected - len(self.left_out)
        tables = ", ".join(f"{t} {n}" for t, n in self.rows.items())
        return (
            f"read {self.children_selected}, accepted {written}, "
            f"quarantined {len(self.left_out)} ({tables})"
        )


def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def export_ssda903(*, year: int, directory: Path) -> Ssda903Export:
    reference = dt.date(year, 3, 31)
    start = dt.date(year - 1, 4, 1)
    plans = list(
        Plan.objects.filter(plan_type=PlanType.LOOKED_AFTER, started_on__lte=reference)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .order_by("child_id", "started_on")
    )
    by_child: dict[int, list[Plan]] = defaultdict(list)
    for p in plans:
        by_child[p.child_id].append(p)
    children = Child.objects.filter(pk__in=by_child).select_related("person", "ethnicity")
    extras = {
        s.child_id: s.extras
        for s in SourceRecord.objects.filter(kind=BatchKind.SSDA903, child_id__in=list(by_child))
    }
    reviews: dict[int, list[dt.date]] = defaultdict(list)
    for plan_id, held_on in Review.objects.filter(
        plan__in=plans, held_on__gte=start, held_on__lte=reference
    ).values_list("plan_id", "held_on"):
        reviews[plan_id].append(held_on)
    result = Ssda903Export(children_selected=len(by_child))
    tables: dict[str, list[dict[str, str]]] = {t: [] for t in TABLES}
    for child in sorted(children, key=lambda c: c.la_child_id or str(c.pk)):
        key = child.la_child_id or ""
        if not key or child.person.sex not in SEX_TO_903 or child.person.date_of_birth is None:
            result.left_out[key or f"child {child.pk}"] = (
                "903 needs an LA child id, a date of birth and sex M or F"
            )
            continue
        extra = extras.get(child.pk, {})
        dob = _d(child.person.date_of_birth)
        head = extra.get("header", {})
        tables["header"].append(
            {
                "CHILD": key,
                "SEX": SEX_TO_903[child.person.sex],
                "DOB": dob,
                "ETHNIC": child.ethnicity.code if child.ethnicity else "",
                "UPN": child.upn or head.get("UPN", ""),
                "MOTHER": head.get("MOTHER", ""),
                "MC_DOB": head.get("MC_DOB", ""),
            }
        )
        for plan in by_child[child.pk]:
            ep_extra = extra.get("episodes", {}).get(plan.started_on.isoformat(), {})
            ended = plan.ended_on if plan.ended_on and plan.ended_on <= reference else None
            row = {"CHILD": key, "DECOM": _d(plan.started_on), "DEC": _d(ended)}
            for column in TABLES["episodes"]:
                if column not in row:
                    row[column] = ep_extra.get(column, "")
            if not ended:
                row["REC"] = ""
            elif not row["REC"]:
                row["REC"] = "E8" if plan.end_reason else ""
            tables["episodes"].append(row)
            for day in sorted(reviews.get(plan.pk, [])):
                tables["reviews"].append(
                    {
                        "CHILD": key,
                        "DOB": dob,
                        "REVIEW": _d(day),
                        "REVIEW_CODE": extra.get("reviews", {}).get(day.isoformat(), "PN0"),
                    }
                )
        for table, rows in extra.get("tables", {}).items():
            tables[table].extend(rows)
    for table, rows in tables.items():
        with (directory / f"{table}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=TABLES[table], extrasaction="ignore")
            writer.writeheader()
            writer.writerows({k: neutralise(v) for k, v in r.items()} for r in rows)
        result.rows[table] = len(rows)
    return result
