# ruff: noqa: RUF001  (DfE's messages are quoted verbatim, curly quotes included)
"""The DfE CIN census validation rules, one registry entry per rule.

Each rule has its DfE code, the module it belongs to, ERROR or QUERY, and DfE's message
(quoted from ``specs/cin_rules_2025_26.tsv``, which a test compares). A rule function takes
one child and the census context and yields ``Hit``s: the field, the value and the line. An
ERROR quarantines the child; a QUERY accepts it with a warning. Rules across the whole file
(duplicate ids, percentages) are ``file_rule``s.

    @rule("8500", "ChildIdentifiers", "LA Child ID missing")
    def _(child, ctx):
        if not child.la_child_id:
            yield Hit("LAchildID", "", child.line)
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from cumulus.core.identifiers import UPN_ALPHABET, UPN_LA_CODES, upn_check_letter
from cumulus.core.working_days import add_working_days
from cumulus.interchange.batches import Finding
from cumulus.interchange.cin.records import (
    CensusContext,
    ChildRecord,
    CpPlanRecord,
    EpisodeRecord,
)

ERROR = "ERROR"
QUERY = "QUERY"


@dataclass(frozen=True)
class Hit:
    field: str
    value: object
    line: int


RuleCheck = Callable[[ChildRecord, CensusContext], Iterable[Hit]]
FileCheck = Callable[[list[ChildRecord], CensusContext], Iterable[tuple[int | None, Hit]]]


@dataclass(frozen=True)
class Rule:
    code: str
    module: str
    message: str
    severity: str
    check: RuleCheck | None = None
    file_check: FileCheck | None = None

    def finding(self, hit: Hit) -> Finding:
        value = hit.value.isoformat() if isinstance(hit.value, dt.date) else str(hit.value)
        return Finding(
            rule=self.code,
            message=self.message,
            field=hit.field,
            value=value if hit.value is not None else "",
            location=f"line {hit.line}, {hit.field}" if hit.line else hit.field,
        )


RULES: dict[str, Rule] = {}


def _register(rule_: Rule) -> None:
    if rule_.code in RULES:
        raise ValueError(f"rule {rule_.code} registered twice")
    RULES[rule_.code] = rule_


def rule(code: str, module: str, message: str) -> Callable[[RuleCheck], RuleCheck]:
    severity = QUERY if code.endswith("Q") else ERROR

    def register(check: RuleCheck) -> RuleCheck:
        _register(Rule(code, module, message, severity, check=check))
        return check

    return register


def file_rule(code: str, module: str, message: str) -> Callable[[FileCheck], FileCheck]:
    severity = QUERY if code.endswith("Q") else ERROR

    def register(check: FileCheck) -> FileCheck:
        _register(Rule(code, module, message, severity, file_check=check))
        return check

    return register


def check_child(child: ChildRecord, ctx: CensusContext) -> tuple[list[Finding], list[Finding]]:
    """Every child-level rule on one child: (errors, queries)."""
    errors: list[Finding] = []
    queries: list[Finding] = []
    for r in RULES.values():
        if r.check is None:
            continue
        for hit in r.check(child, ctx):
            (errors if r.severity == ERROR else queries).append(r.finding(hit))
    return errors, queries


def check_file(
    children: list[ChildRecord], ctx: CensusContext
) -> tuple[dict[int, list[Finding]], dict[int, list[Finding]], list[Finding]]:
    """File-level rules: per-child errors, per-child queries, and queries on the whole file."""
    errors: dict[int, list[Finding]] = {}
    queries: dict[int, list[Finding]] = {}
    whole: list[Finding] = []
    for r in RULES.values():
        if r.file_check is None:
            continue
        for index, hit in r.file_check(children, ctx):
            finding = r.finding(hit)
            if index is None:
                whole.append(finding)
            else:
                (errors if r.severity == ERROR else queries).setdefault(index, []).append(finding)
    return errors, queries, whole


# --- helpers ----------------------------------------------------------------------------------


def _overlaps(
    a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None
) -> bool:
    """Do two periods overlap, ends exclusive (a plan may start the day another ends)?"""
    far = dt.date.max
    return a_start < (b_end or far) and b_start < (a_end or far)


def _episodes(child: ChildRecord) -> Iterator[EpisodeRecord]:
    yield from child.episodes


def _cp_plans(child: ChildRecord) -> Iterator[tuple[EpisodeRecord, CpPlanRecord]]:
    for ep in child.episodes:
        for plan in ep.cp_plans:
            yield ep, plan


def _age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _is_weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


_UPN_LETTERS = set(UPN_ALPHABET)
_FORMER_UPN = re.compile(r"[A-Z][0-9]{11}[0-9A-Z]")


# --- header (file level) ----------------------------------------------------------------------


@file_rule("100", "Header", "Reference Date is incorrect")
def _r100(children: list[ChildRecord], ctx: CensusContext) -> Iterator[tuple[int | None, Hit]]:
    if (ctx.reference_date.month, ctx.reference_date.day) != (3, 31):
        yield None, Hit("ReferenceDate", ctx.reference_date, 0)


# --- child identifiers ------------------------------------------------------------------------


@rule("1510", "ChildIdentifiers", "UPN invalid (wrong check letter at character 1)")
def _r1510(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    upn = child.upn.upper()
    well_formed = len(upn) == 13 and upn[1:12].isdigit()
    if not well_formed or not (upn[12].isdigit() or upn[12] in _UPN_LETTERS):
        return
    if upn[0] != upn_check_letter(upn[1:]):
        yield Hit("UPN", child.upn, child.line)


@rule("1530", "ChildIdentifiers", "UPN invalid (characters 2-4 not a recognised LA code)")
def _r1530(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    upn = child.upn
    if upn and len(upn) == 13 and upn[1:4].isdigit() and upn[1:4] not in UPN_LA_CODES:
        yield Hit("UPN", child.upn, child.line)


@rule("1540", "ChildIdentifiers", "UPN invalid (characters 5-12 not all numeric)")
def _r1540(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    if child.upn and not (len(child.upn) == 13 and child.upn[4:12].isdigit()):
        yield Hit("UPN", child.upn, child.line)


@rule("1550", "ChildIdentifiers", "UPN invalid (character 13 not a recognised value)")
def _r1550(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    upn = child.upn.upper()
    if upn and not (len(upn) == 13 and (upn[12].isdigit() or upn[12] in _UPN_LETTERS)):
        yield Hit("UPN", child.upn, child.line)


@rule(
    "1560Q",
    "ChildIdentifiers",
    "Please check and either amend or provide a reason: Former UPN wrongly formatted",
)
def _r1560q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    if child.former_upn and not _FORMER_UPN.fullmatch(child.former_upn.upper()):
        yield Hit("FormerUPN", child.former_upn, child.line)


@rule("1570", "ChildIdentifiers", "LA Child ID must not be longer than 20 characters")
def _r1570(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    if len(child.la_child_id) > 20:
        yield Hit("LAchildID", child.la_child_id, child.line)


@rule("1580", "ChildIdentifiers", "LA Child ID must not contain any non-alphanumeric characters")
def _r1580(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    if child.la_child_id and not (child.la_child_id.isascii() and child.la_child_id.isalnum()):
        yield Hit("LAchildID", child.la_child_id, child.line)


@rule("4180", "ChildIdentifiers", "Sex must be provided and equal M, F, or U")
def _r4180(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    if child.sex not in {"M", "F", "U"}:
        yield Hit("Sex", child.sex, child.line)


@rule("8500", "ChildIdentifiers", "LA Child ID missing")
def _r8500(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    if not child.la_child_id:
        yield Hit("LAchildID", "", child.line)


@rule(
    "8520",
    "ChildIdentifiers",
    "Date of Birth is after data collection period (must be on or before the end of the census "
    "period)",
)
def _r8520(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    if child.birth_date and child.birth_date > ctx.reference_date:
        yield Hit("PersonBirthDate", child.birth_date, child.line)


@rule(
    "8525Q",
    "ChildIdentifiers",
    "Either Date of Birth or Expected Date of Birth must be provided (but not both)",
)
def _r8525q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    if (child.birth_date is None) == (child.expected_birth_date is None):
        yield Hit("PersonBirthDate", child.birth_date, child.line)


@rule(
    "8530Q",
    "ChildIdentifiers",
    "Please check and either amend data or provide a reason: Expected Date of Birth is outside "
    "the expected range for this census (March to December of the Census Year end)",
)
def _r8530q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    expected = child.expected_birth_date
    year = ctx.reference_date.year
    if expected and not dt.date(year, 3, 1) <= expected <= dt.date(year, 12, 31):
        yield Hit("ExpectedPersonBirthDate", expected, child.line)


@rule(
    "8535Q",
    "ChildIdentifiers",
    "Please check and either amend data or provide a reason: Child’s date of death should not be "
    "prior to the date of birth",
)
def _r8535q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    born = child.birth_date or child.expected_birth_date
    if child.death_date and born and child.death_date < born:
        yield Hit("PersonDeathDate", child.death_date, child.line)


@rule(
    "8545Q",
    "ChildIdentifiers",
    "Please check and either amend data or provide a reason: Child's date of death should be "
    "within the census year",
)
def _r8545q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    if child.death_date and not ctx.in_year(child.death_date):
        yield Hit("PersonDeathDate", child.death_date, child.line)


@rule("8590", "ChildIdentifiers", "Child does not have a recorded CIN episode.")
def _r8590(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    if not child.episodes:
        yield Hit("CINdetails", "", child.line)


@rule("8750", "ChildIdentifiers", "Sex must equal U for an unborn child")
def _r8750(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    if child.is_unborn and child.sex != "U":
        yield Hit("Sex", child.sex, child.line)


@rule(
    "8770Q",
    "ChildIdentifiers",
    "Please check and either amend data or provide a reason: UPN is missing or reason UPN is "
    "missing or is UN1 for a child who is of school age.",
)
def _r8770q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    if child.birth_date is None or child.upn:
        return
    if 6 <= _age_on(child.birth_date, ctx.reference_date) <= 15 and child.upn_unknown in {
        "",
        "UN1",
    }:
        yield Hit("UPNunknown", child.upn_unknown, child.line)


@rule(
    "8772",
    "ChildIdentifiers",
    "UPN unknown reason is UN7 (Referral with no further action) but at least one CIN details is "
    "a referral going on to further action",
)
def _r8772(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    if child.upn_unknown == "UN7" and any(ep.nfa is False for ep in child.episodes):
        yield Hit("UPNunknown", child.upn_unknown, child.line)


@rule(
    "8775Q",
    "ChildIdentifiers",
    "Please check and either amend data or provide a reason: Child is over 25 years old",
)
def _r8775q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    if child.birth_date and _age_on(child.birth_date, ctx.reference_date) > 25:
        yield Hit("PersonBirthDate", child.birth_date, child.line)


@rule("4008", "ChildIdentifiers", "CIN Plan shown as starting after the child’s Date of Death.")
def _r4008(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    if child.death_date:
        for ep in child.episodes:
            for plan in ep.cin_plans:
                if plan.start and plan.start > child.death_date:
                    yield Hit("CINPlanStartDate", plan.start, plan.line)


@rule("4009Q", "ChildIdentifiers", "CIN Plan cannot end after the child’s Date of Death")
def _r4009q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    if child.death_date:
        for ep in child.episodes:
            for plan in ep.cin_plans:
                if plan.end and plan.end > child.death_date:
                    yield Hit("CINPlanEndDate", plan.end, plan.line)


@file_rule("8510", "ChildIdentifiers", "More than one child record with the same LA Child ID")
def _r8510(children: list[ChildRecord], ctx: CensusContext) -> Iterator[tuple[int | None, Hit]]:
    counts = Counter(c.la_child_id for c in children if c.la_child_id)
    for index, c in enumerate(children):
        if c.la_child_id and counts[c.la_child_id] > 1:
            yield index, Hit("LAchildID", c.la_child_id, c.line)


@file_rule("1520", "ChildIdentifiers", "More than one record with the same UPN.")
def _r1520(children: list[ChildRecord], ctx: CensusContext) -> Iterator[tuple[int | None, Hit]]:
    counts = Counter(c.upn.upper() for c in children if c.upn)
    for index, c in enumerate(children):
        if c.upn and counts[c.upn.upper()] > 1:
            yield index, Hit("UPN", c.upn, c.line)


@file_rule(
    "2886Q",
    "ChildIdentifiers",
    "Please check and either amend or provide a reason: Percentage of children with no sex "
    "recorded is more than 2% (excluding unborns)",
)
def _r2886q(children: list[ChildRecord], ctx: CensusContext) -> Iterator[tuple[int | None, Hit]]:
    born = [c for c in children if not c.is_unborn]
    unknown = sum(1 for c in born if c.sex == "U")
    if born and unknown / len(born) > 0.02:
        yield None, Hit("Sex", f"{unknown} of {len(born)} ({unknown / len(born):.1%})", 0)


# --- characteristics and disabilities ---------------------------------------------------------


@rule("4220", "ChildCharacteristics", "Ethnicity is missing or invalid (see Ethnicity table)")
def _r4220(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    if child.ethnicity not in ctx.codes["ethnicity"]:
        yield Hit("Ethnicity", child.ethnicity, child.line)


@rule(
    "8540",
    "ChildCharacteristics",
    "Child’s disability is missing or invalid (see Disability table)",
)
def _r8540(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for code in child.disabilities:
        if code.upper() not in ctx.codes["disability"]:
            yield Hit("Disability", code, child.line)


@rule("8790", "Disabilities", "Disability information includes both None and other values")
def _r8790(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    codes = {c.upper() for c in child.disabilities}
    if "NONE" in codes and len(codes) > 1:
        yield Hit("Disability", ",".join(child.disabilities), child.line)


@rule("8794", "Disabilities", "Child has two or more disabilities with the same code")
def _r8794(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    codes = [c.upper() for c in child.disabilities]
    if len(codes) != len(set(codes)):
        yield Hit("Disability", ",".join(child.disabilities), child.line)


@file_rule(
    "2887Q",
    "Disabilities",
    "Please check and either amend or provide a reason: Less than 8 disability codes have been "
    "used in your return",
)
def _r2887q(children: list[ChildRecord], ctx: CensusContext) -> Iterator[tuple[int | None, Hit]]:
    used = {d.upper() for c in children for d in c.disabilities} - {"NONE"}
    if len(children) >= 100 and len(used) < 8:
        yield None, Hit("Disability", f"{len(used)} codes used", 0)


@file_rule(
    "2888Q",
    "Disabilities",
    "Please check and either amend or provide a reason: Only one disability code is recorded per "
    "child and multiple disabilities should be recorded where possible.",
)
def _r2888q(children: list[ChildRecord], ctx: CensusContext) -> Iterator[tuple[int | None, Hit]]:
    disabled = [c for c in children if c.disabilities and c.disabilities != ["NONE"]]
    if len(disabled) >= 10 and all(len(c.disabilities) == 1 for c in disabled):
        yield None, Hit("Disability", f"{len(disabled)} children, one code each", 0)


# --- CIN details (episodes) -------------------------------------------------------------------


@rule("8568", "CINdetails", "RNFA flag is missing or invalid")
def _r8568(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.nfa is None:
            yield Hit("ReferralNFA", "", ep.line)


@rule("8600", "CINdetails", "Child referral date missing or after data collection period")
def _r8600(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.referral_date is None or ep.referral_date > ctx.reference_date:
            yield Hit("CINreferralDate", ep.referral_date, ep.line)


@rule("8606", "CINdetails", "Child referral date is more than 40 weeks before DOB or expected DOB")
def _r8606(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    born = child.birth_date or child.expected_birth_date
    for ep in child.episodes:
        if born and ep.referral_date and ep.referral_date < born - dt.timedelta(weeks=40):
            yield Hit("CINreferralDate", ep.referral_date, ep.line)


@rule(
    "8610", "CINdetails", "Primary Need code is missing for a referral which led to further action."
)
def _r8610(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.nfa is False and not ep.primary_need:
            yield Hit("PrimaryNeedCode", "", ep.line)


@rule("8620", "CINdetails", "CIN Closure Date present and does not fall within the Census year")
def _r8620(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.closure_date and not ctx.in_year(ep.closure_date):
            yield Hit("CINclosureDate", ep.closure_date, ep.line)


@rule("8630", "CINdetails", "CIN Closure Date is before CIN Referral Date for the same CIN episode")
def _r8630(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.closure_date and ep.referral_date and ep.closure_date < ep.referral_date:
            yield Hit("CINclosureDate", ep.closure_date, ep.line)


@rule(
    "8640",
    "CINdetails",
    "CIN Reason for closure code invalid (see Reason for Closure table in CIN Census code set)",
)
def _r8640(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.closure_reason and ep.closure_reason not in ctx.codes["closure_reason"]:
            yield Hit("ReasonForClosure", ep.closure_reason, ep.line)


@rule(
    "8650",
    "CINdetails",
    "Primary Need Code invalid (see Primary Need table in CIN census code set)",
)
def _r8650(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.primary_need and ep.primary_need not in ctx.codes["primary_need"]:
            yield Hit("PrimaryNeedCode", ep.primary_need, ep.line)


@rule(
    "8805", "CINdetails", "A CIN case cannot have a CIN closure date without a Reason for Closure"
)
def _r8805(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.closure_date and not ep.closure_reason:
            yield Hit("ReasonForClosure", "", ep.line)


@rule(
    "8810", "CINdetails", "A CIN case cannot have a Reason for Closure without a CIN Closure Date"
)
def _r8810(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.closure_reason and not ep.closure_date:
            yield Hit("CINclosureDate", "", ep.line)


@rule("8866", "CINdetails", "Source of Referral is missing or an invalid code")
def _r8866(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.source not in ctx.codes["referral_source"]:
            yield Hit("ReferralSource", ep.source, ep.line)


@rule("8555Q", "CINdetails", "Child cannot be referred after its recorded date of death")
def _r8555q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if child.death_date and ep.referral_date and ep.referral_date > child.death_date:
            yield Hit("CINreferralDate", ep.referral_date, ep.line)


@rule(
    "8569Q",
    "CINdetails",
    "A case with referral date before one working day prior to the collection start date must "
    "not be flagged as a no further action case",
)
def _r8569q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    limit = add_working_days(ctx.collection_start, -1)
    for ep in child.episodes:
        if ep.nfa and ep.referral_date and ep.referral_date < limit:
            yield Hit("ReferralNFA", "true", ep.line)


@rule(
    "8585Q",
    "CINdetails",
    "Please check and either amend or provide a reason: CIN episode shows Died as the Closure "
    "Reason, however child has no recorded Date of Death",
)
def _r8585q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.closure_reason == "RC2" and child.death_date is None:
            yield Hit("ReasonForClosure", ep.closure_reason, ep.line)


@rule(
    "8815",
    "CINdetails",
    "More than one open CIN Details episode (a module with no CIN Closure Date) has been provided "
    "for this child and case is not a referral with no further action.",
)
def _r8815(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    open_episodes = [ep for ep in child.episodes if ep.closure_date is None and not ep.nfa]
    if len(open_episodes) > 1:
        yield Hit("CINclosureDate", "", open_episodes[1].line)


@rule(
    "8816",
    "CINdetails",
    "An open CIN episode is shown and case is not a referral with no further action, but it is "
    "not the latest episode.",
)
def _r8816(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    dated = [ep for ep in child.episodes if ep.referral_date]
    if not dated:
        return
    latest = max(ep.referral_date for ep in dated if ep.referral_date)
    for ep in dated:
        if (
            ep.closure_date is None
            and not ep.nfa
            and ep.referral_date
            and ep.referral_date < latest
        ):
            yield Hit("CINreferralDate", ep.referral_date, ep.line)


@rule("8820", "CINdetails", "The dates on the CIN episodes for this child overlap")
def _r8820(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    dated = sorted(
        (ep for ep in child.episodes if ep.referral_date),
        key=lambda ep: ep.referral_date or dt.date.min,
    )
    for earlier, later in itertools.pairwise(dated):
        assert earlier.referral_date
        assert later.referral_date
        still_open = earlier.closure_date is None or later.referral_date < earlier.closure_date
        if still_open and not earlier.nfa:
            yield Hit("CINreferralDate", later.referral_date, later.line)


@rule(
    "8825Q",
    "CINdetails",
    "Please check and either amend data or provide a reason: Reason for Closure code RC8 (case "
    "closed after assessment) or RC9 (case closed after assessment, referred to early help) has "
    "been returned but there is no assessment present for the episode.",
)
def _r8825q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.closure_reason in {"RC8", "RC9"} and not ep.assessments:
            yield Hit("ReasonForClosure", ep.closure_reason, ep.line)


@rule(
    "8831",
    "CINdetails",
    "Activity is recorded against a case marked as a referral with no further action",
)
def _r8831(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.nfa and (ep.assessments or ep.cin_plans or ep.section47s or ep.icpc_date):
            yield Hit("ReferralNFA", "true", ep.line)


@rule(
    "2990",
    "CINdetails",
    "Activity is recorded against a case marked as ‘Case closed after assessment, no further "
    "action’ or 'case closed after assessment, referred to early help'.",
)
def _r2990(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.closure_reason in {"RC8", "RC9"} and (ep.cin_plans or ep.section47s or ep.cp_plans):
            yield Hit("ReasonForClosure", ep.closure_reason, ep.line)


@rule(
    "2991Q",
    "CINdetails",
    "Please check and either amend data or provide a reason: A Section 47 module is recorded and "
    "there is no assessment on the episode",
)
def _r2991q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.section47s and not ep.assessments:
            yield Hit("Section47", "", ep.section47s[0].line)


@rule(
    "8867",
    "CINdetails",
    "CIN episode is shown as closed, however Assessment is not shown as completed",
)
def _r8867(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.closure_date:
            for a in ep.assessments:
                if a.authorised is None:
                    yield Hit("AssessmentAuthorisationDate", "", a.line)


@rule(
    "8868",
    "CINdetails",
    "CIN episode is shown as closed, however Section 47 enquiry is not shown as completed by ICPC "
    "date or ICPC not required flag",
)
def _r8868(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.closure_date:
            for s in ep.section47s:
                if s.icpc_date is None and not s.icpc_not_required:
                    yield Hit("DateOfInitialCPC", "", s.line)


@rule(
    "8890",
    "CINdetails",
    "A Section 47 enquiry is shown as starting when there is another Section 47 Enquiry ongoing",
)
def _r8890(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    enquiries = sorted(
        (s for ep in child.episodes for s in ep.section47s if s.start),
        key=lambda s: s.start or dt.date.min,
    )
    for earlier, later in itertools.pairwise(enquiries):
        assert earlier.start
        assert later.start
        end = earlier.icpc_date or (earlier.start if earlier.icpc_not_required else None)
        if later.start > earlier.start and (end is None or later.start < end):
            yield Hit("S47ActualStartDate", later.start, later.line)


# --- assessments ------------------------------------------------------------------------------


@rule("1103", "Assessments", "The assessment start date cannot be before the referral date")
def _r1103(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for a in ep.assessments:
            if a.start and ep.referral_date and a.start < ep.referral_date:
                yield Hit("AssessmentActualStartDate", a.start, a.line)


@rule("8608", "Assessments", "Assessment Start Date cannot be later than its End Date")
def _r8608(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for a in ep.assessments:
            if a.start and a.authorised and a.start > a.authorised:
                yield Hit("AssessmentAuthorisationDate", a.authorised, a.line)


@rule(
    "8614",
    "Assessments",
    "Parental or child factors at assessment should only be present for a completed assessment.",
)
def _r8614(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for a in ep.assessments:
            if a.factors and a.authorised is None:
                yield Hit("AssessmentFactors", ",".join(a.factors), a.line)


@rule(
    "8670Q",
    "Assessments",
    "Please check and either amend data or provide a reason: Assessment started more than 45 "
    "working days before the end of the census year. However, there is no Assessment end date.",
)
def _r8670q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    limit = add_working_days(ctx.reference_date, -45)
    for ep in child.episodes:
        for a in ep.assessments:
            if a.start and a.authorised is None and a.start < limit:
                yield Hit("AssessmentActualStartDate", a.start, a.line)


@rule("8696", "Assessments", "Assessment end date must fall within the census year")
def _r8696(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for a in ep.assessments:
            if a.authorised and not ctx.in_year(a.authorised):
                yield Hit("AssessmentAuthorisationDate", a.authorised, a.line)


@rule(
    "8736",
    "Assessments",
    "For an Assessment that has not been completed, the start date must fall within the census "
    "year",
)
def _r8736(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for a in ep.assessments:
            if a.authorised is None and a.start and a.start > ctx.reference_date:
                yield Hit("AssessmentActualStartDate", a.start, a.line)


@rule(
    "8863Q",
    "Assessments",
    "An Assessment is shown as starting when there is another Assessment ongoing.",
)
def _r8863q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        started = sorted(
            (a for a in ep.assessments if a.start), key=lambda a: a.start or dt.date.min
        )
        for earlier, later in itertools.pairwise(started):
            assert earlier.start
            assert later.start
            if later.start > earlier.start and (
                earlier.authorised is None or later.start < earlier.authorised
            ):
                yield Hit("AssessmentActualStartDate", later.start, later.line)


@rule(
    "8869",
    "Assessments",
    "The assessment factors code “21” cannot be used in conjunction with any other assessment "
    "factors.",
)
def _r8869(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for a in ep.assessments:
            if "21" in a.factors and len(set(a.factors)) > 1:
                yield Hit("AssessmentFactors", ",".join(a.factors), a.line)


@rule(
    "8873Q",
    "Assessments",
    "Please check and either amend data or provide a reason: When there is only one assessment "
    "on the episode and the factors code “21 No factors identified” has been used for the "
    "completed assessment, the reason for closure ‘RC8’ or 'RC9' should be used.",
)
def _r8873q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if len(ep.assessments) == 1 and ep.closure_date:
            a = ep.assessments[0]
            if a.authorised and a.factors == ["21"] and ep.closure_reason not in {"RC8", "RC9"}:
                yield Hit("ReasonForClosure", ep.closure_reason, ep.line)


@rule(
    "8896", "Assessments", "Within one CINDetails group there are 2 or more open Assessments groups"
)
def _r8896(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        open_ = [a for a in ep.assessments if a.authorised is None]
        if len(open_) > 1:
            yield Hit("AssessmentAuthorisationDate", "", open_[1].line)


@rule(
    "8897Q",
    "Assessments",
    "Parental or child factors at assessment information is missing from a completed assessment",
)
def _r8897q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for a in ep.assessments:
            if a.authorised and not a.factors:
                yield Hit("AssessmentFactors", "", a.line)


@rule(
    "8898",
    "Assessments",
    " The assessment has more than one parental or child factors with the same code",
)
def _r8898(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for a in ep.assessments:
            if len(a.factors) != len(set(a.factors)):
                yield Hit("AssessmentFactors", ",".join(a.factors), a.line)


@rule(
    "8945Q",
    "Assessments",
    "Please check and either amend data or provide a reason: the assessment factors code '18A' "
    "should not be used ('18B' or '18C' should be used instead)",
)
def _r8945q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for a in ep.assessments:
            if "18A" in a.factors:
                yield Hit("AssessmentFactors", "18A", a.line)


@rule(
    "8950Q",
    "Assessments",
    "Please check and either amend data or provide a reason: the assessment factors code '19A' "
    "should not be used ('19B' or '19C' should be used instead)",
)
def _r8950q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for a in ep.assessments:
            if "19A" in a.factors:
                yield Hit("AssessmentFactors", "19A", a.line)


# --- CIN plans --------------------------------------------------------------------------------


@rule("4000", "CINplanDates", "CIN Plan details provided for a referral with no further action")
def _r4000(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.nfa and ep.cin_plans:
            yield Hit("CINPlanStartDate", ep.cin_plans[0].start, ep.cin_plans[0].line)


@rule("4001", "CINplanDates", "A CIN Plan cannot run concurrently with a Child Protection Plan")
def _r4001(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    cp = [(p.start, p.end) for _, p in _cp_plans(child) if p.start]
    for ep in child.episodes:
        for plan in ep.cin_plans:
            if plan.start and any(
                s is not None and _overlaps(plan.start, plan.end, s, e) for s, e in cp
            ):
                yield Hit("CINPlanStartDate", plan.start, plan.line)


@rule(
    "4003",
    "Reviews",
    "A CPP review date is shown as being held at the same time as an open CIN Plan.",
)
def _r4003(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    cin = [(p.start, p.end) for ep in child.episodes for p in ep.cin_plans if p.start]
    for _, plan in _cp_plans(child):
        for review in plan.reviews:
            if review and any(s < review < (e or dt.date.max) for s, e in cin if s):
                yield Hit("CPPreviewDate", review, plan.line)


@rule(
    "4004",
    "CINplanDates",
    "This child is showing more than one open CIN Plan, i.e. with no End Date",
)
def _r4004(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    open_ = [p for ep in child.episodes for p in ep.cin_plans if p.end is None]
    if len(open_) > 1:
        yield Hit("CINPlanEndDate", "", open_[1].line)


@rule("4010", "CINplanDates", "CIN Plan start date is missing or out of data collection period")
def _r4010(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for plan in ep.cin_plans:
            if plan.start is None or plan.start > ctx.reference_date:
                yield Hit("CINPlanStartDate", plan.start, plan.line)


@rule("4011", "CINplanDates", "CIN Plan End Date earlier than Start Date")
def _r4011(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for plan in ep.cin_plans:
            if plan.start and plan.end and plan.end < plan.start:
                yield Hit("CINPlanEndDate", plan.end, plan.line)


@rule(
    "4012Q",
    "CINplanDates",
    "Please check and either amend or provide a reason: CIN Plan shown as starting and ending on "
    "the same day",
)
def _r4012q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for plan in ep.cin_plans:
            if plan.start and plan.end == plan.start:
                yield Hit("CINPlanEndDate", plan.end, plan.line)


@rule("4013", "CINplanDates", "CIN Plan end date must fall within the census year")
def _r4013(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for plan in ep.cin_plans:
            if plan.end and not ctx.in_year(plan.end):
                yield Hit("CINPlanEndDate", plan.end, plan.line)


@rule("4014", "CINplanDates", "CIN Plan data contains overlapping dates")
def _r4014(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    plans = sorted(
        (p for ep in child.episodes for p in ep.cin_plans if p.start),
        key=lambda p: p.start or dt.date.min,
    )
    for earlier, later in itertools.pairwise(plans):
        assert earlier.start
        assert later.start
        if _overlaps(earlier.start, earlier.end, later.start, later.end):
            yield Hit("CINPlanStartDate", later.start, later.line)


@rule("4015", "CINplanDates", "The CIN Plan start date cannot be before the referral date")
def _r4015(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for plan in ep.cin_plans:
            if plan.start and ep.referral_date and plan.start < ep.referral_date:
                yield Hit("CINPlanStartDate", plan.start, plan.line)


@rule(
    "4016",
    "CINplanDates",
    "A CIN Plan has been reported as open at the same time as a Child Protection Plan.",
)
def _r4016(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    open_cp = any(p.end is None for _, p in _cp_plans(child))
    for ep in child.episodes:
        for plan in ep.cin_plans:
            if open_cp and plan.end is None:
                yield Hit("CINPlanEndDate", "", plan.line)


@rule(
    "4017",
    "CINplanDates",
    "A CIN Plan has been reported as open at the same time as a Child Protection Plan.",
)
def _r4017(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    """4001 refuses any overlap; 4017 names the CIN plan that starts inside a CP plan."""
    cp = [(p.start, p.end) for _, p in _cp_plans(child) if p.start]
    for ep in child.episodes:
        for plan in ep.cin_plans:
            if plan.start and any(s < plan.start < (e or dt.date.max) for s, e in cp if s):
                yield Hit("CINPlanStartDate", plan.start, plan.line)


# --- section 47 -------------------------------------------------------------------------------


@rule(
    "1104",
    "Section47",
    "The date of the initial child protection conference cannot be before the referral date",
)
def _r1104(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for s in ep.section47s:
            if s.icpc_date and ep.referral_date and s.icpc_date < ep.referral_date:
                yield Hit("DateOfInitialCPC", s.icpc_date, s.line)


@rule("2889", "Section47", "The S47 start date cannot be before the referral date.")
def _r2889(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for s in ep.section47s:
            if s.start and ep.referral_date and s.start < ep.referral_date:
                yield Hit("S47ActualStartDate", s.start, s.line)


@rule(
    "2884",
    "Section47",
    "An initial child protection conference is recorded at both the S47 and CIN Details level and "
    "it should only be recorded in one",
)
def _r2884(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.icpc_date and any(s.icpc_date for s in ep.section47s):
            yield Hit("DateOfInitialCPC", ep.icpc_date, ep.line)


@rule(
    "8615",
    "Section47",
    "Section 47 Enquiry Start Date must be present and cannot be later than the date of the "
    "initial Child Protection Conference",
)
def _r8615(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for s in ep.section47s:
            if s.start is None or (s.icpc_date and s.start > s.icpc_date):
                yield Hit("S47ActualStartDate", s.start, s.line)


@rule(
    "8675Q",
    "Section47",
    "Please check and either amend data or provide a reason: S47 Enquiry started more than 15 "
    "working days before the end of the census year. However, there is no date of Initial Child "
    "Protection Conference.",
)
def _r8675q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    limit = add_working_days(ctx.reference_date, -15)
    for ep in child.episodes:
        for s in ep.section47s:
            if s.start and s.start < limit and s.icpc_date is None and not s.icpc_not_required:
                yield Hit("S47ActualStartDate", s.start, s.line)


@rule(
    "8715",
    "Section47",
    "Date of Initial Child Protection Conference must fall within the census year",
)
def _r8715(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for s in ep.section47s:
            if s.icpc_date and not ctx.in_year(s.icpc_date):
                yield Hit("DateOfInitialCPC", s.icpc_date, s.line)


@rule(
    "8740",
    "Section47",
    "For a Section 47 Enquiry that has not held the Initial Child Protection Conference by the end "
    "of the census year, the start date must fall within the census year",
)
def _r8740(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for s in ep.section47s:
            if s.icpc_date is None and s.start and not ctx.in_year(s.start):
                yield Hit("S47ActualStartDate", s.start, s.line)


@rule("8839", "Section47", "Within one CINDetails group there are 2 or more open S47 Assessments")
def _r8839(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        open_ = [s for s in ep.section47s if s.icpc_date is None and not s.icpc_not_required]
        if len(open_) > 1:
            yield Hit("DateOfInitialCPC", "", open_[1].line)


@rule(
    "8870Q",
    "Section47",
    "Please check and either amend or provide a reason: The Target Date for Initial Child "
    "Protection Conference should not be a weekend",
)
def _r8870q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for s in ep.section47s:
            if s.icpc_target and _is_weekend(s.icpc_target):
                yield Hit("InitialCPCtarget", s.icpc_target, s.line)


@rule("8875", "Section47", "The Date of Initial Child Protection Conference cannot be a weekend")
def _r8875(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        for s in ep.section47s:
            if s.icpc_date and _is_weekend(s.icpc_date):
                yield Hit("DateOfInitialCPC", s.icpc_date, s.line)


# --- child protection plans and reviews -------------------------------------------------------


@rule(
    "1105",
    "ChildProtectionPlans",
    "The child protection plan start date cannot be before the referral date",
)
def _r1105(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep, plan in _cp_plans(child):
        if plan.start and ep.referral_date and plan.start < ep.referral_date:
            yield Hit("CPPstartDate", plan.start, plan.line)


@rule(
    "2883",
    "ChildProtectionPlans",
    "There are more child protection plans starting than initial conferences taking place",
)
def _r2883(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        starting = [p for p in ep.cp_plans if p.start and ctx.in_year(p.start)]
        conferences = {s.icpc_date for s in ep.section47s if s.icpc_date} | (
            {ep.icpc_date} if ep.icpc_date else set()
        )
        if len(starting) > len(conferences):
            yield Hit("CPPstartDate", starting[0].start, starting[0].line)


@rule(
    "2885",
    "ChildProtectionPlans",
    "Child protection plan shown as starting a different day to the initial child protection "
    "conference.",
)
def _r2885(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        conferences = {s.icpc_date for s in ep.section47s if s.icpc_date} | (
            {ep.icpc_date} if ep.icpc_date else set()
        )
        if not conferences:
            continue
        for plan in ep.cp_plans:
            if plan.start and ctx.in_year(plan.start) and plan.start not in conferences:
                yield Hit("CPPstartDate", plan.start, plan.line)


@rule("8565", "ChildProtectionPlans", "Activity shown after a case has been closed")
def _r8565(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        closed = ep.closure_date
        if closed is None:
            continue
        for a in ep.assessments:
            if a.start and a.start > closed:
                yield Hit("AssessmentActualStartDate", a.start, a.line)
        for s in ep.section47s:
            if s.start and s.start > closed:
                yield Hit("S47ActualStartDate", s.start, s.line)
        for plan in ep.cin_plans:
            if plan.start and plan.start > closed:
                yield Hit("CINPlanStartDate", plan.start, plan.line)
        for cp in ep.cp_plans:
            if cp.start and cp.start > closed:
                yield Hit("CPPstartDate", cp.start, cp.line)


@rule(
    "8720",
    "ChildProtectionPlans",
    "Child Protection Plan Start Date missing or out of data collection period",
)
def _r8720(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for _, plan in _cp_plans(child):
        if plan.start is None or plan.start > ctx.reference_date:
            yield Hit("CPPstartDate", plan.start, plan.line)


@rule("8730", "ChildProtectionPlans", "Total Number of previous Child Protection Plans missing")
def _r8730(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for _, plan in _cp_plans(child):
        if plan.previous_plans is None:
            yield Hit("NumberOfPreviousCPP", "", plan.line)


@rule(
    "8832",
    "ChildProtectionPlans",
    "Child Protection details provided for a referral with no further action.",
)
def _r8832(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for ep in child.episodes:
        if ep.nfa and ep.cp_plans:
            yield Hit("CPPstartDate", ep.cp_plans[0].start, ep.cp_plans[0].line)


@rule("8840", "ChildProtectionPlans", "Child Protection Plan cannot start and end on the same day")
def _r8840(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for _, plan in _cp_plans(child):
        if plan.start and plan.end == plan.start:
            yield Hit("CPPendDate", plan.end, plan.line)


@rule(
    "8841",
    "ChildProtectionPlans",
    "The review date cannot be on the same day or before the Child protection Plan start date.",
)
def _r8841(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for _, plan in _cp_plans(child):
        for review in plan.reviews:
            if review and plan.start and review <= plan.start:
                yield Hit("CPPreviewDate", review, plan.line)


@rule(
    "8842Q",
    "Reviews",
    "Please check and either amend or provide a reason: Review Record has a missing date",
)
def _r8842q(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for _, plan in _cp_plans(child):
        for review in plan.reviews:
            if review is None:
                yield Hit("CPPreviewDate", "", plan.line)


@rule(
    "8905",
    "ChildProtectionPlans",
    "Initial Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census "
    "code set)",
)
def _r8905(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for _, plan in _cp_plans(child):
        if plan.initial_category not in ctx.codes["category_of_abuse"]:
            yield Hit("InitialCategoryOfAbuse", plan.initial_category, plan.line)


@rule(
    "8910",
    "ChildProtectionPlans",
    "Latest Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census "
    "code set)",
)
def _r8910(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for _, plan in _cp_plans(child):
        if plan.latest_category not in ctx.codes["category_of_abuse"]:
            yield Hit("LatestCategoryOfAbuse", plan.latest_category, plan.line)


@rule(
    "8915",
    "ChildProtectionPlans",
    "Child Protection Plan shown as starting after the child’s Date of Death",
)
def _r8915(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for _, plan in _cp_plans(child):
        if child.death_date and plan.start and plan.start > child.death_date:
            yield Hit("CPPstartDate", plan.start, plan.line)


@rule(
    "8920",
    "ChildProtectionPlans",
    "Child Protection Plan cannot end after the child’s Date of Death",
)
def _r8920(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for _, plan in _cp_plans(child):
        if child.death_date and plan.end and plan.end > child.death_date:
            yield Hit("CPPendDate", plan.end, plan.line)


@rule("8925", "ChildProtectionPlans", "Child Protection Plan End Date earlier than Start Date")
def _r8925(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for _, plan in _cp_plans(child):
        if plan.start and plan.end and plan.end < plan.start:
            yield Hit("CPPendDate", plan.end, plan.line)


@rule(
    "8930",
    "ChildProtectionPlans",
    "Child Protection Plan End Date must fall within the census year",
)
def _r8930(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    for _, plan in _cp_plans(child):
        if plan.end and not ctx.in_year(plan.end):
            yield Hit("CPPendDate", plan.end, plan.line)


@rule(
    "8935",
    "ChildProtectionPlans",
    "This child is showing more than one open Child Protection plan, i.e. with no End Date",
)
def _r8935(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    open_ = [p for _, p in _cp_plans(child) if p.end is None]
    if len(open_) > 1:
        yield Hit("CPPendDate", "", open_[1].line)


@rule("8940", "ChildProtectionPlans", "Child Protection Plan data contains overlapping dates")
def _r8940(child: ChildRecord, ctx: CensusContext) -> Iterator[Hit]:
    plans = sorted(
        (p for _, p in _cp_plans(child) if p.start), key=lambda p: p.start or dt.date.min
    )
    for earlier, later in itertools.pairwise(plans):
        assert earlier.start
        assert later.start
        if _overlaps(earlier.start, earlier.end, later.start, later.end):
            yield Hit("CPPstartDate", later.start, later.line)
