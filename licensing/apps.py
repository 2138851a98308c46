from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "licensing"
    verbose_name = "Users, packages and licenses"

    def ready(self) -> None:
        from licensing import tasks  # models must be loaded before the runners' modules
        from licensing.services import hooks

        tasks.register()
        hooks.bind()
