from django.apps import AppConfig


class EdgeConfig(AppConfig):
    """No tables: an app so the error pages' templates are found (edge/templates/)."""

    name = "upstream.edge"
    label = "edge"
    verbose_name = "The web edge"
