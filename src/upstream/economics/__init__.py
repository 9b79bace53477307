"""Economics: unit costs, what works, cost-benefit with uncertainty, business cases, portfolios.

A pure library (numpy/scipy); it imports nothing of Django and does no I/O outside `packs` and
`commands`.
"""
