from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import tenant_context

from calling.workspace_csv.imports import import_workspaces
from calling.workspace_csv.validation import ADD, ADD_REMOVE
from customers.models import Customer
from licensing.csv.errors import CsvFileError
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError


class Command(BaseCommand):
    help = (
        "Import the workspaces CSV into an org. Exit 0 when applied (or a clean dry run), "
        "1 when rows have errors (a row removing a workspace's calling is one, unless "
        "--confirm-calling-loss), 2 for a file-level error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("customer_slug")
        parser.add_argument("file")
        parser.add_argument("--mode", choices=[ADD, ADD_REMOVE], default=ADD)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--confirm-calling-loss",
            action="store_true",
            help="Apply rows that remove workspaces' calling (license, number, extension, "
            "voicemail, settings; kept 30 days to restore). Without it such rows are errors.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        customer = (
            Customer.objects.filter(slug=options["customer_slug"]).exclude(partner=None).first()
        )
        if customer is None:
            raise CommandError(f"No org with id '{options['customer_slug']}'.")
        try:
            content = Path(options["file"]).read_bytes()
        except OSError as error:
            self.stderr.write(f"file: cannot read {options['file']}: {error.strerror}.")
            sys.exit(2)
        with tenant_context(customer):
            try:
                result = import_workspaces(
                    content=content, actor=Actor.system("manage.py import_workspaces"),
                    mode=options["mode"], dry_run=options["dry_run"],
                    confirm_calling_loss=options["confirm_calling_loss"],
                )  # fmt: skip
            except CsvFileError as error:
                self.stderr.write(f"file: {error.message}")
                sys.exit(2)
            except DomainError as error:
                self.stderr.write(error.message)
                sys.exit(1)
        self.stdout.write(", ".join(f"{name} {value}" for name, value in result.counts.items()))
        for warning in result.plan.warnings:
            self.stdout.write(f"warning: {warning}")
        for error in result.plan.errors:
            self.stderr.write(error)
        losing = result.plan.unconfirmed_calling_losses
        if losing:
            self.stderr.write(
                f"{len(losing)} workspace(s) would lose their calling: {', '.join(losing)}. "
                "If that is intended, run the command again with --confirm-calling-loss."
            )
        if result.plan.errors:
            self.stderr.write("Nothing was applied: fix the rows above and import again.")
            sys.exit(1)
        self.stdout.write("Dry run: nothing applied." if options["dry_run"] else "Applied.")
