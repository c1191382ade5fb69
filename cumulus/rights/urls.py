from django.urls import path

from cumulus.rights import views

app_name = "rights"

urlpatterns = [
    path("", views.home, name="home"),
    path("subject-access/new/", views.sar_new, name="sar-new"),
    path("subject-access/<int:sar_id>/", views.sar_detail, name="sar-detail"),
    path("subject-access/<int:sar_id>/approve/", views.sar_approve, name="sar-approve"),
    path("subject-access/<int:sar_id>/release/", views.sar_release, name="sar-release"),
    path("subject-access/<int:sar_id>/package.json", views.sar_json, name="sar-json"),
    path("subject-access/<int:sar_id>/package.pdf", views.sar_pdf, name="sar-pdf"),
    path("record-requests/new/", views.record_request_new, name="record-request-new"),
    path(
        "record-requests/<int:record_request_id>/",
        views.record_request_detail,
        name="record-request-detail",
    ),
    path("retention/", views.retention, name="retention"),
    path("retention/<int:child_id>/erase/", views.erase, name="erase"),
]
