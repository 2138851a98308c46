from django.apps import AppConfig


class ContactcenterConfig(AppConfig):
    name = "contactcenter"
    verbose_name = "Contact center"
