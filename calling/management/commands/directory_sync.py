"""``manage.py directory_sync CUSTOMER_SLUG FILE.csv|FILE.json`` (issue #4, a contract)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from calling.services.directory import start_directory_sync
from customers.models import Customer
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError
from partnerhub.jobs.runner import execute_job
from partnerhub.tenancy import in_org


class Command(BaseCommand):
    help = "Sync a directory export (CSV or JSON: email, names, work phone) into an org."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("customer_slug")
        parser.add_argument("file")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        customer = Customer.objects.filter(slug=options["customer_slug"]).first()
        if customer is None:
            raise CommandError(f"No customer with slug {options['customer_slug']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} does not exist or is not a file.")
        with in_org(customer):
            # The same job record as an upload (one such task per org), run here.
            try:
                job = start_directory_sync(
                    actor=Actor.system("directory_sync"), file_name=path.name,
                    content=path.read_bytes(), enqueue=False,
                )  # fmt: skip
                outcome = execute_job(job.pk)
            except DomainError as error:
                raise CommandError(error.message) from None
        if outcome is None:
            raise CommandError(f"Task #{job.pk} was taken by another process.")
        result = outcome.value
        self.stdout.write(
            f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}, "
            f"provisioned {result.provisioned}, unprovisioned {len(result.unprovisioned)}"
        )
        for email in sorted(result.unprovisioned):
            self.stdout.write(result.explain(email))
