"""Customer organisations (the tenants) and what the partner level knows of them.

Everything here lives in the public schema. Per-customer figures shown to partners
(users, licenses used / bought) are kept in ``CustomerUsage`` by the tenant apps,
so partner pages never open a tenant schema.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django_tenants.models import DomainMixin, TenantMixin

# CustomerRole lives with the other roles in partnerhub (permissions reads it there).
from partnerhub.models import Account, CustomerRole, Partner, PartnerMembership


class CustomerStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    TRIAL = "trial", "Trial"
    SUSPENDED = "suspended", "Suspended"
    EXPIRED = "expired", "Expired"


class Customer(TenantMixin):
    """A customer organisation: one PostgreSQL schema (``schema_name``)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=50, unique=True)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="customers", null=True, blank=True
    )
    status = models.CharField(
        max_length=16, choices=CustomerStatus.choices, default=CustomerStatus.ACTIVE
    )
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 alpha-2 code")
    admin_email = models.EmailField(blank=True)
    packages = ArrayField(
        models.CharField(max_length=40),
        default=list,
        blank=True,
        help_text="Codes of the wholesale packages this org may use (licensing.catalogue).",
    )
    expires_on = models.DateField(null=True, blank=True)
    provisioned_by = models.ForeignKey(
        Account, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    # The schema is created explicitly by customers.services.provision_customer.
    auto_create_schema = False
    auto_drop_schema = True

    class Meta:
        indexes = [
            models.Index(fields=["partner", "name"]),
            models.Index(fields=["partner", "status"]),
            models.Index(fields=["partner", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.schema_name == "public"


class Domain(DomainMixin):
    pass


class CustomerAssignment(models.Model):
    """A customer assigned to a partner admin who does not see all customers."""

    membership = models.ForeignKey(
        PartnerMembership, on_delete=models.CASCADE, related_name="assignments"
    )
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="assignments")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "customer"], name="assign_once"),
        ]

    def __str__(self) -> str:
        return f"{self.customer} assigned to {self.membership.account}"


class CustomerMembership(models.Model):
    """An account's customer-admin role in one org (SPEC §1)."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="customer_memberships"
    )
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=CustomerRole.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "customer"], name="one_role_per_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.account} — {self.get_role_display()} of {self.customer}"


class CustomerSummary(models.Model):
    """Per-customer headline figures kept current by the tenant apps."""

    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="summary")
    user_count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "customer summaries"

    def __str__(self) -> str:
        return f"{self.customer}: {self.user_count} users"


class CustomerUsage(models.Model):
    """Licenses used / bought of one service (license type code) of one customer."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="usage")
    service = models.CharField(max_length=40)
    used = models.PositiveIntegerField(default=0)
    bought = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "customer usage"
        constraints = [
            models.UniqueConstraint(fields=["customer", "service"], name="usage_per_service"),
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.service}: {self.used}/{self.bought}"

    @property
    def is_over(self) -> bool:
        return self.used > self.bought


class UserEmailClaim(models.Model):
    """Which org holds a user e-mail: an e-mail belongs to one org only (SPEC §3)."""

    email = models.CharField(max_length=254, unique=True, help_text="Lower-cased.")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return self.email


class LaunchPurpose(models.TextChoices):
    CUSTOMER_VIEW = "customer_view", "Customer view (partner admin)"
    ORG_ADMIN = "org_admin", "Org admin (support staff)"


class LaunchTicket(models.Model):
    """A single-use hand-off from the partner host to a customer host (SPEC §2): a
    partner admin's customer view, or support staff's org admin (issue #11 item 10)."""

    purpose = models.CharField(
        max_length=20, choices=LaunchPurpose.choices, default=LaunchPurpose.CUSTOMER_VIEW
    )
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)
    # The second factor the launching session passed (django-otp persistent id): the
    # customer host's session counts as verified with it too.
    otp_device = models.CharField(max_length=100, blank=True, default="")

    def __str__(self) -> str:
        return f"launch of {self.customer} by {self.account}"


class LineUsageDay(models.Model):
    """One subscription line of one customer on one day: licenses used of the quantity
    bought (issue #11, SPEC §2 "usage over time"). Kept by the summary machinery
    (``customers.usage.record_usage``): each push rewrites today's rows, earlier days
    stay as history. Partner pages draw it without opening the tenant schema."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="line_days")
    day = models.DateField()
    subscription = models.CharField(max_length=40, help_text="External id, e.g. Sub-100234.")
    subscription_status = models.CharField(max_length=16, default="active")
    subscription_ends = models.DateField(null=True, blank=True)
    license_type = models.CharField(max_length=40)
    used = models.PositiveIntegerField(default=0)
    quantity = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "day", "subscription", "license_type"],
                name="one_usage_row_per_line_and_day",
            ),
        ]
        indexes = [models.Index(fields=["customer", "-day"])]

    def __str__(self) -> str:
        return f"{self.customer} {self.subscription} {self.license_type} {self.day}: {self.used}/{self.quantity}"
