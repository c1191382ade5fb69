from django.urls import path

from cumulus.chronology import views

app_name = "chronology"

urlpatterns = [
    path("children/<int:child_id>/", views.chronology_page, name="child"),
    path("children/<int:child_id>/impact/", views.impact_page, name="impact"),
    path(
        "children/<int:child_id>/impact/export.<str:fmt>",
        views.impact_export,
        name="impact-export",
    ),
    path(
        "children/<int:child_id>/events/<int:event_id>/impact/",
        views.impact_edit,
        name="impact-edit",
    ),
]
