from __future__ import annotations

from typing import Any

from django import forms
from django.core.management.base import BaseCommand, CommandError, CommandParser

from customers.forms import parse_subscription_spec
from customers.services import provision_customer
from licensing import catalogue
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError
from partnerhub.models import Partner


def package_code(name: str) -> str:
    if name in catalogue.PACKAGES:
        return name
    package = catalogue.package_by_name(name)
    if package is None:
        raise CommandError(
            f"Unknown package '{name}'. Use one of: "
            + ", ".join(f"{lt.name} ({code})" for code, lt in catalogue.PACKAGES.items())
        )
    return package.code


class Command(BaseCommand):
    help = "Provision a customer org of a partner: schema, host, subscriptions, first admin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partner", required=True, help="partner slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True, help="org id (host name)")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--country", default="")
        parser.add_argument("--package", action="append", default=[], help="repeatable")
        parser.add_argument(
            "--subscription",
            action="append",
            default=[],
            help='repeatable: "Sub-100234:webex_calling=50,webex_meetings=100"',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        partner = Partner.objects.filter(slug=options["partner"]).first()
        if partner is None:
            raise CommandError(f"No partner with slug '{options['partner']}'.")
        try:
            subscriptions = [parse_subscription_spec(s) for s in options["subscription"]]
        except forms.ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        try:
            customer = provision_customer(
                partner=partner,
                name=options["name"],
                slug=options["slug"],
                admin_email=options["admin_email"],
                country=options["country"],
                packages=[package_code(p) for p in options["package"]],
                subscriptions=subscriptions,
                actor=Actor.system("manage.py provision_customer"),
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Provisioned {customer.name} at {customer.slug} (schema {customer.schema_name})."
        )
