"""Build the analytical extract from the synthetic partnership's Parquet (``cumulus synth --out``).

This is the source for large benchmark runs (loading 300k children into the operational
database is slow on a shared machine) and the only source, for now, of the tables the
operational model does not hold yet: training, tool uses and audits, young people's education
status (NEET) and learning reviews. Ground-truth columns
(latent neglect, poverty flags) are never read.
"""

# ruff: noqa: S608, E501 - names come from the constants below and the synth's own files.

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from cumulus.analytics.extract_store import derive_flags, write_tables
from cumulus.analytics.pseudonym import key_map
from cumulus.analytics.schema import NO_SOURCE_YET, empty

HOUSEHOLD_FACTORS = (
    "domestic_abuse",
    "parental_mental_health",
    "substance_misuse",
    "parental_learning_disability",
    "parental_care_experience",
)

_QUERIES: dict[str, str] = {
    "children": """
        select k.key as child_key,
          case when c.nhs_number is null and c.date_of_birth > {end} then null
               else c.date_of_birth end as birth_on,
          case when c.nhs_number is null and c.date_of_birth > {end} then c.date_of_birth
               end as expected_birth_on,
          case when c.nhs_number is null and c.date_of_birth > {end} then 'U' else c.sex end
            as sex,
          c.ethnicity, coalesce(c.disability, 'NONE') as disability, n.locality,
          cast(n.imd_decile as bigint) as imd_decile,
          cast(null as date) as resident_from, cast(null as date) as resident_to
        from src_children c join child_keys k on k.id = c.person_id
        join src_households h using (household_id) join src_neighbourhoods n using (lsoa_id)""",
    "contacts": """
        select ck.key as contact_key, k.key as child_key, c.received_on,
          a.agency_type, c.is_neglect_concern as is_neglect
        from src_contacts c join child_keys k on k.id = c.person_id
        join contact_keys ck on ck.id = c.contact_id join src_agencies a using (agency_key)""",
    "referrals": """
        select rk.key as referral_key, k.key as child_key, r.referred_on, r.source,
          r.primary_need, r.is_neglect_concern as is_neglect, r.no_further_action, r.closed_on,
          r.closure_reason, coalesce(a.agency_type, 'childrens_social_care') as agency_type
        from src_referrals r join child_keys k on k.id = r.person_id
        join referral_keys rk on rk.id = r.referral_id
        left join src_contacts c using (contact_id) left join src_agencies a using (agency_key)""",
    "assessments": """
        select ak.key as assessment_key, k.key as child_key, rk.key as referral_key,
          s.assessment_type, s.started_on, s.authorised_on, s.initial_conference_on,
          case when s.assessment_type = 'early_help' then 'early_help'
               else 'childrens_social_care' end as agency_type,
          coalesce(list_contains(s.factors, '16A'), false) as is_neglect
        from src_assessments s join child_keys k on k.id = s.person_id
        join assessment_keys ak on ak.id = s.assessment_id
        left join referral_keys rk on rk.id = s.referral_id""",
    "assessment_factors": """
        select ak.key as assessment_key, f.factor from (
          select assessment_id, unnest(factors) as factor from src_assessments) f
        join assessment_keys ak on ak.id = f.assessment_id""",
    "plans": """
        select pk.key as plan_key, k.key as child_key, rk.key as referral_key, p.plan_type,
          p.started_on, p.ended_on, p.initial_category, p.latest_category,
          cast(p.number_of_previous_cp_plans as bigint) as number_of_previous_cp_plans,
          p.end_reason,
          case when p.plan_type = 'early_help' then 'early_help'
               else 'childrens_social_care' end as agency_type,
          false as is_neglect
        from src_plans p join child_keys k on k.id = p.person_id
        join plan_keys pk on pk.id = p.plan_id left join referral_keys rk on rk.id = p.referral_id""",
    "reviews": """
        select rv.key as review_key, pk.key as plan_key, r.held_on
        from src_reviews r join plan_keys pk on pk.id = r.plan_id
        join review_keys rv on rv.id = r.review_id""",
    "events": """
        select k.key as child_key, a.agency_type, e.event_type,
          cast(e.occurred_at as date) as occurred_on, e.neglect_type
        from src_events e join child_keys k on k.id = e.person_id
        join src_agencies a using (agency_key)""",
    "attendance": """
        select k.key as child_key,
          case when a.agency_type = 'early_years' then 'early_years' else 'school' end
            as setting_type,
          w.week_start, cast(w.sessions_possible as bigint) as sessions_possible,
          cast(w.sessions_attended as bigint) as sessions_attended
        from src_attendance w join child_keys k on k.id = w.person_id
        join src_agencies a on a.agency_key = cast(w.agency_key as varchar)""",
    "household_factors": " union all ".join(
        f"""select k.key as child_key, '{factor}' as factor from src_children c
        join child_keys k on k.id = c.person_id join src_households h using (household_id)
        where h.{factor}"""
        for factor in HOUSEHOLD_FACTORS
    ),
    "training_sessions": """
        select cast(session_id as bigint) as session_key, course, held_on,
          cast(places as bigint) as places from src_training_sessions""",
    "training_bookings": """
        select cast(b.session_id as bigint) as session_key, pk.key as practitioner_key,
          a.agency_type, b.attended, cast(b.confidence_before as bigint) as confidence_before,
          cast(b.confidence_after as bigint) as confidence_after
        from src_training_bookings b join src_practitioners p using (practitioner_id)
        join practitioner_keys pk on pk.id = b.practitioner_id
        join src_agencies a using (agency_key)""",
    "tool_uses": """
        select cast(row_number() over (order by t.person_id, t.completed_on, t.tool) as bigint)
            as tool_use_key, k.key as child_key, t.tool, t.completed_on, a.agency_type
        from src_tool_uses t join child_keys k on k.id = t.person_id
        left join src_practitioners p using (practitioner_id)
        left join src_agencies a using (agency_key)""",
    "audits": """
        select cast(u.audit_id as bigint) as audit_key, k.key as child_key, u.held_on,
          a.agency_type, u.voice_of_child_evident, u.gcp2_used
        from src_audits u join child_keys k on k.id = u.person_id
        join src_agencies a using (agency_key)""",
    "education_status": """
        select k.key as child_key, e.month, e.is_neet
        from src_education_status e join child_keys k on k.id = e.person_id""",
    "learning_reviews": """
        select cast(review_id as bigint) as review_key, held_on, kind, features_neglect
        from src_learning_reviews""",
}

_KEYS = {
    "child_keys": ("child", "children", "person_id"),
    "contact_keys": ("contact", "contacts", "contact_id"),
    "referral_keys": ("referral", "referrals", "referral_id"),
    "assessment_keys": ("assessment", "assessments", "assessment_id"),
    "plan_keys": ("plan", "plans", "plan_id"),
    "review_keys": ("review", "reviews", "review_id"),
    "practitioner_keys": ("practitioner", "practitioners", "practitioner_id"),
}


def synth_tables(parquet_dir: Path, *, secret: bytes) -> dict[str, pa.Table]:
    """The analytical tables (before derived flags) from a ``cumulus synth --out`` directory."""
    con = duckdb.connect()
    for path in sorted(parquet_dir.glob("*.parquet")):
        con.execute(
            f"create view src_{path.stem} as select * from read_parquet('{path.as_posix()}')"
        )
    for view, (kind, table, column) in _KEYS.items():
        ids = pq.read_table(parquet_dir / f"{table}.parquet", columns=[column]).column(column)
        con.register(view, key_map(kind, ids, secret=secret))
    end = con.execute("select max(referred_on) from src_referrals").fetchall()[0]
    end_sql = f"date '{end[0]}'" if end and end[0] else "current_date"
    tables = {
        name: con.sql(sql.format(end=end_sql)).to_arrow_table() for name, sql in _QUERIES.items()
    }
    for name in NO_SOURCE_YET:
        tables.setdefault(name, empty(name))
    return tables


def extract_from_synth(parquet_dir: Path, database: Path | str, *, secret: bytes) -> None:
    """Write the full extract into the DuckDB file ``database`` (replacing what is there)."""
    con = duckdb.connect(str(database))
    try:
        write_tables(con, synth_tables(parquet_dir, secret=secret))
        derive_flags(con)
    finally:
        con.close()
