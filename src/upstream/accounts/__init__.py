"""Accounts: people who sign in to Upstream, and the role each one works in."""
