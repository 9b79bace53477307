from django.apps import AppConfig


class OversightConfig(AppConfig):
    """No tables: an app so its page templates are found (oversight/templates/)."""

    name = "upstream.oversight"
    label = "oversight"
    verbose_name = "The data protection officer's pages"
