"""``manage.py directory_sync CUSTOMER_SLUG FILE.csv|FILE.json`` (issue #4, a contract)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from calling.services.directory import read_feed_file, sync_directory
from customers.models import Customer
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError


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
        with tenant_context(customer):
            try:
                entries = read_feed_file(path.name, path.read_bytes())
                result = sync_directory(entries=entries, actor=Actor.system("directory_sync"))
            except DomainError as error:
                raise CommandError(error.message) from None
        self.stdout.write(
            f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}, "
            f"provisioned {result.provisioned}, unprovisioned {len(result.unprovisioned)}"
        )
        for email in sorted(result.unprovisioned):
            self.stdout.write(result.explain(email))
