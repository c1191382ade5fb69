from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from cumulus.web import views, views_restriction
from cumulus.web.forms_auth import SignInForm

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for /favicon.ico whatever the page says; answer with GOV.UK's.
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="web/sign_in.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
            extra_context={"sso_enabled": settings.CUMULUS_OIDC_ENABLED},
        ),
        name="sign-in",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign-out"),
    path("children/search/", views.child_search, name="child-search"),
    path("children/<int:child_id>/", views.child_detail, name="child-detail"),
    path("children/<int:child_id>/access-log/", views.child_access_log, name="child-access-log"),
    path(
        "children/<int:child_id>/restriction/",
        views_restriction.record_restriction,
        name="record-restriction",
    ),
    path(
        "children/<int:child_id>/restriction/lift/",
        views_restriction.record_restriction_lift,
        name="record-restriction-lift",
    ),
    path("children/<int:child_id>/concerns/new/", views.concern_new, name="concern-new"),
    path("front-door/", views.front_door, name="front-door"),
    path("front-door/<int:contact_id>/", views.front_door_decision, name="front-door-decision"),
    path("inbox/", views.inbox, name="inbox"),
    path("emergency-access/", views.emergency_access, name="emergency-access"),
    path("access-log/unusual/", views.unusual_access_list, name="unusual-access"),
]
