"""How fast a child with 5,000 chronology events opens, on a database holding a partnership.

Target (issue 5): under 300 ms at the 95th percentile on PostgreSQL with the 300,000-child
synthetic partnership loaded. Load it first, then run this script against the same database:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench cumulus migrate
    DATABASE_URL=... cumulus synth --children 300000 --years 3 --seed 1 --into-db
    DATABASE_URL=... python benchmarks/chronology_child_page.py --events 5000 --requests 60

The script adds one child with ``--events`` events from eight agencies over six years (once;
later runs reuse it), a practitioner allocated to the child, and times complete requests
through Django's test client in this process (URL routing, session, need-to-know checks,
queries, the access-log write and template rendering; no network). It prints the median and
95th percentile for each page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cumulus.config.settings")
os.environ.setdefault("CUMULUS_ENV", "development")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from cumulus.accounts.models import Agency, AgencyType, Role, User  # noqa: E402
from cumulus.chronology.models import ChronologyEvent, RestrictedEventRole  # noqa: E402
from cumulus.codelists.models import Code, Scheme  # noqa: E402
from cumulus.people.models import Child, Involvement, Person  # noqa: E402

MARK = "benchmark:5000"
TYPES = [
    "education.dsl_concern",
    "education.absence",
    "health.was_not_brought",
    "health.appointment_attended",
    "police.domestic_abuse",
    "police.concern",
    "housing.poor_conditions",
    "casework.review",
    "home.conditions_concern",
    "early_years.concern",
]


@transaction.atomic
def ensure_child(events: int) -> tuple[Child, User]:
    existing = ChronologyEvent.objects.filter(source_system=MARK).values("child_id").first()
    user = User.objects.filter(username="bench.practitioner").first()
    if existing and user:
        return Child.objects.get(pk=existing["child_id"]), user
    agencies = []
    for i, kind in enumerate(
        [
            AgencyType.SCHOOL,
            AgencyType.GP,
            AgencyType.POLICE,
            AgencyType.HOUSING,
            AgencyType.HEALTH_VISITING,
            AgencyType.EARLY_HELP,
            AgencyType.CHILDRENS_SOCIAL_CARE,
            AgencyType.EARLY_YEARS,
        ]
    ):
        agency, _ = Agency.objects.get_or_create(
            name=f"Benchmark agency {i}", defaults={"agency_type": kind}
        )
        agencies.append(agency)
    user = User.objects.create(
        username="bench.practitioner", agency=agencies[0], role=Role.FRONTLINE_PRACTITIONER
    )
    person = Person.objects.create(
        given_name="Bench", family_name="Mark", date_of_birth=dt.date(2012, 5, 1)
    )
    child = Child.objects.create(person=person)
    Involvement.objects.create(
        child=child,
        agency=agencies[0],
        practitioner=user,
        role="Class teacher",
        started_on=dt.date(2020, 1, 1),
    )
    codes = {c.code: c for c in Code.objects.filter(scheme=Scheme.CHRONOLOGY_EVENT_TYPE)}
    neglect = list(Code.objects.filter(scheme=Scheme.NEGLECT_TYPE))
    start = dt.datetime(2020, 4, 1, 9, tzinfo=dt.UTC)
    step = dt.timedelta(days=6 * 365) / events
    rows = [
        ChronologyEvent(
            child=child,
            agency=agencies[i % len(agencies)],
            occurred_at=start + i * step,
            recorded_at=start + i * step,
            event_type=codes[TYPES[i % len(TYPES)]],
            neglect_type=neglect[i % len(neglect)] if i % 3 == 0 else None,
            significance=("low", "medium", "high")[i % 3],
            summary=f"Benchmark event {i}: a sentence of about the usual length for a summary.",
            source_system=MARK,
            source_reference=str(i),
            is_restricted=i % 100 == 0,
            restriction_contact="Benchmark contact" if i % 100 == 0 else "",
        )
        for i in range(events)
    ]
    ChronologyEvent.objects.bulk_create(rows, batch_size=1000)
    RestrictedEventRole.objects.bulk_create(
        RestrictedEventRole(event=e, role=Role.DESIGNATED_SAFEGUARDING_LEAD)
        for e in ChronologyEvent.objects.filter(child=child, is_restricted=True)
    )
    return child, user


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def time_page(client: Client, url: str, requests: int) -> tuple[float, float, float, float]:
    """Median and p95 wall-clock ms, median Django-process CPU ms and median SQL ms."""
    client.get(url)  # warm caches and connections
    times, cpu, sql = [], [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            started, cpu_started = time.perf_counter(), _cpu()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((_cpu() - cpu_started) * 1000)
        sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, statistics.median(cpu), statistics.median(sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    child, user = ensure_child(args.events)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would keep them
    children = Child.objects.count()
    events = ChronologyEvent.objects.count()
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    agency_id = ChronologyEvent.objects.filter(child=child).values_list("agency_id", flat=True)[0]
    pages = {
        "child page (first 100 events)": reverse("web:child-detail", args=[child.pk]),
        "chronology, newest first, timeline": reverse("chronology:child", args=[child.pk]),
        "chronology, last page": reverse("chronology:child", args=[child.pk])
        + f"?page={args.events // 100}",
        "chronology, one agency, oldest first": reverse("chronology:child", args=[child.pk])
        + f"?agency={agency_id}&order=oldest",
        "chronology, household, high significance": reverse("chronology:child", args=[child.pk])
        + "?scope=household&significance=high",
        "impact chronology": reverse("chronology:impact", args=[child.pk]),
    }
    print(
        f"Database: {connection.vendor}, {children:,} children, {events:,} chronology events; "
        f"the benchmark child has {ChronologyEvent.objects.filter(child=child).count():,}."
    )
    print(f"Load average at start: {os.getloadavg()[0]:.1f}\n")
    print("| page | requests | median ms | p95 ms | Django CPU ms (median) | SQL ms (median) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, url in pages.items():
        median, p95, cpu, sql = time_page(client, url, args.requests)
        print(f"| {name} | {args.requests} | {median:.0f} | {p95:.0f} | {cpu:.0f} | {sql:.0f} |")
    print(f"\nLoad average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
