"""The release step, before the app servers start (make serve, compose's `release` service):
the deployment checks, the migrations, and the reference data and recommendation texts.

    python manage.py release

It stops at the first error: a missing or stale translation catalogue, an insecure setting
that is an error, a migration that fails. Each step is safe to run again.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Check the deployment, migrate, and load the reference data (safe to run again)."
    requires_system_checks = []  # run below, with --deploy

    def handle(self, *args, **options):
        call_command("check", deploy=True, fail_level="ERROR")
        call_command("migrate", interactive=False, verbosity=options["verbosity"])
        call_command("load_reference_data", verbosity=options["verbosity"])
        call_command("load_recommendation_rules", verbosity=options["verbosity"])
