from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FactorsConfig(AppConfig):
    name = "factors"
    verbose_name = _("Success factors")

    def ready(self) -> None:
        from analysis import parts
        from factors.parts import FactorsPart

        # The self-assessment is a part of every analysis (analysis/parts.py).
        parts.register(FactorsPart())
