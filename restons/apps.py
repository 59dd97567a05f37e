from django.apps import AppConfig


class RestonsConfig(AppConfig):
    name = "restons"
    label = "restons"
    verbose_name = "Restons"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from restons.services import checkups, prepared

        checkups.connect()
        connection_created.connect(prepared.on_connect, dispatch_uid="restons-sqlite-waits")
