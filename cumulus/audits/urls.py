from django.urls import path

from cumulus.audits import views

app_name = "audits"

urlpatterns = [
    path("", views.home, name="home"),
    path("rounds/new/", views.round_new, name="round-new"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/results/", views.round_results, name="results"),
    path("assignments/<int:assignment_id>/", views.grade, name="grade"),
    path("cases/<int:case_id>/moderate/", views.moderate, name="moderate"),
]
