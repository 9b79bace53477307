from django.apps import AppConfig


class FrontDoorConfig(AppConfig):
    name = "upstream.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import register_converter

        from upstream.frontdoor.converters import ReferenceConverter

        # Before any URL configuration is read: the front door's and conversations' addresses.
        register_converter(ReferenceConverter, "reference")
