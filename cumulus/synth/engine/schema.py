"""The tables the generator produces: names, columns and types, in one place.

Ids are positional integers. Children and adults share one person id space (children first),
so relationships and household memberships can refer to either. Columns marked *ground truth*
are what the generator knows and no agency would: they exist to test early warnings, indicators
and record linkage against the truth, and are never loaded into the case record.

Dates are ``date32``; times are UTC ``timestamp[us]``. Code columns hold DfE / Cumulus codes
from ``cumulus/codelists/data`` verbatim.
"""

from __future__ import annotations

import pyarrow as pa

ts = pa.timestamp("us", tz="UTC")
code = pa.string()

SCHEMAS: dict[str, pa.Schema] = {
    "agencies": pa.schema(
        [
            ("agency_key", pa.string()),  # stable key, e.g. "school_012", "police"
            ("name", pa.string()),
            ("agency_type", pa.string()),  # cumulus.accounts.models.AgencyType value
        ]
    ),
    "neighbourhoods": pa.schema(
        [
            ("lsoa_id", pa.int32()),
            ("lsoa_code", pa.string()),  # fictional "E0199xxxx"
            ("locality", pa.string()),
            ("imd_decile", pa.int8()),  # 1 most deprived .. 10 least
            ("income_deprived_share", pa.float32()),  # share of people income-deprived
        ]
    ),
    "households": pa.schema(
        [
            ("household_id", pa.int32()),
            ("lsoa_id", pa.int32()),
            ("address_line_1", pa.string()),
            ("postcode", pa.string()),
            ("moved_on", pa.date32()),  # null if the family did not move in the period
            ("previous_address_line_1", pa.string()),
            ("previous_postcode", pa.string()),
            ("in_poverty", pa.bool_()),  # ground truth: income-deprived household
            ("domestic_abuse", pa.bool_()),
            ("parental_mental_health", pa.bool_()),
            ("substance_misuse", pa.bool_()),
            ("parental_learning_disability", pa.bool_()),
            ("parental_care_experience", pa.bool_()),  # parent was looked after / ACEs
            ("large_family", pa.bool_()),  # four or more children
            ("relapse_prone", pa.bool_()),  # ground truth: neglect tends to recur
        ]
    ),
    "adults": pa.schema(
        [
            ("person_id", pa.int64()),
            ("household_id", pa.int32()),
            ("given_name", pa.string()),
            ("family_name", pa.string()),
            ("sex", pa.string()),  # M / F
            ("date_of_birth", pa.date32()),
            ("relationship_type", pa.string()),  # parent / step_parent / carer
        ]
    ),
    "children": pa.schema(
        [
            ("person_id", pa.int64()),  # also the child id
            ("household_id", pa.int32()),
            ("la_child_id", pa.string()),
            ("given_name", pa.string()),
            ("family_name", pa.string()),
            ("former_family_name", pa.string()),  # null unless the name changed
            ("sex", pa.string()),  # M / F
            ("date_of_birth", pa.date32()),  # or expected date, for a child unborn at the end
            ("nhs_number", pa.string()),  # null for a child unborn at the end
            ("upn", pa.string()),  # null until the child reaches school age
            ("ethnicity", code),
            ("disability", code),  # CIN census disability code; NONE if none
            ("has_send", pa.bool_()),
            ("young_carer", pa.bool_()),
            ("neglect_proneness", pa.float32()),  # ground truth: latent propensity
        ]
    ),
    "relationships": pa.schema(
        [
            ("person_id", pa.int64()),
            ("relative_id", pa.int64()),
            ("relationship_type", pa.string()),  # parent / sibling / ...
            ("has_parental_responsibility", pa.bool_()),
        ]
    ),
    # Ground truth: the latent state of each child in each month of the period.
    "need_states": pa.schema(
        [
            ("person_id", pa.int64()),
            ("month", pa.date32()),  # first day of the month
            ("neglect_level", pa.int8()),  # 0 none, 1 emerging, 2 significant, 3 severe
            ("neglect_type", pa.string()),  # dominant Horwath type when level > 0
            ("material_need", pa.bool_()),  # unmet need from lack of money (not neglect)
        ]
    ),
    "events": pa.schema(
        [
            ("event_id", pa.int64()),
            ("person_id", pa.int64()),
            ("agency_key", pa.string()),
            ("event_type", code),  # chronology_event_type code
            ("occurred_at", ts),
            ("significance", pa.string()),  # low / medium / high
            ("neglect_type", pa.string()),  # null when the event is not about neglect
        ]
    ),
    # One row per child per school (or childcare) week: sessions possible and attended.
    "attendance": pa.schema(
        [
            ("person_id", pa.int64()),
            # Dictionary-encoded: tens of millions of rows name a few hundred schools.
            ("agency_key", pa.dictionary(pa.int16(), pa.string())),
            ("week_start", pa.date32()),  # a Monday
            ("sessions_possible", pa.int8()),
            ("sessions_attended", pa.int8()),
        ]
    ),
    "involvements": pa.schema(
        [
            ("person_id", pa.int64()),
            ("agency_key", pa.string()),
            ("role", pa.string()),
            ("started_on", pa.date32()),
            ("ended_on", pa.date32()),
        ]
    ),
    "contacts": pa.schema(
        [
            ("contact_id", pa.int64()),
            ("person_id", pa.int64()),
            ("agency_key", pa.string()),
            ("received_on", pa.date32()),
            ("is_neglect_concern", pa.bool_()),
        ]
    ),
    "referrals": pa.schema(
        [
            ("referral_id", pa.int64()),
            ("person_id", pa.int64()),
            ("contact_id", pa.int64()),
            ("referred_on", pa.date32()),
            ("source", code),
            ("primary_need", code),
            ("is_neglect_concern", pa.bool_()),
            ("no_further_action", pa.bool_()),
            ("closed_on", pa.date32()),
            ("closure_reason", code),
        ]
    ),
    "assessments": pa.schema(
        [
            ("assessment_id", pa.int64()),
            ("person_id", pa.int64()),
            ("referral_id", pa.int64()),  # null for an early help assessment
            ("assessment_type", pa.string()),  # early_help / child_and_family / section_47
            ("started_on", pa.date32()),
            ("authorised_on", pa.date32()),
            ("initial_conference_on", pa.date32()),
            ("factors", pa.list_(code)),
        ]
    ),
    "plans": pa.schema(
        [
            ("plan_id", pa.int64()),
            ("person_id", pa.int64()),
            ("referral_id", pa.int64()),
            (
                "plan_type",
                pa.string(),
            ),  # early_help / child_in_need / child_protection / looked_after
            ("started_on", pa.date32()),
            ("ended_on", pa.date32()),
            ("initial_category", code),
            ("latest_category", code),
            ("number_of_previous_cp_plans", pa.int16()),
            ("end_reason", pa.string()),  # step_down / step_up / outcomes_met / ...
        ]
    ),
    "reviews": pa.schema(
        [
            ("review_id", pa.int64()),
            ("plan_id", pa.int64()),
            ("held_on", pa.date32()),
        ]
    ),
    "practitioners": pa.schema(
        [
            ("practitioner_id", pa.int32()),
            ("agency_key", pa.string()),
            ("username", pa.string()),
            ("given_name", pa.string()),
            ("family_name", pa.string()),
            ("role", pa.string()),  # cumulus.accounts.models.Role value
        ]
    ),
    "training_sessions": pa.schema(
        [
            ("session_id", pa.int32()),
            ("course", pa.string()),  # neglect_basic / neglect_advanced / gcp2 / ...
            ("held_on", pa.date32()),
            ("places", pa.int16()),
        ]
    ),
    "training_bookings": pa.schema(
        [
            ("session_id", pa.int32()),
            ("practitioner_id", pa.int32()),
            ("attended", pa.bool_()),
            ("confidence_before", pa.int8()),  # 1-5, null if not attended
            ("confidence_after", pa.int8()),
        ]
    ),
    "tool_uses": pa.schema(
        [
            ("person_id", pa.int64()),
            ("tool", pa.string()),  # gcp2 / day_in_my_life / impact_chronology / sdq / ...
            ("completed_on", pa.date32()),
            ("practitioner_id", pa.int32()),
        ]
    ),
    "audits": pa.schema(
        [
            ("audit_id", pa.int32()),
            ("theme", pa.string()),
            ("held_on", pa.date32()),
            ("person_id", pa.int64()),
            ("agency_key", pa.string()),
            ("voice_of_child_evident", pa.bool_()),
            ("gcp2_used", pa.bool_()),
            ("grade", pa.string()),  # outstanding / good / requires_improvement / inadequate
        ]
    ),
    # Monthly education status of every 16-17 year old (the LA's NEET tracking).
    "education_status": pa.schema(
        [
            ("person_id", pa.int64()),
            ("month", pa.date32()),  # first of the month the status is for
            ("is_neet", pa.bool_()),
        ]
    ),
    # Rapid reviews of serious incidents and the practice reviews (cspr) that follow some.
    "learning_reviews": pa.schema(
        [
            ("review_id", pa.int32()),
            ("held_on", pa.date32()),
            ("kind", pa.string()),  # rapid_review / cspr
            ("person_id", pa.int64()),
            ("features_neglect", pa.bool_()),
        ]
    ),
    # What one agency holds about the children it sees, with that agency's errors.
    "feed_records": pa.schema(
        [
            ("record_id", pa.int64()),
            ("agency_key", pa.string()),
            ("source_record_id", pa.string()),
            ("given_name", pa.string()),
            ("family_name", pa.string()),
            ("date_of_birth", pa.date32()),
            ("sex", pa.string()),
            ("postcode", pa.string()),
            ("nhs_number", pa.string()),
            ("upn", pa.string()),
            ("true_person_id", pa.int64()),  # ground truth for linkage tests
            ("noise", pa.list_(pa.string())),  # ground truth: which corruptions were applied
        ]
    ),
}

TABLES = tuple(SCHEMAS)
