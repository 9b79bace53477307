from django.urls import path

from upstream.conversations import reviews_views

app_name = "reviews"

urlpatterns = [
    path("reviews/", reviews_views.reviews_page, name="list"),
    path("reviews/due/", reviews_views.due_page, name="due"),
    path("reviews/<int:review_id>/", reviews_views.review_page, name="review"),
]
