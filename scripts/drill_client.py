"""A tiny HTTP client for the drills and the runbook script: signs in as a demo login and keeps
its cookies by hand, so it works against a production-mode service over loopback HTTP (the
service's cookies are Secure because TLS is terminated by a proxy in production)."""

from __future__ import annotations

import http.client
import re
import urllib.parse
from dataclasses import dataclass, field

DEMO_PASSWORD = "cumulus-demo-2026"  # noqa: S105 - the synthetic demo's published password
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    status: int
    body: str
    headers: dict[str, str]


@dataclass
class Client:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 30

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> Response:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = {"X-Forwarded-Proto": "https", "Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{self.host}:{self.port}{path}"
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            text = raw.read().decode("utf-8", errors="replace")
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return Response(raw.status, text, {k.lower(): v for k, v in raw.getheaders()})
        finally:
            conn.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, path: str, data: dict[str, str]) -> Response:
        page = self.get(path)
        match = CSRF.search(page.body)
        if not match:
            raise RuntimeError(f"no form at {path}: {page.status}")
        return self.request("POST", path, {**data, "csrfmiddlewaretoken": match.group(1)})

    def sign_in(self, username: str) -> None:
        response = self.post_form("/sign-in/", {"username": username, "password": DEMO_PASSWORD})
        if response.status != 302:
            raise RuntimeError(f"could not sign in as {username}: {response.status}")

    def my_children(self) -> list[str]:
        return re.findall(r'href="/children/(\d+)/"', self.get("/").body)
