"""What each page of the load test costs, one request at a time: wall, CPU, queries, SQL time.

The load test (``benchmarks/locustfile.py``) says how the service behaves under many users; this
says where each request's time goes, so a bottleneck can be found without guessing. Run it
against the database the load test uses (the demo logins must exist)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \
        python benchmarks/page_costs.py --requests 20

Requests go through Django's test client in this process (middleware, sessions, need-to-know,
row-level security on PostgreSQL, the access-log write, rendering; no network, no gunicorn).
For each page and login it prints the median wall-clock and CPU time, the number of queries
and the median time spent in SQL.
"""

from __future__ import annotations

import argparse
import os
import re
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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cumulus.accounts.models import User  # noqa: E402

CHILD_LINK = re.compile(r'href="/children/(\d+)/"')

# (login, page name, path): the load test's pages; ``{child}`` is a child from the home page.
PAGES = [
    ("teacher", "home", "/"),
    ("teacher", "child record", "/children/{child}/"),
    ("teacher", "child record, chronology page 2", "/children/{child}/?page=2"),
    ("teacher", "search", "/children/search/?name=Smith"),
    ("teacher", "concern form", "/children/{child}/concerns/new/"),
    ("social.worker", "home", "/"),
    ("social.worker", "child record", "/children/{child}/"),
    ("social.worker", "search", "/children/search/?name=Khan"),
    ("health.visitor", "home", "/"),
    ("health.visitor", "child record", "/children/{child}/"),
    ("team.manager", "home", "/"),
    ("team.manager", "child record", "/children/{child}/"),
    ("team.manager", "who viewed the record", "/children/{child}/access-log/"),
    ("team.manager", "search", "/children/search/?name=Taylor"),
    ("school.dsl", "home", "/"),
    ("front.door", "front door queue", "/front-door/"),
]


def _client_for(username: str) -> tuple[Client, str | None]:
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=username))
    found = CHILD_LINK.findall(client.get("/").content.decode())
    return client, (found[len(found) // 2] if found else None)


def measure(requests: int) -> list[tuple[str, str, float, float, int, float, int]]:
    clients: dict[str, tuple[Client, str | None]] = {}
    rows = []
    for username, name, path in PAGES:
        if username not in clients:
            clients[username] = _client_for(username)
        client, child = clients[username]
        if "{child}" in path and child is None:
            continue
        url = path.format(child=child)
        client.get(url)  # warm-up
        walls, cpus, sqls, counts, status = [], [], [], [], 0
        for _ in range(requests):
            with CaptureQueriesContext(connection) as queries:
                started, cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                walls.append((time.perf_counter() - started) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            status = response.status_code
            counts.append(len(queries.captured_queries))
            sqls.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        rows.append(
            (
                username,
                name,
                statistics.median(walls),
                statistics.median(cpus),
                int(statistics.median(counts)),
                statistics.median(sqls),
                status,
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20, help="Requests per page (median).")
    args = parser.parse_args()
    print("| login | page | status | median ms | CPU ms | queries | SQL ms |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for username, name, wall, cpu, count, sql, status in measure(args.requests):
        print(f"| {username} | {name} | {status} | {wall:.0f} | {cpu:.0f} | {count} | {sql:.0f} |")


if __name__ == "__main__":
    main()
