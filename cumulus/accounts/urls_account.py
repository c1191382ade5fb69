from django.urls import path

from cumulus.accounts import views

app_name = "account"

urlpatterns = [
    path("password/", views.password_change, name="password-change"),
    path("end-sessions/", views.end_sessions, name="end-sessions"),
]
