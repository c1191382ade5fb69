"""Build CIN census files for tests from a valid child that breaks no rule.

``base_child()`` is a dict in the census's element order (``None`` leaves an element out);
tests change a copy and ``census_xml`` writes the file.
"""

from __future__ import annotations

import copy
import csv
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from cumulus.core.identifiers import upn_check_letter

REFERENCE_DATE = "2025-03-31"
CODELISTS = Path(__file__).resolve().parents[2] / "codelists" / "data"


def valid_upn(body: str = "938000000001") -> str:
    return upn_check_letter(body) + body


def base_child(la_child_id: str = "C001", upn_body: str = "938000000001") -> dict[str, Any]:
    return {
        "ChildIdentifiers": {
            "LAchildID": la_child_id,
            "UPN": valid_upn(upn_body),
            "FormerUPN": None,
            "UPNunknown": None,
            "PersonBirthDate": "2015-06-01",
            "ExpectedPersonBirthDate": None,
            "Sex": "F",
            "PersonDeathDate": None,
        },
        "ChildCharacteristics": {
            "Ethnicity": "WBRI",
            "Disabilities": {"Disability": ["NONE"]},
        },
        "CINdetails": [base_episode()],
    }


def base_episode() -> dict[str, Any]:
    return {
        "CINreferralDate": "2024-05-01",
        "ReferralSource": "1A",
        "PrimaryNeedCode": "N1",
        "CINclosureDate": "2025-01-15",
        "ReasonForClosure": "RC3",
        "DateOfInitialCPC": None,
        "Assessments": [
            {
                "AssessmentActualStartDate": "2024-05-02",
                "AssessmentInternalReviewDate": None,
                "AssessmentAuthorisationDate": "2024-06-10",
                "FactorsIdentifiedAtAssessment": {"AssessmentFactors": ["2B", "16A"]},
            }
        ],
        "CINPlanDates": [{"CINPlanStartDate": "2024-06-11", "CINPlanEndDate": "2024-07-01"}],
        "Section47": [
            {
                "S47ActualStartDate": "2024-07-02",
                "InitialCPCtarget": "2024-07-19",
                "DateOfInitialCPC": "2024-07-18",
                "ICPCnotRequired": "false",
            }
        ],
        "ReferralNFA": "false",
        "ChildProtectionPlans": [
            {
                "CPPstartDate": "2024-07-18",
                "CPPendDate": "2025-01-10",
                "InitialCategoryOfAbuse": "NEG",
                "LatestCategoryOfAbuse": "NEG",
                "NumberOfPreviousCPP": "0",
                "Reviews": {"CPPreviewDate": ["2024-10-10"]},
            }
        ],
    }


def clone(value: Any) -> Any:
    return copy.deepcopy(value)


def _element(tag: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "".join(_element(tag, item) for item in value)
    if isinstance(value, dict):
        inner = "".join(_element(k, v) for k, v in value.items())
        return f"<{tag}>{inner}</{tag}>"
    return f"<{tag}>{escape(str(value))}</{tag}>"


def census_xml(children: list[dict[str, Any]], *, reference_date: str = REFERENCE_DATE) -> bytes:
    body = "\n".join(_element("Child", child) for child in children)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Message><Header><CollectionDetails>'
        f"<Collection>CIN</Collection><Year>{reference_date[:4]}</Year>"
        f"<ReferenceDate>{reference_date}</ReferenceDate></CollectionDetails>"
        "<Source><SourceLevel>L</SourceLevel><LEA>999</LEA></Source></Header>\n"
        f"<Children>\n{body}\n</Children></Message>\n"
    ).encode()


def codes_from_csv() -> dict[str, frozenset[str]]:
    """The census code lists straight from the CSV files (no database needed)."""
    out = {}
    for name in (
        "ethnicity",
        "disability",
        "closure_reason",
        "primary_need",
        "referral_source",
        "category_of_abuse",
        "assessment_factor",
    ):
        with (CODELISTS / f"{name}.csv").open(encoding="utf-8") as f:
            out[name] = frozenset(row["code"] for row in csv.DictReader(f))
    return out
