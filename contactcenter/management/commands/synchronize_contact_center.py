"""``manage.py synchronize_contact_center <org id> [--now]``: *Synchronize users* of one
org from a script (SPEC §7, §8). Queues the task (a worker runs it), or with
``--now`` runs it here and prints the outcome."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contactcenter.models import SyncRun
from contactcenter.services import run_sync, synchronize_users
from customers.models import Customer
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError
from partnerhub.tenancy import in_org


class Command(BaseCommand):
    help = "Synchronize the contact-center users (pending and invalid) of one org."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("org", help="The org id (slug), e.g. acme.")
        parser.add_argument("--now", action="store_true", help="Run here, not in a worker.")

    def handle(self, *args: Any, org: str, now: bool, **options: Any) -> None:
        customer = Customer.objects.exclude(schema_name="public").filter(slug=org).first()
        if customer is None:
            raise CommandError(f"No org with id '{org}'.")
        with in_org(customer):
            try:
                run = synchronize_users(actor=Actor.system("synchronize_contact_center"))
            except DomainError as error:
                raise CommandError(error.message) from error
            if not now:
                self.stdout.write(f"Queued Synchronize users run {run.pk} of {org}.")
                return
            run_sync(run_id=run.pk, include_invalid=True)
            run = SyncRun.objects.get(pk=run.pk)
            self.stdout.write(
                f"Run {run.pk}: {run.get_status_display()}, {run.synced} synced, "
                f"{run.invalid} invalid, {run.removed} removed from the roster."
            )
