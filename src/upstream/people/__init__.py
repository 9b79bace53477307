"""The published operational tables: one view of people and households for practitioners.

Written by `upstream publish` from the insight workspace; read by the casework pages.
See docs/published-tables.md.
"""
