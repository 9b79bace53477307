from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "upstream.web"
    label = "web"
    verbose_name = "Upstream web"
