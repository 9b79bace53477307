"""Insight: ingest agency extracts, link people and households, cost the need, publish."""
