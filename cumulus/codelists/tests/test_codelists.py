"""Code lists are loaded as data by the migration, with validity dates."""

import datetime as dt

import pytest

from cumulus.codelists.loader import read_scheme
from cumulus.codelists.models import Code, Scheme

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("scheme", list(Scheme))
def test_every_scheme_is_loaded_from_its_csv(scheme):
    rows = read_scheme(scheme.value)
    assert rows
    assert Code.objects.filter(scheme=scheme).count() == len(rows)


def test_census_codes_have_their_dfe_meanings():
    assert Code.objects.get(scheme=Scheme.ASSESSMENT_FACTOR, code="16A").label == "Neglect"
    assert Code.objects.get(scheme=Scheme.CATEGORY_OF_ABUSE, code="NEG").label == "Neglect"
    assert Code.objects.filter(scheme=Scheme.REFERRAL_SOURCE).count() == 22


def test_retired_codes_are_valid_only_within_their_dates():
    retired = Code.objects.get(scheme=Scheme.ASSESSMENT_FACTOR, code="18A")
    assert retired.is_valid_on(dt.date(2019, 6, 1))
    assert not retired.is_valid_on(dt.date(2021, 6, 1))
    added = Code.objects.get(scheme=Scheme.CLOSURE_REASON, code="RC9")
    assert not added.is_valid_on(dt.date(2021, 6, 1))


def test_a_malformed_row_is_reported_with_file_and_line(tmp_path, monkeypatch):
    (tmp_path / "broken.csv").write_text("code,label,valid_from,valid_to\nX,Thing,not-a-date,\n")
    monkeypatch.setattr("cumulus.codelists.loader.DATA_DIR", tmp_path)
    with pytest.raises(ValueError, match=r"broken.csv line 2"):
        read_scheme("broken")
