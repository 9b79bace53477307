"""The app's pages: the libraries, the business cases and their drafts, runs and reports."""
