"""Forms of the web interface, with GOV.UK-style error messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from cumulus.accounts.models import Role, User
from cumulus.core.identifiers import IdentifierError, validate_nhs_number, validate_upn
from cumulus.people.models import RestrictionReason
from cumulus.people.selectors import ChildSearch


class ChildSearchForm(forms.Form):
    """Find a child by any mix of name, date of birth, NHS number and UPN."""

    name = forms.CharField(required=False, max_length=200, label="Name")
    dob_day = forms.IntegerField(required=False, min_value=1, max_value=31, label="Day")
    dob_month = forms.IntegerField(required=False, min_value=1, max_value=12, label="Month")
    dob_year = forms.IntegerField(required=False, min_value=1900, max_value=2100, label="Year")
    nhs_number = forms.CharField(required=False, max_length=20, label="NHS number")
    upn = forms.CharField(required=False, max_length=20, label="Unique pupil number (UPN)")

    def clean_nhs_number(self) -> str:
        raw: str = self.cleaned_data.get("nhs_number", "")
        if not raw.strip():
            return ""
        try:
            return validate_nhs_number(raw)
        except IdentifierError as exc:
            raise forms.ValidationError(str(exc), code="invalid_nhs_number") from exc

    def clean_upn(self) -> str:
        raw: str = self.cleaned_data.get("upn", "")
        if not raw.strip():
            return ""
        try:
            return validate_upn(raw)
        except IdentifierError as exc:
            raise forms.ValidationError(str(exc), code="invalid_upn") from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = [data.get("dob_day"), data.get("dob_month"), data.get("dob_year")]
        data["date_of_birth"] = None
        if any(p is not None for p in parts):
            if any(p is None for p in parts):
                self.add_error("dob_day", "Date of birth must include a day, month and year")
            else:
                day, month, year = (int(p) for p in parts)  # type: ignore[arg-type]
                try:
                    data["date_of_birth"] = dt.date(year, month, day)
                except ValueError:
                    self.add_error("dob_day", "Date of birth must be a real date")
        if not self.errors and not any(
            [
                data.get("name", "").strip(),
                data["date_of_birth"],
                data.get("nhs_number"),
                data.get("upn"),
            ]
        ):
            raise forms.ValidationError(
                "Enter a name, date of birth, NHS number or UPN to search", code="empty"
            )
        return data

    def to_search(self) -> ChildSearch:
        data = self.cleaned_data
        return ChildSearch(
            name=data.get("name", ""),
            date_of_birth=data.get("date_of_birth"),
            nhs_number=data.get("nhs_number", ""),
            upn=data.get("upn", ""),
        )


NEGLECT_TYPE_CHOICES = [
    ("medical", "Medical"),
    ("nutritional", "Nutritional"),
    ("emotional", "Emotional"),
    ("educational", "Educational"),
    ("physical", "Physical"),
    ("supervision", "Lack of supervision and guidance"),
]


class ConcernForm(forms.Form):
    """A concern about a child, in the practitioner's words."""

    summary = forms.CharField(
        label="What have you seen or heard?",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Describe what you have seen or heard"},
    )
    neglect_types = forms.MultipleChoiceField(
        label="Which kinds of neglect does it suggest?",
        choices=NEGLECT_TYPE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    childs_words = forms.CharField(
        label="What did the child say? (their own words)",
        widget=forms.Textarea,
        required=False,
        max_length=5000,
    )
    already_tried = forms.CharField(
        label="What has already been tried?",
        widget=forms.Textarea,
        required=False,
        max_length=5000,
    )
    # The lawful basis for sharing (DfE information-sharing advice): consent, or why not.
    sharing_basis = forms.ChoiceField(
        label="Are you sharing this with consent?",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you had consent to share"},
    )
    consent_from = forms.CharField(
        label="If with consent: who gave it",
        required=False,
        max_length=200,
        help_text="For example: the child's mother; the young person.",
    )
    sharing_reason = forms.CharField(
        label="If without consent: why",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text="For example: asking would put the child at greater risk of harm.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from cumulus.sharing.models import LawfulBasis

        super().__init__(*args, **kwargs)
        self.fields["sharing_basis"].choices = LawfulBasis.choices  # type: ignore[attr-defined]


class FrontDoorDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision"},
    )
    rationale = forms.CharField(
        label="Why?",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Give the reason for the decision"},
    )
    expected_of_referrer = forms.CharField(
        label="What do you ask of the referrer next?",
        widget=forms.Textarea,
        required=False,
        max_length=5000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from cumulus.casework.models import FrontDoorOutcome

        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = FrontDoorOutcome.choices  # type: ignore[attr-defined]


class EmergencyAccessForm(forms.Form):
    """Break the glass: which child (NHS number or local authority child id) and why."""

    nhs_number = forms.CharField(required=False, max_length=20, label="NHS number")
    la_child_id = forms.CharField(
        required=False, max_length=40, label="Or the local authority's child id"
    )
    reason = forms.CharField(
        label="The safeguarding emergency",
        help_text="Why you need this record now. The child's lead practitioners and your "
        "designated safeguarding lead will be told, and this is kept in the access log.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def clean_nhs_number(self) -> str:
        raw: str = self.cleaned_data.get("nhs_number", "")
        if not raw.strip():
            return ""
        try:
            return validate_nhs_number(raw)
        except IdentifierError as exc:
            raise forms.ValidationError(str(exc), code="invalid_nhs_number") from exc

    password = forms.CharField(
        label="Your password",
        help_text="Emergency access asks who you are again, so nobody can use a session left "
        "open on a shared computer.",
        widget=forms.PasswordInput(render_value=False),
        max_length=200,
        strip=False,
    )
    code = forms.CharField(
        required=False,
        label="Code from your authenticator app",
        max_length=12,
        help_text="The 6-digit code the app shows now.",
    )

    def __init__(self, *args: Any, user: Any, reauthenticated: bool = False, **kwargs: Any) -> None:
        """``reauthenticated``: the provider confirmed the person just now (an account with
        no Cumulus password re-authenticates there instead of typing a password here)."""
        from cumulus.accounts.reauth import through_provider
        from cumulus.accounts.two_factor import confirmed_device, two_factor_required

        super().__init__(*args, **kwargs)
        self.user = user
        self.device = confirmed_device(user) if two_factor_required(user) else None
        if self.device is None:
            del self.fields["code"]
        self.through_provider = through_provider(user)
        self.reauthenticated = reauthenticated
        if self.through_provider:
            del self.fields["password"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            "nhs_number" not in self.errors
            and "la_child_id" not in self.errors
            and not data.get("nhs_number")
            and not data.get("la_child_id")
        ):
            self.add_error("nhs_number", "Enter the child's NHS number or local authority id")
        if self.through_provider and not self.reauthenticated:
            self.add_error(
                None,
                "Confirm who you are with your council sign-in first (it lasts a few minutes)",
            )
        password = data.get("password")
        if password and not self.user.check_password(password):
            self.add_error("password", "The password is not right")
            self.reauthentication_failed = True
        if self.device is not None and "password" not in self.errors:
            code = (data.get("code") or "").strip()
            if not code:
                self.add_error("code", "Enter the code from your authenticator app")
            elif not self.device.verify_token(code):
                self.add_error("code", "The code is not right, or has expired")
                self.reauthentication_failed = True
        return data

    reauthentication_failed = False


class RecordRestrictionForm(forms.Form):
    """Restrict a child's whole record: why, who may read it, and whom others should ask."""

    reason = forms.ChoiceField(
        label="Why is the record restricted?",
        widget=forms.RadioSelect,
        choices=RestrictionReason.choices,
    )
    explanation = forms.CharField(
        required=False,
        label="Explanation",
        help_text="Shown only to those allowed to read the record. Required for 'Other'.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    allowed_roles = forms.MultipleChoiceField(
        required=False,
        label="Roles that may read it (with an involvement, as always)",
        widget=forms.CheckboxSelectMultiple,
        choices=Role.choices,
    )
    allowed_usernames = forms.CharField(
        required=False,
        label="Named people who may read it",
        help_text="Usernames, separated by commas. You are always included.",
        max_length=2000,
    )
    contact = forms.CharField(
        label="Whom to ask",
        help_text="Shown to everyone refused the record: a team and a way to reach someone, "
        "out of hours too.",
        max_length=200,
    )

    def clean_allowed_usernames(self) -> list[User]:
        names = [n.strip() for n in self.cleaned_data["allowed_usernames"].split(",") if n.strip()]
        users = list(User.objects.filter(username__in=names, is_active=True))
        missing = sorted(set(names) - {u.username for u in users})
        if missing:
            raise forms.ValidationError(f"No active user has the username: {', '.join(missing)}")
        return users


class RestrictionLiftForm(forms.Form):
    lift_reason = forms.CharField(
        label="Why is the restriction being lifted?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
