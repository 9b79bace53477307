from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "upstream.casework"
    label = "casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        from upstream.casework.views import denied_page
        from upstream.edge.errors import page_for
        from upstream.errors import Denied

        # A refusal of someone's record offers to record a reason: casework's page, which the
        # web edge shows for every Denied a person sees (JSON requests get the problem).
        page_for(Denied, denied_page)
