from django.apps import AppConfig


class AppraisalsConfig(AppConfig):
    name = "upstream.appraisals"
    label = "appraisals"
    verbose_name = "Appraisals and business cases"
    default_auto_field = "django.db.models.BigAutoField"
