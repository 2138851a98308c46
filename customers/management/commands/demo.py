"""Demo data for a first run (idempotent): partners, customers, accounts, and each
tenant app's own demo data (``<app>.demo.load_demo``)."""

from __future__ import annotations

import importlib
import zlib
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from customers.models import (
    Customer,
    CustomerAssignment,
    CustomerMembership,
    CustomerRole,
    CustomerStatus,
)
from customers.services import SubscriptionSpec, ensure_public_tenant, provision_customer
from partnerhub.audit.services import Actor
from partnerhub.models import Account, Partner, PartnerMembership, PartnerRole
from partnerhub.tenancy import in_org

PASSWORD = "demo-partnerhub"  # noqa: S105 - documented demo password
TENANT_DEMO_APPS = ("licensing", "calling", "contactcenter")

FULL_SUBSCRIPTION = {
    "webex_calling": 100,
    "webex_calling_standard": 50,
    "webex_suite": 50,
    "webex_meetings": 200,
    "webex_voice": 20,
    "common_area_calling": 20,
    "cc_standard": 25,
    "cc_premium": 10,
    "workspace_calling": 20,
}
ALL_PACKAGES = [
    "webex_calling", "webex_calling_standard", "webex_suite", "webex_voice",
    "webex_meetings", "common_area_calling",
]  # fmt: skip

# partner slug, partner name, [(org id, name, country, status)]
PARTNERS = [
    (
        "northwind",
        "Northwind Partners",
        [
            ("acme", "Acme Corp", "NO", CustomerStatus.ACTIVE),
            ("globex", "Globex", "PL", CustomerStatus.ACTIVE),
            ("umbrella", "Umbrella Health", "RO", CustomerStatus.TRIAL),
        ],
    ),
    ("southwind", "Southwind Telecom", [("initech", "Initech", "BG", CustomerStatus.ACTIVE)]),
]


def demo_account(email: str, **fields: Any) -> Account:
    account, _ = Account.objects.get_or_create(email=email, defaults=fields)
    account.set_password(PASSWORD)
    account.save(update_fields=["password"])
    return account


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print where to sign in."

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_public_tenant()
        actor = Actor.system("manage.py demo")
        demo_account("support@partnerhub.demo", is_staff=True, is_superuser=True)
        customers = []
        for slug, name, orgs in PARTNERS:
            partner = self._partner(slug, name)
            own = [
                self._customer(partner, org_id, org_name, country, status, actor)
                for org_id, org_name, country, status in orgs
            ]
            self._assign(partner, own)
            customers += own
        for customer in customers:
            self._tenant_demo(customer, actor)
        self._print_sign_in(customers)

    @transaction.atomic
    def _partner(self, slug: str, name: str) -> Partner:
        partner, _ = Partner.objects.get_or_create(slug=slug, defaults={"name": name})
        for role, local in (
            (PartnerRole.FULL_ADMIN, "admin"),
            (PartnerRole.PROVISIONING_ADMIN, "provisioner"),
            (PartnerRole.READ_ONLY, "viewer"),
        ):
            account = demo_account(f"{local}@{slug}.demo")
            PartnerMembership.objects.get_or_create(
                account=account, partner=partner, defaults={"role": role}
            )
        return partner

    def _customer(
        self, partner: Partner, org_id: str, name: str, country: str, status: str, actor: Actor
    ) -> Customer:
        customer = Customer.objects.filter(slug=org_id).first()
        if customer is None:
            customer = provision_customer(
                partner=partner, name=name, slug=org_id, admin_email=f"admin@{org_id}.demo",
                actor=actor, country=country, packages=ALL_PACKAGES,
                subscriptions=[SubscriptionSpec(f"Sub-{zlib.crc32(org_id.encode()) % 900000 + 100000}", FULL_SUBSCRIPTION)],
                provisioned_by=partner.memberships.filter(role=PartnerRole.FULL_ADMIN)
                .order_by("pk").first().account,
            )  # fmt: skip
            Customer.objects.filter(pk=customer.pk).update(status=status)
        admin = demo_account(f"admin@{org_id}.demo")
        CustomerMembership.objects.get_or_create(
            account=admin, customer=customer, defaults={"role": CustomerRole.FULL_ADMIN}
        )
        return customer

    def _assign(self, partner: Partner, customers: list[Customer]) -> None:
        """So each role shows something: the provisioning admin is assigned every
        customer but the first, the read-only admin every other one."""
        for local, assigned in (("provisioner", customers[1:]), ("viewer", customers[::2])):
            membership = partner.memberships.get(account__email=f"{local}@{partner.slug}.demo")
            for customer in assigned:
                CustomerAssignment.objects.get_or_create(membership=membership, customer=customer)

    def _tenant_demo(self, customer: Customer, actor: Actor) -> None:
        for app in TENANT_DEMO_APPS:
            module = importlib.import_module(f"{app}.demo")  # a renamed one stops the demo
            with in_org(customer), transaction.atomic():
                module.load_demo(customer=customer, actor=actor)

    def _print_sign_in(self, customers: list[Customer]) -> None:
        port = f":{settings.PARTNERHUB_LINK_PORT}" if settings.PARTNERHUB_LINK_PORT else ""
        base = settings.PARTNERHUB_BASE_DOMAIN
        scheme = settings.PARTNERHUB_LINK_SCHEME
        self.stdout.write(
            self.style.SUCCESS("Demo data is ready. Password for every account: " + PASSWORD)
        )
        self.stdout.write(f"  Partner site     {scheme}://{base}{port}/")
        self.stdout.write(
            "    admin@northwind.demo (full), provisioner@northwind.demo (Globex, Umbrella), "
            "viewer@northwind.demo (Acme, Umbrella; read-only)"
        )
        self.stdout.write("    admin@southwind.demo (another partner)")
        self.stdout.write(
            f"  Django admin     {scheme}://{base}{port}/admin/  support@partnerhub.demo"
        )
        for customer in customers:
            self.stdout.write(
                f"  {customer.name:<16} {scheme}://{customer.slug}.{base}{port}/  admin@{customer.slug}.demo"
            )
