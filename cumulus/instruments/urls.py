from django.urls import path

from cumulus.instruments import views

app_name = "instruments"

urlpatterns = [
    path("children/<int:child_id>/", views.child_instruments, name="child"),
    path(
        "children/<int:child_id>/start/<slug:instrument_id>/",
        views.assessment_start,
        name="start",
    ),
    path(
        "children/<int:child_id>/compare/<slug:instrument_id>/",
        views.comparison,
        name="compare",
    ),
    path("children/<int:child_id>/genogram/", views.genogram, name="genogram"),
    path(
        "children/<int:child_id>/relationships/<int:relationship_id>/",
        views.relationship_edit,
        name="relationship-edit",
    ),
    path(
        "children/<int:child_id>/people/<int:person_id>/",
        views.person_edit,
        name="person-edit",
    ),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="assessment"),
    path(
        "assessments/<int:assessment_id>/countersign/",
        views.assessment_countersign,
        name="countersign",
    ),
    path("assessments/<int:assessment_id>/correct/", views.assessment_correct, name="correct"),
    path("assessments/<int:assessment_id>/photos/", views.photo_upload, name="photo-upload"),
    path("photos/<int:photo_id>/", views.photo_view, name="photo"),
    path("training/", views.training, name="training"),
]
