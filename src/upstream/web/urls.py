from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from upstream.api.urls import api_urls
from upstream.web import views

urlpatterns = [
    path("", views.start, name="start"),
    path("home/", views.home, name="home"),
    path("city/", views.city, name="city"),
    path("favicon.ico", RedirectView.as_view(url=static("upstream/favicon.svg"), permanent=True)),
    path("healthz", views.healthz, name="healthz"),
    path("appraisals/", include("upstream.appraisals.urls")),
    path("sign-in/", auth_views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("directory/api/", include("upstream.directory.api_urls")),
    path("directory/", include("upstream.directory.urls")),
    path("", include("upstream.casework.urls")),
    path("", include("upstream.frontdoor.public_urls")),
    path("", include("upstream.frontdoor.urls")),
    path("", include("upstream.frontdoor.provider_urls")),
    path("", include("upstream.conversations.urls")),
    path("", include("upstream.conversations.families_urls")),
    path("", include("upstream.conversations.reviews_urls")),
    path("", include("upstream.conversations.measures_urls")),
    path("governance/", include("upstream.oversight.urls")),
    path("flags/", include("upstream.flags.urls")),
    path("api/", api_urls()),
]

# GOV.UK error pages (JSON problems for the APIs and twins): upstream.edge.errors.
handler400 = "upstream.edge.errors.bad_request"
handler403 = "upstream.edge.errors.permission_denied"
handler404 = "upstream.edge.errors.page_not_found"
handler500 = "upstream.edge.errors.server_error"
