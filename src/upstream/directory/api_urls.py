"""The Open Referral UK v3 API, under /directory/api/."""

from django.urls import path

from upstream.directory import api

app_name = "directory-api"

urlpatterns = [
    path("", api.root, name="root"),
    path("services", api.services, name="services"),
    path("services/<uuid:service_id>", api.service, name="service"),
    path("service_at_locations", api.service_at_locations, name="service_at_locations"),
    path("service_at_locations/<uuid:sal_id>", api.service_at_location, name="service_at_location"),
    path("taxonomies", api.taxonomies, name="taxonomies"),
    path("taxonomies/<uuid:taxonomy_id>", api.taxonomy, name="taxonomy"),
    path("taxonomy_terms", api.taxonomy_terms, name="taxonomy_terms"),
    path("taxonomy_terms/<uuid:term_id>", api.taxonomy_term, name="taxonomy_term"),
]
