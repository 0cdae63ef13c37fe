from django.apps import AppConfig


class BoligsosialConfig(AppConfig):
    """The project package as an app: project-wide commands (compile_translations) and
    helpers that belong to no part of the domain."""

    name = "boligsosial"
    verbose_name = "Boligsosial oversikt"

    def ready(self) -> None:
        from boligsosial import checks  # noqa: F401 – registers the project's system checks
