from django.apps import AppConfig


class ContactcenterConfig(AppConfig):
    name = "contactcenter"
    verbose_name = "Contact center"

    def ready(self) -> None:
        from contactcenter.selectors import recent_tasks  # needs the models loaded
        from partnerhub.jobs.registry import register_task_lister

        register_task_lister(recent_tasks)
