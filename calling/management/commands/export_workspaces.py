from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import tenant_context

from calling.workspace_csv.exports import export_workspaces_csv
from customers.models import Customer


class Command(BaseCommand):
    help = "Export the workspaces CSV of an org (the columns the import reads)."

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
            text = export_workspaces_csv()
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
