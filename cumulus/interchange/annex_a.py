"""Ofsted Annex A: the lists inspectors ask for, as one XLSX workbook (openpyxl).

The lists and their columns come from ``specs/annex-a-merge.yml`` (liia-tools), so a change of
columns is a data change. Lists 1-8 are filled from people and casework for the six months
before ``as_of``; columns Cumulus does not hold are left blank, and lists 9-11 (care leavers,
adoption, adopters) have their headers only. Text cells are neutralised against formula
injection; answers use Annex A's lettered codes (``a) Male``, ``a) Yes``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db.models import Q
from openpyxl import Workbook

from cumulus.accounts.models import AgencyType
from cumulus.casework.models import Assessment, AssessmentType, Contact, Plan, PlanType, Referral
from cumulus.core import clock
from cumulus.core.spreadsheet import neutralise
from cumulus.people.models import Child, Involvement

SPEC = Path(__file__).resolve().parent / "specs" / "annex-a-merge.yml"
GENDER = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}
CATEGORY = {
    "NEG": "a) Neglect",
    "PHY": "b) Physical abuse",
    "SAB": "c) Sexual abuse",
    "EMO": "d) Emotional abuse",
    "MUL": "e) Multiple/not recommended",
}


def yes_no(value: bool) -> str:
    return "a) Yes" if value else "b) No"


@cache
def annex_a_lists() -> dict[str, list[str]]:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["datasources"]
    return {name: list(columns) for name, columns in spec.items()}


@dataclass
class AnnexAExport:
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return ", ".join(f"{name}: {n} rows" for name, n in self.rows.items())


def _age(child: Child, on: dt.date) -> int | None:
    return child.age_on(on)


def export_annex_a(*, path: Path, as_of: dt.date | None = None) -> AnnexAExport:
    """Write the workbook to ``path``; the period is the six months up to ``as_of``."""
    end = as_of or clock.today()
    start = end - dt.timedelta(days=183)
    lists = annex_a_lists()
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)

    children: dict[int, Child] = {}

    def child_of(child_id: int) -> Child:
        if child_id not in children:
            children[child_id] = (
                Child.objects.select_related("person", "ethnicity")
                .prefetch_related("disabilities")
                .get(pk=child_id)
            )
        return children[child_id]

    def base(child_id: int) -> dict[str, Any]:
        child = child_of(child_id)
        return {
            "Child Unique ID": child.la_child_id or f"CUM{child.pk}",
            "Gender": GENDER.get(child.person.sex, ""),
            "Ethnicity": child.ethnicity.code if child.ethnicity else "",
            "Date of Birth": child.person.date_of_birth,
            "Age of Child (Years)": _age(child, end),
            "Does the Child have a Disability": yes_no(
                any(d.code != "NONE" for d in child.disabilities.all())
            ),
        }

    allocated: dict[int, tuple[str, str]] = {}
    for inv in (
        Involvement.objects.filter(
            agency__agency_type=AgencyType.CHILDRENS_SOCIAL_CARE, started_on__lte=end
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .select_related("agency", "practitioner")
    ):
        allocated[inv.child_id] = (
            inv.agency.name,
            inv.practitioner.display_name if inv.practitioner else "",
        )

    def team(child_id: int) -> dict[str, str]:
        t, w = allocated.get(child_id, ("", ""))
        return {"Allocated Team": t, "Allocated Worker": w}

    for c in Contact.objects.filter(received_on__range=(start, end)).select_related("agency"):
        rows["List 1"].append(
            {**base(c.child_id), "Date of Contact": c.received_on, "Contact Source": c.agency.name}
        )
    in_period = Q(started_on__lte=end)
    for a in Assessment.objects.filter(in_period, assessment_type=AssessmentType.EARLY_HELP).filter(
        Q(authorised_on__isnull=True) | Q(authorised_on__gte=start)
    ):
        rows["List 2"].append(
            {
                **base(a.child_id),
                "Assessment start date": a.started_on,
                "Assessment completion date": a.authorised_on,
            }
        )
    referrals = list(
        Referral.objects.filter(referred_on__range=(start, end)).select_related("source")
    )
    by_child: dict[int, list[dt.date]] = defaultdict(list)
    for r in Referral.objects.filter(referred_on__range=(end - dt.timedelta(days=365), end)):
        by_child[r.child_id].append(r.referred_on)
    for r in referrals:
        rows["List 3"].append(
            {
                **base(r.child_id),
                "Date of referral": r.referred_on,
                "Referral Source": r.source.code,
                "Referral NFA?": yes_no(r.no_further_action),
                "Number of Referrals in Last 12 Months": len(by_child[r.child_id]),
                **team(r.child_id),
            }
        )
    for a in Assessment.objects.filter(
        in_period, assessment_type=AssessmentType.CHILD_AND_FAMILY
    ).filter(Q(authorised_on__isnull=True) | Q(authorised_on__gte=start)):
        rows["List 4"].append(
            {
                **base(a.child_id),
                "Continuous Assessment Start Date": a.started_on,
                "Continuous Assessment Date of Authorisation": a.authorised_on,
                **team(a.child_id),
            }
        )
    cp_starts = set(
        Plan.objects.filter(plan_type=PlanType.CHILD_PROTECTION).values_list(
            "child_id", "started_on"
        )
    )
    for a in Assessment.objects.filter(
        started_on__range=(start, end), assessment_type=AssessmentType.SECTION_47
    ):
        rows["List 5"].append(
            {
                **base(a.child_id),
                "Strategy discussion initiating Section 47 Enquiry Start Date": a.started_on,
                "Date of Initial Child Protection Conference": a.initial_conference_on,
                "Did the Initial Child Protection Conference Result in a Child Protection Plan": (
                    yes_no((a.child_id, a.initial_conference_on) in cp_starts)
                    if a.initial_conference_on
                    else ""
                ),
                **team(a.child_id),
            }
        )
    open_or_recent = Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    for r in (
        Referral.objects.filter(referred_on__lte=end, no_further_action=False)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
        .select_related("primary_need", "closure_reason")
    ):
        rows["List 6"].append(
            {
                **base(r.child_id),
                "CIN Start Date": r.referred_on,
                "Primary Need Code": r.primary_need.code if r.primary_need else "",
                "CIN Closure Date": r.closed_on,
                "Reason for Closure": r.closure_reason.code if r.closure_reason else "",
                **team(r.child_id),
            }
        )
    for p in (
        Plan.objects.filter(
            open_or_recent, started_on__lte=end, plan_type=PlanType.CHILD_PROTECTION
        )
        .select_related("initial_category", "latest_category")
        .prefetch_related("reviews")
    ):
        reviews = [rv.held_on for rv in p.reviews.all() if rv.held_on <= end]
        rows["List 7"].append(
            {
                **base(p.child_id),
                "Child Protection Plan Start Date": p.started_on,
                "Initial Category of Abuse": CATEGORY.get(
                    p.initial_category.code if p.initial_category else "", ""
                ),
                "Latest Category of Abuse": CATEGORY.get(
                    p.latest_category.code if p.latest_category else "", ""
                ),
                "Date of latest review conference": max(reviews) if reviews else None,
                "Child Protection Plan End Date": p.ended_on,
                "Number of Previous Child Protection Plans": p.number_of_previous_cp_plans,
                **team(p.child_id),
            }
        )
    for p in Plan.objects.filter(
        open_or_recent, started_on__lte=end, plan_type=PlanType.LOOKED_AFTER
    ):
        rows["List 8"].append(
            {
                **base(p.child_id),
                "Date Started to be Looked After": p.started_on,
                "Date Ceased to be Looked After": p.ended_on,
                **team(p.child_id),
            }
        )

    workbook = Workbook()
    workbook.remove(workbook.active)
    result = AnnexAExport()
    for name, columns in lists.items():
        sheet = workbook.create_sheet(title=name)
        sheet.append(columns)
        for row in rows.get(name, []):
            sheet.append([neutralise(row.get(column)) for column in columns])
        for cell in sheet[1]:
            cell.style = "Headline 4"
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
        result.rows[name] = len(rows.get(name, []))
    workbook.save(path)
    return result
