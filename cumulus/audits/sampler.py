"""Drawing an audit sample: reproducible simple random or stratified random sampling.

No Django: the sampler takes candidates (a key and the values of the stratifying variables)
and returns the chosen keys. The same candidates, size, strata and seed always give the same
sample, whatever order the candidates come in (they are sorted by key first).

Stratified allocation is proportional with a minimum per stratum: every stratum first gets
``min(minimum, its size)`` cases, then the rest of the sample is shared in proportion to the
strata's sizes by largest remainder (Hamilton), never more than a stratum holds. Behaviour at
the edges, by design:

- an empty population, a size below 1, or a size larger than the population: an error that
  says so (``SampleSizeError``); the sampler never silently returns fewer cases;
- the minimums add up to more than the sample: an error (``StratumMinimumError``);
- a stratum level named in ``levels`` with no cases is reported in ``empty_strata`` and gets
  nothing (a stratum cannot lend cases it does not have).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product


class SampleSizeError(ValueError):
    """The sample cannot be drawn at that size from this population."""


class StratumMinimumError(ValueError):
    """The minimum per stratum cannot be met within the sample size."""


@dataclass(frozen=True)
class Candidate:
    key: int
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Sample:
    keys: list[int]
    stratum_of: dict[int, str]
    allocation: dict[str, int]
    population: dict[str, int]
    empty_strata: list[str]


def stratum_label(candidate: Candidate, strata: Sequence[str]) -> str:
    if not strata:
        return "all"
    return " / ".join(f"{s}={candidate.attributes.get(s, 'unknown')}" for s in strata)


def allocate(sizes: Mapping[str, int], total: int, minimum: int) -> dict[str, int]:
    """Proportional allocation of ``total`` over strata of ``sizes``, at least ``minimum``
    each (or the whole stratum if smaller), by largest remainder; ties go to the label first
    in sort order so the result is deterministic."""
    population = sum(sizes.values())
    if total < 1 or total > population:
        raise SampleSizeError(
            f"A sample of {total} cannot be drawn from a population of {population}."
        )
    alloc = {s: min(minimum, n) for s, n in sizes.items()}
    if sum(alloc.values()) > total:
        raise StratumMinimumError(
            f"{len(sizes)} strata with at least {minimum} each need {sum(alloc.values())} "
            f"cases, more than the sample of {total}."
        )
    while sum(alloc.values()) < total:
        room = {s: sizes[s] - alloc[s] for s in sizes if sizes[s] > alloc[s]}
        remaining = total - sum(alloc.values())
        weight = sum(sizes[s] for s in room)
        quotas = {s: remaining * sizes[s] / weight for s in room}
        whole = {s: min(room[s], int(q)) for s, q in quotas.items()}
        if sum(whole.values()) == 0:
            order = sorted(room, key=lambda s: (-(quotas[s] - int(quotas[s])), s))
            for s in order[:remaining]:
                alloc[s] += 1
            continue
        for s, n in whole.items():
            alloc[s] += n
    return alloc


def draw(
    candidates: Sequence[Candidate],
    *,
    size: int,
    seed: int,
    strata: Sequence[str] = (),
    minimum_per_stratum: int = 0,
    levels: Mapping[str, Sequence[str]] | None = None,
) -> Sample:
    """Draw ``size`` candidates; stratified by ``strata`` (attribute names) if any."""
    if not candidates:
        raise SampleSizeError("The population is empty: no case meets the audit's criteria.")
    keys = [c.key for c in candidates]
    if len(set(keys)) != len(keys):
        raise ValueError("Each candidate must appear once.")
    ordered = sorted(candidates, key=lambda c: c.key)
    groups: dict[str, list[int]] = {}
    for c in ordered:
        groups.setdefault(stratum_label(c, strata), []).append(c.key)
    sizes = {s: len(k) for s, k in groups.items()}
    alloc = allocate(sizes, size, minimum_per_stratum if strata else 0)
    chosen: list[int] = []
    stratum_of: dict[int, str] = {}
    for label in sorted(groups):
        rng = random.Random(f"{seed}:{label}")  # noqa: S311 - sampling, not security
        picked = sorted(rng.sample(groups[label], alloc[label]))
        chosen.extend(picked)
        stratum_of.update({k: label for k in picked})
    empty: list[str] = []
    if strata and levels:
        for combo in product(*(levels.get(s, []) for s in strata)):
            label = " / ".join(f"{s}={v}" for s, v in zip(strata, combo, strict=True))
            if label not in groups:
                empty.append(label)
    return Sample(
        keys=sorted(chosen),
        stratum_of=stratum_of,
        allocation=dict(sorted(alloc.items())),
        population=dict(sorted(sizes.items())),
        empty_strata=empty,
    )
