from django.urls import path

from cumulus.accounts import oidc, views

app_name = "account"

urlpatterns = [
    path("password/", views.password_change, name="password-change"),
    path("end-sessions/", views.end_sessions, name="end-sessions"),
    path("sso/", oidc.SignInStart.as_view(), name="oidc-start"),
    path("sso/callback/", oidc.SignInCallback.as_view(), name="oidc-callback"),
    path("sso/reauthenticate/", oidc.ReauthenticateStart.as_view(), name="oidc-reauthenticate"),
]
