"""Partner-level changes: provisioning customer orgs (SPEC §2)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, ProgrammingError, connection, transaction
from psycopg import errors as psycopg_errors

from customers.errors import InvalidSlug, SlugTaken, StatusChangeRefused, UnknownPackage
from customers.models import Customer, CustomerMembership, CustomerRole, CustomerStatus, Domain
from partnerhub import rules
from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor
from partnerhub.models import Account, Partner

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,48}[a-z0-9]$")
TEMPLATE_SLUG = "tenant-template"
RESERVED_SLUGS = frozenset(
    {
        TEMPLATE_SLUG,
        "public",
        "admin",
        "api",
        "www",
        "static",
        "media",
        "partner",
        "template",
        "information-schema",
    }
)


def schema_name_for(slug: str) -> str:
    """The PostgreSQL schema of the org with this slug (``acme-eu`` → ``org_acme_eu``)."""
    return "org_" + slug.replace("-", "_")


def validate_slug(slug: str) -> None:
    if not SLUG_PATTERN.match(slug) or "--" in slug:
        raise InvalidSlug(
            f"'{slug}' is not a valid org id: use 3 to 50 lowercase letters, digits and "
            "single hyphens, starting with a letter and not ending with a hyphen.",
            field="slug",
        )
    if slug in RESERVED_SLUGS or slug.startswith("pg-"):
        raise InvalidSlug(f"'{slug}' is reserved; choose another org id.", field="slug")
    if Customer.objects.filter(slug=slug).exists():
        raise SlugTaken(f"The org id '{slug}' is already taken; choose another.", field="slug")


def validate_packages(packages: Sequence[str]) -> list[str]:
    from licensing import catalogue

    unknown = [code for code in packages if code not in catalogue.PACKAGES]
    if unknown:
        raise UnknownPackage(
            f"Unknown package(s): {', '.join(unknown)}. Known: {', '.join(catalogue.PACKAGES)}.",
            field="packages",
        )
    return list(dict.fromkeys(packages))


def customer_host(customer: Customer) -> str:
    return f"{customer.slug}.{settings.PARTNERHUB_BASE_DOMAIN}"


@dataclass(frozen=True)
class SubscriptionSpec:
    """A starting subscription: ``Sub-100234`` with ``{license type code: quantity}``."""

    external_id: str
    quantities: dict[str, int]


@transaction.atomic
def provision_customer(
    *,
    partner: Partner,
    name: str,
    slug: str,
    admin_email: str,
    actor: Actor,
    country: str = "",
    packages: Sequence[str] = (),
    subscriptions: Sequence[SubscriptionSpec] = (),
    provisioned_by: Account | None = None,
) -> Customer:
    """Create the org: its schema, its host, default data, its first admin (invited).

    One transaction: PostgreSQL DDL is transactional, so a failure anywhere leaves no
    schema, no domain and no customer row.
    """
    validate_slug(slug)
    admin_email = rules.normalised_email(admin_email, field="admin_email")
    name = rules.validated_name(
        name, label="Name", max_length=Customer._meta.get_field("name").max_length, field="name"
    )
    country = rules.validated_country(country) if country.strip() else ""
    packages = validate_packages(packages)
    _check_subscriptions(subscriptions)
    ensure_tenant_template()
    customer = _claim_org_id(
        slug=slug,
        name=name,
        partner=partner,
        country=country,
        admin_email=admin_email.lower(),
        packages=packages,
        provisioned_by=provisioned_by,
    )
    _create_first_admin(customer=customer, email=admin_email, actor=actor)
    _create_default_data(customer=customer, subscriptions=subscriptions, actor=actor)
    audit.record(
        actor=actor,
        action=AuditAction.CUSTOMER_PROVISIONED,
        target=customer,
        after={"slug": slug, "packages": packages, "admin_email": admin_email.lower()},
    )
    return customer


def _claim_org_id(*, slug: str, **fields: object) -> Customer:
    """The customer row, its host and its schema — or ``SlugTaken``. ``validate_slug``
    cannot see an org id another request is provisioning at this moment (a double
    click, a retry): that request's unique row, host or schema makes this one fail
    here, and the answer is the form's "org id taken", never an IntegrityError."""
    try:
        with transaction.atomic():
            customer = Customer.objects.create(
                schema_name=schema_name_for(slug),
                slug=slug,
                status=CustomerStatus.ACTIVE,
                **fields,  # type: ignore[arg-type]
            )
            Domain.objects.create(domain=customer_host(customer), tenant=customer, is_primary=True)
            customer.create_schema(check_if_exists=False, verbosity=0)
    except (IntegrityError, ProgrammingError) as error:
        if isinstance(error, ProgrammingError) and not isinstance(
            error.__cause__, psycopg_errors.DuplicateSchema
        ):
            raise
        raise SlugTaken(
            f"The org id '{slug}' is already taken; choose another.", field="slug"
        ) from error
    return customer


def _create_first_admin(*, customer: Customer, email: str, actor: Actor) -> None:
    from partnerhub import invitations

    account, created = Account.objects.get_or_create(email=email.lower())
    if created:
        account.set_unusable_password()
        account.save(update_fields=["password"])
    CustomerMembership.objects.create(
        account=account, customer=customer, role=CustomerRole.FULL_ADMIN
    )
    invitations.invite(
        account=account,
        host=customer_host(customer),
        about=first_admin_role(customer),
        actor=actor,
    )


def first_admin_role(customer: Customer) -> str:
    return f"the administrator of {customer.name}"


def _check_subscriptions(subscriptions: Sequence[SubscriptionSpec]) -> None:
    """The starting subscriptions' license types, checked before any schema is made
    (an unknown type, or a basic license: included, never sold)."""
    from licensing.services.subscriptions import check_line_types

    for spec in subscriptions:
        check_line_types(spec.quantities, external_id=spec.external_id)


def _create_default_data(
    *, customer: Customer, subscriptions: Sequence[SubscriptionSpec], actor: Actor
) -> None:
    """Starting subscriptions of the org, written inside its schema."""
    from licensing.services.subscriptions import create_subscription
    from partnerhub.tenancy import in_org

    with in_org(customer):
        for spec in subscriptions:
            create_subscription(
                external_id=spec.external_id, quantities=spec.quantities, actor=actor
            )


def ensure_public_tenant() -> Customer:
    """The public schema's tenant row and the partner host's domain (idempotent)."""
    public, _ = Customer.objects.get_or_create(
        schema_name="public", defaults={"name": "PartnerHub", "slug": "public"}
    )
    Domain.objects.get_or_create(
        domain=settings.PARTNERHUB_BASE_DOMAIN, defaults={"tenant": public, "is_primary": True}
    )
    return public


def ensure_tenant_template() -> None:
    """The schema new orgs are cloned from (``TENANT_BASE_SCHEMA``), created and
    migrated on first use. It is a tenant row without partner or domain, so nobody
    can reach it and ``migrate_schemas`` keeps it current with every migration."""
    schema = settings.TENANT_BASE_SCHEMA
    if not schema or Customer.objects.filter(schema_name=schema).exists():
        return
    from django.core.management import call_command

    Customer.objects.create(
        schema_name=schema, name="Template for new orgs", slug=TEMPLATE_SLUG,
        status=CustomerStatus.SUSPENDED,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema}"')
    call_command("migrate_schemas", tenant=True, schema_name=schema, interactive=False, verbosity=0)
    connection.set_schema_to_public()


# action → (statuses it applies to, the status it sets)
STATUS_ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "suspend": (frozenset({CustomerStatus.ACTIVE, CustomerStatus.TRIAL}), CustomerStatus.SUSPENDED),
    "reactivate": (frozenset({CustomerStatus.SUSPENDED}), CustomerStatus.ACTIVE),
}


STATUS_AUDIT_ACTION = {
    "suspend": AuditAction.CUSTOMER_SUSPENDED,
    "reactivate": AuditAction.CUSTOMER_REACTIVATED,
}


@transaction.atomic
def change_customer_status(*, customer: Customer, action: str, actor: Actor) -> Customer:
    """Suspend a customer org (its admins cannot sign in, nobody launches it) or
    reactivate it (SPEC §2 customer page). Audited in the public schema."""
    if action not in STATUS_ACTIONS:
        raise StatusChangeRefused(
            f"Unknown action {action!r}: use one of {', '.join(STATUS_ACTIONS)}."
        )
    allowed, new_status = STATUS_ACTIONS[action]
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.status not in allowed:
        raise StatusChangeRefused(
            f"{customer.name} is {customer.get_status_display().lower()}; it cannot be "
            f"{'suspended' if action == 'suspend' else 'reactivated'} from that status."
        )
    before = customer.status
    customer.status = new_status
    customer.save(update_fields=["status"])
    audit.record(
        actor=actor, action=STATUS_AUDIT_ACTION[action],
        target=customer, before={"status": before}, after={"status": new_status},
    )  # fmt: skip
    return customer
