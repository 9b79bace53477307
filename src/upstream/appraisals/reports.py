"""Report folders: the files `upstream appraise` (or a run here) wrote, read for the pages.

A folder holds report.html, the CSV tables, appraisal.json and appraisal.xlsx. The example
appraisals the demo writes are in $UPSTREAM_DATA_DIR/reports/NAME/; a run in the service writes
to $UPSTREAM_DATA_DIR/appraisals/runs/ID/ (`runs.folder_for`).

Reading a report inside the service takes the body of report.html as the report writers made
it (`economics.report`), so the page says exactly what the file says, with the service's
header, navigation and back link around it. Three things change on the way: each chart (an SVG
that styles itself inline, which the service's Content-Security-Policy forbids on a page) is
shown as an image of itself; a wide table's scrolling box takes the keyboard's focus; and the
report's own <footer> becomes a paragraph, because a page has one footer.
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings

from upstream.errors import NotFound

# A folder or file name, short enough for any file system (a 300-character name was a 500:
# "File name too long").
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)
CHART = re.compile(
    r"<h2>([^<]*)</h2>\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?(<svg.*?</svg>)", re.DOTALL
)
SVG = re.compile(r"(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?<svg.*?</svg>", re.DOTALL)
FOOTER = re.compile(r"<footer>(.*?)</footer>", re.DOTALL)
SCROLLING_TABLE = re.compile(
    r'<div class="table-wrap">(\s*<table>\s*<caption>(.*?)</caption>)', re.DOTALL
)
# The order downloads are offered in: the report, the workbook, the data, then each table.
FIRST_FILES = ("report.html", "appraisal.xlsx", "appraisal.json")


def reports_root() -> Path:
    return Path(settings.UPSTREAM.data_dir) / "reports"


def summary(folder: Path) -> dict[str, Any]:
    data = json.loads((folder / "appraisal.json").read_text(encoding="utf-8"))
    return {
        "name": folder.name,
        "title": data["title"],
        "kind": data["kind"],
        "sentence": data["headline"]["sentence"],
        "figures": data["headline"]["figures"],
        "files": files_in(folder),
    }


def files_in(folder: Path) -> list[str]:
    names = sorted(p.name for p in folder.iterdir() if p.is_file() and SAFE_NAME.match(p.name))
    first = [n for n in FIRST_FILES if n in names]
    return first + [n for n in names if n not in first]


def examples_on_disk() -> list[dict[str, Any]]:
    """The appraisals in $UPSTREAM_DATA_DIR/reports/, each with its headline."""
    root = reports_root()
    if not root.is_dir():
        return []
    folders = sorted(p for p in root.iterdir() if (p / "appraisal.json").is_file())
    return [summary(folder) for folder in folders]


def example_folder(name: str) -> Path:
    folder = reports_root() / name
    if not SAFE_NAME.match(name) or not (folder / "appraisal.json").is_file():
        raise NotFound("No such appraisal.")
    return folder


def file_in(folder: Path, filename: str) -> Path:
    """A file the report folder holds, by exact name: no paths, no traversal."""
    path = folder / filename
    if not SAFE_NAME.match(filename) or not path.is_file():
        raise NotFound("No such file in this appraisal.")
    return path


def headline(folder: Path) -> dict[str, Any]:
    data = json.loads((folder / "appraisal.json").read_text(encoding="utf-8"))
    found: dict[str, Any] = data.get("headline", {})
    return found


def body(folder: Path) -> str:
    """The report's body as HTML to put inside a page of the service (see the module's note).

    The report is written by the economics core's own templates, which escape every value a
    case file gives (Jinja's autoescape), so its HTML is the report writers', not a user's."""
    text = file_in(folder, "report.html").read_text(encoding="utf-8")
    match = BODY.search(text)
    inner = match.group(1) if match else text
    inner = CHART.sub(lambda m: f"<h2>{m.group(1)}</h2>\n{_image(m.group(2), m.group(1))}", inner)
    inner = SVG.sub(lambda m: _image(m.group(0), "Chart"), inner)
    inner = SCROLLING_TABLE.sub(_scrolling, inner)
    return FOOTER.sub(r'<div class="upstream-report__footer">\1</div>', inner)


def _scrolling(match: re.Match[str]) -> str:
    """A wide table scrolls sideways: its box takes the keyboard's focus and is named by the
    table's caption, so people without a mouse can scroll it too (axe-core:
    scrollable-region-focusable)."""
    label = re.sub(r"<[^>]+>", "", match.group(2)).replace('"', "&quot;")
    return f'<div class="upstream-report__scroll" tabindex="0" role="region" aria-label="{label}">{match.group(1)}'


def _image(svg: str, title: str) -> str:
    """An SVG as an image: it keeps its own styles, and the page keeps its policy."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt = html.escape(f"{html.unescape(title)} (chart; the figures are in the tables below)")
    return (
        f'<img class="upstream-report__chart" src="data:image/svg+xml;base64,{data}" alt="{alt}">'
    )
