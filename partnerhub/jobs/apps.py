from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "partnerhub.jobs"
    label = "jobs"
    verbose_name = "Tasks of an org"
