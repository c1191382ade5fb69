"""Training for the demo partnership: the synthetic generator's sessions and bookings (with
attendance and confidence), a few sessions still to come, and three 7-minute briefings."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping

import pyarrow as pa

from cumulus.accounts.models import Agency, User
from cumulus.training.models import Booking, Briefing, BriefingRead, Course, TrainingSession

BRIEFINGS = (
    (
        "Neglect: seeing the child's day",
        "Seven points on what a day is like for a neglected child.",
    ),
    ("Was not brought: missed appointments", "Why a missed appointment is about the child."),
    ("Poverty and neglect: telling them apart", "Help with money first; then look again."),
)


def load_demo_training(*, tables: Mapping[str, pa.Table], today: dt.date, seed: int) -> int:
    """Load the generator's training tables; returns bookings made."""
    courses = {c.code: c for c in Course.objects.all()}
    staff = tables["practitioners"].to_pylist()
    users = {
        u.username: u for u in User.objects.filter(username__in=[s["username"] for s in staff])
    }
    user_of = {s["practitioner_id"]: users[s["username"]] for s in staff if s["username"] in users}
    sessions = {}
    for s in tables["training_sessions"].to_pylist():
        sessions[s["session_id"]] = TrainingSession(
            course=courses[s["course"]],
            held_on=s["held_on"],
            places=s["places"],
            venue="Eastmoor Civic Centre",
        )
    TrainingSession.objects.bulk_create(sessions.values())
    bookings = []
    for b in tables["training_bookings"].to_pylist():
        user = user_of.get(b["practitioner_id"])
        if user is None:
            continue
        bookings.append(
            Booking(
                session=sessions[b["session_id"]],
                practitioner=user,
                agency_id=user.agency_id,
                attended=bool(b["attended"]),
                confidence_before=b["confidence_before"],
                confidence_after=b["confidence_after"],
            )
        )
    Booking.objects.bulk_create(bookings)
    for days, code in ((14, "neglect_basic"), (28, "gcp2"), (45, "neglect_advanced")):
        TrainingSession.objects.create(
            course=courses[code],
            held_on=today + dt.timedelta(days=days),
            places=20,
            venue="Eastmoor Civic Centre",
        )
    rng = random.Random(seed)  # noqa: S311 - demo data
    agencies = list(Agency.objects.all())
    readers = list(user_of.values())
    for months_ago, (title, summary) in zip((5, 3, 1), BRIEFINGS, strict=True):
        briefing = Briefing.objects.create(
            title=title, summary=summary, published_on=today - dt.timedelta(days=30 * months_ago)
        )
        briefing.agencies.set(agencies)
        for reader in rng.sample(readers, k=len(readers) // 2):
            BriefingRead.objects.create(
                briefing=briefing, reader=reader, agency_id=reader.agency_id
            )
    return len(bookings)
