from django.urls import path

from cumulus.family import views

app_name = "family"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("practitioner/plans/<int:plan_id>/", views.plan_feedback, name="plan-feedback"),
]
