"""The sign-in form, labelled the GOV.UK way."""

from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been suspended. Ask your partnership administrator.",
    }
