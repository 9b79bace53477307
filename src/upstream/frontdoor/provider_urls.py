"""A service provider's pages: /incoming/ and /incoming/<id>/ (provider_views)."""

from django.urls import path

from upstream.frontdoor import provider_views

app_name = "provider"

urlpatterns = [
    path("incoming/", provider_views.incoming_page, name="incoming"),
    path("incoming/<int:connection_id>/", provider_views.connection_page, name="connection"),
]
