"""Passwords are hashed with Argon2 and must be long enough."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from cumulus.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2():
    user = UserFactory()
    assert user.password.startswith("argon2")
    assert user.check_password(TEST_PASSWORD)


def test_short_passwords_are_refused():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("short-pw")


def test_sign_in_with_a_wrong_password_shows_a_clear_error(client):
    user = UserFactory()
    response = client.post("/sign-in/", {"username": user.username, "password": "wrong-password"})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()


def test_sign_in_with_the_right_password_lands_on_home(client):
    user = UserFactory()
    response = client.post("/sign-in/", {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
