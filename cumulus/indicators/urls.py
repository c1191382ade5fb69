from django.urls import path

from cumulus.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("contributory-factors/", views.overlay, name="overlay"),
    path("commentary/", views.commentary_month, name="commentary"),
    path(
        "commentary/<slug:indicator_id>/<str:month>/",
        views.commentary_edit,
        name="commentary-edit",
    ),
    path("<slug:indicator_id>/", views.indicator_detail, name="detail"),
]
