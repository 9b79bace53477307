from django.urls import path, register_converter

from upstream.appraisals.views import cases, drafts, libraries, reports


class Id:
    """A row's number: up to 18 digits, so every one fits a 64-bit column (a 20-digit number
    was a 500 on SQLite, "Python int too large to convert to SQLite INTEGER")."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(Id, "id")

app_name = "appraisals"
urlpatterns = [
    path("", cases.index, name="index"),
    # The libraries.
    path("what-works/", libraries.what_works, name="what-works"),
    path("what-works/<str:entry_id>/", libraries.what_works_entry, name="what-works-entry"),
    path("unit-costs/", libraries.unit_costs, name="unit-costs"),
    # Business cases and their versions.
    path("cases/new/", cases.start, name="start"),
    path("cases/upload/", cases.upload, name="upload"),
    path("cases/<id:case_id>/", cases.case_page, name="case"),
    path("cases/<id:case_id>/upload/", cases.upload, name="upload-version"),
    path("cases/<id:case_id>/compare/", cases.compare, name="compare"),
    path("cases/<id:case_id>/versions/<id:number>/", cases.version_page, name="version"),
    path("cases/<id:case_id>/versions/<id:number>/case.toml", cases.download, name="download"),
    path("cases/<id:case_id>/versions/<id:number>/appraise/", cases.appraise, name="appraise"),
    path("cases/<id:case_id>/versions/<id:number>/edit/", cases.edit_in_browser, name="edit"),
    path("cases/<id:case_id>/versions/<id:number>/toml/", cases.edit_toml, name="edit-toml"),
    # A case being built, page by page.
    path("drafts/<str:token>/check/", drafts.check_page, name="draft-check"),
    path(
        "drafts/<str:token>/outcomes/",
        drafts.list_page,
        {"what": "outcomes"},
        name="draft-outcomes",
    ),
    path("drafts/<str:token>/costs/", drafts.list_page, {"what": "costs"}, name="draft-costs"),
    path(
        "drafts/<str:token>/outcomes/remove/",
        drafts.remove,
        {"what": "outcomes"},
        name="draft-remove-outcome",
    ),
    path(
        "drafts/<str:token>/costs/remove/",
        drafts.remove,
        {"what": "costs"},
        name="draft-remove-cost",
    ),
    path("drafts/<str:token>/<str:step>/", drafts.step_page, name="draft-step"),
    # Appraisals run here, and the example appraisals the demo wrote.
    path("runs/<id:run_id>/", reports.run_page, name="run"),
    path("runs/<id:run_id>/<str:filename>", reports.run_file, name="run-file"),
    path("reports/<str:name>/", reports.example, name="example"),
    path("<str:name>/<str:filename>", reports.example_file, name="example-file"),
]
