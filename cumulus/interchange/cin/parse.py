"""Reading a CIN census file safely: size limit, no DTD or entities, XSD, then records.

lxml parses with ``resolve_entities=False``, ``no_network=True``, ``load_dtd=False`` and
without ``huge_tree``; any ``<!DOCTYPE`` or ``<!ENTITY`` declaration refuses the file before
parsing, so external entities and "billion laughs" never expand. Schema errors are attributed
to the ``<Child>`` they fall in (by source line) and quarantine that child only; errors in the
header refuse the file.
"""

from __future__ import annotations

import bisect
import datetime as dt
from functools import cache
from pathlib import Path

from django.conf import settings
from lxml import etree

from cumulus.interchange.batches import FileRejectedError, Finding, ParsedFile, SourceItem
from cumulus.interchange.cin.records import (
    AssessmentRecord,
    ChildRecord,
    CinPlanRecord,
    CpPlanRecord,
    EpisodeRecord,
    Section47Record,
)

SPECS = Path(__file__).resolve().parent.parent / "specs"
SCHEMA_FILES = {"2023-24": "CIN_schema_2024.xsd", "2024-25": "CIN_schema_2025_26.xsd"}
GENDER_TO_SEX = {"1": "M", "2": "F", "0": "U", "9": "U"}
DEFAULT_MAX_BYTES = 256 * 1024 * 1024


@cache
def schema(version: str) -> etree.XMLSchema:
    """The XSD for a schema version: ``2023-24`` (GenderCurrent) or ``2024-25`` onwards (Sex)."""
    return etree.XMLSchema(etree.parse(str(SPECS / SCHEMA_FILES[version])))


def max_bytes() -> int:
    return int(getattr(settings, "CUMULUS_INTERCHANGE_MAX_BYTES", DEFAULT_MAX_BYTES))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def read_document(data: bytes) -> etree._Element:
    """Parse ``data`` into a tree, or refuse it with a reason a person can act on."""
    if len(data) > max_bytes():
        raise FileRejectedError(
            f"The file is {len(data):,} bytes; the limit is {max_bytes():,} bytes"
        )
    if not data.strip():
        raise FileRejectedError("The file is empty")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise FileRejectedError(
            "The file declares a DOCTYPE or entities; CIN census files must not (refused for "
            "safety: external entities and entity expansion)"
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise FileRejectedError(f"The file is not well-formed XML: {exc}") from exc
    except ValueError as exc:
        raise FileRejectedError(f"The file cannot be read as XML: {exc}") from exc
    if root is None or not isinstance(root.tag, str) or root.tag != "Message":
        tag = getattr(root, "tag", None)
        raise FileRejectedError(f"The root element must be <Message>, not <{tag}>")
    return root


def schema_version(root: etree._Element) -> str:
    return (
        "2023-24"
        if root.find("Children/Child/ChildIdentifiers/GenderCurrent") is not None
        else ("2024-25")
    )


def _text(el: etree._Element | None) -> str:
    if el is None or el.text is None:
        return ""
    return el.text.strip()


def _date(el: etree._Element | None) -> dt.date | None:
    text = _text(el)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) == 10 else None
    except ValueError:
        return None


def _yes_no(el: etree._Element | None) -> bool | None:
    text = _text(el).lower()
    if text in {"true", "1"}:
        return True
    if text in {"false", "0"}:
        return False
    return None


def _int(el: etree._Element | None) -> int | None:
    text = _text(el)
    return int(text) if text.isdigit() and len(text) < 6 else None


def _line(el: etree._Element) -> int:
    return int(el.sourceline or 0)


def child_from_element(el: etree._Element, *, version: str) -> ChildRecord:
    ids = el.find("ChildIdentifiers")
    chars = el.find("ChildCharacteristics")
    sex_raw = (
        _text(ids.find("GenderCurrent" if version == "2023-24" else "Sex"))
        if ids is not None
        else ""
    )
    sex = GENDER_TO_SEX.get(sex_raw, sex_raw) if version == "2023-24" else sex_raw
    child = ChildRecord(
        la_child_id=_text(ids.find("LAchildID")) if ids is not None else "",
        upn=_text(ids.find("UPN")) if ids is not None else "",
        former_upn=_text(ids.find("FormerUPN")) if ids is not None else "",
        upn_unknown=_text(ids.find("UPNunknown")) if ids is not None else "",
        birth_date=_date(ids.find("PersonBirthDate")) if ids is not None else None,
        expected_birth_date=_date(ids.find("ExpectedPersonBirthDate")) if ids is not None else None,
        sex=sex,
        death_date=_date(ids.find("PersonDeathDate")) if ids is not None else None,
        ethnicity=_text(chars.find("Ethnicity")) if chars is not None else "",
        disabilities=[
            _text(d) for d in el.iterfind("ChildCharacteristics/Disabilities/Disability")
        ],
        line=_line(el),
    )
    for ep in el.iterfind("CINdetails"):
        episode = EpisodeRecord(
            referral_date=_date(ep.find("CINreferralDate")),
            source=_text(ep.find("ReferralSource")),
            primary_need=_text(ep.find("PrimaryNeedCode")),
            closure_date=_date(ep.find("CINclosureDate")),
            closure_reason=_text(ep.find("ReasonForClosure")),
            icpc_date=_date(ep.find("DateOfInitialCPC")),
            nfa=_yes_no(ep.find("ReferralNFA")),
            line=_line(ep),
        )
        for a in ep.iterfind("Assessments"):
            episode.assessments.append(
                AssessmentRecord(
                    start=_date(a.find("AssessmentActualStartDate")),
                    internal_review=_date(a.find("AssessmentInternalReviewDate")),
                    authorised=_date(a.find("AssessmentAuthorisationDate")),
                    factors=[
                        _text(f)
                        for f in a.iterfind("FactorsIdentifiedAtAssessment/AssessmentFactors")
                    ],
                    line=_line(a),
                )
            )
        for p in ep.iterfind("CINPlanDates"):
            episode.cin_plans.append(
                CinPlanRecord(
                    start=_date(p.find("CINPlanStartDate")),
                    end=_date(p.find("CINPlanEndDate")),
                    line=_line(p),
                )
            )
        for s in ep.iterfind("Section47"):
            episode.section47s.append(
                Section47Record(
                    start=_date(s.find("S47ActualStartDate")),
                    icpc_target=_date(s.find("InitialCPCtarget")),
                    icpc_date=_date(s.find("DateOfInitialCPC")),
                    icpc_not_required=_yes_no(s.find("ICPCnotRequired")),
                    line=_line(s),
                )
            )
        for c in ep.iterfind("ChildProtectionPlans"):
            episode.cp_plans.append(
                CpPlanRecord(
                    start=_date(c.find("CPPstartDate")),
                    end=_date(c.find("CPPendDate")),
                    initial_category=_text(c.find("InitialCategoryOfAbuse")),
                    latest_category=_text(c.find("LatestCategoryOfAbuse")),
                    previous_plans=_int(c.find("NumberOfPreviousCPP")),
                    reviews=[_date(r) for r in c.iterfind("Reviews/CPPreviewDate")],
                    line=_line(c),
                )
            )
        for pp in ep.iterfind("PreProceedingsandFGDM"):
            episode.pre_proceedings.append(etree.tostring(pp, encoding="unicode").strip())
        child.episodes.append(episode)
    return child


def header_meta(root: etree._Element) -> dict[str, str]:
    header = root.find("Header")
    if header is None:
        return {}
    return {
        "collection": _text(header.find("CollectionDetails/Collection")),
        "year": _text(header.find("CollectionDetails/Year")),
        "reference_date": _text(header.find("CollectionDetails/ReferenceDate")),
        "lea": _text(header.find("Source/LEA")),
        "software_code": _text(header.find("Source/SoftwareCode")),
        "release": _text(header.find("Source/Release")),
        "serial_no": _text(header.find("Source/SerialNo")),
        "date_time": _text(header.find("Source/DateTime")),
    }


def parse_census(data: bytes) -> ParsedFile:
    """Parse and schema-check a CIN census file into one ``SourceItem`` per child."""
    root = read_document(data)
    version = schema_version(root)
    meta: dict[str, object] = {"schema": version, **header_meta(root)}
    children = list(root.iterfind("Children/Child"))
    if not children:
        raise FileRejectedError("The file has no <Children>/<Child> records")
    starts = [_line(c) for c in children]
    findings: dict[int, list[Finding]] = {}
    xsd = schema(version)
    if not xsd.validate(root):
        header_errors: list[str] = []
        first_child_line = starts[0]
        for error in xsd.error_log:
            if error.line < first_child_line:
                header_errors.append(f"line {error.line}: {error.message}")
                continue
            index = max(bisect.bisect_right(starts, error.line) - 1, 0)
            findings.setdefault(index, []).append(
                Finding(
                    rule="XSD",
                    message=error.message,
                    field=(error.path or "").rsplit("/", 1)[-1],
                    location=f"line {error.line}, {_short_path(error.path)}",
                )
            )
        if header_errors:
            raise FileRejectedError(
                "The header does not match the CIN census schema: " + "; ".join(header_errors[:5])
            )
    items: list[SourceItem] = []
    for index, el in enumerate(children):
        record = child_from_element(el, version=version)
        payload = etree.tostring(el, encoding="unicode", with_tail=False)
        items.append(
            SourceItem(
                key=record.la_child_id or f"line {starts[index]}",
                location=f"line {starts[index]}, <Child>",
                payload=payload,
                data=record,
            )
        )
    return ParsedFile(items=items, meta=meta, findings=findings)


def _short_path(path: str | None) -> str:
    """``/Message/Children/Child[3]/CINdetails/...`` -> ``Child[3]/CINdetails/...``."""
    if not path:
        return ""
    return path.split("/Children/", 1)[-1]
