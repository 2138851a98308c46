"""The import / export commands of a CSV (users, workspaces): one behaviour, a contract
for scripts — exit 0 when applied (or a clean dry run), 1 when rows have errors, 2 for
a file-level error; rows as ``row N, column C: message``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import TextChoices

from customers.models import Customer
from licensing.csv.errors import CsvFileError
from licensing.csv.jobs import start_csv_import
from licensing.csv.validation import ADD, ADD_REMOVE
from partnerhub.audit.services import Actor
from partnerhub.csvfiles.writing import csv_file_bytes
from partnerhub.errors import DomainError
from partnerhub.jobs.runner import execute_job
from partnerhub.tenancy import in_org


def org(slug: str) -> Customer:
    customer = Customer.objects.filter(slug=slug).exclude(partner=None).first()
    if customer is None:
        raise CommandError(f"No org with id '{slug}'.")
    return customer


class CsvImportCommand(BaseCommand):
    """Subclasses name what they import and the service that does it."""

    kind: TextChoices  # the job kind whose runner imports the file
    holders: str = "user(s) would lose their calling data"
    loss_help: str = ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("customer_slug")
        parser.add_argument("file")
        parser.add_argument("--mode", choices=[ADD, ADD_REMOVE], default=ADD)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--confirm-calling-loss", action="store_true", help=self.loss_help)

    def handle(self, *args: Any, **options: Any) -> None:
        customer = org(options["customer_slug"])
        try:
            content = Path(options["file"]).read_bytes()
        except OSError as error:
            self.stderr.write(f"file: cannot read {options['file']}: {error.strerror}.")
            sys.exit(2)
        # The same job record as an upload (one CSV task per org holds for scripts too),
        # run here in the command's process by the same runner.
        with in_org(customer):
            try:
                job = start_csv_import(
                    kind=self.kind, actor=Actor.system(f"manage.py {self._name()}"),
                    file_name=Path(options["file"]).name, content=content,
                    mode=options["mode"], dry_run=options["dry_run"],
                    confirm_calling_loss=options["confirm_calling_loss"], enqueue=False,
                )  # fmt: skip
                outcome = execute_job(job.pk)
            except CsvFileError as error:
                self.stderr.write(f"file: {error.message}")
                sys.exit(2)
            except DomainError as error:
                self.stderr.write(error.message)
                sys.exit(1)
        result = outcome.value if outcome else None
        if result is None:
            raise CommandError(f"Task #{job.pk} was taken by another process.")
        self.stdout.write(", ".join(f"{name} {value}" for name, value in result.counts.items()))
        for warning in result.plan.warnings:
            self.stdout.write(f"warning: {warning}")
        for error in result.plan.errors:
            self.stderr.write(error)
        losing = result.plan.unconfirmed_calling_losses
        if losing:
            self.stderr.write(
                f"{len(losing)} {self.holders}: {', '.join(losing)}. "
                "If that is intended, run the command again with --confirm-calling-loss."
            )
        if result.plan.errors:
            self.stderr.write("Nothing was applied: fix the rows above and import again.")
            sys.exit(1)
        self.stdout.write("Dry run: nothing applied." if options["dry_run"] else "Applied.")

    def _name(self) -> str:
        return type(self).__module__.rsplit(".", 1)[-1]


class CsvExportCommand(BaseCommand):
    exporter: Callable[[], str]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("customer_slug")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        with in_org(org(options["customer_slug"])):
            text = type(self).exporter()
        if options["output"]:
            Path(options["output"]).write_bytes(csv_file_bytes(text))  # UTF-8 with BOM
        else:
            self.stdout.write(text, ending="")
