"""Published flags with their why-flagged cards, cohort reports, practitioner overrides, the
kill switch, and the transparency record and fairness audit for the data protection officer.
The rule engine itself is pure (`upstream.identify`); this app only publishes and shows."""
