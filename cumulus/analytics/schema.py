"""The analytical extract: pseudonymised tables every indicator is written against.

Keys are stable pseudonyms (``*_key``, int64), never the operational ids; there are no names,
addresses or identifiers (NHS number, UPN, LA child id). Dates of birth stay exact because ages
on a date (turning 18 mid-period, unborn children) decide what is counted. Agencies appear only
as their type. Derived flags (``is_neglect``) are computed once, when the extract is built, so
every indicator agrees on what "a neglect plan" is.

Tables marked *no source yet* are expected by indicators but nothing in the operational model
fills them; the synthetic partnership's Parquet fills those it has (tool uses).
"""

from __future__ import annotations

import ibis
import ibis.expr.schema as sch
import pyarrow as pa

TABLES: dict[str, sch.Schema] = {
    "children": ibis.schema(
        {
            "child_key": "int64",
            "birth_on": "date",  # null for a child still unborn
            "expected_birth_on": "date",
            "sex": "string",  # M / F / U
            "ethnicity": "string",  # CIN census code
            "disability": "string",  # NONE or a CIN census disability code
            "locality": "string",
            "imd_decile": "int64",
            "resident_from": "date",  # null: resident since before the extract's period
            "resident_to": "date",  # null: still resident
        }
    ),
    "contacts": ibis.schema(
        {
            "contact_key": "int64",
            "child_key": "int64",
            "received_on": "date",
            "agency_type": "string",
            "is_neglect": "boolean",
        }
    ),
    "referrals": ibis.schema(
        {
            "referral_key": "int64",
            "child_key": "int64",
            "referred_on": "date",
            "source": "string",
            "primary_need": "string",
            "is_neglect": "boolean",
            "no_further_action": "boolean",
            "closed_on": "date",
            "closure_reason": "string",
            "agency_type": "string",  # the referring agency's type
        }
    ),
    "assessments": ibis.schema(
        {
            "assessment_key": "int64",
            "child_key": "int64",
            "referral_key": "int64",
            "assessment_type": "string",  # early_help / child_and_family / section_47
            "started_on": "date",
            "authorised_on": "date",
            "initial_conference_on": "date",
            "agency_type": "string",
            "is_neglect": "boolean",  # factor 16A, or (early help) a neglect concern before
        }
    ),
    "assessment_factors": ibis.schema({"assessment_key": "int64", "factor": "string"}),
    "plans": ibis.schema(
        {
            "plan_key": "int64",
            "child_key": "int64",
            "referral_key": "int64",
            "plan_type": "string",  # early_help / child_in_need / child_protection / looked_after
            "started_on": "date",
            "ended_on": "date",
            "initial_category": "string",
            "latest_category": "string",
            "number_of_previous_cp_plans": "int64",
            "end_reason": "string",
            "agency_type": "string",
            "is_neglect": "boolean",  # CP: category NEG; others: neglect referral/assessment
        }
    ),
    "reviews": ibis.schema({"review_key": "int64", "plan_key": "int64", "held_on": "date"}),
    "events": ibis.schema(
        {
            "child_key": "int64",
            "agency_type": "string",
            "event_type": "string",  # chronology_event_type code
            "occurred_on": "date",
            "neglect_type": "string",
        }
    ),
    "attendance": ibis.schema(
        {
            "child_key": "int64",
            "setting_type": "string",  # school / early_years
            "week_start": "date",
            "sessions_possible": "int64",
            "sessions_attended": "int64",
        }
    ),
    "household_factors": ibis.schema({"child_key": "int64", "factor": "string"}),
    # Training (cumulus.training) and audits (cumulus.audits, agreed grades) come from the
    # operational database; tool uses still only from the synthetic partnership's Parquet.
    "training_sessions": ibis.schema(
        {"session_key": "int64", "course": "string", "held_on": "date", "places": "int64"}
    ),
    "training_bookings": ibis.schema(
        {
            "session_key": "int64",
            "practitioner_key": "int64",
            "agency_type": "string",
            "attended": "boolean",
            "confidence_before": "int64",
            "confidence_after": "int64",
        }
    ),
    # One completed use of a neglect tool: an instrument assessment (gcp2, day_in_my_life, sdq,
    # signs_of_safety_mapping, ...) or an impact written on a chronology event
    # (impact_chronology). ``tool_use_key`` lets an incremental extract replace a changed use.
    "tool_uses": ibis.schema(
        {
            "tool_use_key": "int64",
            "child_key": "int64",
            "tool": "string",
            "completed_on": "date",
            "agency_type": "string",
        }
    ),
    "audits": ibis.schema(
        {
            "audit_key": "int64",
            "child_key": "int64",
            "held_on": "date",
            "agency_type": "string",
            "voice_of_child_evident": "boolean",
            "gcp2_used": "boolean",
        }
    ),
    # Education status: one row per child and month, from cumulus.participation or the
    # Parquet; ``is_neet`` null when the status is "not known". Learning reviews: from
    # cumulus.learning or the Parquet.
    "education_status": ibis.schema({"child_key": "int64", "month": "date", "is_neet": "boolean"}),
    "learning_reviews": ibis.schema(
        {"review_key": "int64", "held_on": "date", "kind": "string", "features_neglect": "boolean"}
    ),
}

NO_SOURCE_YET: tuple[str, ...] = ()  # every table now has at least the synthetic source
SYNTH_ONLY_OUTCOMES: tuple[str, ...] = ()  # education status now from cumulus.participation
FROM_SYNTH_ONLY: tuple[str, ...] = ()  # tool uses now come from cumulus.instruments


def unbound(name: str) -> ibis.Table:
    """The unbound Ibis table ``name``: bound to a backend only when executed."""
    return ibis.table(TABLES[name], name=name)


def arrow_schema(name: str) -> pa.Schema:
    """The Arrow schema of table ``name`` (to build empty tables and check loads)."""
    return TABLES[name].to_pyarrow()


def empty(name: str) -> pa.Table:
    """An empty Arrow table with ``name``'s schema."""
    return arrow_schema(name).empty_table()
