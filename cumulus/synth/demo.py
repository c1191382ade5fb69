"""The demo partnership: a small, deterministic, entirely synthetic Safeguarding Children
Partnership ("Eastmoor") with agencies, demo logins, families, casework and chronologies.

Every name comes from Faker's en_GB provider, NHS numbers from the NHS's 999 test range and
UPNs from the pseudo local authority 999, postcodes from the non-existent "EM" area: nothing
here can be mistaken for a real child. ``build_demo_partnership(seed=...)`` gives the same
partnership for the same seed and reference date.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from faker import Faker

from cumulus.accounts.models import Agency, AgencyType, Role, User
from cumulus.casework.models import Assessment, AssessmentType, Plan, PlanType, Referral, Review
from cumulus.chronology.models import ChronologyEvent, Significance
from cumulus.codelists.models import Code, Scheme
from cumulus.core import clock
from cumulus.core.identifiers import synthetic_nhs_number, synthetic_upn
from cumulus.people.models import Child, Relationship, RelationshipType, Sex
from cumulus.people.services import (
    child_create,
    household_create,
    involvement_start,
    person_create,
)

DEMO_PASSWORD = "cumulus-demo-2026"  # noqa: S105 - printed for the demo, never used in production

AGENCIES: list[tuple[str, str, str]] = [
    # (key, name, type)
    ("csc", "Eastmoor Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE),
    ("early_help", "Eastmoor Early Help Service", AgencyType.EARLY_HELP),
    ("health_visiting", "Eastmoor Health Visiting Team", AgencyType.HEALTH_VISITING),
    ("school_nursing", "Eastmoor School Nursing", AgencyType.SCHOOL_NURSING),
    ("gp", "Riverside Medical Practice", AgencyType.GP),
    ("midwifery", "Eastmoor Maternity Service", AgencyType.MIDWIFERY),
    ("hospital", "Eastmoor General Hospital", AgencyType.HOSPITAL),
    ("camhs", "Eastmoor CAMHS", AgencyType.CAMHS),
    ("primary", "Millbrook Primary School", AgencyType.SCHOOL),
    ("secondary", "Eastmoor Academy", AgencyType.SCHOOL),
    ("nursery", "Little Acorns Nursery", AgencyType.EARLY_YEARS),
    ("police", "Eastmoor Police", AgencyType.POLICE),
    ("probation", "Eastmoor Probation Delivery Unit", AgencyType.PROBATION),
    ("housing", "Eastmoor Housing", AgencyType.HOUSING),
    ("adult_mh", "Eastmoor Adult Mental Health", AgencyType.ADULT_MENTAL_HEALTH),
    ("substance", "Eastmoor Recovery Service", AgencyType.SUBSTANCE_MISUSE),
    ("voluntary", "Family Action Eastmoor", AgencyType.VOLUNTARY_SECTOR),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    first_name: str
    last_name: str
    agency: str
    role: Role
    job_title: str


DEMO_LOGINS: list[DemoLogin] = [
    DemoLogin("teacher", "Amira", "Shah", "primary", Role.FRONTLINE_PRACTITIONER, "Class teacher"),
    DemoLogin(
        "school.dsl",
        "Tom",
        "Hughes",
        "primary",
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
    ),
    DemoLogin(
        "police.officer",
        "Dan",
        "Murphy",
        "police",
        Role.FRONTLINE_PRACTITIONER,
        "Police constable, public protection",
    ),
    DemoLogin("social.worker", "Priya", "Patel", "csc", Role.SOCIAL_WORKER, "Social worker"),
    DemoLogin("team.manager", "Helen", "Clarke", "csc", Role.TEAM_MANAGER, "Team manager"),
    DemoLogin(
        "early.help",
        "Leon",
        "Baptiste",
        "early_help",
        Role.EARLY_HELP_PRACTITIONER,
        "Early help lead practitioner",
    ),
    DemoLogin(
        "housing.officer",
        "Sam",
        "Wright",
        "housing",
        Role.FRONTLINE_PRACTITIONER,
        "Housing officer (no children allocated)",
    ),
]

# Events each agency records, with how much each says about neglect.
AGENCY_EVENTS: dict[str, list[tuple[str, Significance]]] = {
    "health_visiting": [
        ("health.mandated_check", Significance.LOW),
        ("health.was_not_brought", Significance.MEDIUM),
        ("health.immunisation_missed", Significance.MEDIUM),
        ("home.conditions_concern", Significance.HIGH),
    ],
    "gp": [
        ("health.appointment_attended", Significance.LOW),
        ("health.was_not_brought", Significance.MEDIUM),
    ],
    "hospital": [
        ("health.ed_attendance", Significance.MEDIUM),
        ("health.dental_extraction", Significance.HIGH),
    ],
    "primary": [
        ("education.absence", Significance.LOW),
        ("education.concern", Significance.MEDIUM),
        ("education.persistent_absence", Significance.HIGH),
    ],
    "secondary": [
        ("education.absence", Significance.LOW),
        ("education.exclusion", Significance.MEDIUM),
        ("education.persistent_absence", Significance.HIGH),
    ],
    "police": [
        ("police.domestic_abuse", Significance.HIGH),
        ("police.concern", Significance.MEDIUM),
        ("police.missing_episode", Significance.HIGH),
    ],
    "housing": [("housing.concern", Significance.MEDIUM)],
    "adult_mh": [("adults.parental_concern", Significance.MEDIUM)],
}

SUMMARIES: dict[str, list[str]] = {
    "health.mandated_check": [
        "Mandated check completed at home.",
        "Review completed; growth on track.",
    ],
    "health.was_not_brought": [
        "Child was not brought to the appointment; no contact from parent.",
        "Not brought to audiology review; second missed appointment.",
    ],
    "health.immunisation_missed": ["Pre-school booster not given; parent did not respond."],
    "home.conditions_concern": [
        "Home cold and cluttered; little food in the kitchen; child in soiled clothing.",
        "Unsafe sleeping arrangements seen; advice given.",
    ],
    "health.appointment_attended": ["Attended GP with parent for a chest infection."],
    "health.ed_attendance": [
        "Attended ED with a scald; explanation consistent.",
        "Attended ED late at night with a minor head injury.",
    ],
    "health.dental_extraction": ["Admitted for planned extraction of six decayed teeth."],
    "education.absence": ["Absent, no reason given.", "Late after registration; arrived hungry."],
    "education.concern": ["Child says there was no tea last night; uniform unwashed for a week."],
    "education.persistent_absence": ["Attendance this term below 90%: persistently absent."],
    "education.exclusion": ["Fixed-term suspension after an incident in class."],
    "police.domestic_abuse": ["Attended a domestic incident at the address; children present."],
    "police.concern": ["Child found outside alone after 10pm; returned home."],
    "police.missing_episode": ["Reported missing overnight; found next day."],
    "housing.concern": ["Rent arrears; damp and mould reported; notice seeking possession."],
    "adults.parental_concern": ["Parent discharged from crisis team; low mood; children at home."],
}


@dataclass
class DemoSummary:
    agencies: int = 0
    logins: list[str] = field(default_factory=list)
    households: int = 0
    children: int = 0
    adults: int = 0
    events: int = 0
    plans: int = 0


def _code(scheme: Scheme, code: str) -> Code:
    return Code.objects.get(scheme=scheme, code=code)


def _postcode(rng: random.Random) -> str:
    inward_letters = "ABDEFGHJLNPQRSTUWXYZ"
    return (
        f"EM{rng.randint(1, 19)} {rng.randint(0, 9)}"
        f"{rng.choice(inward_letters)}{rng.choice(inward_letters)}"
    )


def _aware(day: dt.date, rng: random.Random) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(rng.randint(8, 19), rng.choice([0, 15, 30, 45])))
    )


@transaction.atomic
def build_demo_partnership(
    *, seed: int = 2026, families: int = 40, reference_date: dt.date | None = None
) -> DemoSummary:
    """Create the demo partnership in an empty database; returns what it made."""
    if Agency.objects.exists():
        raise RuntimeError("The database already holds a partnership; the demo needs an empty one")
    today = reference_date or clock.today()
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    summary = DemoSummary()

    agencies = {
        key: Agency.objects.create(name=name, agency_type=agency_type)
        for key, name, agency_type in AGENCIES
    }
    summary.agencies = len(agencies)
    users: dict[str, User] = {}
    for login in DEMO_LOGINS:
        user = User(
            username=login.username,
            first_name=login.first_name,
            last_name=login.last_name,
            agency=agencies[login.agency],
            role=login.role,
            job_title=login.job_title,
            email=f"{login.username}@eastmoor.example",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        users[login.agency + ":" + login.role] = user
        summary.logins.append(login.username)
    practitioner_for = {
        "primary": users[f"primary:{Role.FRONTLINE_PRACTITIONER}"],
        "health_visiting": users[f"health_visiting:{Role.FRONTLINE_PRACTITIONER}"],
        "police": users[f"police:{Role.FRONTLINE_PRACTITIONER}"],
        "csc": users[f"csc:{Role.SOCIAL_WORKER}"],
        "early_help": users[f"early_help:{Role.EARLY_HELP_PRACTITIONER}"],
    }
    ethnicities = list(
        Code.objects.filter(scheme=Scheme.ETHNICITY).exclude(code__in=["REFU", "NOBT"])
    )
    event_types = {c.code: c for c in Code.objects.filter(scheme=Scheme.CHRONOLOGY_EVENT_TYPE)}
    events: list[ChronologyEvent] = []

    for _family_index in range(families):
        family_name = fake.last_name()
        imd_decile = min(10, max(1, int(rng.triangular(1, 10, 2))))
        # Need level: 0 universal, 1 early help, 2 child in need, 3 child protection, 4 looked after
        need = rng.choices([0, 1, 2, 3, 4], weights=[30, 25, 18, 20, 7])[0]
        domestic_abuse = rng.random() < 0.15 + 0.1 * need
        parental_mh = rng.random() < 0.15 + 0.08 * need
        adults = []
        for adult_index in range(rng.choice([1, 2, 2])):
            sex = Sex.FEMALE if adult_index == 0 else Sex.MALE
            given = fake.first_name_female() if sex == Sex.FEMALE else fake.first_name_male()
            adults.append(
                person_create(
                    actor=None,
                    given_name=given,
                    family_name=family_name,
                    sex=sex,
                    date_of_birth=today - dt.timedelta(days=rng.randint(19 * 365, 48 * 365)),
                )
            )
        children: list[Child] = []
        for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
            unborn = rng.random() < 0.04
            sex = Sex.UNKNOWN if unborn else rng.choice([Sex.MALE, Sex.FEMALE])
            given = (
                ""
                if unborn
                else (fake.first_name_female() if sex == Sex.FEMALE else fake.first_name_male())
            )
            dob = None if unborn else today - dt.timedelta(days=rng.randint(30, 17 * 365))
            age = 0 if dob is None else (today - dob).days // 365
            child = child_create(
                actor=None,
                given_name=given or "Unborn",
                family_name=family_name,
                sex=sex,
                date_of_birth=dob,
                expected_birth_on=today + dt.timedelta(days=rng.randint(20, 150))
                if unborn
                else None,
                nhs_number=None if unborn else synthetic_nhs_number(rng),
                upn=synthetic_upn(rng) if age >= 4 else None,
                la_child_id=f"EM{rng.randint(10**7, 10**8 - 1)}",
                ethnicity=rng.choice(ethnicities),
                has_send=rng.random() < 0.15,
            )
            children.append(child)
        summary.children += len(children)
        summary.adults += len(adults)
        household_create(
            actor=None,
            members=adults + [c.person for c in children],
            moved_in_on=today - dt.timedelta(days=rng.randint(200, 2000)),
            address_line_1=f"{rng.randint(1, 180)} {fake.street_name()}",
            town="Eastmoor",
            postcode=_postcode(rng),
            lsoa_code=f"E0199{rng.randint(1000, 9999)}",
            imd_decile=imd_decile,
        )
        summary.households += 1
        for adult in adults:
            for child in children:
                Relationship.objects.create(
                    person=adult,
                    relative=child.person,
                    relationship_type=RelationshipType.PARENT,
                    has_parental_responsibility=True,
                )
        for i, older in enumerate(children):
            for younger in children[i + 1 :]:
                Relationship.objects.create(
                    person=older.person,
                    relative=younger.person,
                    relationship_type=RelationshipType.SIBLING,
                )

        for child in children:
            child_age = child.age_on(today)
            involved: list[str] = []
            if child_age is None or child_age < 5:
                involved.append("health_visiting")
            elif child_age < 11:
                involved.append("primary")
            else:
                involved.append("secondary")
            involved.append("gp")
            if domestic_abuse:
                involved.append("police")
            if need == 1:
                involved.append("early_help")
            if need >= 2:
                involved.append("csc")
            for key in involved:
                start = today - dt.timedelta(days=rng.randint(60, 900))
                if child.date_of_birth and start < child.date_of_birth:
                    start = child.date_of_birth
                involvement_start(
                    actor=None,
                    child=child,
                    agency=agencies[key],
                    practitioner=practitioner_for.get(key),
                    role={
                        "health_visiting": "Health visitor",
                        "primary": "Class teacher",
                        "secondary": "Head of year",
                        "gp": "Registered GP practice",
                        "police": "Public protection unit",
                        "early_help": "Lead practitioner",
                        "csc": "Allocated social worker",
                    }[key],
                    started_on=min(start, today),
                )
            summary.plans += _casework(child, need, rng, today, agencies, practitioner_for)

            # Chronology: more, and more significant, events the higher the need.
            sources = [k for k in involved if k in AGENCY_EVENTS] + ["hospital"]
            if domestic_abuse:
                sources.append("police")
            if parental_mh:
                sources.append("adult_mh")
            if imd_decile <= 3:
                sources.append("housing")
            for _ in range(rng.randint(4, 10) + need * rng.randint(4, 12)):
                key = rng.choice(sources)
                options = AGENCY_EVENTS[key]
                weights = [
                    1 + (need if sig != Significance.LOW else 3 - min(need, 2))
                    for _, sig in options
                ]
                code, significance = rng.choices(options, weights=weights)[0]
                earliest = child.date_of_birth or today - dt.timedelta(days=200)
                span = max(1, min((today - earliest).days, 3 * 365))
                occurred_on = today - dt.timedelta(days=rng.randint(0, span))
                events.append(
                    ChronologyEvent(
                        child=child,
                        agency=agencies[key],
                        occurred_at=_aware(occurred_on, rng),
                        recorded_at=_aware(
                            min(today, occurred_on + dt.timedelta(days=rng.randint(0, 3))), rng
                        ),
                        event_type=event_types[code],
                        significance=significance,
                        summary=rng.choice(SUMMARIES[code]),
                        source_system="demo",
                        source_reference=f"demo-{len(events) + 1}",
                    )
                )
    ChronologyEvent.objects.bulk_create(events, batch_size=1000)
    summary.events = len(events)
    return summary


def _casework(
    child: Child,
    need: int,
    rng: random.Random,
    today: dt.date,
    agencies: dict[str, Agency],
    practitioner_for: dict[str, User],
) -> int:
    """Referral, assessment and plan for the child's level of need; returns plans made."""
    if need == 0:
        return 0
    start = today - dt.timedelta(days=rng.randint(40, 500))
    if child.date_of_birth and start < child.date_of_birth:
        start = child.date_of_birth
    if need == 1:
        Assessment.objects.create(
            child=child,
            assessment_type=AssessmentType.EARLY_HELP,
            started_on=start,
            authorised_on=start + dt.timedelta(days=rng.randint(10, 30)),
            lead_practitioner=practitioner_for["early_help"],
        )
        Plan.objects.create(
            child=child,
            plan_type=PlanType.EARLY_HELP,
            started_on=start + dt.timedelta(days=rng.randint(31, 40)),
            lead_agency=agencies["early_help"],
            lead_practitioner=practitioner_for["early_help"],
        )
        return 1
    referral = Referral.objects.create(
        child=child,
        referred_on=start,
        source=_code(Scheme.REFERRAL_SOURCE, rng.choice(["2A", "6", "3B", "3E", "5D", "1A"])),
        primary_need=_code(Scheme.PRIMARY_NEED, "N1" if rng.random() < 0.7 else "N4"),
        is_neglect_concern=rng.random() < 0.7,
    )
    assessment = Assessment.objects.create(
        child=child,
        referral=referral,
        assessment_type=AssessmentType.CHILD_AND_FAMILY,
        started_on=start + dt.timedelta(days=1),
        authorised_on=start + dt.timedelta(days=rng.randint(15, 60)),
        lead_practitioner=practitioner_for["csc"],
    )
    assessment.factors.set(
        Code.objects.filter(
            scheme=Scheme.ASSESSMENT_FACTOR,
            code__in=rng.sample(["16A", "3B", "4B", "2B", "1B", "7A", "5B"], k=rng.randint(1, 3)),
        )
    )
    plan_start = (assessment.authorised_on or start) + dt.timedelta(days=rng.randint(1, 14))
    if need == 2:
        plan_type, category = PlanType.CHILD_IN_NEED, None
    elif need == 3:
        plan_type = PlanType.CHILD_PROTECTION
        category = _code(
            Scheme.CATEGORY_OF_ABUSE, rng.choices(["NEG", "EMO", "PHY", "MUL"], [55, 30, 10, 5])[0]
        )
        Assessment.objects.create(
            child=child,
            referral=referral,
            assessment_type=AssessmentType.SECTION_47,
            started_on=plan_start - dt.timedelta(days=14),
            authorised_on=plan_start - dt.timedelta(days=1),
            initial_conference_on=plan_start,
            lead_practitioner=practitioner_for["csc"],
        )
    else:
        plan_type, category = PlanType.LOOKED_AFTER, None
    plan = Plan.objects.create(
        child=child,
        referral=referral,
        plan_type=plan_type,
        started_on=min(plan_start, today),
        initial_category=category,
        latest_category=category,
        number_of_previous_cp_plans=0 if category else None,
        lead_agency=agencies["csc"],
        lead_practitioner=practitioner_for["csc"],
    )
    if plan_type == PlanType.CHILD_PROTECTION and (today - plan.started_on).days > 90:
        Review.objects.create(plan=plan, held_on=plan.started_on + dt.timedelta(days=90))
    return 1
