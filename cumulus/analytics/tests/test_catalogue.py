from __future__ import annotations

from cumulus.analytics import docs
from cumulus.analytics.catalogue import CATALOGUE
from cumulus.analytics.engine import BREAKDOWNS
from cumulus.analytics.schema import TABLES


def test_docs_indicators_md_is_generated_from_the_catalogue() -> None:
    assert docs.DOC.read_text() == docs.render(), (
        "docs/indicators.md is stale: run python -m cumulus.analytics.docs --write"
    )


def test_every_indicator_is_fully_described() -> None:
    for ind in CATALOGUE.values():
        assert all((ind.title, ind.definition, ind.numerator, ind.denominator)), ind.id
        assert ind.seeds, ind.id
        assert set(ind.seeds) <= set(docs.SEEDS), ind.id
        assert set(ind.breakdowns) <= set(BREAKDOWNS), ind.id
        assert set(ind.sources) <= set(TABLES), ind.id


def test_every_seed_partnership_has_indicators() -> None:
    seeds = {s for ind in CATALOGUE.values() for s in ind.seeds}
    assert seeds == set(docs.SEEDS)
