"""The address a request really came from, the same for the sign-in lockout, the access log
and the list of a user's own sessions.

Behind a council's reverse proxy or load balancer ``REMOTE_ADDR`` is the proxy's own address,
so every sign-in would seem to come from one place. ``CUMULUS_TRUSTED_PROXIES`` (empty by
default: ``REMOTE_ADDR`` is used as it is) lists the proxies' networks. Only when the request
arrives *from* one of them is ``X-Forwarded-For`` read, from the right: each hop a trusted
proxy added is skipped, and the first address that is not a trusted proxy is the client. A
client cannot forge its way past this by sending its own ``X-Forwarded-For``: whatever it puts
there stands to the left of the address the trusted proxy saw, and is never reached::

    CUMULUS_TRUSTED_PROXIES=10.20.0.0/16   # the council's load balancers
    REMOTE_ADDR=10.20.1.5, X-Forwarded-For: 6.6.6.6, 203.0.113.9  ->  203.0.113.9
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

type Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_proxy_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "CUMULUS_TRUSTED_PROXIES", ())))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind a trusted proxy the nearest hop in
    ``X-Forwarded-For`` that is not itself a trusted proxy. ``None`` when there is none."""
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return None
    proxies = trusted_proxy_networks()

    def trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address in network for network in proxies)

    if not proxies or not trusted(remote):
        return str(remote)
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    client = remote
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a malformed hop: keep the last address a trusted proxy vouched for
        client = address
        if not trusted(address):
            break
    return str(client)
