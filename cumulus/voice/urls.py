from django.urls import path

from cumulus.voice import views

app_name = "voice"

urlpatterns = [
    path("", views.voice_summary, name="summary"),
    path("children/<int:child_id>/", views.child_voice, name="child"),
    path("children/<int:child_id>/new/", views.voice_new, name="new"),
]
