from django.urls import path

from cumulus.escalation import views

app_name = "escalation"

urlpatterns = [
    path("", views.escalation_list, name="list"),
    path("children/<int:child_id>/", views.child_escalations, name="child"),
    path("children/<int:child_id>/new/", views.escalation_new, name="new"),
    path("<int:escalation_id>/", views.escalation_detail, name="detail"),
]
