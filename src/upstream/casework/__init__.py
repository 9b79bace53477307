"""Casework: find a person, see their and their household's story across agencies with costs,
caseloads and allocations, all behind need-to-know access and the audit log."""
