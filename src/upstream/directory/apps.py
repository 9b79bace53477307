from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "upstream.directory"
    label = "directory"
    verbose_name = "Services directory"
