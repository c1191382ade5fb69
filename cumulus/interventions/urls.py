from django.urls import path

from cumulus.interventions import views

app_name = "interventions"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("children/<int:child_id>/", views.child_interventions, name="child"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral"),
]
