"""Users, subscriptions and licenses of one customer org (tenant schema).

A license is a ``LicenseAssignment``: one unit of one ``SubscriptionLine`` held by a
user or a workspace. The basic licenses every org includes are not units of anything:
they are stored on the user (``OrgUser.basic_licenses``). A line's usage is the count of its assignments, checked under
a row lock on the line (``select_for_update``) whenever units are consumed, so no
line is ever over-consumed (SPEC §5).
"""

from __future__ import annotations

from django.db import models
from django.db.models import ExpressionWrapper, Q
from django.utils import timezone

from licensing import catalogue


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    CANCELLED = "cancelled", "Cancelled"


class Subscription(models.Model):
    external_id = models.CharField(
        "subscription id", max_length=40, unique=True, help_text="For example Sub-100234."
    )
    status = models.CharField(
        max_length=16, choices=SubscriptionStatus.choices, default=SubscriptionStatus.ACTIVE
    )
    start_date = models.DateField(default=timezone.localdate)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["external_id"]

    def __str__(self) -> str:
        return self.external_id

    @property
    def is_usable(self) -> bool:
        return self.status == SubscriptionStatus.ACTIVE


class SubscriptionLine(models.Model):
    """A license type and a quantity bought on a subscription."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="lines")
    license_type = models.CharField(max_length=40, choices=catalogue.SOLD_LICENSE_TYPE_CHOICES)
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["subscription__external_id", "license_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "license_type"], name="one_line_per_license_type"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_license_type_display()} [{self.subscription.external_id}]"

    @property
    def name(self) -> str:
        """The license type as people say it ("Webex Calling")."""
        return self.get_license_type_display()


class UserStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INVITE_PENDING = "invite_pending", "Invite pending"
    NOT_VERIFIED = "not_verified", "Not verified"
    INACTIVE = "inactive", "Inactive"


class Group(models.Model):
    name = models.CharField(max_length=120, unique=True)

    def __str__(self) -> str:
        return self.name


class OrgUser(models.Model):
    """A user of the customer org (SPEC §3). The e-mail is the key, lower-cased."""

    email = models.CharField("e-mail", max_length=254, unique=True)
    first_name = models.CharField(max_length=64, blank=True)
    last_name = models.CharField(max_length=64, blank=True)
    display_name = models.CharField(max_length=128, blank=True)
    status = models.CharField(
        max_length=20, choices=UserStatus.choices, default=UserStatus.INVITE_PENDING
    )
    jabber_calling = models.BooleanField(default=False)
    jabber_with_teams = models.BooleanField("Jabber with Webex Teams", default=False)
    preferred_site = models.CharField("preferred Webex site", max_length=200, blank=True)
    groups = models.ManyToManyField(Group, blank=True, related_name="users")
    work_phone = models.CharField(
        max_length=40, blank=True, help_text="As the directory sends it (directory sync)."
    )
    # The basic licenses (SPEC §5) the user holds: bit i is ``catalogue.BASIC_LICENSES[i]``.
    # Entitlements with no line and no quantity, so a field of the user rather than a
    # ``LicenseAssignment`` row each: a new user costs no license rows, no foreign-key
    # checks. A small integer rather than an array of codes: fixed width, written by a
    # user's COPY as one digit, tested with ``&``. Read and written only through
    # ``licensing.selectors`` (``basic_licenses_of``, ``licenses_of``) and
    # ``licensing.services.basic_licenses`` / ``licenses.grant_included_licenses``.
    basic_licenses = models.PositiveSmallIntegerField(
        "basic licenses", default=0, db_default=0, help_text="Bit mask; see the catalogue."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["last_name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(basic_licenses__lte=catalogue.ALL_BASIC_MASK),
                name="basic_licenses_of_the_catalogue",
            ),
        ]

    def __str__(self) -> str:
        return self.email


class LicenseAssignment(models.Model):
    """One unit of a subscription line, held by a user or by a workspace. The basic
    licenses every org includes (SPEC §5) are no rows here (``OrgUser.basic_licenses``);
    ``licensing.selectors.licenses_of`` shows them as unsaved assignments without a line.

    ``license_type`` and ``kind`` repeat the line's, so that "at most one package per
    user" and "one license of a type per holder" are database constraints; "every row
    has a line and none is a basic license" is one too.
    """

    line = models.ForeignKey(
        SubscriptionLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        help_text="Empty for the included basic licenses.",  # shown by licenses_of, no row
        db_index=False,  # the (line, license_type) index serves it
    )
    license_type = models.CharField(max_length=40, choices=catalogue.LICENSE_TYPE_CHOICES)
    kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in catalogue.Kind])
    # No single-column indexes on the holders: the partial unique indexes of "one
    # license of a type per holder" lead with them and serve every look-up by holder
    # (a CSV import writes 80,000 rows here; each index is paid on every row).
    user = models.ForeignKey(
        OrgUser,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="licenses",
        db_index=False,
    )
    workspace = models.ForeignKey(
        "calling.Workspace",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="licenses",
        db_index=False,
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, workspace__isnull=True)
                | Q(user__isnull=True, workspace__isnull=False),
                name="held_by_user_or_workspace",
            ),
            models.CheckConstraint(
                condition=~Q(kind=catalogue.Kind.BASIC) & Q(line__isnull=False),
                name="no_basic_license_rows",
            ),
            models.UniqueConstraint(
                fields=["user", "license_type"],
                condition=Q(user__isnull=False),
                name="user_holds_license_type_once",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(kind=catalogue.Kind.PACKAGE),
                name="user_holds_one_package",
            ),
            models.UniqueConstraint(
                fields=["workspace", "license_type"],
                condition=Q(workspace__isnull=False),
                name="workspace_holds_license_type_once",
            ),
        ]
        indexes = [models.Index(fields=["line", "license_type"])]

    def __str__(self) -> str:
        holder = self.user or self.workspace
        return f"{self.get_license_type_display()} → {holder}"

    @property
    def is_included(self) -> bool:
        """A basic license: included with the org, drawn from no subscription."""
        return self.line_id is None


class AutoLicenseTemplate(models.Model):
    """The licenses new users get (SPEC §5). ``group`` empty = the org-level template;
    a group's template wins over the org's for its members."""

    name = models.CharField(max_length=120)
    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="template"
    )
    lines = models.ManyToManyField(SubscriptionLine, related_name="templates", blank=True)
    is_active = models.BooleanField(default=True)
    keep_licenses_for_existing_users = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                ExpressionWrapper(Q(group__isnull=True), output_field=models.BooleanField()),
                condition=Q(group__isnull=True),
                name="one_org_level_template",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# SCIM's own tables live with the feature (licensing/scim/); Django finds models here.
from licensing.scim.models import (  # noqa: E402, F401
    ScimConnection,
    ScimGroup,
    ScimRequest,
    ScimUser,
)
