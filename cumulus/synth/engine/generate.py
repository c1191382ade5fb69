"""``generate(config)``: one synthetic partnership as a dict of Arrow tables (``schema.py``)."""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa

from cumulus.synth.engine.config import SynthConfig
from cumulus.synth.engine.events import generate_events
from cumulus.synth.engine.pathway import need_states_table, simulate
from cumulus.synth.engine.population import build_population
from cumulus.synth.engine.schema import SCHEMAS
from cumulus.synth.engine.tables import casework_tables

Progress = Callable[[str, float], None]
STAGES = ("population", "pathway", "casework", "events", "feeds", "workforce", "outcomes")


def generate(config: SynthConfig, *, progress: Progress | None = None) -> dict[str, pa.Table]:
    """Generate every table of ``schema.SCHEMAS``; ``progress(stage, fraction_done)``."""

    def step(stage: str) -> None:
        if progress is not None:
            progress(stage, STAGES.index(stage) / len(STAGES))

    step("population")
    population = build_population(config)
    step("pathway")
    pathway = simulate(config, population)
    step("casework")
    tables: dict[str, pa.Table] = dict(population.tables)
    tables.update(casework_tables(config, population, pathway))
    tables["need_states"] = need_states_table(pathway, population.child_id)
    step("events")
    tables.update(generate_events(config, population, pathway, tables))
    step("feeds")
    from cumulus.synth.engine.feeds import make_feed_records

    tables["feed_records"] = make_feed_records(
        children=tables["children"],
        households=tables["households"],
        involvements=tables["involvements"],
        rng=config.rng("feeds"),
        params=config.parameters,
    )
    step("workforce")
    from cumulus.synth.engine.workforce import make_workforce

    tables.update(
        make_workforce(
            agencies=tables["agencies"],
            children=tables["children"],
            plans=tables["plans"],
            assessments=tables["assessments"],
            rng=config.rng("workforce"),
            params=config.parameters,
            start=config.start_date,
            end=config.end_date,
        )
    )
    step("outcomes")
    from cumulus.synth.engine.outcomes import make_outcomes

    tables.update(
        make_outcomes(
            children=tables["children"],
            plans=tables["plans"],
            rng=config.rng("outcomes"),
            params=config.parameters,
            start=config.start_date,
            end=config.end_date,
        )
    )
    if progress is not None:
        progress("done", 1.0)
    missing = set(SCHEMAS) - set(tables)
    if missing:
        raise RuntimeError(f"generator did not produce: {', '.join(sorted(missing))}")
    return {name: tables[name] for name in SCHEMAS}
