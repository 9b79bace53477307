"""Report writers: HTML (with inline SVG charts), CSV, JSON and XLSX."""

from upstream.economics.report.write import write_all

__all__ = ["write_all"]
