from django.urls import path

from upstream.oversight import views

# The URL names keep the namespace they had when these pages were governance's.
app_name = "governance"

urlpatterns = [
    path("audit/", views.audit_log, name="audit"),
    path("audit.<str:fmt>", views.audit_log, name="audit-table"),
    path("subject-access/", views.subject_access_start, name="subject-access-start"),
    path("subject-access/<str:person_id>/", views.subject_access, name="subject-access"),
    path(
        "subject-access/<str:person_id>/report.<str:fmt>",
        views.subject_access,
        name="subject-access-export",
    ),
    path("reasons/", views.reasons_queue, name="reasons"),
    path("reasons/<int:reason_id>/review/", views.review, name="review"),
    path("datasets/", views.datasets, name="datasets"),
    path("datasets.<str:fmt>", views.datasets, name="datasets-table"),
]
