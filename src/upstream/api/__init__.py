"""The JSON API (django-ninja, OpenAPI at /api/openapi.json): the JSON twin of every casework
and governance page, with the same permissions and the same audit."""
