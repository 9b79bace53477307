from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "upstream.governance"
    label = "governance"
    verbose_name = "Data governance and audit"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from upstream.governance import register, throttle

        # The shipped register is loaded like Django's own default rows (content types,
        # permissions): after every migrate, adding datasets that are missing, never
        # overwriting what a data protection officer has changed.
        post_migrate.connect(register.ensure_register_after_migrate, sender=self)
        throttle.connect_signals()
