"""SSDA903 import: a directory of CSV tables, one record per child, into people and casework.

Each child's rows from every table are one record (key: ``CHILD``). The header row makes or
updates the child; each episode becomes a looked-after ``Plan`` (``DECOM`` to ``DEC``), matched
by its start date on re-import; reviews become ``Review``s of the episode they fall in. The
903 codes Cumulus does not model (RNE, LS, CIN, PLACE, ...) and the other tables' rows are kept
in ``SourceRecord.extras`` and exported back as they came.

Key rules, numbered as in DfE's 903 validator (``specs/ssda903_rule_info_2024_25.csv``):
101, 102, 103, 141, 143-149, 166, 167, 168, 178 refuse the child; blank 903-only codes are
accepted with a warning (Cumulus may hold a looked-after episode without them).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from cumulus.accounts.models import User
from cumulus.casework.models import Plan, PlanType, Review
from cumulus.codelists.models import Code, Scheme
from cumulus.core.identifiers import IdentifierError, validate_upn
from cumulus.interchange.batches import (
    Checked,
    FileRejectedError,
    Finding,
    ParsedFile,
    SourceItem,
)
from cumulus.interchange.models import BatchKind, ImportBatch, SourceRecord
from cumulus.interchange.ssda903.files import MAX_FILE_BYTES, TABLES, table_for
from cumulus.people.models import Child, Person

SPEC = Path(__file__).resolve().parent.parent / "specs" / "SSDA903_schema_2024.yml"
SEX_TO_CUMULUS = {"1": "M", "2": "F"}
UPN_FORMAT = re.compile(r"[A-Z][0-9]{11}[0-9A-Z]")
UNKNOWN_NAME = "Not known (SSDA903 import)"
EPISODE_CODES = ("RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "REC", "REASON_PLACE_CHANGE")
RULE_FOR_CODE = {
    "RNE": "143",
    "LS": "144",
    "CIN": "145",
    "PLACE": "146",
    "REC": "149",
    "PLACE_PROVIDER": "178",
}
MESSAGES = {
    "101": "Gender code is not valid.",
    "102": "Date of birth is not a valid date.",
    "103": "The ethnicity code is either not valid or has not been entered.",
    "141": "Date episode began is not a valid date.",
    "142": "A new episode has started, but the previous episode has not ended.",
    "143": "The reason for new episode code is not a valid code.",
    "144": "The legal status code is not a valid code.",
    "145": "Category of need code is not a valid code.",
    "146": "Placement type code is not a valid code.",
    "147": "Date episode ceased is not a valid date.",
    "148": "Date episode ceased and reason episode ceased must both be coded, or both left blank.",
    "149": "Reason episode ceased code is not valid. ",
    "166": "Date of review is invalid or blank.",
    "167": "Data entry for participation is invalid or blank.",
    "168": "Unique Pupil Number (UPN) is not valid. If unknown, default codes should be UN1, "
    "UN2, UN3, UN4 or UN5.",
    "178": "Placement provider code is not a valid code.",
}


@cache
def categories() -> dict[tuple[str, str], frozenset[str]]:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["column_map"]
    out = {}
    for table, columns in spec.items():
        for column, rules in columns.items():
            if isinstance(rules, dict) and "category" in rules:
                out[(table, column)] = frozenset(str(c["code"]) for c in rules["category"])
    return out


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(value.strip(), "%d/%m/%Y").date()  # noqa: DTZ007 - a date
    except ValueError:
        return None


@dataclass
class ChildRows:
    child: str
    tables: dict[str, list[dict[str, str]]] = field(default_factory=lambda: defaultdict(list))
    lines: list[str] = field(default_factory=list)


def _finding(rule: str, column: str, value: str, where: str) -> Finding:
    return Finding(rule, MESSAGES[rule], column, value, where)


class Ssda903Handler:
    kind = BatchKind.SSDA903

    def parse(self, data: bytes, *, source_name: str) -> ParsedFile:
        try:
            doc = json.loads(data.decode("utf-8", errors="surrogateescape"))
            files = doc["files"]
            assert isinstance(files, dict)
        except (ValueError, KeyError, TypeError, AssertionError):
            raise FileRejectedError("Not an SSDA903 return (a directory of CSV tables)") from None
        children: dict[str, ChildRows] = {}
        found_tables = set()
        for name, text in sorted(files.items()):
            table = table_for(name)
            if table is None:
                continue
            if len(text) > MAX_FILE_BYTES:
                raise FileRejectedError(f"{name} is larger than {MAX_FILE_BYTES:,} bytes")
            if "\x00" in text:
                raise FileRejectedError(f"{name} contains NUL characters")
            if "\udcff" in text or any("\udc80" <= ch <= "\udcff" for ch in text[:100_000]):
                raise FileRejectedError(f"{name} is not UTF-8 text")
            reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
            header = [h.strip() for h in (reader.fieldnames or [])]
            if "CHILD" not in header:
                raise FileRejectedError(f"{name}: the header has no CHILD column")
            found_tables.add(table)
            try:
                for row in reader:
                    clean = {k.strip(): (v or "").strip() for k, v in row.items() if k}
                    key = clean.get("CHILD", "")
                    rows = children.setdefault(key, ChildRows(child=key))
                    rows.tables[table].append(clean)
                    rows.lines.append(f"{name} line {reader.line_num}")
            except csv.Error as exc:
                raise FileRejectedError(f"{name} line {reader.line_num}: {exc}") from None
        if "header" not in found_tables:
            raise FileRejectedError("The return has no header table")
        if not children:
            raise FileRejectedError("The return holds no children")
        items = [
            SourceItem(
                key=key or "(blank CHILD)",
                location=rows.lines[0],
                payload=json.dumps(rows.tables, sort_keys=True),
                data=rows,
            )
            for key, rows in children.items()
        ]
        return ParsedFile(items=items, meta={"tables": sorted(found_tables)})

    def check(self, parsed: ParsedFile) -> list[Checked]:
        ethnicity = set(Code.objects.filter(scheme=Scheme.ETHNICITY).values_list("code", flat=True))
        cats = categories()
        results = []
        for item in parsed.items:
            rows: ChildRows = item.data
            errors: list[Finding] = []
            warnings: list[Finding] = []
            where = item.location
            headers = rows.tables.get("header", [])
            if not rows.child:
                errors.append(Finding("CUM-903", "CHILD is blank", "CHILD", "", where))
            if len(headers) != 1:
                errors.append(
                    Finding(
                        "CUM-903",
                        f"The child has {len(headers)} header rows, not one",
                        "CHILD",
                        rows.child,
                        where,
                    )
                )
            for h in headers[:1]:
                if h.get("SEX") not in cats[("Header", "SEX")]:
                    errors.append(_finding("101", "SEX", h.get("SEX", ""), where))
                if parse_date(h.get("DOB", "")) is None:
                    errors.append(_finding("102", "DOB", h.get("DOB", ""), where))
                if h.get("ETHNIC") not in ethnicity:
                    errors.append(_finding("103", "ETHNIC", h.get("ETHNIC", ""), where))
                upn = h.get("UPN", "")
                if upn and upn not in {"UN1", "UN2", "UN3", "UN4", "UN5"}:
                    if not UPN_FORMAT.fullmatch(upn):
                        errors.append(_finding("168", "UPN", upn, where))
                    else:
                        try:
                            validate_upn(upn)
                        except IdentifierError as exc:
                            errors.append(
                                Finding(
                                    "CUM-UPN",
                                    f"Cumulus keeps only valid UPNs: {exc}",
                                    "UPN",
                                    upn,
                                    where,
                                )
                            )
            episodes = rows.tables.get("episodes", [])
            starts: list[dt.date] = []
            for ep in episodes:
                start = parse_date(ep.get("DECOM", ""))
                if start is None:
                    errors.append(_finding("141", "DECOM", ep.get("DECOM", ""), where))
                else:
                    starts.append(start)
                end_raw = ep.get("DEC", "")
                end = parse_date(end_raw) if end_raw else None
                if end_raw and end is None:
                    errors.append(_finding("147", "DEC", end_raw, where))
                if bool(end_raw) != bool(ep.get("REC")):
                    errors.append(_finding("148", "DEC", end_raw, where))
                if start and end and end < start:
                    errors.append(
                        Finding(
                            "CUM-903",
                            "Date episode ceased is before the date it began",
                            "DEC",
                            end_raw,
                            where,
                        )
                    )
                for column, rule in RULE_FOR_CODE.items():
                    value = ep.get(column, "")
                    allowed = cats.get(("Episodes", column), frozenset())
                    if value and value not in allowed:
                        errors.append(_finding(rule, column, value, where))
                    elif not value and column != "REC":
                        warnings.append(
                            Finding(rule, "Not recorded: " + MESSAGES[rule], column, "", where)
                        )
            if len(starts) != len(set(starts)):
                errors.append(
                    Finding("CUM-903", "Two episodes start on the same date", "DECOM", "", where)
                )
            open_before_last = [
                ep
                for ep in episodes
                if not ep.get("DEC")
                and parse_date(ep.get("DECOM", "")) not in (None, max(starts, default=None))
            ]
            if open_before_last:
                errors.append(_finding("142", "DEC", "", where))
            for review in rows.tables.get("reviews", []):
                if parse_date(review.get("REVIEW", "")) is None:
                    errors.append(_finding("166", "REVIEW", review.get("REVIEW", ""), where))
                if review.get("REVIEW_CODE") not in cats[("Reviews", "REVIEW_CODE")]:
                    errors.append(
                        _finding("167", "REVIEW_CODE", review.get("REVIEW_CODE", ""), where)
                    )
            results.append(Checked(errors=errors, warnings=warnings))
        return results

    def wrap_payload(self, payload: str, *, meta: dict[str, Any]) -> bytes:
        """A corrected child as the 903 tables, read straight back by ``parse``.

        Not an export: no spreadsheet ever opens these CSVs, so cells are not neutralised
        (an apostrophe here would be imported as part of the value).
        """
        tables = json.loads(payload)
        files = {}
        for table, rows in tables.items():
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=TABLES[table], extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
            files[f"{table}.csv"] = out.getvalue()
        return json.dumps({"files": files}, sort_keys=True).encode("utf-8")

    def commit(
        self,
        items: Sequence[tuple[SourceItem, SourceRecord | None]],
        *,
        batch: ImportBatch,
        actor: User | None,
    ) -> list[SourceRecord]:
        ethnicity = dict(Code.objects.filter(scheme=Scheme.ETHNICITY).values_list("code", "pk"))
        held = {
            c.la_child_id: c
            for c in Child.objects.filter(la_child_id__in=[i.key for i, _ in items]).select_related(
                "person"
            )
        }
        sources = []
        for item, src in items:
            rows: ChildRows = item.data
            h = rows.tables["header"][0]
            child = held.get(rows.child)
            dob = parse_date(h["DOB"])
            sex = SEX_TO_CUMULUS[h["SEX"]]
            upn = (
                h.get("UPN")
                if h.get("UPN", "").startswith("UN") is False and h.get("UPN")
                else None
            )
            if child is None:
                person = Person.objects.create(family_name=UNKNOWN_NAME, date_of_birth=dob, sex=sex)
                child = Child.objects.create(
                    person=person,
                    la_child_id=rows.child,
                    upn=upn,
                    ethnicity_id=ethnicity[h["ETHNIC"]],
                )
            else:
                person = child.person
                if (person.date_of_birth, person.sex) != (dob, sex):
                    person.date_of_birth, person.sex = dob, sex
                    person.save(update_fields=["date_of_birth", "sex", "updated_at"])
                if (child.upn, child.ethnicity_id) != (upn, ethnicity[h["ETHNIC"]]):
                    child.upn, child.ethnicity_id = upn, ethnicity[h["ETHNIC"]]
                    child.save(update_fields=["upn", "ethnicity_id", "updated_at"])
            plans = {
                p.started_on: p
                for p in Plan.objects.filter(child=child, plan_type=PlanType.LOOKED_AFTER)
            }
            episode_extras = {}
            for ep in rows.tables.get("episodes", []):
                start = parse_date(ep["DECOM"])
                assert start is not None
                end = parse_date(ep["DEC"]) if ep.get("DEC") else None
                plan = plans.get(start)
                if plan is None:
                    plan = Plan.objects.create(
                        child=child, plan_type=PlanType.LOOKED_AFTER, started_on=start, ended_on=end
                    )
                    plans[start] = plan
                elif plan.ended_on != end:
                    plan.ended_on = end
                    plan.save(update_fields=["ended_on", "updated_at"])
                episode_extras[start.isoformat()] = {
                    k: ep.get(k, "")
                    for k in TABLES["episodes"]
                    if k not in {"CHILD", "DECOM", "DEC"}
                }
            review_codes = {}
            ordered = sorted(plans.values(), key=lambda p: p.started_on)
            for review in rows.tables.get("reviews", []):
                day = parse_date(review["REVIEW"])
                assert day is not None
                review_codes[day.isoformat()] = review.get("REVIEW_CODE", "")
                covering = [
                    p
                    for p in ordered
                    if p.started_on <= day and (p.ended_on is None or day <= p.ended_on)
                ]
                if covering and not Review.objects.filter(plan=covering[-1], held_on=day).exists():
                    Review.objects.create(plan=covering[-1], held_on=day)
            source = src or SourceRecord(kind=self.kind, key=item.key)
            source.digest = item.digest
            source.child = child
            source.batch = batch
            source.extras = {
                "header": {k: h.get(k, "") for k in ("MOTHER", "MC_DOB", "UPN")},
                "episodes": episode_extras,
                "reviews": review_codes,
                "tables": {
                    t: r
                    for t, r in rows.tables.items()
                    if t not in {"header", "episodes", "reviews"}
                },
            }
            if source.pk is None:
                source.save()
            else:
                source.save(update_fields=["digest", "child", "batch", "extras"])
            sources.append(source)
        return sources
