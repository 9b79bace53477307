"""Agency extracts: contracts (what each file looks like) and builders (how it is made)."""
