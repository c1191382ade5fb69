from django.urls import path

from cumulus.supervision import views

app_name = "supervision"

urlpatterns = [
    path("oversight/", views.oversight, name="oversight"),
    path("children/<int:child_id>/", views.child_supervision, name="child"),
    path("children/<int:child_id>/new/", views.supervision_new, name="new"),
    path("actions/<int:action_id>/done/", views.action_done, name="action-done"),
]
