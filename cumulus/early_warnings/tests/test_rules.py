"""Each rule of the default set: one hand-built chronology that must fire, one that must not."""

from __future__ import annotations

from cumulus.early_warnings.tests.builders import Chronology, day

# 1. Low-level concerns from two or more agencies within 90 days, no help open.


def test_two_agencies_worried_within_90_days_with_no_help_open_fires():
    c = Chronology().child(1, "2018-01-01")
    school = c.event(1, "2025-10-01", "education.dsl_concern", "school_1", "school")
    health = c.event(1, "2025-11-20", "health.was_not_brought", "gp_1", "gp")
    fires = c.fires("multi_agency_low_level")
    assert [f["fired_on"] for f in fires] == [day("2025-11-20")]
    assert fires[0]["event_ids"] == sorted([school, health])


def test_two_agencies_worried_while_early_help_is_open_does_not_fire():
    c = Chronology().child(1, "2018-01-01")
    c.event(1, "2025-10-01", "education.dsl_concern", "school_1", "school")
    c.event(1, "2025-11-20", "health.was_not_brought", "gp_1", "gp")
    c.plan(1, "early_help", "2025-09-01")
    assert c.fires("multi_agency_low_level") == []


def test_one_agency_or_concerns_more_than_90_days_apart_do_not_fire():
    c = Chronology().child(1, "2018-01-01")
    c.event(1, "2025-06-01", "education.dsl_concern", "school_1", "school")
    c.event(1, "2025-06-20", "education.dsl_concern", "school_1", "school")
    c.event(1, "2025-11-20", "health.was_not_brought", "gp_1", "gp")
    assert c.fires("multi_agency_low_level") == []


def test_housing_conditions_alone_never_supply_the_second_agency():
    """Version 2: poor housing is recorded for poor households; it is poverty, not neglect."""
    c = Chronology().child(1, "2018-01-01")
    c.event(1, "2025-10-01", "education.dsl_concern", "school_1", "school")
    c.event(1, "2025-11-20", "housing.poor_conditions", "housing", "housing")
    assert c.fires("multi_agency_low_level") == []


# 2. Was not brought.


def test_two_appointments_not_brought_in_six_months_under_five_fires():
    c = Chronology().child(1, "2023-01-01")
    c.event(1, "2025-01-10", "health.was_not_brought", "gp_1", "gp")
    c.event(1, "2025-05-10", "health.was_not_brought", "gp_1", "gp")
    assert [f["fired_on"] for f in c.fires("was_not_brought")] == [day("2025-05-10")]


def test_any_missed_mandated_health_visitor_check_fires():
    c = Chronology().child(1, "2025-01-01")
    c.event(1, "2025-02-12", "health.was_not_brought", "hv", "health_visiting")
    fires = c.fires("was_not_brought")
    assert len(fires) == 1
    assert "mandated" in fires[0]["evidence"]


def test_one_gp_appointment_missed_or_a_child_over_five_does_not_fire():
    c = Chronology().child(1, "2023-01-01").child(2, "2015-01-01")
    c.event(1, "2025-01-10", "health.was_not_brought", "gp_1", "gp")
    c.event(2, "2025-01-10", "health.was_not_brought", "gp_1", "gp")
    c.event(2, "2025-03-10", "health.was_not_brought", "gp_1", "gp")
    assert c.fires("was_not_brought") == []


# 3. School attendance (version 2: six-week blocks; a term is two blocks).


def test_attendance_falling_ten_points_to_below_90_percent_over_a_term_fires():
    c = Chronology().child(1, "2015-01-01")
    c.attendance(1, "2025-01-06", [1.0] * 24 + [0.8] * 12)
    (fire,) = c.fires("school_attendance")  # once the whole term is at 80%
    assert fire["evidence"].startswith("fell into persistent absence: 80%")
    assert "(previous term 100%)" in fire["evidence"]


def test_attendance_below_half_over_a_half_term_is_severe_absence():
    c = Chronology().child(1, "2015-01-01")
    c.attendance(1, "2025-09-01", [0.3] * 6)
    (fire,) = c.fires("school_attendance")
    assert fire["evidence"].startswith("severe absence: 30%")


def test_a_partnership_threshold_changes_what_counts_as_persistent():
    c = Chronology().child(1, "2015-01-01")
    c.attendance(1, "2025-01-06", [1.0] * 24 + [0.9] * 12)
    assert c.fires("school_attendance") == []
    assert len(c.fires("school_attendance", persistent_below=0.95)) == 1
    assert c.fires("school_attendance", persistent_below=0.95, fall_points=0.2) == []


def test_steady_or_long_standing_persistent_absence_does_not_fire():
    c = Chronology().child(1, "2015-01-01").child(2, "2015-01-01")
    c.attendance(1, "2025-01-06", [1.0, 0.9, 1.0, 1.0, 0.9, 1.0] * 6)
    c.attendance(2, "2025-01-06", [0.8] * 36)  # known to the school already; nothing new
    assert c.fires("school_attendance") == []


def test_version_1_fired_on_any_half_term_below_90_percent():
    """Kept for the record: the issue's first reading, retired after measurement."""
    from cumulus.early_warnings import engine

    rule = engine.load_rule(engine.RULES_DIR / "school_attendance.v1.yaml")
    c = Chronology().child(1, "2015-01-01")
    c.attendance(1, "2025-09-01", [1.0] * 6 + [0.8] * 8)
    con = __import__("duckdb").connect()
    engine.register_tables(con, c.tables())
    (fire,) = engine.evaluate_rule(con, rule, as_of=engine.dt.date(2026, 3, 31)).to_pylist()
    assert fire["evidence"].startswith("persistent absence")


# 4. Re-referral and second CP plan.


def test_referral_within_12_months_of_closure_fires():
    c = Chronology().child(1, "2015-01-01")
    c.referral(1, "2024-06-01", "2024-09-01")
    c.referral(1, "2025-05-01")
    fires = c.fires("re_referral")
    assert [f["fired_on"] for f in fires] == [day("2025-05-01")]


def test_second_child_protection_plan_fires():
    c = Chronology().child(1, "2015-01-01")
    c.plan(1, "child_protection", "2025-04-01", previous_cp_plans=1)
    (fire,) = c.fires("re_referral")
    assert "plan number 2" in fire["evidence"]


def test_referral_long_after_closure_and_a_first_plan_do_not_fire():
    c = Chronology().child(1, "2015-01-01")
    c.referral(1, "2023-01-01", "2023-02-01")
    c.referral(1, "2025-05-01")
    c.plan(1, "child_protection", "2025-06-01", previous_cp_plans=0)
    assert c.fires("re_referral") == []


# 5. Start again.


def test_new_assessment_after_one_closed_with_no_plan_fires():
    c = Chronology().child(1, "2015-01-01")
    first = c.referral(1, "2024-01-10", "2024-03-01")
    c.assessment(1, first, "2024-01-12", "2024-02-20")
    second = c.referral(1, "2025-06-01")
    c.assessment(1, second, "2025-06-03")
    assert [f["fired_on"] for f in c.fires("start_again")] == [day("2025-06-03")]


def test_new_assessment_after_one_that_led_to_a_plan_does_not_fire():
    c = Chronology().child(1, "2015-01-01")
    first = c.referral(1, "2024-01-10", "2024-12-01")
    c.assessment(1, first, "2024-01-12", "2024-02-20")
    c.plan(1, "child_in_need", "2024-02-21", "2024-12-01", referral_id=first)
    second = c.referral(1, "2025-06-01")
    c.assessment(1, second, "2025-06-03")
    assert c.fires("start_again") == []


# 6. Drift.


def test_early_help_plan_open_over_six_months_without_review_fires():
    c = Chronology().child(1, "2015-01-01")
    c.plan(1, "early_help", "2025-01-01")
    fires = c.fires("plan_drift")
    assert fires
    assert fires[0]["fired_on"] == day("2025-07-03")


def test_no_improvement_in_neglect_scores_fires_even_with_reviews():
    c = Chronology().child(1, "2015-01-01")
    plan = c.plan(1, "child_in_need", "2025-01-01")
    for held in ("2025-03-01", "2025-05-01", "2025-07-01"):
        c.add("reviews", plan_id=plan, held_on=day(held))
    c.add("neglect_scores", child_id=1, assessed_on=day("2025-01-05"), score=30.0)
    c.add("neglect_scores", child_id=1, assessed_on=day("2025-06-20"), score=31.0)
    fires = c.fires("plan_drift", as_of=day("2025-07-10"))
    assert fires
    assert "not improved" in fires[0]["evidence"]


def test_reviewed_plan_with_improving_scores_or_under_six_months_does_not_fire():
    c = Chronology().child(1, "2015-01-01").child(2, "2015-01-01")
    plan = c.plan(1, "child_in_need", "2025-01-01")
    for held in ("2025-03-01", "2025-05-01", "2025-07-01"):
        c.add("reviews", plan_id=plan, held_on=day(held))
    c.add("neglect_scores", child_id=1, assessed_on=day("2025-01-05"), score=30.0)
    c.add("neglect_scores", child_id=1, assessed_on=day("2025-06-20"), score=22.0)
    c.plan(2, "early_help", "2025-05-01")
    assert c.fires("plan_drift", as_of=day("2025-07-10")) == []


# 7. Cumulative household risk.


def test_toxic_trio_in_the_household_within_a_year_fires_for_every_child():
    c = Chronology().child(1, "2015-01-01", household=9).child(2, "2019-01-01", household=9)
    c.event(1, "2025-01-05", "police.domestic_abuse", "police", "police")
    c.event(2, "2025-04-05", "adults.parental_concern", "amh", "adult_mental_health")
    c.event(1, "2025-09-05", "adults.parental_concern", "sms", "substance_misuse")
    fires = c.fires("household_toxic_trio")
    assert sorted(f["child_id"] for f in fires) == [1, 2]
    assert {f["fired_on"] for f in fires} == {day("2025-09-05")}


def test_two_of_three_or_spread_over_more_than_a_year_does_not_fire():
    c = Chronology().child(1, "2015-01-01", household=9).child(3, "2015-01-01", household=8)
    c.event(1, "2024-01-05", "police.domestic_abuse", "police", "police")
    c.event(1, "2025-04-05", "adults.parental_concern", "amh", "adult_mental_health")
    c.event(1, "2025-09-05", "adults.parental_concern", "sms", "substance_misuse")
    c.event(3, "2025-04-05", "police.domestic_abuse", "police", "police")
    c.event(3, "2025-05-05", "adults.parental_concern", "sms", "substance_misuse")
    assert c.fires("household_toxic_trio") == []


# 8. Adolescent neglect.


def test_missing_episodes_and_exclusion_accumulating_for_a_14_year_old_fires():
    c = Chronology().child(1, "2011-06-01")
    c.event(1, "2025-02-01", "police.missing_episode", "police", "police")
    c.event(1, "2025-05-01", "education.exclusion", "school_1", "school")
    c.event(1, "2025-08-01", "police.missing_episode", "police", "police")
    (fire,) = c.fires("adolescent_neglect")
    assert fire["fired_on"] == day("2025-08-01")
    assert len(fire["event_ids"]) == 3


def test_one_kind_only_or_a_child_under_12_does_not_fire():
    c = Chronology().child(1, "2011-06-01").child(2, "2016-06-01")
    for on in ("2025-02-01", "2025-05-01", "2025-08-01"):
        c.event(1, on, "police.missing_episode", "police", "police")
    c.event(2, "2025-02-01", "police.missing_episode", "police", "police")
    c.event(2, "2025-05-01", "education.exclusion", "school_1", "school")
    c.event(2, "2025-08-01", "police.missing_episode", "police", "police")
    assert c.fires("adolescent_neglect") == []
