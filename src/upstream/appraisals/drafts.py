"""Drafts: a case being built in the browser, kept in the person's session until it is saved.

A draft holds the case file's tables, the case it will be a version of (none for a new case)
and the version it started from. Nothing is written to the database until the whole case
checks and the person saves it, so a half-built case is never a version. A session holds a few
drafts at once (one per browser tab, say); the oldest goes when there are too many.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from upstream.errors import NotFound

SESSION_KEY = "appraisal_drafts"
MAX_DRAFTS = 10
TOKEN = re.compile(r"^[0-9a-f]{16}$")


@dataclass
class Draft:
    token: str
    data: dict[str, Any]
    case_id: int | None = None
    base: int | None = None  # the version number it started from

    def as_session(self) -> dict[str, Any]:
        return {"data": self.data, "case_id": self.case_id, "base": self.base}


def _all(request: HttpRequest) -> dict[str, Any]:
    found = request.session.get(SESSION_KEY, {})
    return found if isinstance(found, dict) else {}


def start(
    request: HttpRequest, data: dict[str, Any], case_id: int | None = None, base: int | None = None
) -> Draft:
    drafts = _all(request)
    while len(drafts) >= MAX_DRAFTS:
        drafts.pop(next(iter(drafts)))
    draft = Draft(secrets.token_hex(8), data, case_id, base)
    drafts[draft.token] = draft.as_session()
    request.session[SESSION_KEY] = drafts
    return draft


def get(request: HttpRequest, token: str) -> Draft:
    stored = _all(request).get(token) if TOKEN.match(token) else None
    if not isinstance(stored, dict):
        raise NotFound(
            "There is no draft here: it was saved, or your session ended. Start again from the business case."
        )
    return Draft(token, stored.get("data", {}), stored.get("case_id"), stored.get("base"))


def put(request: HttpRequest, draft: Draft) -> None:
    drafts = _all(request)
    drafts[draft.token] = draft.as_session()
    request.session[SESSION_KEY] = drafts


def finish(request: HttpRequest, draft: Draft) -> None:
    drafts = _all(request)
    drafts.pop(draft.token, None)
    request.session[SESSION_KEY] = drafts


def blank() -> dict[str, Any]:
    """A new intervention case: the pages fill in the rest."""
    return {"case": {"kind": "intervention"}, "intervention": {}}
