from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeyFiguresConfig(AppConfig):
    name = "keyfigures"
    verbose_name = _("Key figures")

    def ready(self) -> None:
        from keyfigures.services.catalogue import load_indicator_catalogue
        from reference.signals import loading

        # The indicator catalogue loads with the reference data (reference/signals.py).
        loading.connect(load_indicator_catalogue, dispatch_uid="keyfigures.indicator_catalogue")
        # The cached key figures follow every change of what they are computed from.
        from keyfigures import versions

        versions.connect()
