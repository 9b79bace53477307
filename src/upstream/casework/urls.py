from django.urls import path

from upstream.casework import views

app_name = "casework"

urlpatterns = [
    path("people/", views.find_person, name="find"),
    path("people/<str:person_id>/", views.person_page, name="person"),
    path("people/<str:person_id>/reason/", views.record_reason_page, name="reason"),
    path("people/<str:person_id>/<slug:table>.<str:fmt>", views.person_table, name="person-table"),
    path("households/<str:household_id>/", views.household_page, name="household"),
    path(
        "households/<str:household_id>/<slug:table>.<str:fmt>",
        views.household_table,
        name="household-table",
    ),
    # A person's flags are part of their record, so the casework door serves them (at the
    # flags app's historical addresses).
    path("flags/person/<str:person_id>/", views.person_flags_page, name="person-flags"),
    path("flags/flag/<path:flag_id>/override/", views.flag_override_page, name="flag-override"),
    path("caseload/", views.caseload_page, name="caseload"),
    path("caseload.<str:fmt>", views.caseload_page, name="caseload-table"),
    path("caseload/allocate/", views.allocate_page, name="allocate"),
    path("caseload/<int:allocation_id>/end/", views.end_allocation_page, name="end-allocation"),
]
