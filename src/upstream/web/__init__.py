"""The casework web application (Django project)."""
