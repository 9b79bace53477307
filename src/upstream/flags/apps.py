from django.apps import AppConfig


class FlagsConfig(AppConfig):
    name = "upstream.flags"
    label = "flags"
    verbose_name = "Flags and cohorts"
    default_auto_field = "django.db.models.BigAutoField"
