"""URL map: every page is served by the web app; nothing else is routed."""

from django.urls import include, path

urlpatterns = [
    path("indicators/", include("cumulus.indicators.urls")),
    path("", include("cumulus.web.urls")),
]

handler404 = "cumulus.web.views.page_not_found"
handler403 = "cumulus.web.views.permission_denied"
handler500 = "cumulus.web.views.server_error"
