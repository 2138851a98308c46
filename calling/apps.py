from django.apps import AppConfig


class CallingConfig(AppConfig):
    name = "calling"
    verbose_name = "Webex Calling"

    def ready(self) -> None:
        from calling import tasks  # models must be loaded before the runners' modules

        tasks.register()
