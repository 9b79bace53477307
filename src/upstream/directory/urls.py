"""The directory's pages, under /directory/."""

from django.urls import path

from upstream.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("services/<uuid:service_id>/", views.service_page, name="service"),
    path("editor/", views.editor_home, name="editor"),
    path("editor/stale/", views.stale_queue, name="stale"),
    path("editor/services/new/", views.create_service, name="create"),
    path("editor/services/<uuid:service_id>/edit/", views.edit_service, name="edit"),
    path("editor/services/<uuid:service_id>/history/", views.service_history, name="history"),
]
