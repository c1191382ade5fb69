"""Local timescales are the partnership's configuration: a file over the shipped defaults,
validated with a precise message, and used by the journey's transitions."""

import datetime as dt

import pytest

from cumulus.casework import timescales as ts
from cumulus.casework.checks import timescales_file_check


def test_the_shipped_defaults_hold_every_timescale():
    config = ts.defaults()
    assert config.working_days == {
        "front_door_decision": 1,
        "child_and_family_assessment": 45,
        "initial_conference": 15,
        "early_help_assessment": 30,
        "section_47": 10,
    }
    assert config.months["drift"] == 6
    assert config.oversight_days["child_protection"] == 30


def test_a_partnership_file_changes_only_what_it_names():
    ours = ts.parse_timescales(
        "[working_days]\nearly_help_assessment = 20\n[months]\nearly_help_review = 2\n",
        source="ours.toml",
    )
    assert ours.working_days["early_help_assessment"] == 20
    assert ours.working_days["child_and_family_assessment"] == 45  # from the defaults
    # From Monday 2 March 2026: 20 working days (no bank holidays before Good Friday).
    assert ts.early_help_assessment_due(dt.date(2026, 3, 2), config=ours) == dt.date(2026, 3, 30)
    assert ts.early_help_assessment_due(dt.date(2026, 3, 2)) == dt.date(2026, 4, 15)
    due = ts.plan_review_due(
        plan_type="early_help", started_on=dt.date(2026, 1, 15), last_review_on=None, config=ours
    )
    assert due == dt.date(2026, 3, 13)  # 15 March is a Sunday: back to Friday 13th


def test_a_shorter_statutory_timescale_is_allowed_a_longer_one_refused():
    quicker = ts.parse_timescales("[working_days]\ninitial_conference = 10", source="q.toml")
    # Mon 15 Dec 2025 + 10 working days, skipping Christmas Day and Boxing Day: Wed 31 Dec.
    assert ts.initial_conference_due(dt.date(2025, 12, 15), config=quicker) == dt.date(2025, 12, 31)
    with pytest.raises(ts.TimescalesError, match=r"initial_conference is 20 working days, longer"):
        ts.parse_timescales("[working_days]\ninitial_conference = 20", source="slow.toml")
    with pytest.raises(ts.TimescalesError, match="child_protection_later_review is 7 months"):
        ts.parse_timescales("[months]\nchild_protection_later_review = 7")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[working_days\n", "not valid TOML"),
        ("[weeks]\nx = 1", "unknown section weeks"),
        ("[months]\ndrfit = 6", r"\[months\] has no timescale called drfit"),
        ("[months]\ndrift = 6.5", r"\[months\] drift must be a whole number, not 6.5"),
        ("[months]\ndrift = true", "must be a whole number"),
        ("[working_days]\nsection_47 = 0", r"section_47 must be at least 1"),
        ("[working_days]\nsection_47 = 450", "is 450 working days; at most 260"),
        ("months = 3", r"\[months\] must be a table"),
    ],
)
def test_malformed_files_are_refused_with_a_precise_message(text, message):
    with pytest.raises(ts.TimescalesError, match=message):
        ts.parse_timescales(text, source="bad.toml")


def test_the_setting_points_the_journey_at_the_partnerships_file(settings, tmp_path):
    path = tmp_path / "westbury.toml"
    path.write_text('name = "Westbury"\n[months]\ndrift = 3\n[oversight_days]\nearly_help = 20\n')
    settings.CUMULUS_TIMESCALES_FILE = str(path)
    assert ts.current().name == "Westbury"
    start = dt.date(2026, 1, 5)
    assert ts.is_drifting(started_on=start, progress_reviewed_on=None, today=dt.date(2026, 4, 6))
    settings.CUMULUS_TIMESCALES_FILE = ""
    assert not ts.is_drifting(
        started_on=start, progress_reviewed_on=None, today=dt.date(2026, 4, 6)
    )


def test_oversight_standard_comes_from_the_timescales_file(settings, tmp_path):
    from cumulus.supervision.standards import standard_days

    path = tmp_path / "oversight.toml"
    path.write_text("[oversight_days]\nearly_help = 20\n")
    settings.CUMULUS_TIMESCALES_FILE = str(path)
    settings.CUMULUS_OVERSIGHT_STANDARD_DAYS = {}
    assert standard_days()["early_help"] == 20
    assert standard_days()["child_protection"] == 30


def test_a_bad_file_fails_the_system_check_with_its_message(settings, tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[months]\ndrift = 0\n")
    settings.CUMULUS_TIMESCALES_FILE = str(path)
    errors = timescales_file_check()
    assert [e.id for e in errors] == ["casework.E001"]
    assert "broken.toml: [months] drift must be at least 1" in errors[0].msg
    settings.CUMULUS_TIMESCALES_FILE = ""
    assert timescales_file_check() == []
