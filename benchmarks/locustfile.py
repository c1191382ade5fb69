"""Load test: practitioners and managers using Cumulus at once (locust, dev dependency).

Run against a production-mode service on loopback, bounded in users and time, e.g.::

    locust -f benchmarks/locustfile.py --host http://127.0.0.1:8000 --headless \\
        --users 200 --spawn-rate 10 --run-time 5m --csv var/load

The mix, per simulated person: practitioners (most users) open their home page, a child's
record, the chronology's next page, search by surname and now and then record a concern;
managers (team manager, designated safeguarding lead) open their agency-wide home page and
children's records; the front door opens its queue. Think time between actions: 1-5 s, or
``CUMULUS_LOAD_THINK=MIN,MAX`` seconds (docs/benchmarks.md gives the figures for each).

The service believes it is behind a TLS proxy (``X-Forwarded-Proto: https``) as in production,
so cookies are Secure; the client clears the flag so it sends them over loopback HTTP.
"""

from __future__ import annotations

import os
import random
import re
from typing import Any

from locust import HttpUser, between, task

PASSWORD = "cumulus-demo-2026"  # noqa: S105 - the synthetic demo's published password
CHILD_LINK = re.compile(r'href="/children/(\d+)/"')
THINK_SECONDS = tuple(float(x) for x in os.environ.get("CUMULUS_LOAD_THINK", "1,5").split(","))
SURNAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Khan", "Patel"]


class _Person(HttpUser):
    abstract = True
    wait_time = between(THINK_SECONDS[0], THINK_SECONDS[-1])
    usernames: tuple[str, ...] = ()

    def on_start(self) -> None:
        self._send_secure_cookies_over_loopback()
        self.client.headers.update({"X-Forwarded-Proto": "https"})
        self.children: list[str] = []
        page = self.client.get("/sign-in/", name="sign-in")
        token = self._csrf(page.text)
        username = random.choice(self.usernames)  # noqa: S311 - a load mix, not a secret
        response = self.client.post(
            "/sign-in/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"https://{self._host()}/sign-in/"},
            name="sign-in",
            allow_redirects=False,  # the session cookie must lose its Secure flag first
        )
        if response.status_code != 302:
            raise RuntimeError(f"could not sign in as {username}: {response.status_code}")
        self.home()

    def _send_secure_cookies_over_loopback(self) -> None:
        send = self.client.request

        def request(*args: Any, **kwargs: Any) -> Any:
            response = send(*args, **kwargs)
            for cookie in self.client.cookies:
                cookie.secure = False
            return response

        self.client.request = request  # type: ignore[method-assign]

    def _host(self) -> str:
        return str(self.host).split("://", 1)[1].rstrip("/")

    @staticmethod
    def _csrf(html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return match.group(1) if match else ""

    def home(self) -> None:
        response = self.client.get("/", name="home")
        found = CHILD_LINK.findall(response.text)
        if found:
            self.children = found

    def _child(self) -> str | None:
        return random.choice(self.children) if self.children else None  # noqa: S311


class Practitioner(_Person):
    weight = 8
    usernames = ("teacher", "health.visitor", "social.worker", "police.officer", "early.help")

    @task(3)
    def open_home(self) -> None:
        self.home()

    @task(6)
    def open_child(self) -> None:
        child = self._child()
        if child:
            self.client.get(f"/children/{child}/", name="child record")

    @task(2)
    def open_chronology_page_2(self) -> None:
        child = self._child()
        if child:
            self.client.get(f"/children/{child}/?page=2", name="child record, chronology page 2")

    @task(3)
    def search(self) -> None:
        self.client.get(
            "/children/search/",
            params={"name": random.choice(SURNAMES)},  # noqa: S311
            name="search",
        )

    @task(1)
    def record_concern(self) -> None:
        child = self._child()
        if not child:
            return
        url = f"/children/{child}/concerns/new/"
        form = self.client.get(url, name="concern form")
        self.client.post(
            url,
            data={
                "csrfmiddlewaretoken": self._csrf(form.text),
                "summary": "Load test: came to school hungry again and without a coat.",
                "neglect_types": [],
                "childs_words": "",
                "already_tried": "",
            },
            headers={"Referer": f"https://{self._host()}{url}"},
            name="record concern",
            allow_redirects=False,
        )


class Manager(_Person):
    weight = 2
    usernames = ("team.manager", "school.dsl")

    @task(3)
    def open_home(self) -> None:
        self.home()

    @task(4)
    def open_child(self) -> None:
        child = self._child()
        if child:
            self.client.get(f"/children/{child}/", name="child record")

    @task(1)
    def open_access_log(self) -> None:
        child = self._child()
        if child:
            self.client.get(f"/children/{child}/access-log/", name="who viewed the record")


class FrontDoor(_Person):
    weight = 1
    usernames = ("front.door",)

    @task
    def queue(self) -> None:
        self.client.get("/front-door/", name="front door queue")
