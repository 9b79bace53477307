"""Team around the family (issue 13), mounted at the site's root with the namespace
"families"."""

from django.urls import path

from upstream.conversations import families_views as views

app_name = "families"

urlpatterns = [
    path("families/", views.plans_page, name="plans"),
    path("families/start/", views.start_find_page, name="start-find"),
    path("families/start/<str:household_id>/", views.start_page, name="start"),
    path("families/actions/", views.my_actions_page, name="my-actions"),
    path("families/actions/<int:action_id>/done/", views.done_page, name="done"),
    path("families/<int:plan_id>/", views.plan_page, name="plan"),
    path("families/<int:plan_id>/members/", views.member_page, name="member"),
    path("families/<int:plan_id>/outcomes/", views.outcome_page, name="outcome"),
    path("families/<int:plan_id>/actions/", views.action_page, name="action"),
    path("families/<int:plan_id>/meetings/", views.meeting_page, name="meeting"),
    path("families/<int:plan_id>/close/", views.close_page, name="close"),
]
