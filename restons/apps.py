from django.apps import AppConfig


class RestonsConfig(AppConfig):
    name = "restons"
    label = "restons"
    verbose_name = "Restons"

    def ready(self) -> None:
        from restons.services import checkups

        checkups.connect()
