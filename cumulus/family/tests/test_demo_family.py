"""The demo has a family sign-in: a parent of one of the teacher's pupils, with no open casework
so that walking the journey shows the family their plan."""

import pytest

from cumulus.accounts.models import User
from cumulus.family.demo import FAMILY_DEMO_USERNAME
from cumulus.family.policies import family_account_of, family_child_ids, family_plans
from cumulus.people.policies import visible_children
from cumulus.synth.demo import DEMO_PASSWORD, build_demo_partnership

pytestmark = pytest.mark.django_db


def test_the_demo_family_login_is_a_parent_of_one_of_the_teachers_pupils():
    summary = build_demo_partnership(seed=3, children=300)
    assert FAMILY_DEMO_USERNAME in summary.logins
    user = User.objects.get(username=FAMILY_DEMO_USERNAME)
    assert user.check_password(DEMO_PASSWORD)
    assert user.agency is None
    account = family_account_of(user)
    assert account is not None
    children = family_child_ids(account)
    teacher = User.objects.get(username="teacher")
    assert set(children) & set(visible_children(user=teacher).values_list("pk", flat=True))
    assert not family_plans(account).exists()
    assert not visible_children(user=user).exists()
