"""Identity (public schema): the accounts everyone signs in with, partners, and
partner-admin memberships. Customer-admin memberships live in ``customers``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from knox.models import AbstractAuthToken


class PartnerRole(models.TextChoices):
    FULL_ADMIN = "full_admin", "Full administrator"
    PROVISIONING_ADMIN = "provisioning_admin", "Provisioning administrator"
    READ_ONLY = "read_only", "Read-only administrator"


class CustomerRole(models.TextChoices):
    """An account's administrator role inside one customer org (``customers``'
    ``CustomerMembership.role``); here, beside ``PartnerRole``, because who may do what
    (``partnerhub.permissions``) is decided on this floor."""

    FULL_ADMIN = "full_admin", "Full administrator"
    USER_ADMIN = "user_admin", "User and license administrator"
    READ_ONLY = "read_only", "Read-only administrator"


class AccountManager(BaseUserManager["Account"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> Account:
        if not email:
            raise ValueError("An account needs an e-mail address.")
        account = self.model(email=self.normalize_email(email).lower(), **fields)
        account.set_password(password)
        account.save(using=self._db)
        return account

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> Account:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class Account(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: support staff (``is_staff``), partner and customer admins."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(
        default=False, help_text="Support staff: may sign in to the Django admin."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = AccountManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="account_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.lower()
        super().save(*args, **kwargs)


class Partner(models.Model):
    """A reseller / service provider managing many customer organisations."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=50, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    require_mfa = models.BooleanField(
        "require a second factor",
        default=False,
        help_text="Every partner admin must sign in with a second factor (they reach many orgs).",
    )

    def __str__(self) -> str:
        return self.name


class PartnerMembership(models.Model):
    """An account's role at a partner (SPEC §1).

    ``full_admin`` sees every customer of the partner; ``provisioning_admin`` and
    ``read_only`` see the customers they provisioned or were assigned
    (``customers.CustomerAssignment``), unless ``all_customers`` is granted.
    """

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="partner_memberships"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=PartnerRole.choices)
    all_customers = models.BooleanField(
        default=False, help_text="Sees every customer of the partner, not only assigned ones."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "partner"], name="one_membership_per_partner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} — {self.get_role_display()} at {self.partner}"

    @property
    def sees_all_customers(self) -> bool:
        return self.role == PartnerRole.FULL_ADMIN or self.all_customers


class Invitation(models.Model):
    """A single-use, expiring link that lets an invited account set its password
    (SPEC §1). Only a hash of the link's token is stored; the link works only on
    ``host`` (the partner host or the org's host it was issued for)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="invitations")
    host = models.CharField(max_length=255, help_text="The host the link is valid on.")
    about = models.CharField(max_length=255, help_text="What the account was invited to be.")
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    replaced_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["account", "host"])]

    def __str__(self) -> str:
        return f"invitation of {self.account} on {self.host}"


class ApiToken(AbstractAuthToken):
    """A named API token of one account (django-rest-knox stores only its digest).

    ``org_schema`` says where it works: "" — a partner-level token (the partner API,
    and the org API of each customer its account may launch, with the rights of a
    launched view); else the schema of the one org whose API it opens.
    """

    name = models.CharField(max_length=100)
    org_schema = models.CharField(max_length=63, blank=True, default="")
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API token"
        verbose_name_plural = "API tokens"

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…) of {self.user}"
