from django.urls import path

from cumulus.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.review_list, name="reviews"),
    path("reviews/new/", views.review_new, name="review-new"),
    path("reviews/<int:learning_review_id>/", views.review_detail, name="review"),
    path(
        "recommendations/<int:recommendation_id>/",
        views.recommendation_detail,
        name="recommendation",
    ),
    path("matrix/", views.matrix, name="matrix"),
]
