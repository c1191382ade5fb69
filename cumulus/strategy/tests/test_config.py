"""The strategy file: the five shipped strategies load; a bad file fails naming file and field,
and changes nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cumulus.indicators.profiles import PROFILES
from cumulus.strategy.config import (
    SHIPPED_DIR,
    StrategyConfigError,
    shipped_names,
    strategy_config_read,
)
from cumulus.strategy.models import Strategy, StrategyAim
from cumulus.strategy.services import strategy_load

GOOD = (SHIPPED_DIR / "cumbria.toml").read_text()


def _write(tmp_path: Path, text: str, name: str = "ours.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_the_five_seed_partnerships_are_shipped_with_their_booklet_profiles():
    assert shipped_names() == ["bury", "cumbria", "hillingdon", "newcastle", "norfolk"]
    for name in shipped_names():
        config = strategy_config_read(SHIPPED_DIR / f"{name}.toml")
        assert config.indicator_profile == name
        assert name in PROFILES
        assert len(config.aims) >= 4, name
        assert all(a.section for a in config.aims), name
        assert config.action_plan_objectives, name


def test_cumbrias_action_plan_template_has_its_four_objectives():
    config = strategy_config_read(SHIPPED_DIR / "cumbria.toml")
    assert [o.title for o in config.action_plan_objectives] == [
        "Recognise",
        "Respond",
        "Quantify",
        "Evaluate",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t.replace('indicator_profile = "cumbria"', 'indicator_profile = "leeds"'),
            "ours.toml: indicator_profile: 'leeds' is not an indicator profile",
        ),
        (
            lambda t: t.replace('continuum = "cumbria.yaml"', 'continuum = "../../x.yaml"'),
            "ours.toml: continuum: '../../x.yaml' is not a continuum of need file",
        ),
        (
            lambda t: t.replace('reporting = "quarterly"', 'reporting = "weekly"'),
            "ours.toml: reporting: 'weekly' is not one of",
        ),
        (
            lambda t: t.replace('code = "respond"', 'code = "recognise"'),
            "ours.toml: aims[2].code: 'recognise' is used by an earlier aim",
        ),
        (
            lambda t: t.replace('title = "Respond in good time"\n', ""),
            "ours.toml: aims[2].title: is missing",
        ),
        (
            lambda t: t.replace('slug = "cumbria"', 'slug = "Cumbria CSCP"'),
            "ours.toml: slug: 'Cumbria CSCP' must be lower case",
        ),
        (
            lambda t: t.replace('partnership = "Cumbria', 'partnerships = "Cumbria'),
            "ours.toml: partnerships: is not a strategy field",
        ),
        (lambda t: t.split("[action_plan]")[0], "ours.toml: action_plan: is missing"),
        (
            lambda t: t.replace("principles = [", "principles = [1, "),
            "ours.toml: principles: must be a list of non-empty texts",
        ),
        (lambda t: t + "\n[[aims]\n", "ours.toml: is not valid TOML"),
    ],
)
def test_a_bad_file_names_the_file_and_field(tmp_path, change, message):
    path = _write(tmp_path, change(GOOD))
    with pytest.raises(StrategyConfigError) as caught:
        strategy_config_read(path)
    assert message in str(caught.value)


@pytest.mark.django_db
def test_loading_stores_the_aims_and_makes_the_strategy_active():
    strategy_load(name_or_path="norfolk")
    cumbria = strategy_load(name_or_path="cumbria")
    assert Strategy.objects.get(is_active=True) == cumbria
    assert list(cumbria.aims.values_list("code", flat=True)) == [
        "recognise",
        "respond",
        "quantify",
        "evaluate",
        "lead",
    ]


@pytest.mark.django_db
def test_reloading_a_changed_file_keeps_a_dropped_aim_as_withdrawn(tmp_path):
    strategy_load(name_or_path=str(_write(tmp_path, GOOD)))
    fewer = GOOD.replace('[[aims]]\ncode = "lead"', '[[ignored]]\ncode = "lead"')
    fewer = fewer.split("[[ignored]]")[0] + "[action_plan]" + fewer.split("[action_plan]")[1]
    strategy_load(name_or_path=str(_write(tmp_path, fewer)))
    assert StrategyAim.objects.get(code="lead").withdrawn
    assert StrategyAim.objects.filter(withdrawn=False).count() == 4


@pytest.mark.django_db
def test_a_bad_file_loads_nothing(tmp_path):
    bad = _write(tmp_path, GOOD.replace('title = "Lead the change"\n', ""))
    with pytest.raises(StrategyConfigError):
        strategy_load(name_or_path=str(bad))
    assert not Strategy.objects.exists()
    assert not StrategyAim.objects.exists()


@pytest.mark.django_db
def test_the_load_command_loads_a_name_and_rejects_an_unknown_one():
    out = io.StringIO()
    call_command("strategy", "load", "bury", stdout=out)
    assert "Strategy bury loaded (4 aims, active)" in out.getvalue()
    with pytest.raises(CommandError, match="No strategy 'leeds'"):
        call_command("strategy", "load", "leeds")


@pytest.mark.django_db
def test_the_strategy_page_shows_the_active_strategys_aims(client):
    from cumulus.testing.factories import UserFactory

    strategy_load(name_or_path="hillingdon")
    client.force_login(UserFactory())
    page = client.get("/strategy/").content.decode()
    assert "Routine use of the Graded Care Profile 2" in page
    assert "Hillingdon Safeguarding Partnership" in page
