from django.urls import path

from cumulus.linkage import views

app_name = "linkage"

urlpatterns = [
    path("review/", views.review_queue, name="review-queue"),
    path("review/<int:item_id>/", views.review_item, name="review-item"),
    path("model/", views.model_detail, name="model-detail"),
    path("records/<int:record_id>/", views.record_detail, name="record-detail"),
    path("decisions/<int:decision_id>/undo/", views.decision_undo, name="decision-undo"),
]
