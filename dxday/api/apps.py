from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dxday.api"
    verbose_name = "API"
