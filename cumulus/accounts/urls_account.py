from django.urls import path

from cumulus.accounts import oidc, views

app_name = "account"

urlpatterns = [
    path("password/", views.password_change, name="password-change"),
    path("end-sessions/", views.end_sessions, name="end-sessions"),
    path("sessions/", views.own_sessions, name="own-sessions"),
    path("sessions/<int:user_session_id>/end/", views.own_session_end, name="own-session-end"),
    path("sessions/end-others/", views.own_sessions_end_others, name="own-sessions-end-others"),
    path("sso/", oidc.SignInStart.as_view(), name="oidc-start"),
    path("sso/callback/", oidc.SignInCallback.as_view(), name="oidc-callback"),
    path("sso/reauthenticate/", oidc.ReauthenticateStart.as_view(), name="oidc-reauthenticate"),
]
