"""``manage.py scim_token ORG_ID [--name NAME]`` (issue #13, a contract for scripts):
creates a SCIM connection in the org and prints its bearer token alone on stdout
(nothing else: ``TOKEN=$(./dev scim_token acme)``). The SCIM base URL goes to stderr."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from customers.services import customer_host
from licensing.csv.commands import org
from licensing.scim.connections import create_connection
from partnerhub.audit.services import Actor
from partnerhub.tenancy import in_org


class Command(BaseCommand):
    help = "Create a SCIM connection for an org and print its bearer token (alone) on stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("customer_slug", metavar="ORG_ID")
        parser.add_argument("--name", default="SCIM", help="The connection's name (default SCIM).")

    def handle(self, *args: Any, **options: Any) -> None:
        customer = org(options["customer_slug"])
        with in_org(customer):
            _, token = create_connection(
                name=options["name"], actor=Actor.system("manage.py scim_token")
            )
        scheme = settings.PARTNERHUB_LINK_SCHEME
        port = f":{settings.PARTNERHUB_LINK_PORT}" if settings.PARTNERHUB_LINK_PORT else ""
        self.stderr.write(f"SCIM base URL: {scheme}://{customer_host(customer)}{port}/scim/v2/")
        self.stdout.write(token)
