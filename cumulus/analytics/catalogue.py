"""The indicator catalogue: every indicator the five strategies and DfE name, defined once.

Each entry says what it means (for the definition page, the booklet and docs/indicators.md,
all generated from here) and how it is counted: ``build`` is an Ibis expression over the
unbound extract tables (``engine.Tables``), so it runs unchanged on DuckDB and Spark. The
helpers (``flow``, ``open_at``, ``working_days``, ``shape``) live in ``engine``.
"""

# ruff: noqa: E501 - definitions are prose, kept on one line each so they read as written.

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from cumulus.analytics.engine import (
    Indicator,
    Tables,
    age_on,
    flow,
    md,
    open_at,
    shape,
    summary,
    working_days,
)

CATALOGUE: dict[str, Indicator] = {}

RISES_FIRST = (
    "May rise at first as recognition improves: a rise is not on its own a sign of worse "
    "practice or more neglect."
)
STATUTORY = ("child_in_need", "child_protection")
NEGLECT_PLAN_TYPES = ("early_help", "child_in_need", "child_protection")
NEGLECT_COURSES = ("neglect_basic", "neglect_advanced")
TOOLKIT = ("day_in_my_life", "impact_chronology", "signs_of_safety_mapping", "sdq", "genogram")
ALL_BREAKDOWNS = (
    "agency",
    "age_band",
    "sex",
    "ethnicity",
    "disability",
    "locality",
    "deprivation_decile",
)
CHILD_ONLY = ALL_BREAKDOWNS[1:]
AGENCY_ONLY = ("agency",)


def _add(**kwargs: Any) -> None:
    ind = Indicator(**kwargs)
    if ind.id in CATALOGUE:
        raise ValueError(f"indicator {ind.id!r} defined twice")
    CATALOGUE[ind.id] = ind


# ---- building blocks ----------------------------------------------------------------------


def _cp(t: Tables) -> ir.Table:
    return t.plans.filter(t.plans.plan_type == "child_protection")


def _plans(t: Tables, kind: str) -> ir.Table:
    return t.plans.filter(t.plans.plan_type == kind)


def _assessments(t: Tables, kind: str) -> ir.Table:
    return t.assessments.filter(t.assessments.assessment_type == kind)


@summary("neglect_cohort")
def _neglect_cohort_summary(t: Tables) -> ir.Table:
    """Children with an open early help, CIN or CP plan for neglect at each period end."""
    p = t.plans.filter(t.plans.is_neglect & t.plans.plan_type.isin(NEGLECT_PLAN_TYPES))
    j = open_at(t, p, "started_on", "ended_on")
    return j.group_by(["period_end", "child_key"]).aggregate(
        since=j.started_on.min(), ref_on=j.ref_on.max()
    )


def _neglect_cohort(t: Tables) -> ir.Table:
    """The neglect cohort (six indicators read it: worked out once per run)."""
    return t.neglect_cohort


def _with_previous(table: ir.Table, date: str, key: str, column: str, name: str) -> ir.Table:
    w = ibis.window(group_by=table.child_key, order_by=[table[date], table[key]])
    return table.mutate(**{name: table[column].lag().over(w)})


def _bookings(t: Tables, courses: tuple[str, ...]) -> ir.Table:
    s = t.training_sessions.filter(t.training_sessions.course.isin(courses))
    b = t.training_bookings.filter(t.training_bookings.attended)
    return b.inner_join(s, "session_key")


def _events(t: Tables, *types: str) -> ir.Table:
    return t.events.filter(t.events.event_type.isin(types))


def _age_at(t: Tables, j: ir.Table) -> ir.Table:
    c = t.children.select(_k="child_key", _birth="birth_on")
    j = j.left_join(c, j.child_key == c._k)
    return j.mutate(
        _age=ibis.ifelse(
            j._birth.notnull() & (j._birth <= j.ref_on), age_on(j._birth, j.ref_on), -1
        )
    )


def _cohort_with_tool(t: Tables, tools: tuple[str, ...]) -> ir.Table:
    cohort = _neglect_cohort(t)
    u = t.tool_uses.filter(t.tool_uses.tool.isin(tools)).select(_k="child_key", _on="completed_on")
    j = cohort.left_join(
        u,
        (cohort.child_key == u._k)
        & (u._on <= cohort.period_end)
        & (md(u._on) >= md(cohort.since) - 300),
    )
    g = j.group_by(["period_end", "child_key", "ref_on"]).aggregate(used=j._k.count())
    return shape(g, num=(g.used > 0).cast("int64"))


# ---- national (DfE children in need and looked-after statistics) ----------------------------


def _referrals(t: Tables) -> ir.Table:
    j = flow(t, t.referrals, "referred_on", "rolling_12_months")
    return shape(j, num=1, agency=j.agency_type)


_add(
    id="referrals",
    title="Referrals to children's social care",
    definition="Referrals to children's social care in the 12 months to the period end, per 10,000 children aged 0-17.",
    numerator="referrals received in the 12 months",
    denominator="children aged 0-17 living in the area at the period end",
    period="rolling_12_months",
    unit="per_10000",
    good="context",
    build=_referrals,
    seeds=("national",),
    sources=("referrals", "children"),
    national="632,830 referrals in England, year to 31 March 2025",
)


def _re_referrals(t: Tables) -> ir.Table:
    r = _with_previous(t.referrals, "referred_on", "referral_key", "referred_on", "previous_on")
    j = flow(t, r, "referred_on", "rolling_12_months")
    within = j.previous_on.notnull() & (md(j.referred_on) <= md(j.previous_on) + 1200)
    return shape(j, num=within.cast("int64"), agency=j.agency_type)


_add(
    id="re_referrals_within_12_months",
    title="Re-referrals within 12 months",
    definition="Referrals in the 12 months to the period end that came within 12 months of a previous referral of the same child, as a share of all referrals.",
    numerator="referrals within 12 months of the child's previous referral (any year, so windows cross the year end)",
    denominator="referrals in the 12 months",
    period="rolling_12_months",
    unit="percentage",
    good="down",
    build=_re_referrals,
    seeds=("national",),
    sources=("referrals",),
    national="22.6%, England, year to 31 March 2025",
)


def _children_in_need(t: Tables) -> ir.Table:
    r = t.referrals.filter(~t.referrals.no_further_action)
    j = open_at(t, r, "referred_on", "closed_on")
    return shape(j, num=1)


_add(
    id="children_in_need",
    title="Children in need at the period end",
    definition="Children with an open children in need episode (a referral not closed and not NFA) at the period end, per 10,000 children; the March value is DfE's 'at 31 March'.",
    numerator="children with an open episode at the period end",
    denominator="children aged 0-17 living in the area",
    period="snapshot",
    unit="per_10000",
    good="context",
    build=_children_in_need,
    seeds=("national",),
    count="children",
    breakdowns=CHILD_ONLY,
    sources=("referrals", "children"),
    national="402,400; 330.3 per 10,000 at 31 March 2025",
)


def _s47(t: Tables) -> ir.Table:
    j = flow(t, _assessments(t, "section_47"), "started_on", "rolling_12_months")
    return shape(j, num=1, agency=j.agency_type)


_add(
    id="section_47_enquiries",
    title="Section 47 enquiries",
    definition="Section 47 enquiries started in the 12 months to the period end, per 10,000 children.",
    numerator="s47 enquiries started in the 12 months",
    denominator="children aged 0-17 living in the area",
    period="rolling_12_months",
    unit="per_10000",
    good="context",
    build=_s47,
    seeds=("national",),
    breakdowns=CHILD_ONLY,
    sources=("assessments",),
    national="230,590 (about 189 per 10,000), year to 31 March 2025",
)


def _icpc(t: Tables) -> ir.Table:
    a = _assessments(t, "section_47")
    a = working_days(
        t, a.filter(a.initial_conference_on.notnull()), "started_on", "initial_conference_on", "wd"
    )
    j = flow(t, a, "initial_conference_on", "rolling_12_months")
    return shape(j, num=(j.wd <= 15).cast("int64"))


_add(
    id="icpc_within_15_working_days",
    title="Initial child protection conferences within 15 working days",
    definition="Initial child protection conferences held in the 12 months that were within 15 working days of the start of the section 47 enquiry.",
    numerator="ICPCs within 15 working days (England and Wales bank holidays excluded)",
    denominator="ICPCs held in the 12 months",
    period="rolling_12_months",
    unit="percentage",
    good="up",
    build=_icpc,
    seeds=("national",),
    breakdowns=CHILD_ONLY,
    caveat="Measured from the s47 start; strategy discussions are not recorded separately yet.",
    sources=("assessments",),
    national="about 81.4% of 72,100 ICPCs, year to 31 March 2025",
)


def _completed_assessments(t: Tables) -> ir.Table:
    a = _assessments(t, "child_and_family")
    a = working_days(t, a.filter(a.authorised_on.notnull()), "started_on", "authorised_on", "wd")
    return flow(t, a, "authorised_on", "rolling_12_months")


def _assessments_45(t: Tables) -> ir.Table:
    j = _completed_assessments(t)
    return shape(j, num=(j.wd <= 45).cast("int64"), agency=j.agency_type)


_add(
    id="assessments_within_45_working_days",
    title="Assessments completed within 45 working days",
    definition="Child and family assessments authorised in the 12 months that took 45 working days or fewer from start to authorisation.",
    numerator="assessments authorised within 45 working days",
    denominator="assessments authorised in the 12 months",
    period="rolling_12_months",
    unit="percentage",
    good="up",
    build=_assessments_45,
    seeds=("national",),
    breakdowns=CHILD_ONLY,
    sources=("assessments",),
    national="about 85.7% of 648,830, year to 31 March 2025",
)


def _assessment_median(t: Tables) -> ir.Table:
    j = _completed_assessments(t)
    return shape(j, num=1, value=j.wd)


_add(
    id="assessment_median_working_days",
    title="Median working days to complete an assessment",
    definition="The median number of working days from start to authorisation of child and family assessments authorised in the 12 months.",
    numerator="working days of each assessment authorised in the 12 months (the median is shown)",
    denominator="none",
    period="rolling_12_months",
    unit="median_working_days",
    good="down",
    build=_assessment_median,
    seeds=("national",),
    breakdowns=CHILD_ONLY,
    sources=("assessments",),
    national="33 working days, year to 31 March 2025",
)


def _cp_starting(t: Tables) -> ir.Table:
    j = flow(t, _cp(t), "started_on", "rolling_12_months")
    return shape(j, num=1)


_add(
    id="cp_plans_starting",
    title="Child protection plans starting",
    definition="Child protection plans that started in the 12 months, per 10,000 children.",
    numerator="CP plans starting in the 12 months",
    denominator="children aged 0-17 living in the area",
    period="rolling_12_months",
    unit="per_10000",
    good="context",
    build=_cp_starting,
    seeds=("national",),
    breakdowns=CHILD_ONLY,
    sources=("plans",),
    national="61,840 (about 50.6 per 10,000), year to 31 March 2025",
)


def _cp_open(t: Tables) -> ir.Table:
    j = open_at(t, _cp(t), "started_on", "ended_on")
    return shape(j, num=1)


_add(
    id="children_on_cp_plan",
    title="Children on a child protection plan at the period end",
    definition="Children on a child protection plan at the period end, per 10,000 children; the March value is DfE's 'at 31 March'.",
    numerator="children on a CP plan at the period end",
    denominator="children aged 0-17 living in the area",
    period="snapshot",
    unit="per_10000",
    good="context",
    build=_cp_open,
    seeds=("national",),
    count="children",
    breakdowns=CHILD_ONLY,
    sources=("plans",),
    national="49,420 (about 40.6 per 10,000) at 31 March 2025",
)


def _cp_starting_neglect(t: Tables) -> ir.Table:
    j = flow(t, _cp(t), "started_on", "rolling_12_months")
    return shape(j, num=(j.initial_category == "NEG").cast("int64"))


_add(
    id="cp_plans_starting_neglect_share",
    title="CP plans starting with neglect as the initial category",
    definition="The share of child protection plans starting in the 12 months whose initial category of abuse is neglect.",
    numerator="CP plans starting with initial category NEG",
    denominator="CP plans starting in the 12 months",
    period="rolling_12_months",
    unit="percentage",
    good="context",
    build=_cp_starting_neglect,
    seeds=("national", "newcastle", "norfolk"),
    breakdowns=CHILD_ONLY,
    sources=("plans",),
    national="around half of plans starting; Norfolk 63% against 48% nationally in 2019-20",
)


def _cp_open_neglect(t: Tables) -> ir.Table:
    j = open_at(t, _cp(t), "started_on", "ended_on")
    return shape(j, num=(j.initial_category == "NEG").cast("int64"))


_add(
    id="cp_plans_open_neglect_share",
    title="CP plans at the period end with neglect as the initial category",
    definition="The share of child protection plans open at the period end whose initial category is neglect.",
    numerator="open CP plans with initial category NEG",
    denominator="CP plans open at the period end",
    period="snapshot",
    unit="percentage",
    good="context",
    build=_cp_open_neglect,
    seeds=("national", "newcastle"),
    breakdowns=CHILD_ONLY,
    sources=("plans",),
    national="neglect 50.5% at 31 March 2020",
)


def _second_cp(t: Tables) -> ir.Table:
    j = flow(t, _cp(t), "started_on", "rolling_12_months")
    return shape(j, num=(j.number_of_previous_cp_plans.fill_null(0) >= 1).cast("int64"))


_add(
    id="second_or_subsequent_cp_plans",
    title="Second or subsequent child protection plans",
    definition="The share of child protection plans starting in the 12 months for a child who had a CP plan before (NumberOfPreviousCPP of 1 or more).",
    numerator="CP plans starting with one or more previous CP plans",
    denominator="CP plans starting in the 12 months",
    period="rolling_12_months",
    unit="percentage",
    good="down",
    build=_second_cp,
    seeds=("national",),
    breakdowns=CHILD_ONLY,
    sources=("plans",),
)


def _cp_two_years(t: Tables) -> ir.Table:
    p = _cp(t)
    j = flow(t, p.filter(p.ended_on.notnull()), "ended_on", "rolling_12_months")
    return shape(j, num=(md(j.ended_on) >= md(j.started_on) + 2400).cast("int64"))


_add(
    id="cp_plans_ending_after_2_years",
    title="CP plans ending that lasted 2 years or more",
    definition="The share of child protection plans ending in the 12 months that had lasted two years or more.",
    numerator="CP plans ending on or after their second anniversary",
    denominator="CP plans ending in the 12 months",
    period="rolling_12_months",
    unit="percentage",
    good="down",
    build=_cp_two_years,
    seeds=("national",),
    breakdowns=CHILD_ONLY,
    sources=("plans",),
    national="4.4%, year to 31 March 2025",
)


def _cp_reviews(t: Tables) -> ir.Table:
    p = _cp(t).select("plan_key", "child_key", "started_on", "ended_on")
    r = t.reviews.inner_join(p, "plan_key")
    w = ibis.window(group_by=r.plan_key, order_by=[r.held_on, r.review_key])
    r = r.mutate(previous_on=r.held_on.lag().over(w))
    late = ibis.ifelse(
        r.previous_on.isnull(),
        md(r.held_on) > md(r.started_on) + 300,
        md(r.held_on) > md(r.previous_on) + 600,
    )
    r = r.mutate(late=late.cast("int64")).select(_pk="plan_key", _held="held_on", _late="late")
    j = open_at(t, p, "started_on", "ended_on")
    j = j.filter(md(j.started_on) + 300 <= md(j.period_end))
    j = j.left_join(r, (j.plan_key == r._pk) & (r._held <= j.period_end))
    g = j.group_by(["period_end", "plan_key", "child_key", "started_on", "ref_on"]).aggregate(
        lates=j._late.sum().fill_null(0), last=j._held.max()
    )
    overdue = ibis.ifelse(
        g.last.isnull(),
        md(g.period_end) > md(g.started_on) + 300,
        md(g.period_end) > md(g.last) + 600,
    )
    return shape(g, num=((g.lates == 0) & ~overdue).cast("int64"))


_add(
    id="cp_reviews_within_timescale",
    title="Child protection reviews within timescale",
    definition="Of CP plans open at the period end for at least 3 months, the share whose reviews were all on time: the first within 3 months of the start, each later one within 6 months of the one before, and none overdue at the period end.",
    numerator="open CP plans with every review on time",
    denominator="CP plans open at the period end that started at least 3 months before",
    period="snapshot",
    unit="percentage",
    good="up",
    build=_cp_reviews,
    seeds=("national",),
    breakdowns=CHILD_ONLY,
    sources=("plans", "reviews"),
)


def _looked_after(t: Tables) -> ir.Table:
    j = open_at(t, _plans(t, "looked_after"), "started_on", "ended_on")
    return shape(j, num=1)


_add(
    id="children_looked_after",
    title="Children looked after at the period end",
    definition="Children looked after at the period end, per 10,000 children; the March value is DfE's 'at 31 March'.",
    numerator="children looked after at the period end",
    denominator="children aged 0-17 living in the area",
    period="snapshot",
    unit="per_10000",
    good="context",
    build=_looked_after,
    seeds=("national", "newcastle"),
    count="children",
    breakdowns=CHILD_ONLY,
    sources=("plans",),
    national="81,770; 67 per 10,000 at 31 March 2025",
)


def _factor_flags(t: Tables) -> ir.Table:
    f = t.assessment_factors
    return f.group_by("assessment_key").aggregate(
        neglect=(f.factor == "16A").any(),
        domestic_abuse=(f.factor == "3B").any(),
        mental_health=(f.factor == "4B").any(),
        substance=f.factor.isin(["1B", "2B"]).any(),
    )


def _assessments_with(t: Tables) -> ir.Table:
    a = _assessments(t, "child_and_family")
    a = a.filter(a.authorised_on.notnull())
    f = _factor_flags(t)
    a = a.left_join(f, "assessment_key")
    return flow(t, a, "authorised_on", "rolling_12_months")


def _assessments_16a(t: Tables) -> ir.Table:
    j = _assessments_with(t)
    return shape(j, num=j.neglect.fill_null(False).cast("int64"))


_add(
    id="assessments_with_neglect_factor",
    title="Assessments with neglect (factor 16A)",
    definition="The share of child and family assessments completed in the 12 months that record factor 16A, neglect.",
    numerator="completed assessments with factor 16A",
    denominator="child and family assessments completed in the 12 months",
    period="rolling_12_months",
    unit="percentage",
    good="context",
    build=_assessments_16a,
    seeds=("national",),
    breakdowns=CHILD_ONLY,
    sources=("assessments", "assessment_factors"),
)


def _toxic_trio(t: Tables) -> ir.Table:
    j = _assessments_with(t)
    trio = j.domestic_abuse & j.mental_health & j.substance
    return shape(j, num=trio.fill_null(False).cast("int64"))


_add(
    id="toxic_trio_co_occurring",
    title="Toxic trio factors co-occurring",
    definition="The share of completed child and family assessments recording all three of domestic abuse (3B), parental mental ill health (4B) and parental substance misuse (1B or 2B).",
    numerator="completed assessments with 3B, 4B and 1B or 2B",
    denominator="child and family assessments completed in the 12 months",
    period="rolling_12_months",
    unit="percentage",
    good="context",
    build=_toxic_trio,
    seeds=("national",),
    breakdowns=CHILD_ONLY,
    sources=("assessments", "assessment_factors"),
)

# ---- Newcastle (10.1 and 1.2) ---------------------------------------------------------------


def _eh_assessments_neglect(t: Tables) -> ir.Table:
    j = flow(t, _assessments(t, "early_help"), "started_on", "month")
    return shape(j, num=j.is_neglect.cast("int64"), agency=j.agency_type)


_add(
    id="early_help_assessments_neglect",
    title="Early help assessments where the primary concern is neglect",
    definition="Early help assessments started in the month where neglect is the concern: factor 16A recorded, or a neglect concern (contact or referral) in the 90 days before.",
    numerator="early help assessments for neglect started in the month",
    denominator="none",
    period="month",
    unit="count",
    good="up",
    caveat=RISES_FIRST,
    build=_eh_assessments_neglect,
    seeds=("newcastle", "bury"),
    sources=("assessments", "contacts", "referrals"),
)


def _repeat_cp_neglect(t: Tables) -> ir.Table:
    p = _cp(t)
    j = flow(t, p.filter(p.initial_category == "NEG"), "started_on", "rolling_12_months")
    return shape(j, num=(j.number_of_previous_cp_plans.fill_null(0) >= 1).cast("int64"))


_add(
    id="repeat_cp_plans_neglect",
    title="Repeat child protection plans under neglect",
    definition="The share of neglect CP plans (initial category NEG) starting in the 12 months that are a second or subsequent CP plan for the child; also Hillingdon's CP re-registrations under neglect.",
    numerator="neglect CP plans starting with one or more previous CP plans",
    denominator="neglect CP plans starting in the 12 months",
    period="rolling_12_months",
    unit="percentage",
    good="down",
    build=_repeat_cp_neglect,
    seeds=("newcastle", "hillingdon"),
    breakdowns=CHILD_ONLY,
    sources=("plans",),
)


def _referrals_after_assessment(t: Tables) -> ir.Table:
    r = t.referrals
    a = _assessments(t, "child_and_family")
    a = a.filter(a.authorised_on.notnull()).select(_k="child_key", _done="authorised_on")
    j = r.left_join(
        a,
        (r.child_key == a._k)
        & (a._done < r.referred_on)
        & (md(r.referred_on) <= md(a._done) + 1200),
    )
    g = j.group_by(["referral_key", "child_key", "referred_on", "agency_type"]).aggregate(
        after=j._k.count()
    )
    j2 = flow(t, g, "referred_on", "rolling_12_months")
    return shape(j2, num=(j2.after > 0).cast("int64"), agency=j2.agency_type)


_add(
    id="repeat_referrals_after_assessment",
    title="Repeat referrals after a completed child and family assessment",
    definition="The share of referrals in the 12 months for a child whose child and family (single) assessment was completed in the 12 months before the referral.",
    numerator="referrals within 12 months of the completion of an assessment of the same child",
    denominator="referrals in the 12 months",
    period="rolling_12_months",
    unit="percentage",
    good="down",
    build=_referrals_after_assessment,
    seeds=("newcastle", "hillingdon"),
    sources=("referrals", "assessments"),
)


@summary("cohort_attendance_months")
def _cohort_attendance_months(t: Tables) -> ir.Table:
    """Attendance summed by child, setting and month, for children ever in the neglect cohort.

    Every indicator reading attendance counts only cohort children, so the weeks of everyone
    else (most of the table) are skipped once here rather than aggregated per indicator.
    """
    keys = t.neglect_cohort.select(_k="child_key").distinct()
    a = t.attendance.semi_join(keys, t.attendance.child_key == keys._k)
    # Weeks summed by the month they start in first: periods are whole months, so a week
    # falls in the same periods as its month, and the join to 12-month windows is 4x smaller.
    return a.group_by(
        child_key=a.child_key,
        setting_type=a.setting_type,
        month=ibis.date(a.week_start.year(), a.week_start.month(), 1),
    ).aggregate(
        sessions_possible=a.sessions_possible.sum(), sessions_attended=a.sessions_attended.sum()
    )


def _attendance_in(t: Tables, setting: str, period: str) -> ir.Table:
    """Sessions possible and attended in each period, by neglect-cohort child."""
    a = t.cohort_attendance_months
    a = a.filter(a.setting_type == setting)
    j = flow(t, a, "month", period)  # type: ignore[arg-type]
    return j.group_by(["period_end", "child_key"]).aggregate(
        possible=j.sessions_possible.sum(), attended=j.sessions_attended.sum()
    )


def _persistent_absence_neglect(t: Tables) -> ir.Table:
    cohort = _neglect_cohort(t)
    att = _attendance_in(t, "school", "rolling_12_months").rename(_pe="period_end", _k="child_key")
    j = cohort.inner_join(att, (cohort.period_end == att._pe) & (cohort.child_key == att._k))
    j = j.filter(j.possible > 0)
    return shape(j, num=(10 * (j.possible - j.attended) >= j.possible).cast("int64"))


_add(
    id="persistent_absence_neglect",
    title="Persistent school absence of children with a neglect plan",
    definition="Of children with an open early help, CIN or CP plan for neglect at the period end and school sessions in the 12 months, the share who missed 10% or more of possible sessions.",
    numerator="those children persistently absent (10%+ of possible sessions missed in the 12 months)",
    denominator="children with a neglect plan and school sessions in the 12 months",
    period="snapshot",
    unit="percentage",
    good="down",
    build=_persistent_absence_neglect,
    seeds=("newcastle",),
    breakdowns=CHILD_ONLY,
    sources=("plans", "attendance"),
)


def _training_count(courses: tuple[str, ...]) -> Any:
    def build(t: Tables) -> ir.Table:
        b = _bookings(t, courses)
        j = flow(t, b, "held_on", "month")
        return shape(j, num=1, agency=j.agency_type, child_key=ibis.null("int64"))

    return build


_add(
    id="neglect_training_uptake",
    title="Neglect recognition training uptake by agency",
    definition="Places attended on multi- and single-agency neglect training (basic and advanced) in the month, by the attendee's agency.",
    numerator="attended places on neglect courses in the month",
    denominator="none",
    period="month",
    unit="count",
    good="up",
    build=_training_count(NEGLECT_COURSES),
    seeds=("newcastle", "bury"),
    breakdowns=AGENCY_ONLY,
    caveat="From the training app's bookings and attendance (cumulus.training); cancelled bookings are not counted.",
    sources=("training_sessions", "training_bookings"),
)


def _training_evaluation(t: Tables) -> ir.Table:
    b = _bookings(t, NEGLECT_COURSES)
    b = b.filter(b.confidence_before.notnull() & b.confidence_after.notnull())
    j = flow(t, b, "held_on", "month")
    return shape(
        j,
        num=(j.confidence_after > j.confidence_before).cast("int64"),
        agency=j.agency_type,
        child_key=ibis.null("int64"),
    )


_add(
    id="neglect_training_evaluation",
    title="Practitioner evaluation of neglect training",
    definition="The share of practitioners attending neglect training in the month whose self-rated confidence (1 to 5) was higher after the course than before: the training's impact.",
    numerator="attendees whose confidence rose",
    denominator="attendees who rated their confidence before and after",
    period="month",
    unit="percentage",
    good="up",
    build=_training_evaluation,
    seeds=("newcastle", "bury"),
    breakdowns=AGENCY_ONLY,
    sources=("training_sessions", "training_bookings"),
)


def _immunisations(t: Tables) -> ir.Table:
    j = flow(t, _events(t, "health.immunisation_missed"), "occurred_on", "rolling_12_months")
    return shape(j, num=1)


_add(
    id="immunisations_missed",
    title="Children with a missed routine immunisation",
    definition="Children with a routine immunisation recorded as missed in the 12 months, per 10,000 children: the inverse of uptake, which needs every immunisation given.",
    numerator="children with a missed immunisation in the 12 months",
    denominator="children aged 0-17 living in the area",
    period="rolling_12_months",
    unit="per_10000",
    good="down",
    build=_immunisations,
    seeds=("newcastle",),
    count="children",
    breakdowns=CHILD_ONLY,
    caveat="Health feeds record missed immunisations, not every one given, so uptake itself is not computed.",
    sources=("events",),
)


def _mandated_checks(t: Tables) -> ir.Table:
    e = t.events.filter(
        (t.events.event_type == "health.mandated_check")
        | (
            (t.events.event_type == "health.was_not_brought")
            & (t.events.agency_type == "health_visiting")
        )
    )
    j = flow(t, e, "occurred_on", "month")
    return shape(
        j, num=(j.event_type == "health.mandated_check").cast("int64"), agency=j.agency_type
    )


_add(
    id="health_visitor_mandated_checks",
    title="Completion of health visitor mandated checks",
    definition="Of health visiting appointments in the month (mandated checks done, and children not brought to health visiting), the share that were completed checks.",
    numerator="mandated checks completed in the month",
    denominator="mandated checks completed plus health visiting appointments the child was not brought to",
    period="month",
    unit="percentage",
    good="up",
    build=_mandated_checks,
    seeds=("newcastle",),
    breakdowns=CHILD_ONLY,
    sources=("events",),
)


def _neglect_cp_rate(t: Tables) -> ir.Table:
    p = _cp(t)
    j = flow(t, p.filter(p.initial_category == "NEG"), "started_on", "rolling_12_months")
    return shape(j, num=1)


_add(
    id="neglect_cp_plans_starting_rate",
    title="Children becoming subject of a neglect CP plan",
    definition="CP plans with initial category neglect starting in the 12 months, per 10,000 children, for comparison with national and statistical neighbours.",
    numerator="neglect CP plans starting in the 12 months",
    denominator="children aged 0-17 living in the area",
    period="rolling_12_months",
    unit="per_10000",
    good="context",
    build=_neglect_cp_rate,
    seeds=("newcastle", "norfolk"),
    breakdowns=CHILD_ONLY,
    sources=("plans",),
    national="Newcastle 2014-15: 34 per 10,000; England 23.2; statistical neighbours 36.4",
)

# ---- Hillingdon (7.1) -----------------------------------------------------------------------


def _voice(t: Tables) -> ir.Table:
    j = flow(t, t.audits, "held_on", "rolling_12_months")
    return shape(j, num=j.voice_of_child_evident.cast("int64"), agency=j.agency_type)


_add(
    id="voice_of_child_in_audits",
    title="Voice of the child evident in audited cases",
    definition="The share of cases audited in the 12 months (multi-agency neglect audits) where the voice of the child was evident.",
    numerator="audited cases with the voice of the child evident",
    denominator="cases audited in the 12 months",
    period="rolling_12_months",
    unit="percentage",
    good="up",
    build=_voice,
    seeds=("hillingdon",),
    caveat="Only cases whose grades were agreed at moderation are counted (cumulus.audits).",
    sources=("audits",),
)


def _gcp2_in_audits(t: Tables) -> ir.Table:
    j = flow(t, t.audits, "held_on", "rolling_12_months")
    return shape(j, num=j.gcp2_used.cast("int64"), agency=j.agency_type)


_add(
    id="gcp2_in_audited_cases",
    title="Graded care profile used in audited neglect cases",
    definition="The share of cases audited in the 12 months (multi-agency neglect audits, agreed grades) where the audit found the graded care profile was used in the assessment.",
    numerator="audited cases where the graded care profile was used",
    denominator="cases audited in the 12 months",
    period="rolling_12_months",
    unit="percentage",
    good="up",
    build=_gcp2_in_audits,
    seeds=("hillingdon", "bury"),
    caveat="Only cases whose grades were agreed at moderation are counted (cumulus.audits).",
    sources=("audits",),
)


def _places_filled(t: Tables) -> ir.Table:
    b = t.training_bookings
    filled = b.group_by("session_key").aggregate(filled=b.attended.cast("int64").sum())
    s = t.training_sessions.left_join(filled, "session_key")
    j = flow(t, s, "held_on", "month")
    return shape(j, num=j.filled.fill_null(0), den=j.places, child_key=ibis.null("int64"))


_add(
    id="training_places_filled",
    title="Training places filled",
    definition="Places attended on partnership training sessions held in the month, as a share of places offered.",
    numerator="places attended",
    denominator="places offered on sessions held in the month",
    period="month",
    unit="percentage",
    good="up",
    build=_places_filled,
    seeds=("hillingdon",),
    breakdowns=(),
    sources=("training_sessions", "training_bookings"),
)


def _eh_plans_neglect(t: Tables) -> ir.Table:
    j = flow(t, _plans(t, "early_help"), "started_on", "month")
    return shape(j, num=j.is_neglect.cast("int64"), agency=j.agency_type)


_add(
    id="early_help_plans_neglect",
    title="Early help (Stronger Families) plans for neglect",
    definition="Early help plans started in the month for neglect (from a neglect referral or a neglect early help assessment).",
    numerator="early help plans for neglect started in the month",
    denominator="none",
    period="month",
    unit="count",
    good="up",
    caveat=RISES_FIRST,
    build=_eh_plans_neglect,
    seeds=("hillingdon",),
    sources=("plans",),
)


def _gcp2_neglect(t: Tables) -> ir.Table:
    return _cohort_with_tool(t, ("gcp2",))


_add(
    id="gcp2_use_neglect_plans",
    title="Graded Care Profile 2 use for children on a neglect plan",
    definition="Of children with an open early help, CIN or CP plan for neglect at the period end, the share with a GCP2 completed since (or in the 3 months before) the plan started.",
    numerator="those children with a GCP2 completed",
    denominator="children with an open neglect plan at the period end",
    period="snapshot",
    unit="percentage",
    good="up",
    build=_gcp2_neglect,
    seeds=("hillingdon", "bury"),
    breakdowns=CHILD_ONLY,
    caveat="Counts completed GCP2 assessments recorded in the instruments app (a correction is not a second use).",
    sources=("plans", "tool_uses"),
)


def _neglect_cp_length(t: Tables) -> ir.Table:
    p = _cp(t)
    p = p.filter(p.ended_on.notnull() & (p.initial_category == "NEG"))
    j = flow(t, p, "ended_on", "rolling_12_months")
    return shape(j, num=1, value=j.ended_on.delta(j.started_on, unit="day"))


_add(
    id="neglect_cp_plan_length",
    title="Length of neglect child protection plans",
    definition="The median length in days of neglect CP plans (initial category NEG) that ended in the 12 months.",
    numerator="days each neglect CP plan ending in the 12 months lasted (the median is shown)",
    denominator="none",
    period="rolling_12_months",
    unit="median_days",
    good="context",
    build=_neglect_cp_length,
    seeds=("hillingdon",),
    breakdowns=CHILD_ONLY,
    sources=("plans",),
)

# ---- Bury (monthly, by agency where it says so) ---------------------------------------------

_add(
    id="communication_training_uptake",
    title="Age-appropriate communication training uptake by agency",
    definition="Places attended on age-appropriate communication training in the month, by agency.",
    numerator="attended places in the month",
    denominator="none",
    period="month",
    unit="count",
    good="up",
    build=_training_count(("age_appropriate_communication",)),
    seeds=("bury",),
    breakdowns=AGENCY_ONLY,
    sources=("training_sessions", "training_bookings"),
)


def _gcp2_by_agency(t: Tables) -> ir.Table:
    u = t.tool_uses.filter(t.tool_uses.tool == "gcp2")
    j = flow(t, u, "completed_on", "month")
    return shape(j, num=1, agency=j.agency_type)


_add(
    id="gcp2_use_by_agency",
    title="Graded care profile completed, by agency",
    definition="GCP2 profiles completed in the month where neglect is a concern, by the practitioner's agency.",
    numerator="GCP2 profiles completed in the month",
    denominator="none",
    period="month",
    unit="count",
    good="up",
    build=_gcp2_by_agency,
    seeds=("bury",),
    sources=("tool_uses",),
)


def _early_help_neglect_open(t: Tables) -> ir.Table:
    p = _plans(t, "early_help")
    j = open_at(t, p.filter(p.is_neglect), "started_on", "ended_on")
    return shape(j, num=1, agency=j.agency_type)


_add(
    id="children_receiving_early_help_neglect",
    title="Children receiving early help with a neglect concern",
    definition="Children with an open early help plan for neglect at the end of the month.",
    numerator="children with an open early help plan for neglect",
    denominator="none",
    period="snapshot",
    unit="count",
    good="up",
    caveat=RISES_FIRST,
    build=_early_help_neglect_open,
    seeds=("bury",),
    count="children",
    sources=("plans",),
)


def _referrals_neglect(t: Tables) -> ir.Table:
    j = flow(t, t.referrals, "referred_on", "month")
    return shape(j, num=j.is_neglect.cast("int64"), agency=j.agency_type)


_add(
    id="referrals_neglect_share",
    title="Referrals with neglect as the primary concern",
    definition="The share of referrals to children's social care in the month where neglect is the primary concern, by referring agency.",
    numerator="referrals with neglect as the primary concern",
    denominator="referrals in the month",
    period="month",
    unit="percentage",
    good="context",
    build=_referrals_neglect,
    seeds=("bury",),
    sources=("referrals",),
)


def _neglect_referrals_assessed(t: Tables) -> ir.Table:
    r = t.referrals.filter(t.referrals.is_neglect)
    a = t.assessments.filter(t.assessments.assessment_type.isin(["child_and_family", "section_47"]))
    a = a.filter(a.referral_key.notnull()).select(_rk="referral_key")
    j = r.left_join(a, r.referral_key == a._rk)
    g = j.group_by(["referral_key", "child_key", "referred_on", "agency_type"]).aggregate(
        n=j._rk.count()
    )
    j2 = flow(t, g, "referred_on", "month")
    return shape(j2, num=(j2.n > 0).cast("int64"), agency=j2.agency_type)


_add(
    id="neglect_referrals_to_statutory_assessment",
    title="Neglect referrals progressing to statutory assessment",
    definition="The share of neglect referrals received in the month that led to a child and family assessment or a section 47 enquiry.",
    numerator="neglect referrals with a statutory assessment",
    denominator="neglect referrals in the month",
    period="month",
    unit="percentage",
    good="context",
    build=_neglect_referrals_assessed,
    seeds=("bury",),
    caveat="The latest months rise as assessments of recent referrals start.",
    sources=("referrals", "assessments"),
)


def _cin_over_6(t: Tables) -> ir.Table:
    j = open_at(t, _plans(t, "child_in_need"), "started_on", "ended_on")
    return shape(j, num=(md(j.started_on) + 600 < md(j.period_end)).cast("int64"))


_add(
    id="cin_plans_over_6_months",
    title="Children on a CIN plan for more than 6 months",
    definition="Children on a child in need plan at the end of the month that started more than 6 months before.",
    numerator="children on a CIN plan open more than 6 months",
    denominator="none",
    period="snapshot",
    unit="count",
    good="down",
    build=_cin_over_6,
    seeds=("bury",),
    count="children",
    breakdowns=CHILD_ONLY,
    sources=("plans",),
)


def _outcomes_achieved(t: Tables) -> ir.Table:
    p = t.plans.filter(
        t.plans.is_neglect & t.plans.plan_type.isin(STATUTORY) & t.plans.ended_on.notnull()
    )
    j = flow(t, p, "ended_on", "month")
    achieved = (j.end_reason == "outcomes_met") | (
        (j.plan_type == "child_in_need") & (j.end_reason == "step_down")
    )
    return shape(j, num=achieved.cast("int64"))


_add(
    id="neglect_outcomes_achieved",
    title="Neglect cases that achieved their outcomes",
    definition="Children and families with neglect as the primary concern whose CIN or CP plan ended in the month with its outcomes met, or whose CIN plan stepped down out of statutory services.",
    numerator="neglect CIN and CP plans ending with outcomes met (or CIN stepped down to early help)",
    denominator="none",
    period="month",
    unit="count",
    good="up",
    build=_outcomes_achieved,
    seeds=("bury",),
    breakdowns=CHILD_ONLY,
    sources=("plans",),
)


def _repeat_referrals_2y(t: Tables) -> ir.Table:
    r = _with_previous(t.referrals, "referred_on", "referral_key", "referred_on", "previous_on")
    j = flow(t, r.filter(r.is_neglect), "referred_on", "month")
    within = j.previous_on.notnull() & (md(j.referred_on) <= md(j.previous_on) + 2400)
    return shape(j, num=within.cast("int64"), agency=j.agency_type)


_add(
    id="repeat_referrals_within_2_years_neglect",
    title="Repeat neglect referrals within 2 years",
    definition="The share of neglect referrals in the month that came within 2 years of a previous referral of the same child.",
    numerator="neglect referrals within 24 months of a previous referral",
    denominator="neglect referrals in the month",
    period="month",
    unit="percentage",
    good="down",
    build=_repeat_referrals_2y,
    seeds=("bury",),
    sources=("referrals",),
)

_add(
    id="whole_family_training_uptake",
    title="Whole-family-approach training uptake",
    definition="Places attended on whole-family-approach training in the month, across children's and adults' services, by agency.",
    numerator="attended places in the month",
    denominator="none",
    period="month",
    unit="count",
    good="up",
    build=_training_count(("whole_family_approach",)),
    seeds=("bury",),
    breakdowns=AGENCY_ONLY,
    sources=("training_sessions", "training_bookings"),
)


def _cp_neglect_open(t: Tables) -> ir.Table:
    p = _cp(t)
    j = open_at(t, p.filter(p.is_neglect), "started_on", "ended_on")
    return shape(j, num=1)


_add(
    id="children_on_cp_plan_neglect",
    title="Children on a child protection plan due to neglect",
    definition="Children on a CP plan with neglect as the initial or latest category at the end of the month.",
    numerator="children on a neglect CP plan",
    denominator="none",
    period="snapshot",
    unit="count",
    good="context",
    build=_cp_neglect_open,
    seeds=("bury",),
    count="children",
    breakdowns=CHILD_ONLY,
    sources=("plans",),
)


def _reregistration(t: Tables) -> ir.Table:
    p = _with_previous(_cp(t), "started_on", "plan_key", "ended_on", "previous_end")
    j = flow(t, p.filter(p.is_neglect), "started_on", "rolling_12_months")
    within = j.previous_end.notnull() & (md(j.started_on) <= md(j.previous_end) + 2400)
    return shape(j, num=within.cast("int64"))


_add(
    id="cp_reregistration_within_2_years_neglect",
    title="CP re-registration within 2 years due to neglect",
    definition="The share of neglect CP plans starting in the 12 months that began within 2 years of the end of the child's previous CP plan.",
    numerator="neglect CP plans starting within 24 months of a previous plan's end",
    denominator="neglect CP plans starting in the 12 months",
    period="rolling_12_months",
    unit="percentage",
    good="down",
    build=_reregistration,
    seeds=("bury",),
    breakdowns=CHILD_ONLY,
    sources=("plans",),
)


def _childcare_under_5(t: Tables) -> ir.Table:
    cohort = _age_at(t, _neglect_cohort(t))
    cohort = cohort.filter((cohort._age >= 2) & (cohort._age < 5))
    att = _attendance_in(t, "early_years", "month").rename(_pe="period_end", _k="child_key")
    j = cohort.left_join(att, (cohort.period_end == att._pe) & (cohort.child_key == att._k))
    return shape(j, num=(j.attended.fill_null(0) > 0).cast("int64"))


_add(
    id="under_5s_childcare_neglect",
    title="Under-5s with a neglect plan attending childcare",
    definition="Of children aged 2-4 with an open early help, CIN or CP plan for neglect at the end of the month, the share who attended a childcare setting in the month.",
    numerator="those children with at least one childcare session attended in the month",
    denominator="children aged 2-4 with an open neglect plan",
    period="snapshot",
    unit="percentage",
    good="up",
    build=_childcare_under_5,
    seeds=("bury",),
    breakdowns=CHILD_ONLY,
    sources=("plans", "attendance", "children"),
)


def _school_attendance(t: Tables) -> ir.Table:
    cohort = _neglect_cohort(t)
    att = _attendance_in(t, "school", "month").rename(_pe="period_end", _k="child_key")
    j = cohort.inner_join(att, (cohort.period_end == att._pe) & (cohort.child_key == att._k))
    return shape(j, num=j.attended, den=j.possible)


_add(
    id="school_attendance_neglect",
    title="School attendance of children with a neglect plan",
    definition="Sessions attended as a share of possible sessions in the month, for children with an open early help, CIN or CP plan for neglect.",
    numerator="sessions attended in the month",
    denominator="possible sessions in the month",
    period="snapshot",
    unit="percentage",
    good="up",
    build=_school_attendance,
    seeds=("bury",),
    breakdowns=CHILD_ONLY,
    sources=("plans", "attendance"),
)


def _neet(t: Tables) -> ir.Table:
    cohort = _age_at(t, _neglect_cohort(t))
    cohort = cohort.filter((cohort._age >= 16) & (cohort._age < 18))
    # "Not known" (a null is_neet) is not a known status: out of the denominator, as in DfE's
    # NEET and participation figures, which report it on its own.
    known = t.education_status.filter(t.education_status.is_neet.notnull())
    e = known.select(_k="child_key", _m="month", _neet="is_neet")
    j = cohort.inner_join(
        e,
        (cohort.child_key == e._k)
        & (e._m <= cohort.period_end)
        & (md(e._m) + 100 > md(cohort.period_end)),
    )
    return shape(j, num=j._neet.cast("int64"))


_add(
    id="neet_16_17_neglect",
    title="16-17 year olds with a neglect plan who are NEET",
    definition="Of 16-17 year olds with an open neglect plan at the end of the month and a known education status that month, the share not in education, employment or training.",
    numerator="those young people NEET",
    denominator="16-17 year olds with a neglect plan and a known status that month (a status of 'not known', or none recorded, is left out, as in DfE's NEET figures)",
    period="snapshot",
    unit="percentage",
    good="down",
    build=_neet,
    seeds=("bury",),
    breakdowns=CHILD_ONLY,
    caveat="Status from the council's monthly participation tracking (cumulus.participation); employment without training counts as not NEET, as DfE counts it.",
    sources=("plans", "education_status"),
)


def _dental(t: Tables) -> ir.Table:
    j = flow(t, _events(t, "health.dental_extraction"), "occurred_on", "month")
    return shape(j, num=1)


_add(
    id="dental_extractions",
    title="Children admitted to hospital for planned dental extractions",
    definition="Hospital admissions of children for planned dental extraction in the month.",
    numerator="admissions for dental extraction in the month",
    denominator="none",
    period="month",
    unit="count",
    good="down",
    build=_dental,
    seeds=("bury",),
    breakdowns=CHILD_ONLY,
    sources=("events",),
)

# ---- Bury's evidence list -------------------------------------------------------------------


def _cin_neglect_open(t: Tables) -> ir.Table:
    p = _plans(t, "child_in_need")
    return open_at(t, p.filter(p.is_neglect), "started_on", "ended_on")


_add(
    id="cin_plans_neglect",
    title="Children on a CIN plan for neglect",
    definition="Children on a child in need plan for neglect at the end of the month.",
    numerator="children on a neglect CIN plan",
    denominator="none",
    period="snapshot",
    unit="count",
    good="context",
    build=lambda t: shape(_cin_neglect_open(t), num=1),
    seeds=("bury",),
    count="children",
    breakdowns=CHILD_ONLY,
    sources=("plans",),
)


def _cin_neglect_duration(t: Tables) -> ir.Table:
    j = _cin_neglect_open(t)
    return shape(j, num=1, value=j.period_end.delta(j.started_on, unit="day"))


_add(
    id="cin_plans_neglect_duration",
    title="Duration of CIN plans for neglect",
    definition="The median number of days that child in need plans for neglect open at the end of the month have been open.",
    numerator="days each open neglect CIN plan has run (the median is shown)",
    denominator="none",
    period="snapshot",
    unit="median_days",
    good="down",
    build=_cin_neglect_duration,
    seeds=("bury",),
    breakdowns=CHILD_ONLY,
    sources=("plans",),
)


def _looked_after_neglect(t: Tables) -> ir.Table:
    p = _plans(t, "looked_after")
    j = open_at(t, p.filter(p.is_neglect), "started_on", "ended_on")
    return shape(j, num=1)


_add(
    id="looked_after_neglect",
    title="Children looked after because of neglect",
    definition="Children looked after at the end of the month whose episode began from a neglect referral.",
    numerator="children looked after from a neglect referral",
    denominator="none",
    period="snapshot",
    unit="count",
    good="context",
    build=_looked_after_neglect,
    seeds=("bury",),
    count="children",
    breakdowns=CHILD_ONLY,
    sources=("plans", "referrals"),
)


def _not_brought(t: Tables) -> ir.Table:
    j = flow(t, _events(t, "health.was_not_brought"), "occurred_on", "month")
    return shape(j, num=1, agency=j.agency_type)


_add(
    id="health_appointments_not_brought",
    title="Health appointments the child was not brought to",
    definition="Health appointments in the month that a child was not brought to (was not brought, WNB), by health agency.",
    numerator="was-not-brought appointments in the month",
    denominator="none",
    period="month",
    unit="count",
    good="down",
    build=_not_brought,
    seeds=("bury",),
    sources=("events",),
)


def _eh_against_referrals(t: Tables) -> ir.Table:
    a = _assessments(t, "early_help")
    a = a.filter(a.is_neglect)
    ja = flow(t, a, "started_on", "month")
    left = shape(ja, num=1, den=0, agency=ja.agency_type)
    r = t.referrals.filter(t.referrals.is_neglect)
    jr = flow(t, r, "referred_on", "month")
    right = shape(jr, num=0, den=1, agency=jr.agency_type)
    return ibis.union(left, right, distinct=False)


_add(
    id="early_help_to_referrals_neglect",
    title="Early help assessments for neglect against neglect referrals",
    definition="Early help assessments for neglect started in the month for every neglect referral to children's social care in the month: above 1, more neglect is met early.",
    numerator="early help assessments for neglect in the month",
    denominator="neglect referrals to children's social care in the month",
    period="month",
    unit="ratio",
    good="up",
    build=_eh_against_referrals,
    seeds=("bury",),
    sources=("assessments", "referrals"),
)


def _step_downs(t: Tables) -> ir.Table:
    p = t.plans.filter(t.plans.end_reason == "step_down")
    j = flow(t, p, "ended_on", "month")
    return shape(j, num=1, agency=j.agency_type, extra=j.plan_type)


_add(
    id="step_downs",
    title="Step-down transitions",
    definition="Plans that ended in the month by stepping down (CP to CIN, CIN to early help, early help to universal), by the plan stepped down from.",
    numerator="plans stepped down in the month",
    denominator="none",
    period="month",
    unit="count",
    good="context",
    build=_step_downs,
    seeds=("bury",),
    extra="stepped_down_from",
    sources=("plans",),
)


def _learning_reviews(t: Tables) -> ir.Table:
    lr = t.learning_reviews
    j = flow(t, lr, "held_on", "rolling_12_months")
    return shape(
        j, num=j.features_neglect.cast("int64"), child_key=ibis.null("int64"), extra=j.kind
    )


_add(
    id="learning_reviews_neglect",
    title="Rapid reviews and case reviews featuring neglect",
    definition="Rapid reviews and child safeguarding practice (serious case) reviews held in the 12 months in which neglect featured.",
    numerator="reviews featuring neglect",
    denominator="none",
    period="rolling_12_months",
    unit="count",
    good="context",
    build=_learning_reviews,
    seeds=("bury",),
    breakdowns=(),
    extra="review_kind",
    caveat="From the learning app: reviews marked as featuring neglect, dated by publication; rapid reviews, and local practice and serious case reviews (as CSPRs). National reviews and scrutiny reports are not counted.",
    sources=("learning_reviews",),
)

# ---- Norfolk (5, appendix 1) ----------------------------------------------------------------


def _contributory(t: Tables) -> ir.Table:
    p = _cp(t)
    j = open_at(t, p.filter(p.is_neglect), "started_on", "ended_on")
    f = t.household_factors.select(_k="child_key", _f="factor")
    j = j.left_join(f, j.child_key == f._k)
    return shape(j, num=j._f.notnull().cast("int64"), extra=j._f)


_add(
    id="neglect_cp_contributory_factors",
    title="Contributory factors of children on a neglect CP plan",
    definition="Of children on a neglect CP plan at the period end, the share whose household has a recorded contributory factor (domestic abuse, substance misuse, parental mental health, parental learning disability, parental experience of care), by factor.",
    numerator="children on a neglect CP plan with the factor",
    denominator="children on a neglect CP plan",
    period="snapshot",
    unit="percentage",
    good="context",
    build=_contributory,
    seeds=("norfolk",),
    count="children",
    breakdowns=CHILD_ONLY,
    extra="household_factor",
    caveat="Parental incarceration and adverse childhood experiences are not recorded yet; poverty shows through the deprivation breakdown.",
    sources=("plans", "household_factors"),
)


def _adolescent(t: Tables) -> ir.Table:
    r = t.referrals.filter(t.referrals.is_neglect)
    j = _age_at(t, flow(t, r, "referred_on", "rolling_12_months"))
    return shape(j, num=((j._age >= 13) & (j._age < 18)).cast("int64"), agency=j.agency_type)


_add(
    id="adolescent_neglect_referrals",
    title="Adolescent neglect: neglect referrals of 13-17 year olds",
    definition="The share of neglect referrals in the 12 months that were for young people aged 13-17 on the referral date.",
    numerator="neglect referrals of 13-17 year olds",
    denominator="neglect referrals in the 12 months",
    period="rolling_12_months",
    unit="percentage",
    good="context",
    caveat=RISES_FIRST,
    build=_adolescent,
    seeds=("norfolk", "cumbria"),
    sources=("referrals", "children"),
)

# ---- Cumbria (Impact Framework: quantify) ---------------------------------------------------


def _neglect_by_type(t: Tables) -> ir.Table:
    e = t.events.filter(t.events.neglect_type.notnull())
    j = flow(t, e, "occurred_on", "month")
    return shape(j, num=1, agency=j.agency_type, extra=j.neglect_type)


_add(
    id="neglect_by_type_and_age",
    title="Extent and range of neglect by type and age",
    definition="Children with a neglect concern recorded by any agency in the month, by Horwath's type of neglect and by age (including unborn children and adolescents).",
    numerator="children with a neglect concern of the type in the month",
    denominator="none",
    period="month",
    unit="count",
    good="context",
    caveat=RISES_FIRST,
    build=_neglect_by_type,
    seeds=("cumbria", "norfolk"),
    count="children",
    extra="neglect_type",
    sources=("events",),
)


def _toolkit(t: Tables) -> ir.Table:
    return _cohort_with_tool(t, TOOLKIT)


_add(
    id="toolkit_use_neglect_cases",
    title="Use of the neglect toolkit in neglect cases",
    definition="Of children with an open neglect plan at the period end, the share with a toolkit tool (day in my life, impact chronology, strengths and worries mapping, SDQ, genogram) completed since the plan began.",
    numerator="those children with a toolkit tool completed",
    denominator="children with an open neglect plan",
    period="snapshot",
    unit="percentage",
    good="up",
    build=_toolkit,
    seeds=("cumbria",),
    breakdowns=CHILD_ONLY,
    sources=("plans", "tool_uses"),
)
