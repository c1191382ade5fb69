from django.urls import path

from cumulus.participation import views

app_name = "participation"

urlpatterns = [
    path("children/<int:child_id>/", views.child_participation, name="child"),
]
