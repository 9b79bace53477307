from django.urls import path

from upstream.frontdoor import views

app_name = "frontdoor"

urlpatterns = [
    path("front-door/", views.queue_page, name="queue"),
    path("front-door/new/", views.new_request_page, name="new"),
    path("front-door/new-person/", views.new_person_page, name="new-person"),
    path("front-door/new/<str:person_id>/start/", views.start_page, name="start"),
    path("front-door/new/<str:person_id>/", views.new_for_person_page, name="new-for"),
    path("front-door/requests/<reference:reference>/", views.request_page, name="request"),
    path("front-door/requests/<reference:reference>/triage/", views.triage_page, name="triage"),
    path(
        "front-door/requests/<reference:reference>/safeguarding/",
        views.safeguarding_raise_page,
        name="raise-concern",
    ),
    path("front-door/requests/<reference:reference>/consent/", views.consent_page, name="consent"),
    path(
        "front-door/requests/<reference:reference>/consent/<int:consent_id>/",
        views.consent_change_page,
        name="consent-change",
    ),
    path("front-door/requests/<reference:reference>/connect/", views.connect_page, name="connect"),
    path("front-door/waiting-list/", views.waiting_list_page, name="waiting-list"),
    path("front-door/safeguarding/", views.safeguarding_queue_page, name="safeguarding"),
    path("front-door/safeguarding/<int:concern_id>/", views.concern_page, name="concern"),
    path("front-door/unanswered/", views.overdue_page, name="overdue"),
    path("front-door/measures/", views.measures_page, name="measures"),
]
