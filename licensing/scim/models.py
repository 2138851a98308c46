"""What SCIM keeps beside the org's users and groups (tenant schema).

* ``ScimConnection``: an identity provider's access to the org — a bearer token
  stored as its SHA-256 (shown once), revocable and rotatable.
* ``ScimRequest``: the connection's last requests and their outcome (the connection
  page shows them; pruned to the last ``KEEP_REQUESTS``).
* ``ScimUser`` / ``ScimGroup``: the identity provider's own view of a user or group
  that the product model has no field for (``userName`` when it is not the e-mail,
  ``externalId``, the ``emails`` and ``phoneNumbers`` lists as sent, the enterprise
  extension), and which connection provisioned it.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone

KEEP_REQUESTS = 100


class ScimConnection(models.Model):
    name = models.CharField(max_length=120)
    token_hash = models.CharField(max_length=64, unique=True)
    token_hint = models.CharField(max_length=16, help_text="The token's last characters.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField(max_length=254, blank=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "SCIM connection"
        verbose_name_plural = "SCIM connections"

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ScimRequest(models.Model):
    connection = models.ForeignKey(
        ScimConnection, on_delete=models.CASCADE, related_name="requests"
    )
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=200)
    status = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["connection", "-id"])]
        verbose_name = "SCIM request"
        verbose_name_plural = "SCIM requests"

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status}"


class ScimUser(models.Model):
    user = models.OneToOneField(
        "licensing.OrgUser", on_delete=models.CASCADE, primary_key=True, related_name="scim"
    )
    connection = models.ForeignKey(
        ScimConnection, on_delete=models.SET_NULL, null=True, blank=True, related_name="users"
    )
    user_name = models.CharField(max_length=254)
    external_id = models.CharField(max_length=254, blank=True, db_index=True)
    emails = models.JSONField(default=list, blank=True)
    phone_numbers = models.JSONField(default=list, blank=True)
    active = models.BooleanField(
        null=True, help_text="As last sent (empty: the provider removed it); status decides."
    )
    department = models.CharField(max_length=254, blank=True)
    employee_number = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            # Upper: the expression Django's iexact compares, so lookups use this index.
            models.UniqueConstraint(Upper("user_name"), name="scim_user_name_unique_any_case"),
        ]
        verbose_name = "SCIM user"
        verbose_name_plural = "SCIM users"

    def __str__(self) -> str:
        return self.user_name


class ScimGroup(models.Model):
    group = models.OneToOneField(
        "licensing.Group", on_delete=models.CASCADE, primary_key=True, related_name="scim"
    )
    connection = models.ForeignKey(
        ScimConnection, on_delete=models.SET_NULL, null=True, blank=True, related_name="groups"
    )
    external_id = models.CharField(max_length=254, blank=True, db_index=True)

    class Meta:
        verbose_name = "SCIM group"
        verbose_name_plural = "SCIM groups"

    def __str__(self) -> str:
        return f"SCIM group {self.group_id}"
