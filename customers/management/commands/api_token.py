"""``manage.py api_token --email EMAIL [--name NAME] [--expires-days N] [--org ORG_ID]``

A contract for scripts: prints the new token alone on stdout (exit 0), or an error on
stderr (exit 1). Without ``--org`` the token is partner-level for a partner admin,
or of the one org a customer admin administers.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from customers.models import Customer
from partnerhub import tokens
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError
from partnerhub.models import Account


class Command(BaseCommand):
    help = "Create an API token for an account and print it (alone) on stdout."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="command line")
        parser.add_argument("--expires-days", type=int, default=90)
        parser.add_argument("--org", default="", help="Org id: a token of that org only.")

    def handle(self, *args: Any, **options: Any) -> None:
        account = Account.objects.filter(email__iexact=options["email"].strip()).first()
        if account is None or not account.is_active:
            raise CommandError(f"No active account {options['email']}.")
        try:
            token, secret = tokens.create_token(
                account=account,
                name=options["name"],
                expires_days=options["expires_days"],
                org_schema=self._scope(account, options["org"]),
                actor=Actor.system("manage.py api_token"),
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(secret)

    def _scope(self, account: Account, org: str) -> str:
        orgs = Customer.objects.filter(memberships__account=account)
        if org:
            customer = orgs.filter(slug=org).first()
            if customer is None:
                raise CommandError(f"{account.email} is not an administrator of an org '{org}'.")
            return customer.schema_name
        if account.partner_memberships.exists():
            return ""
        if orgs.count() == 1:
            return orgs.get().schema_name
        raise CommandError(f"{account.email} has no partner role; name the org with --org ORG_ID.")
