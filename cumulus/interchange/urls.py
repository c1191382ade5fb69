from django.urls import path

from cumulus.interchange import views
from cumulus.interchange.api import api

app_name = "interchange"

urlpatterns = [
    path("api/feeds/v1/", api.urls),
    path("imports/", views.batch_list, name="batch-list"),
    path("imports/<uuid:batch_id>/", views.batch_detail, name="batch-detail"),
    path("imports/tokens/", views.agency_tokens, name="agency-tokens"),
    path(
        "imports/tokens/<int:agency_token_id>/revoke/",
        views.agency_token_revoke_page,
        name="agency-token-revoke",
    ),
    path(
        "imports/quarantine/<int:record_id>/",
        views.quarantined_record_fix,
        name="quarantined-record-fix",
    ),
]
