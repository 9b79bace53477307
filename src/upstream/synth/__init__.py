"""The synthetic city: people, places, households over time, agency extracts and the truth."""
