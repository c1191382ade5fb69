"""Every timescale of the journey in one place, as pure functions of dates (no Django).

Statutory timescales count working days (England and Wales bank holidays, ``core.working_days``):
a front door decision within 1 working day, a child and family assessment within 45, an initial
child protection conference within 15 of the strategy discussion. Child protection reviews are
set in months by Working Together (first within 3 months of the conference, then at most 6 months
apart); a date in months that falls on a weekend or bank holiday is brought back to the working
day before it, so the review is still "within" the timescale. Early help and child in need
timescales are local practice: the defaults below are the partnership's configuration.
"""

from __future__ import annotations

import calendar
import datetime as dt

from cumulus.core.working_days import add_working_days, is_working_day

FRONT_DOOR_DECISION_WORKING_DAYS = 1
CHILD_AND_FAMILY_ASSESSMENT_WORKING_DAYS = 45
INITIAL_CONFERENCE_WORKING_DAYS = 15
EARLY_HELP_ASSESSMENT_WORKING_DAYS = 30  # local
SECTION_47_WORKING_DAYS = 10  # local: enquiry concluded in time to call the conference
CP_FIRST_REVIEW_MONTHS = 3
CP_LATER_REVIEW_MONTHS = 6
CHILD_IN_NEED_REVIEW_MONTHS = 3  # local
EARLY_HELP_REVIEW_MONTHS = 3  # local
DRIFT_MONTHS = 6


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's last day (31 Aug + 6 -> 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def within_months(day: dt.date, months: int) -> dt.date:
    """The last working day on or before ``day`` plus ``months``."""
    due = add_months(day, months)
    while not is_working_day(due):
        due -= dt.timedelta(days=1)
    return due


def front_door_decision_due(received_on: dt.date) -> dt.date:
    return add_working_days(received_on, FRONT_DOOR_DECISION_WORKING_DAYS)


def child_and_family_assessment_due(started_on: dt.date) -> dt.date:
    return add_working_days(started_on, CHILD_AND_FAMILY_ASSESSMENT_WORKING_DAYS)


def early_help_assessment_due(started_on: dt.date) -> dt.date:
    return add_working_days(started_on, EARLY_HELP_ASSESSMENT_WORKING_DAYS)


def section_47_due(started_on: dt.date) -> dt.date:
    return add_working_days(started_on, SECTION_47_WORKING_DAYS)


def initial_conference_due(strategy_discussion_on: dt.date) -> dt.date:
    return add_working_days(strategy_discussion_on, INITIAL_CONFERENCE_WORKING_DAYS)


def child_protection_review_due(
    *, conference_on: dt.date, last_review_on: dt.date | None
) -> dt.date:
    """First review within 3 months of the initial conference, then every 6 months."""
    if last_review_on is None:
        return within_months(conference_on, CP_FIRST_REVIEW_MONTHS)
    return within_months(last_review_on, CP_LATER_REVIEW_MONTHS)


def plan_review_due(
    *, plan_type: str, started_on: dt.date, last_review_on: dt.date | None
) -> dt.date:
    """The next review of any plan; child protection follows the statutory rule."""
    if plan_type == "child_protection":
        return child_protection_review_due(conference_on=started_on, last_review_on=last_review_on)
    months = (
        CHILD_IN_NEED_REVIEW_MONTHS if plan_type == "child_in_need" else EARLY_HELP_REVIEW_MONTHS
    )
    return within_months(last_review_on or started_on, months)


def is_drifting(
    *, started_on: dt.date, progress_reviewed_on: dt.date | None, today: dt.date
) -> bool:
    """A plan open more than 6 months with no review of progress in the last 6 months."""
    since = progress_reviewed_on or started_on
    return add_months(since, DRIFT_MONTHS) < today
