"""One test per DfE CIN census rule: a file that breaks it, and the valid file that does not.

The valid file (``cin_builder.base_child``) breaks no rule at all; each entry of ``BREAKS``
changes it so that the rule must fire. The rules run on the parsed XML, as on import.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from cumulus.interchange.cin.parse import child_from_element
from cumulus.interchange.cin.records import CensusContext
from cumulus.interchange.cin.rules import RULES, check_child, check_file
from cumulus.interchange.tests.cin_builder import (
    base_child,
    base_episode,
    census_xml,
    clone,
    codes_from_csv,
    valid_upn,
)

SPECS = Path(__file__).resolve().parents[1] / "specs"
Children = list[dict[str, Any]]


def ids(c: dict[str, Any]) -> dict[str, Any]:
    return c["ChildIdentifiers"]


def ep(c: dict[str, Any], n: int = 0) -> dict[str, Any]:
    return c["CINdetails"][n]


def first(c: dict[str, Any], module: str) -> dict[str, Any]:
    return ep(c)[module][0]


def _set(path: str, value: Any) -> Callable[[Children], None]:
    """Set ``module.field`` on the first child's first episode (or identifiers)."""

    def change(children: Children) -> None:
        c = children[0]
        module, field = path.split(".")
        if module == "ChildIdentifiers":
            ids(c)[field] = value
        elif module == "ChildCharacteristics":
            c["ChildCharacteristics"][field] = value
        elif module == "CINdetails":
            ep(c)[field] = value
        else:
            first(c, module)[field] = value

    return change


def _do(*changes: Callable[[Children], None]) -> Callable[[Children], None]:
    def change(children: Children) -> None:
        for ch in changes:
            ch(children)

    return change


def _nfa(children: Children) -> None:
    e = ep(children[0])
    e.update(ReferralNFA="true", Assessments=[], CINPlanDates=[], Section47=[])
    e["ChildProtectionPlans"] = []


def _second_episode(**fields: Any) -> Callable[[Children], None]:
    def change(children: Children) -> None:
        e = base_episode()
        e.update(Assessments=[], CINPlanDates=[], Section47=[], ChildProtectionPlans=[])
        e.update(fields)
        children[0]["CINdetails"].append(e)

    return change


def _add(module: str, **fields: Any) -> Callable[[Children], None]:
    def change(children: Children) -> None:
        item = clone(first(children[0], module))
        item.update(fields)
        ep(children[0])[module].append(item)

    return change


def _unborn(children: Children) -> None:
    ids(children[0]).update(
        PersonBirthDate=None,
        ExpectedPersonBirthDate="2025-06-01",
        Sex="U",
        UPN=None,
        UPNunknown="UN1",
    )


def _more_children(n: int, change: Callable[[dict[str, Any]], None] | None = None):
    def add(children: Children) -> None:
        for i in range(n):
            c = base_child(f"K{i:04d}", f"938{i:09d}")
            if change:
                change(c)
            children.append(c)

    return add


def _factors(*codes: str) -> Callable[[Children], None]:
    return _set("Assessments.FactorsIdentifiedAtAssessment", {"AssessmentFactors": list(codes)})


def _cp_only(children: Children) -> None:
    """Drop the CIN plan: a CP plan alone, so CP-plan rules can be broken on their own."""
    ep(children[0])["CINPlanDates"] = []


def _reference(date: str) -> Callable[[Children], None]:
    def change(children: Children) -> None:
        children[0]["__reference__"] = date

    return change


BREAKS: dict[str, Callable[[Children], None]] = {
    "100": _reference("2025-03-30"),
    "1103": _set("Assessments.AssessmentActualStartDate", "2024-04-30"),
    "1104": _do(
        _set("Section47.S47ActualStartDate", "2024-04-20"),
        _set("Section47.DateOfInitialCPC", "2024-04-25"),
    ),
    "1105": _set("ChildProtectionPlans.CPPstartDate", "2024-04-29"),
    "1510": _set("ChildIdentifiers.UPN", "A999000000001"),
    "1520": _more_children(1, lambda c: ids(c).update(UPN=valid_upn("938000000001"))),
    "1530": _set("ChildIdentifiers.UPN", valid_upn("999000000001")),
    "1540": _set("ChildIdentifiers.UPN", "A9990000X0001"),
    "1550": _set("ChildIdentifiers.UPN", "A99900000000I"),
    "1560Q": _set("ChildIdentifiers.FormerUPN", "12345"),
    "1570": _set("ChildIdentifiers.LAchildID", "C" * 21),
    "1580": _set("ChildIdentifiers.LAchildID", "C-001"),
    "2883": _add("ChildProtectionPlans", CPPstartDate="2025-02-01", CPPendDate="2025-02-20"),
    "2884": _set("CINdetails.DateOfInitialCPC", "2024-07-18"),
    "2885": _set("ChildProtectionPlans.CPPstartDate", "2024-07-19"),
    "2886Q": _more_children(60, lambda c: ids(c).update(Sex="U")),
    "2887Q": _more_children(120),
    "2888Q": _more_children(
        12, lambda c: c["ChildCharacteristics"].update(Disabilities={"Disability": ["HAND"]})
    ),
    "2889": _set("Section47.S47ActualStartDate", "2024-04-30"),
    "2990": _set("CINdetails.ReasonForClosure", "RC8"),
    "2991Q": _set("CINdetails.Assessments", []),
    "4000": _do(_nfa, _set("CINdetails.CINPlanDates", [{"CINPlanStartDate": "2024-06-11"}])),
    "4001": _set("CINPlanDates.CINPlanEndDate", "2024-08-01"),
    "4003": _set("CINPlanDates.CINPlanEndDate", "2024-11-01"),
    "4004": _do(
        _set("CINPlanDates.CINPlanEndDate", None),
        _add("CINPlanDates", CINPlanStartDate="2024-06-20", CINPlanEndDate=None),
    ),
    "4008": _set("ChildIdentifiers.PersonDeathDate", "2024-06-05"),
    "4009Q": _set("ChildIdentifiers.PersonDeathDate", "2024-06-20"),
    "4010": _set("CINPlanDates.CINPlanStartDate", "2025-04-01"),
    "4011": _set("CINPlanDates.CINPlanEndDate", "2024-06-01"),
    "4012Q": _set("CINPlanDates.CINPlanEndDate", "2024-06-11"),
    "4013": _do(
        _set("CINdetails.CINreferralDate", "2023-05-01"),
        _set("Assessments.AssessmentActualStartDate", "2023-05-02"),
        _set("Assessments.AssessmentAuthorisationDate", "2024-06-10"),
        _set("CINPlanDates.CINPlanStartDate", "2023-06-11"),
        _set("CINPlanDates.CINPlanEndDate", "2023-07-01"),
    ),
    "4014": _add("CINPlanDates", CINPlanStartDate="2024-06-20", CINPlanEndDate="2024-06-30"),
    "4015": _set("CINPlanDates.CINPlanStartDate", "2024-04-30"),
    "4016": _do(
        _set("CINPlanDates.CINPlanEndDate", None),
        _set("ChildProtectionPlans.CPPendDate", None),
        _set("CINdetails.CINclosureDate", None),
        _set("CINdetails.ReasonForClosure", None),
    ),
    "4017": _set("CINPlanDates.CINPlanStartDate", "2024-08-01"),
    "4180": _set("ChildIdentifiers.Sex", "1"),
    "4220": _set("ChildCharacteristics.Ethnicity", "XXXX"),
    "8500": _set("ChildIdentifiers.LAchildID", ""),
    "8510": _more_children(1, lambda c: ids(c).update(LAchildID="C001")),
    "8520": _set("ChildIdentifiers.PersonBirthDate", "2025-04-02"),
    "8525Q": _set("ChildIdentifiers.ExpectedPersonBirthDate", "2025-06-01"),
    "8530Q": _do(_unborn, _set("ChildIdentifiers.ExpectedPersonBirthDate", "2026-02-01")),
    "8535Q": _set("ChildIdentifiers.PersonDeathDate", "2015-05-01"),
    "8540": _set("ChildCharacteristics.Disabilities", {"Disability": ["WINGS"]}),
    "8545Q": _set("ChildIdentifiers.PersonDeathDate", "2025-05-01"),
    "8555Q": _set("ChildIdentifiers.PersonDeathDate", "2024-04-20"),
    "8565": _set("ChildProtectionPlans.CPPstartDate", "2025-01-20"),
    "8568": _set("CINdetails.ReferralNFA", "maybe"),
    "8569Q": _do(_nfa, _set("CINdetails.CINreferralDate", "2024-03-01")),
    "8585Q": _set("CINdetails.ReasonForClosure", "RC2"),
    "8590": _set("CINdetails.__all__", None),
    "8600": _set("CINdetails.CINreferralDate", "2025-04-01"),
    "8606": _set("ChildIdentifiers.PersonBirthDate", "2025-03-01"),
    "8608": _set("Assessments.AssessmentAuthorisationDate", "2024-05-01"),
    "8610": _set("CINdetails.PrimaryNeedCode", None),
    "8614": _set("Assessments.AssessmentAuthorisationDate", None),
    "8615": _set("Section47.DateOfInitialCPC", "2024-07-01"),
    "8620": _set("CINdetails.CINclosureDate", "2025-04-02"),
    "8630": _do(
        _set("CINdetails.CINreferralDate", "2025-02-01"),
        _set("CINdetails.CINclosureDate", "2025-01-15"),
    ),
    "8640": _set("CINdetails.ReasonForClosure", "RC99"),
    "8650": _set("CINdetails.PrimaryNeedCode", "N99"),
    "8670Q": _do(
        _set("Assessments.AssessmentAuthorisationDate", None),
        _set("Assessments.FactorsIdentifiedAtAssessment", None),
    ),
    "8675Q": _set("Section47.DateOfInitialCPC", None),
    "8696": _set("Assessments.AssessmentAuthorisationDate", "2025-04-10"),
    "8715": _set("Section47.DateOfInitialCPC", "2025-04-10"),
    "8720": _set("ChildProtectionPlans.CPPstartDate", "2025-04-05"),
    "8730": _set("ChildProtectionPlans.NumberOfPreviousCPP", None),
    "8736": _do(
        _set("Assessments.AssessmentActualStartDate", "2025-04-03"),
        _set("Assessments.AssessmentAuthorisationDate", None),
        _set("Assessments.FactorsIdentifiedAtAssessment", None),
    ),
    "8740": _do(
        _set("CINdetails.CINreferralDate", "2024-01-01"),
        _set("Section47.S47ActualStartDate", "2024-03-01"),
        _set("Section47.DateOfInitialCPC", None),
    ),
    "8750": _do(_unborn, _set("ChildIdentifiers.Sex", "F")),
    "8770Q": _set("ChildIdentifiers.UPN", None),
    "8772": _set("ChildIdentifiers.UPNunknown", "UN7"),
    "8775Q": _set("ChildIdentifiers.PersonBirthDate", "1990-01-01"),
    "8790": _set("ChildCharacteristics.Disabilities", {"Disability": ["NONE", "HAND"]}),
    "8794": _set("ChildCharacteristics.Disabilities", {"Disability": ["HAND", "HAND"]}),
    "8805": _set("CINdetails.ReasonForClosure", None),
    "8810": _set("CINdetails.CINclosureDate", None),
    "8815": _do(
        _set("CINdetails.CINclosureDate", None),
        _set("CINdetails.ReasonForClosure", None),
        _second_episode(CINreferralDate="2025-02-01", CINclosureDate=None, ReasonForClosure=None),
    ),
    "8816": _do(
        _set("CINdetails.CINclosureDate", None),
        _set("CINdetails.ReasonForClosure", None),
        _second_episode(CINreferralDate="2025-02-01"),
    ),
    "8820": _second_episode(CINreferralDate="2024-12-01", CINclosureDate="2025-02-01"),
    "8825Q": _do(
        _set("CINdetails.Assessments", []),
        _set("CINdetails.CINPlanDates", []),
        _set("CINdetails.Section47", []),
        _set("CINdetails.ChildProtectionPlans", []),
        _set("CINdetails.ReasonForClosure", "RC8"),
    ),
    "8831": _do(_set("CINdetails.ReferralNFA", "true")),
    "8832": _do(
        _nfa, _set("CINdetails.ChildProtectionPlans", base_episode()["ChildProtectionPlans"])
    ),
    "8839": _do(
        _set("CINdetails.CINclosureDate", None),
        _set("CINdetails.ReasonForClosure", None),
        _set("Section47.DateOfInitialCPC", None),
        _add("Section47", S47ActualStartDate="2025-03-20", DateOfInitialCPC=None),
    ),
    "8840": _set("ChildProtectionPlans.CPPendDate", "2024-07-18"),
    "8841": _set("ChildProtectionPlans.Reviews", {"CPPreviewDate": ["2024-07-18"]}),
    "8842Q": _set("ChildProtectionPlans.Reviews", {"CPPreviewDate": [""]}),
    "8863Q": _add("Assessments", AssessmentActualStartDate="2024-05-20"),
    "8866": _set("CINdetails.ReferralSource", "ZZ"),
    "8867": _do(
        _set("Assessments.AssessmentAuthorisationDate", None),
        _set("Assessments.FactorsIdentifiedAtAssessment", None),
    ),
    "8868": _set("Section47.DateOfInitialCPC", None),
    "8869": _factors("21", "2B"),
    "8870Q": _set("Section47.InitialCPCtarget", "2024-07-20"),
    "8873Q": _do(
        _factors("21"),
        _set("CINdetails.CINPlanDates", []),
        _set("CINdetails.Section47", []),
        _set("CINdetails.ChildProtectionPlans", []),
    ),
    "8875": _do(
        _set("Section47.DateOfInitialCPC", "2024-07-20"),
        _set("ChildProtectionPlans.CPPstartDate", "2024-07-20"),
    ),
    "8890": _add("Section47", S47ActualStartDate="2024-07-10", DateOfInitialCPC="2024-07-18"),
    "8896": _do(
        _set("Assessments.AssessmentAuthorisationDate", None),
        _set("Assessments.FactorsIdentifiedAtAssessment", None),
        _add("Assessments", AssessmentActualStartDate="2024-05-20"),
    ),
    "8897Q": _set("Assessments.FactorsIdentifiedAtAssessment", None),
    "8898": _factors("2B", "2B"),
    "8905": _set("ChildProtectionPlans.InitialCategoryOfAbuse", "BAD"),
    "8910": _set("ChildProtectionPlans.LatestCategoryOfAbuse", ""),
    "8915": _set("ChildIdentifiers.PersonDeathDate", "2024-07-17"),
    "8920": _do(_cp_only, _set("ChildIdentifiers.PersonDeathDate", "2024-12-01")),
    "8925": _set("ChildProtectionPlans.CPPendDate", "2024-07-01"),
    "8930": _do(
        _set("ChildProtectionPlans.CPPendDate", "2025-04-10"),
        _set("CINdetails.CINclosureDate", None),
        _set("CINdetails.ReasonForClosure", None),
    ),
    "8935": _do(
        _set("ChildProtectionPlans.CPPendDate", None),
        _add("ChildProtectionPlans", CPPstartDate="2024-12-01", CPPendDate=None),
    ),
    "8940": _add("ChildProtectionPlans", CPPstartDate="2024-12-01", CPPendDate="2025-01-05"),
    "8945Q": _factors("18A"),
    "8950Q": _factors("19A"),
}


def run_rules(children: Children) -> set[str]:
    """Parse the file the children make and return every rule code it breaks."""
    reference = "2025-03-31"
    for c in children:
        reference = c.pop("__reference__", reference)
        if c.get("CINdetails") and "__all__" in c["CINdetails"][0]:
            c["CINdetails"] = []
    data = census_xml(children, reference_date=reference)
    root = etree.fromstring(data)
    records = [child_from_element(el, version="2024-25") for el in root.iterfind("Children/Child")]
    ctx = CensusContext(reference_date=dt.date.fromisoformat(reference), codes=codes_from_csv())
    found: set[str] = set()
    errors, queries, whole = check_file(records, ctx)
    found |= {f.rule for fs in (*errors.values(), *queries.values()) for f in fs}
    found |= {f.rule for f in whole}
    for record in records:
        e, q = check_child(record, ctx)
        found |= {f.rule for f in (*e, *q)}
    return found


def test_the_valid_file_breaks_no_rule():
    assert run_rules([base_child()]) == set()


def test_every_implemented_rule_has_a_breaking_file():
    assert set(BREAKS) == set(RULES)


@pytest.mark.parametrize("code", sorted(BREAKS))
def test_rule_fires_on_a_file_that_breaks_it(code):
    children = [base_child()]
    BREAKS[code](children)
    assert code in run_rules(children)


@pytest.mark.parametrize("code", sorted(BREAKS))
def test_rule_is_silent_on_the_valid_file(code):
    children = [base_child()]
    if code in {"2886Q", "2887Q", "2888Q"}:  # file-level: a valid file of the same size
        _more_children({"2886Q": 60, "2887Q": 120, "2888Q": 12}[code])(children)
        for i, c in enumerate(children):
            c["ChildCharacteristics"]["Disabilities"] = {
                "Disability": ["HAND", "HEAR"]
                if code == "2888Q"
                else [["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH"][i % 9]]
            }
    assert code not in run_rules(children)


def test_every_rule_quotes_dfe_code_module_type_and_message():
    with (SPECS / "cin_rules_2025_26.tsv").open(encoding="utf-8") as f:
        dfe = {row["code"]: row for row in csv.DictReader(f, delimiter="\t")}
    for code, rule in RULES.items():
        assert code in dfe, code
        assert rule.message == dfe[code]["message"], code
        assert rule.module == dfe[code]["module"], code
        assert rule.severity == dfe[code]["type"], code
