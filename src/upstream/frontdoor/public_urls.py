"""The front door's pages for citizens and partner professionals (`public_views`), included
at the site's root by upstream.web.urls."""

from django.urls import path

from upstream.frontdoor import public_views

app_name = "frontdoor_public"

urlpatterns = [
    path("ask/", public_views.ask, name="ask"),
    path("ask/sent/", public_views.ask_sent, name="ask-sent"),
    path("my-requests/", public_views.my_requests, name="my-requests"),
    path("my-requests/claim/", public_views.claim, name="claim"),
    path("my-requests/<reference:reference>/", public_views.my_request, name="my-request"),
    path("refer/", public_views.refer, name="refer"),
    path("referrals/", public_views.referrals, name="referrals"),
    path("referrals/<reference:reference>/", public_views.referral, name="referral"),
]
