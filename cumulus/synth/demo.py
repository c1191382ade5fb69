"""The demo partnership: a small instance of the synthetic generator ("Eastmoor"), loaded into
the database, with a named demo login for each kind of practitioner.

Every person comes from ``cumulus.synth.engine``: NHS numbers from the NHS's 999 test range,
UPNs from the pseudo local authority 999, postcodes from the non-existent "EM" area, so nothing
here can be mistaken for a real child. The same seed and reference date give the same demo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa
from django.db import transaction
from django.db.models import Count, Q

from cumulus.accounts.models import Agency, Role, User
from cumulus.core import clock
from cumulus.people.models import Involvement
from cumulus.synth.engine.config import SynthConfig
from cumulus.synth.engine.generate import generate
from cumulus.synth.loader import load_into_db

DEMO_PASSWORD = "cumulus-demo-2026"  # noqa: S105 - printed for the demo, never used in production


@dataclass(frozen=True)
class DemoLogin:
    username: str
    first_name: str
    last_name: str
    agency: str  # agency key in the generated partnership; "school" is the busiest primary
    role: Role
    job_title: str
    caseload: int = 0  # how many of the agency's children are allocated to this login


DEMO_LOGINS: list[DemoLogin] = [
    DemoLogin(
        "teacher", "Amira", "Shah", "school", Role.FRONTLINE_PRACTITIONER, "Class teacher", 25
    ),
    DemoLogin(
        "school.dsl",
        "Tom",
        "Hughes",
        "school",
        Role.DESIGNATED_SAFEGUARDING_LEAD,
        "Designated safeguarding lead",
    ),
    DemoLogin(
        "health.visitor",
        "Grace",
        "Okafor",
        "health_visiting",
        Role.FRONTLINE_PRACTITIONER,
        "Health visitor",
        30,
    ),
    DemoLogin(
        "police.officer",
        "Dan",
        "Murphy",
        "police",
        Role.FRONTLINE_PRACTITIONER,
        "Police constable, public protection",
        25,
    ),
    DemoLogin("social.worker", "Priya", "Patel", "csc", Role.SOCIAL_WORKER, "Social worker", 20),
    DemoLogin("team.manager", "Helen", "Clarke", "csc", Role.TEAM_MANAGER, "Team manager"),
    DemoLogin(
        "front.door",
        "Omar",
        "Haddad",
        "csc",
        Role.FRONT_DOOR_DECISION_MAKER,
        "Front door (MASH) decision-maker",
    ),
    DemoLogin(
        "early.help",
        "Leon",
        "Baptiste",
        "early_help",
        Role.EARLY_HELP_PRACTITIONER,
        "Early help lead practitioner",
        20,
    ),
    DemoLogin(
        "housing.officer",
        "Sam",
        "Wright",
        "housing",
        Role.FRONTLINE_PRACTITIONER,
        "Housing officer (no children allocated)",
    ),
    DemoLogin(
        "business.unit",
        "Rosa",
        "Lindqvist",
        "csc",
        Role.BUSINESS_UNIT,
        "Partnership business unit (training, audits, action plan, reviews, board reports)",
    ),
    DemoLogin(
        "linkage.analyst",
        "Nia",
        "Evans",
        "csc",
        Role.PARTNERSHIP_ANALYST,
        "Linkage analyst (decides possible matches between agency records)",
    ),
    # Two people in the records and data protection team, so a subject access package one
    # prepares can be reviewed by the other (four eyes) in the demo and the browser tests.
    DemoLogin(
        "records.officer",
        "Ruth",
        "Adeyemi",
        "csc",
        Role.PARTNERSHIP_ADMINISTRATOR,
        "Records officer (subject access and record requests)",
    ),
    DemoLogin(
        "data.protection",
        "Mark",
        "Lowe",
        "csc",
        Role.PARTNERSHIP_ADMINISTRATOR,
        "Data protection officer",
    ),
]


@dataclass
class DemoSummary:
    agencies: int = 0
    logins: list[str] = field(default_factory=list)
    households: int = 0
    children: int = 0
    adults: int = 0
    events: int = 0
    plans: int = 0
    rows: dict[str, int] = field(default_factory=dict)


def _busiest_primary_school(today: dt.date) -> Agency:
    active = Q(involvements__ended_on__isnull=True) | Q(involvements__ended_on__gte=today)
    school = (
        Agency.objects.filter(agency_type="school")
        .annotate(pupils=Count("involvements", filter=active))
        .order_by("-pupils", "name")
        .first()
    )
    if school is None:
        raise RuntimeError("the demo partnership has no school")
    return school


@transaction.atomic
def build_demo_partnership(
    *, seed: int = 2026, children: int = 500, reference_date: dt.date | None = None
) -> DemoSummary:
    """Generate and load the demo partnership into an empty database; returns what it made."""
    if Agency.objects.exists():
        raise RuntimeError("The database already holds a partnership; the demo needs an empty one")
    today = reference_date or clock.today()
    end = today if not (today.month == 2 and today.day == 29) else today - dt.timedelta(days=1)
    tables = generate(SynthConfig(children=children, years=3, seed=seed, end_date=end))
    rows = load_into_db(tables)
    agencies = _agencies_by_key(tables)
    agencies["school"] = _busiest_primary_school(today)

    summary = DemoSummary(
        agencies=Agency.objects.count(),
        households=tables["households"].num_rows,
        children=tables["children"].num_rows,
        adults=tables["adults"].num_rows,
        events=tables["events"].num_rows,
        plans=tables["plans"].num_rows,
        rows=rows,
    )
    active = Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    for login in DEMO_LOGINS:
        agency = agencies[login.agency]
        user = User(
            username=login.username,
            first_name=login.first_name,
            last_name=login.last_name,
            agency=agency,
            role=login.role,
            job_title=login.job_title,
            email=f"{login.username}@eastmoor.example",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        summary.logins.append(login.username)
        if login.caseload:
            # Children with the most recorded events first: the demo should have stories.
            allocated = list(
                Involvement.objects.filter(active, agency=agency, practitioner__isnull=True)
                .filter(started_on__lte=today)
                .annotate(events=Count("child__events"))
                .order_by("-events", "child_id")
                .values_list("pk", flat=True)[: login.caseload]
            )
            Involvement.objects.filter(pk__in=allocated).update(practitioner=user)
    summary.events += _oversight_demo(seed)
    from cumulus.family.demo import demo_family_login

    family = demo_family_login(teacher=User.objects.get(username="teacher"), password=DEMO_PASSWORD)
    if family:
        summary.logins.append(family)
    summary.events += _demo_early_warnings(today=today, police=agencies["police"])
    from cumulus.linkage.demo import seed_linkage_demo

    seed_linkage_demo(analyst=User.objects.get(username="linkage.analyst"))
    _assurance_demo(tables=tables, today=today, seed=seed)
    _demo_strategy(seed=seed, today=today)
    return summary


def _assurance_demo(*, tables: Mapping[str, pa.Table], today: dt.date, seed: int) -> None:
    """Training (from the generator's workforce tables) and three audit rounds."""
    from cumulus.audits.demo import load_demo_audits
    from cumulus.training.demo import load_demo_training

    load_demo_training(tables=tables, today=today, seed=seed)
    users = {u.username: u for u in User.objects.all()}
    load_demo_audits(
        unit=users["business.unit"],
        auditors=[
            users[n] for n in ("social.worker", "health.visitor", "police.officer", "early.help")
        ],
        today=today,
        seed=seed,
    )


def _demo_strategy(*, seed: int, today: dt.date) -> None:
    """Load the demo's strategy, then a synthetic action plan (the school's items among them,
    for its safeguarding lead) and three reviews cross-referenced to it."""
    from django.conf import settings

    from cumulus.actionplan.demo import load_demo_action_plan
    from cumulus.learning.demo import load_demo_learning
    from cumulus.strategy.services import strategy_load

    strategy = strategy_load(name_or_path=settings.CUMULUS_DEMO_STRATEGY)
    unit = User.objects.get(username="business.unit")
    school = User.objects.get(username="school.dsl").agency
    assert school is not None
    others = list(
        Agency.objects.exclude(pk=school.pk)
        .filter(
            agency_type__in=["health_visiting", "police", "childrens_social_care", "early_help"]
        )
        .order_by("agency_type", "name")
    )
    agencies = [school, *others]
    items = load_demo_action_plan(
        strategy=strategy, actor=unit, agencies=agencies, seed=seed, today=today
    )
    load_demo_learning(strategy=strategy, actor=unit, items=items, seed=seed, today=today)


def _oversight_demo(seed: int) -> int:
    """Interventions catalogue and referrals, and one overdue escalation, for the demo logins;
    returns how many chronology events they recorded."""
    from cumulus.chronology.models import ChronologyEvent
    from cumulus.escalation.demo import load_demo_escalation
    from cumulus.interventions.demo import load_demo_interventions

    before = ChronologyEvent.objects.count()
    users = {u.username: u for u in User.objects.all()}
    load_demo_interventions(actor=users["team.manager"], seed=seed)
    raisers = [
        users[name] for name in ("teacher", "health.visitor", "police.officer", "early.help")
    ]
    load_demo_escalation(raisers=raisers, manager=users["team.manager"])
    return ChronologyEvent.objects.count() - before


def _demo_early_warnings(*, today: dt.date, police: Agency) -> int:
    """A restricted police event for five of the teacher's pupils (so the demo shows what a
    restriction looks like), then the partnership's early-warning rules over the last 90 days.
    Returns the number of events added."""
    from django.conf import settings

    from cumulus.chronology.models import Significance
    from cumulus.chronology.services import chronology_event_record
    from cumulus.early_warnings.services import warnings_run
    from cumulus.people.models import Child

    officer = User.objects.filter(username="police.officer").first()
    pupils = Child.objects.filter(involvements__practitioner__username="teacher").distinct()
    restricted = list(pupils.order_by("pk")[:5])
    for child in restricted:
        chronology_event_record(
            actor=officer,
            child=child,
            agency=police,
            event_type="police.concern",
            occurred_at=dt.datetime.combine(
                today - dt.timedelta(days=20), dt.time(10), tzinfo=dt.UTC
            ),
            summary="Police intelligence shared with safeguarding leads only.",
            significance=Significance.HIGH,
            restricted_to_roles=[Role.DESIGNATED_SAFEGUARDING_LEAD, Role.TEAM_MANAGER],
            restriction_contact="Dan Murphy, Eastmoor Police public protection",
        )
    warnings_run(ruleset=settings.CUMULUS_EARLY_WARNING_RULESET, as_of=today, lookback_days=90)
    return len(restricted)


def _agencies_by_key(tables: Mapping[str, pa.Table]) -> dict[str, Agency]:
    by_name = {a.name: a for a in Agency.objects.all()}
    table = tables["agencies"]
    return {
        key: by_name[name]
        for key, name in zip(
            table["agency_key"].to_pylist(), table["name"].to_pylist(), strict=True
        )
    }
