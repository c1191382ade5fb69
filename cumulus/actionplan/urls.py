from django.urls import path

from cumulus.actionplan import views

app_name = "actionplan"

urlpatterns = [
    path("", views.plan, name="plan"),
    path("overdue/", views.overdue, name="overdue"),
    path("agency/", views.agency, name="agency"),
    path("items/new/", views.item_new, name="item-new"),
    path("items/<int:action_item_id>/", views.item_detail, name="item"),
]
