"""The address part that names a request: `<reference:reference>`.

A reference is letters, digits and hyphens, at most 20 (R-7KX2…, R-SYN-…); anything else is a
404 before a view runs or the database is asked (PostgreSQL refuses a NUL in a query, so
`/front-door/requests/a%00b/` was a 500).
"""

from __future__ import annotations


class ReferenceConverter:
    regex = "[A-Za-z0-9-]{1,20}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
