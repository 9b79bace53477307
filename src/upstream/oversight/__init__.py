"""Oversight: the data protection officer's pages (the audit log, subject-access reports, the
queue of recorded reasons to review, and the dataset register that every staff role may read).

They sit above casework because a subject-access report shows the person's record the way the
person page does; governance below holds the register, the audit log and the access decision.
The addresses stay under /governance/ and the URL names under `governance:`.
"""
