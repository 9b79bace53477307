"""Identification: needs, cohorts and explainable flags over linked service events.

Rules first (versioned, human-readable TOML files in `rules/`), models only behind gates
written down before training (`models/`). The pure parts here import nothing of Django; the
`upstream.flags` app publishes results to the operational database and shows them.
See docs/identification.md.
"""
