from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "upstream.people"
    label = "people"
    verbose_name = "People and households (published from insight)"
