"""Person linkage: identities, rules, Splink 5 model, clusters and persistent person IDs."""
