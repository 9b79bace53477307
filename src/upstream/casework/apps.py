from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "upstream.casework"
    label = "casework"
    verbose_name = "Casework"
