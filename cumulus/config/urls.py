"""URL map: every page is served by the web app; nothing else is routed."""

from django.urls import include, path

urlpatterns = [
    path("two-factor/", include("cumulus.accounts.urls")),
    path("account/", include("cumulus.accounts.urls_account")),
    path("rights/", include("cumulus.rights.urls")),
    path("instruments/", include("cumulus.instruments.urls")),
    path("thresholds/", include("cumulus.thresholds.urls")),
    path("escalation/", include("cumulus.escalation.urls")),
    path("interventions/", include("cumulus.interventions.urls")),
    path("supervision/", include("cumulus.supervision.urls")),
    path("voice/", include("cumulus.voice.urls")),
    path("participation/", include("cumulus.participation.urls")),
    path("", include("cumulus.operations.urls")),
    path("journey/", include("cumulus.casework.urls")),
    path("family/", include("cumulus.family.urls")),
    path("interchange/", include("cumulus.interchange.urls")),
    path("chronology/", include("cumulus.chronology.urls")),
    path("warnings/", include("cumulus.early_warnings.urls")),
    path("linkage/", include("cumulus.linkage.urls")),
    path("indicators/", include("cumulus.indicators.urls")),
    path("training/", include("cumulus.training.urls")),
    path("audits/", include("cumulus.audits.urls")),
    path("strategy/", include("cumulus.strategy.urls")),
    path("action-plan/", include("cumulus.actionplan.urls")),
    path("learning/", include("cumulus.learning.urls")),
    path("governance/", include("cumulus.governance.urls")),
    path("", include("cumulus.web.urls")),
]

handler404 = "cumulus.web.views.page_not_found"
handler403 = "cumulus.web.views.permission_denied"
handler500 = "cumulus.web.views.server_error"
