"""The team measures page and its downloads (CSV, JSON, XLSX)."""

from django.urls import path

from upstream.conversations import measures_views

app_name = "conv_measures"

urlpatterns = [
    path("conversations/measures/", measures_views.measures_page, name="page"),
    path("conversations/measures.<str:fmt>", measures_views.measures_page, name="download"),
]
