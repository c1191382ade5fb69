from django.urls import path

from cumulus.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("contributory-factors/", views.overlay, name="overlay"),
    path("<slug:indicator_id>/", views.indicator_detail, name="detail"),
]
