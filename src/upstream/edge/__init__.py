"""The web edge: where requests meet the domain, and answers leave it.

- `errors`: one place that turns domain errors (`upstream.errors`: Denied, NotFound, Moved,
  InputError, AuditUnavailableError) and Django's own (Http404, PermissionDenied, BadRequest,
  SuspiciousOperation, a refused CSRF token, anything unhandled) into GOV.UK-styled 400, 403,
  404, 500 and 503 pages, or into JSON problem responses (RFC 9457) for JSON requests;
- `twins`: one way for every page and table to answer as JSON and CSV too;
- `inputs`: text as views read it (no NUL characters, which PostgreSQL refuses).

It sits on floor 1: it imports Django, `upstream.errors` and `upstream.csv_cells`, and no app.
Apps above it register what only they know (casework's refusal page offers to record a reason).
"""
