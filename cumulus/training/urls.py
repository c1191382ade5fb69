from django.urls import path

from cumulus.training import views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("book/", views.book, name="book"),
    path("bookings/<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("bookings/<int:booking_id>/evaluate/", views.evaluate, name="evaluate"),
    path("briefings/<int:briefing_id>/", views.briefing_detail, name="briefing"),
    path("manage/", views.manage, name="manage"),
    path("manage/sessions/<int:session_id>/", views.session_detail, name="session"),
    path("manage/briefings/", views.briefings_manage, name="briefings"),
    path("uptake/", views.uptake, name="uptake"),
]
