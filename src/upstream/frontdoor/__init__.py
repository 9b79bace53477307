"""The front door: requests for help from every channel, triage, safeguarding, consent and
connections to services with a closed loop (issue 12; domain brief §2–§3)."""
