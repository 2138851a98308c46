from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from customers.services import ensure_public_tenant
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor
from partnerhub.models import Account, Partner, PartnerMembership, PartnerRole


class Command(BaseCommand):
    help = "Create a partner and its first full administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--password", help="Without it the admin gets an unusable password.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        ensure_public_tenant()
        slug = options["slug"]
        if Partner.objects.filter(slug=slug).exists():
            raise CommandError(f"A partner with slug '{slug}' already exists; choose another slug.")
        partner = Partner.objects.create(name=options["name"], slug=slug)
        email = options["admin_email"].lower()
        account, created = Account.objects.get_or_create(email=email)
        if options["password"]:
            account.set_password(options["password"])
        elif created:
            account.set_unusable_password()
        account.save()
        PartnerMembership.objects.create(
            account=account, partner=partner, role=PartnerRole.FULL_ADMIN
        )
        audit.record(
            actor=Actor.system("manage.py create_partner"),
            action=AuditAction.PARTNER_CREATED,
            target=partner,
            after={"slug": slug, "admin": email},
        )
        self.stdout.write(f"Created partner {partner.name} ({slug}) with full admin {email}.")
