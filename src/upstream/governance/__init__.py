"""Governance: the dataset register (lawful basis and permitted purposes), the append-only,
hash-chained audit log, recorded reasons for access ("break glass") and their review, sign-in
throttling, and the data protection officer's pages."""
