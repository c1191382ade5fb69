from django.urls import path

from cumulus.thresholds import views

app_name = "thresholds"

urlpatterns = [
    path("children/<int:child_id>/", views.decide, name="decide"),
]
