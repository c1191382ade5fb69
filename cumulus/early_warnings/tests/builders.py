"""Hand-built chronologies for rule tests: a few rows per table, evaluated in memory."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from cumulus.early_warnings import engine

AS_OF = dt.date(2026, 3, 31)
BLOCK_ORIGIN = dt.date(2000, 1, 3)  # the Monday school_attendance v2 counts its blocks from
_ids = itertools.count(1)
RULES = {r.code: r for r in engine.load_ruleset("default")}


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@dataclass
class Chronology:
    """A tiny extract: add rows, then ``fires(code)`` evaluates one rule of the default set."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: str, **row: Any) -> Chronology:
        self.rows.setdefault(table, []).append(row)
        return self

    def child(self, child_id: int, born: str, household: int | None = None) -> Chronology:
        self.add("children", child_id=child_id, date_of_birth=day(born))
        if household is not None:
            self.add("household_members", child_id=child_id, household_id=household)
        return self

    def event(
        self,
        child_id: int,
        on: str,
        event_type: str,
        agency: str = "school_1",
        agency_type: str = "school",
        significance: str = "medium",
    ) -> int:
        event_id = next(_ids)
        self.add(
            "events",
            event_id=event_id,
            child_id=child_id,
            agency_key=agency,
            agency_type=agency_type,
            event_type=event_type,
            occurred_on=day(on),
            significance=significance,
        )
        return event_id

    def plan(
        self,
        child_id: int,
        plan_type: str,
        started: str,
        ended: str | None = None,
        *,
        referral_id: int | None = None,
        end_reason: str | None = None,
        previous_cp_plans: int | None = None,
    ) -> int:
        plan_id = next(_ids)
        self.add(
            "plans",
            plan_id=plan_id,
            child_id=child_id,
            referral_id=referral_id,
            plan_type=plan_type,
            started_on=day(started),
            ended_on=day(ended) if ended else None,
            end_reason=end_reason,
            number_of_previous_cp_plans=previous_cp_plans,
        )
        return plan_id

    def referral(
        self,
        child_id: int,
        referred: str,
        closed: str | None = None,
        *,
        nfa: bool = False,
        neglect: bool = True,
    ) -> int:
        referral_id = next(_ids)
        self.add(
            "referrals",
            referral_id=referral_id,
            child_id=child_id,
            referred_on=day(referred),
            closed_on=day(closed) if closed else None,
            no_further_action=nfa,
            is_neglect_concern=neglect,
        )
        return referral_id

    def assessment(
        self, child_id: int, referral_id: int, started: str, authorised: str | None = None
    ) -> int:
        assessment_id = next(_ids)
        self.add(
            "assessments",
            assessment_id=assessment_id,
            child_id=child_id,
            referral_id=referral_id,
            assessment_type="child_and_family",
            started_on=day(started),
            authorised_on=day(authorised) if authorised else None,
        )
        return assessment_id

    def attendance(self, child_id: int, first_monday: str, rates: list[float]) -> Chronology:
        """Weekly attendance from the first six-week block boundary on or after the date."""
        start = day(first_monday)
        start += dt.timedelta(days=-(start - BLOCK_ORIGIN).days % 42)
        for i, rate in enumerate(rates):
            self.add(
                "attendance",
                child_id=child_id,
                week_start=start + dt.timedelta(weeks=i),
                sessions_possible=10,
                sessions_attended=round(10 * rate),
            )
        return self

    def tables(self) -> dict[str, pa.Table]:
        return {
            name: pa.Table.from_pylist(rows, schema=engine.EXTRACT[name])
            for name, rows in self.rows.items()
        }

    def fires(self, code: str, as_of: dt.date = AS_OF, **params: Any) -> list[dict[str, Any]]:
        """The rule's fires; ``params`` override its parameters as a partnership's set may."""
        rule = RULES[code]
        rule = engine.Rule(**{**rule.__dict__, "params": {**rule.params, **params}})
        con = duckdb.connect()
        engine.register_tables(con, self.tables())
        return engine.evaluate_rule(con, rule, as_of=as_of).to_pylist()
