from django.urls import path

from upstream.conversations import views

app_name = "conversations"

urlpatterns = [
    path("conversations/", views.mine_page, name="mine"),
    path("conversations/team/", views.team_page, name="team"),
    path("conversations/waiting/", views.waiting_page, name="waiting"),
    path(
        "conversations/waiting/<reference:reference>/",
        views.waiting_request_page,
        name="waiting-request",
    ),
    path(
        "conversations/waiting/<reference:reference>/pick-up/", views.pick_up_page, name="pick-up"
    ),
    path(
        "conversations/waiting/<reference:reference>/allocate/",
        views.allocate_page,
        name="allocate",
    ),
    path("conversations/budget/", views.budget_page, name="budget"),
    path("conversations/<int:conversation_id>/", views.conversation_page, name="conversation"),
    path("conversations/<int:conversation_id>/copy/", views.copy_page, name="copy"),
    path("conversations/<int:conversation_id>/listening/", views.listening_page, name="listening"),
    path("conversations/<int:conversation_id>/end/", views.end_page, name="end"),
    path("conversations/<int:conversation_id>/hand-off/", views.hand_off_page, name="hand-off"),
    path("conversations/<int:conversation_id>/steps/", views.step_page, name="step"),
    path(
        "conversations/<int:conversation_id>/steps/<int:step_id>/done/",
        views.step_done_page,
        name="step-done",
    ),
    path("conversations/<int:conversation_id>/contacts/", views.contact_page, name="contact"),
    path("conversations/<int:conversation_id>/help/", views.help_page, name="help"),
    path("conversations/<int:conversation_id>/outcomes/", views.outcome_page, name="outcome"),
]
