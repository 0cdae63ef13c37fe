from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Background jobs a person starts and follows: progress, the result to download, and the
    worker that runs their tasks (django.tasks on the database)."""

    name = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from django.tasks.signals import task_finished

        from jobs import services

        task_finished.connect(services.on_task_finished, dispatch_uid="jobs.task_finished")
