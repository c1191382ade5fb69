from django.urls import path

from cumulus.strategy import views

app_name = "strategy"

urlpatterns = [
    path("", views.strategy_detail, name="detail"),
]
