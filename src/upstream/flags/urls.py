from django.urls import path

from upstream.flags import views

app_name = "flags"
urlpatterns = [
    path("cohorts/", views.cohorts, name="cohorts"),
    path("transparency/", views.transparency, name="transparency"),
    path("transparency/kill-switch/", views.kill_switch, name="kill_switch"),
    path("transparency/<str:name>", views.download, name="download"),
]
