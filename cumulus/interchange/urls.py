from django.urls import path

from cumulus.interchange import views
from cumulus.interchange.api import api

app_name = "interchange"

urlpatterns = [
    path("api/feeds/v1/", api.urls),
    path("imports/", views.batch_list, name="batch-list"),
    path("imports/<uuid:batch_id>/", views.batch_detail, name="batch-detail"),
    path(
        "imports/quarantine/<int:record_id>/",
        views.quarantined_record_fix,
        name="quarantined-record-fix",
    ),
]
