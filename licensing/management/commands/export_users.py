from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import tenant_context

from customers.models import Customer
from licensing.csv.exports import export_users_csv


class Command(BaseCommand):
    help = "Export the users CSV of an org (the columns the import reads)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("customer_slug")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        customer = (
            Customer.objects.filter(slug=options["customer_slug"]).exclude(partner=None).first()
        )
        if customer is None:
            raise CommandError(f"No org with id '{options['customer_slug']}'.")
        with tenant_context(customer):
            text = export_users_csv()
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
