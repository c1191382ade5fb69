from django.urls import path

from cumulus.accounts import views

app_name = "two-factor"

urlpatterns = [
    path("set-up/", views.set_up, name="set-up"),
    path("verify/", views.verify, name="verify"),
]
