from django.urls import path

from cumulus.early_warnings import views

app_name = "early_warnings"

urlpatterns = [
    path("", views.alert_inbox, name="inbox"),
    path("<int:alert_id>/", views.alert_detail, name="alert"),
    path("children/<int:child_id>/", views.child_alerts, name="child"),
]
