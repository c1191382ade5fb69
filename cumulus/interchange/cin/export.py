"""CIN census export: the casework model as at 31 March of a collection year, as XML.

A child is in the return when one of their referrals was open at any time in the year
(1 April to 31 March). Each module is cut to the year the way the census sees it: anything after
the reference date is left out (a plan ending in May is open at 31 March), and modules that
ended before the year began are not returned. The file is checked against the XSD and every
rule before it is written; children that break an ERROR rule are left out and listed with
their reasons, so the file DfE receives is one it accepts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from lxml import etree

from cumulus.casework.models import Assessment, AssessmentType, Plan, PlanType, Referral, Review
from cumulus.core import clock
from cumulus.core.working_days import add_working_days
from cumulus.interchange.batches import Finding
from cumulus.interchange.cin.handler import census_context, code_ids
from cumulus.interchange.cin.parse import child_from_element, schema
from cumulus.interchange.cin.records import CensusContext
from cumulus.interchange.cin.rules import check_child, check_file
from cumulus.interchange.models import BatchKind, SourceRecord
from cumulus.people.models import Child

CHUNK = 2000


@dataclass
class ExportResult:
    xml: bytes
    children_selected: int = 0
    children_written: int = 0
    children_warned: int = 0
    left_out: dict[str, list[Finding]] = field(default_factory=dict)
    file_queries: list[Finding] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return (
            f"read {self.children_selected}, accepted {self.children_written} "
            f"(warned {self.children_warned}), quarantined {len(self.left_out)}"
        )


def reference_date_for(year: int) -> dt.date:
    """``--year 2025`` is the collection year ending 31 March 2025."""
    return dt.date(year, 3, 31)


def _d(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _sub(parent: etree._Element, tag: str, text: str | None) -> None:
    if text is not None and text != "":
        etree.SubElement(parent, tag).text = text


def export_census(*, year: int, lea: str = "999") -> ExportResult:
    """Build the CIN census file for the year ending 31 March ``year``."""
    reference = reference_date_for(year)
    start = dt.date(year - 1, 4, 1)
    codes = code_ids()
    ctx = census_context({"reference_date": reference.isoformat()}, codes)
    names = {kind: {pk: code for code, pk in values.items()} for kind, values in codes.items()}

    in_year = Q(referred_on__lte=reference) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    child_ids = list(
        Referral.objects.filter(in_year).values_list("child_id", flat=True).distinct().order_by()
    )
    child_ids.sort()
    root = etree.Element("Message")
    header = etree.SubElement(root, "Header")
    details = etree.SubElement(header, "CollectionDetails")
    _sub(details, "Collection", "CIN")
    _sub(details, "Year", str(year))
    _sub(details, "ReferenceDate", reference.isoformat())
    source = etree.SubElement(header, "Source")
    _sub(source, "SourceLevel", "L")
    _sub(source, "LEA", lea)
    _sub(source, "SoftwareCode", "Cumulus")
    _sub(source, "Release", "1")
    _sub(source, "SerialNo", "001")
    _sub(source, "DateTime", clock.now().replace(microsecond=0, tzinfo=None).isoformat())
    children_el = etree.SubElement(root, "Children")

    result = ExportResult(xml=b"", children_selected=len(child_ids))
    elements: list[etree._Element] = []
    for offset in range(0, len(child_ids), CHUNK):
        chunk = child_ids[offset : offset + CHUNK]
        elements.extend(_children(chunk, reference, start, in_year, names))
    records = [child_from_element(el, version="2024-25") for el in elements]
    file_errors, file_queries, whole = check_file(records, ctx)
    result.file_queries = whole
    for index, (el, record) in enumerate(zip(elements, records, strict=True)):
        errors, queries = check_child(record, ctx)
        errors += file_errors.get(index, [])
        queries += file_queries.get(index, [])
        if errors:
            result.left_out[record.la_child_id or f"child {index + 1}"] = errors
            continue
        children_el.append(el)
        result.children_written += 1
        result.children_warned += bool(queries)
    schema("2024-25").assertValid(etree.ElementTree(root)) if len(children_el) else None
    result.xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return result


def _children(
    child_ids: list[int],
    reference: dt.date,
    start: dt.date,
    in_year: Q,
    names: dict[str, dict[int, str]],
) -> list[etree._Element]:
    children = Child.objects.filter(pk__in=child_ids).select_related("person").order_by("pk")
    disabilities: dict[int, list[str]] = defaultdict(list)
    through = Child.disabilities.through
    for child_id, code_id in through.objects.filter(child_id__in=child_ids).values_list(
        "child_id", "code_id"
    ):
        disabilities[child_id].append(names["disability"][code_id])
    referrals: dict[int, list[Referral]] = defaultdict(list)
    for referral in Referral.objects.filter(in_year, child_id__in=child_ids).order_by(
        "referred_on", "pk"
    ):
        referrals[referral.child_id].append(referral)
    referral_ids = [r.pk for rs in referrals.values() for r in rs]
    assessments: dict[int, list[Assessment]] = defaultdict(list)
    factors: dict[int, list[str]] = defaultdict(list)
    plans: dict[int, list[Plan]] = defaultdict(list)
    reviews: dict[int, list[dt.date]] = defaultdict(list)
    for start_ in range(0, len(referral_ids), 900):
        ids = referral_ids[start_ : start_ + 900]
        chunk_assessments = list(
            Assessment.objects.filter(referral_id__in=ids, started_on__lte=reference).order_by(
                "started_on", "pk"
            )
        )
        for a in chunk_assessments:
            assert a.referral_id is not None
            assessments[a.referral_id].append(a)
        ftrough = Assessment.factors.through
        for assessment_id, code_id in ftrough.objects.filter(
            assessment_id__in=[a.pk for a in chunk_assessments]
        ).values_list("assessment_id", "code_id"):
            factors[assessment_id].append(names["assessment_factor"][code_id])
        chunk_plans = list(
            Plan.objects.filter(referral_id__in=ids, started_on__lte=reference)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
            .order_by("started_on", "pk")
        )
        for p in chunk_plans:
            assert p.referral_id is not None
            plans[p.referral_id].append(p)
        for plan_id, held_on in Review.objects.filter(
            plan_id__in=[p.pk for p in chunk_plans], held_on__gte=start, held_on__lte=reference
        ).values_list("plan_id", "held_on"):
            reviews[plan_id].append(held_on)
    extras: dict[int, dict[str, Any]] = {
        s.child_id: s.extras
        for s in SourceRecord.objects.filter(kind=BatchKind.CIN_CENSUS, child_id__in=child_ids)
        if s.child_id is not None
    }

    out = []
    for child in children:
        extra = extras.get(child.pk, {})
        el = etree.Element("Child")
        ids = etree.SubElement(el, "ChildIdentifiers")
        _sub(ids, "LAchildID", child.la_child_id or f"CUM{child.pk}")
        _sub(ids, "UPN", child.upn)
        _sub(ids, "FormerUPN", extra.get("former_upn"))
        _sub(ids, "UPNunknown", extra.get("upn_unknown"))
        _sub(ids, "PersonBirthDate", _d(child.person.date_of_birth))
        _sub(ids, "ExpectedPersonBirthDate", _d(child.expected_birth_on))
        _sub(ids, "Sex", child.person.sex)
        _sub(ids, "PersonDeathDate", extra.get("death_date"))
        chars = etree.SubElement(el, "ChildCharacteristics")
        _sub(chars, "Ethnicity", names["ethnicity"].get(child.ethnicity_id or 0, ""))
        if disabilities.get(child.pk):
            dis = etree.SubElement(chars, "Disabilities")
            for code in sorted(disabilities[child.pk]):
                _sub(dis, "Disability", code)
        for referral in referrals.get(child.pk, []):
            ep_extra = extra.get("episodes", {}).get(referral.referred_on.isoformat(), {})
            el.append(
                _episode(
                    referral,
                    reference,
                    assessments.get(referral.pk, []),
                    factors,
                    plans.get(referral.pk, []),
                    reviews,
                    names,
                    ep_extra,
                )
            )
        out.append(el)
    return out


def _after(day: dt.date | None, reference: dt.date) -> dt.date | None:
    """A date the census may not see yet is no date at all."""
    return day if day is not None and day <= reference else None


def _episode(
    referral: Referral,
    reference: dt.date,
    assessments: list[Assessment],
    factors: dict[int, list[str]],
    plans: list[Plan],
    reviews: dict[int, list[dt.date]],
    names: dict[str, dict[int, str]],
    extra: dict[str, Any],
) -> etree._Element:
    start = dt.date(reference.year - 1, 4, 1)
    ep = etree.Element("CINdetails")
    closed_on = _after(referral.closed_on, reference)
    _sub(ep, "CINreferralDate", _d(referral.referred_on))
    _sub(ep, "ReferralSource", names["referral_source"].get(referral.source_id, ""))
    _sub(ep, "PrimaryNeedCode", names["primary_need"].get(referral.primary_need_id or 0))
    _sub(ep, "CINclosureDate", _d(closed_on))
    if closed_on:
        _sub(ep, "ReasonForClosure", names["closure_reason"].get(referral.closure_reason_id or 0))
    _sub(ep, "DateOfInitialCPC", extra.get("icpc_date"))
    a_extra = extra.get("assessments", {})
    s47_extra = extra.get("section47", {})
    for a in assessments:
        if a.assessment_type != AssessmentType.CHILD_AND_FAMILY:
            continue
        authorised = _after(a.authorised_on, reference)
        if authorised is not None and authorised < start:
            continue
        block = etree.SubElement(ep, "Assessments")
        _sub(block, "AssessmentActualStartDate", _d(a.started_on))
        _sub(
            block,
            "AssessmentInternalReviewDate",
            a_extra.get(a.started_on.isoformat(), {}).get("internal_review"),
        )
        _sub(block, "AssessmentAuthorisationDate", _d(authorised))
        if authorised and factors.get(a.pk):
            fia = etree.SubElement(block, "FactorsIdentifiedAtAssessment")
            for code in sorted(factors[a.pk]):
                _sub(fia, "AssessmentFactors", code)
    for p in plans:
        if p.plan_type == PlanType.CHILD_IN_NEED:
            block = etree.SubElement(ep, "CINPlanDates")
            _sub(block, "CINPlanStartDate", _d(p.started_on))
            _sub(block, "CINPlanEndDate", _d(_after(p.ended_on, reference)))
    for a in assessments:
        if a.assessment_type != AssessmentType.SECTION_47:
            continue
        conference = _after(a.initial_conference_on, reference)
        if conference is not None and conference < start:
            continue
        s_extra = s47_extra.get(a.started_on.isoformat())
        if s_extra is None:
            # Cumulus records no "ICPC not required" flag: an enquiry with no conference that
            # started before the year, or more than 15 working days before its end, concluded
            # without one.
            if conference is None and a.started_on < start:
                continue
            not_required = conference is None and a.started_on < add_working_days(reference, -15)
            s_extra = {"icpc_target": None, "icpc_not_required": not_required}
        block = etree.SubElement(ep, "Section47")
        _sub(block, "S47ActualStartDate", _d(a.started_on))
        _sub(block, "InitialCPCtarget", s_extra.get("icpc_target"))
        _sub(block, "DateOfInitialCPC", _d(conference))
        _sub(block, "ICPCnotRequired", "true" if s_extra.get("icpc_not_required") else "false")
    _sub(ep, "ReferralNFA", "true" if referral.no_further_action else "false")
    for p in plans:
        if p.plan_type != PlanType.CHILD_PROTECTION:
            continue
        block = etree.SubElement(ep, "ChildProtectionPlans")
        _sub(block, "CPPstartDate", _d(p.started_on))
        _sub(block, "CPPendDate", _d(_after(p.ended_on, reference)))
        _sub(
            block,
            "InitialCategoryOfAbuse",
            names["category_of_abuse"].get(p.initial_category_id or 0),
        )
        _sub(
            block,
            "LatestCategoryOfAbuse",
            names["category_of_abuse"].get(p.latest_category_id or 0),
        )
        _sub(block, "NumberOfPreviousCPP", str(p.number_of_previous_cp_plans or 0))
        if reviews.get(p.pk):
            rev = etree.SubElement(block, "Reviews")
            for day in sorted(set(reviews[p.pk])):
                _sub(rev, "CPPreviewDate", day.isoformat())
    for pp in extra.get("pre_proceedings", []):
        ep.append(etree.fromstring(pp))
    return ep


def census_context_for(year: int) -> CensusContext:
    return census_context({"reference_date": reference_date_for(year).isoformat()}, code_ids())
