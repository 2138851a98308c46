"""A second factor at sign-in (SPEC §1): TOTP with recovery codes (django-otp).

Any account may enrol. It is required of support staff always, and of the partner
admins of a partner that requires it (``Partner.require_mfa``). A signed-in session
that has not passed the second factor — because the account is enrolled, or because
it must enrol — reaches only the verify / enrol pages and sign-out
(``SecondFactorMiddleware``); every other page redirects there and the API answers
403. So pages, ``/admin/``, launching the customer view and creating tokens all
respect it by construction.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

import django_otp
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerhub.audit import services as audit
from partnerhub.audit.actions import AuditAction
from partnerhub.audit.services import Actor
from partnerhub.errors import SecondFactorRequired, WrongCode
from partnerhub.models import Account, Partner, PartnerMembership

RECOVERY_CODES = 10
NEEDS_SECOND_FACTOR = "Sign in with your second factor first."
MUST_ENROL = (
    "Your account must use a second factor: set up an authenticator app before you continue."
)


def is_required(account: Account) -> bool:
    """Support staff always; a partner admin when its partner requires it."""
    if account.is_staff:
        return True
    return PartnerMembership.objects.filter(account=account, partner__require_mfa=True).exists()


def is_enrolled(account: Account) -> bool:
    return TOTPDevice.objects.filter(user=account, confirmed=True).exists()


def verify(account: Account, code: str, *, field: str = "code"):  # type: ignore[no-untyped-def]
    """The device that accepts ``code`` (an authenticator code or an unused recovery
    code, which is then spent), or raise ``WrongCode`` naming ``field`` (the page's
    ``code``, the token API's ``otp``). django-otp throttles repeated failures per
    device."""
    code = code.strip().replace(" ", "")
    if not code:
        raise WrongCode(
            "This account signs in with a second factor: give the current code of its "
            "authenticator app or a recovery code.",
            field=field,
        )
    device = django_otp.match_token(account, code)
    if device is None and _just_used(account, code):
        raise WrongCode(
            "That code was just used: each code works once. Wait for the next code of your "
            "authenticator app.",
            field=field,
        )
    if device is None:
        raise WrongCode(
            "That code is not valid. Use the current code of your authenticator app or a recovery code.",
            field=field,
        )
    return device


def _just_used(account: Account, code: str) -> bool:
    """Whether ``code`` is the authenticator code last accepted (django-otp takes each
    code once: signing in twice within its 30 seconds is refused)."""
    device = TOTPDevice.objects.filter(user=account, confirmed=True).first()
    if device is None or device.last_t < 0 or not code.isdigit():
        return False
    return hotp(device.bin_key, device.last_t, device.digits) == int(code)


def pending_device(account: Account) -> TOTPDevice:
    """The unconfirmed authenticator device of an enrolment in progress (made once)."""
    device = TOTPDevice.objects.filter(user=account, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=account, name="Authenticator app", confirmed=False
    )


@transaction.atomic
def confirm_enrolment(*, account: Account, code: str, actor: Actor) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator with a code from it; returns the device and a fresh
    set of recovery codes (shown once)."""
    device = pending_device(account)
    if not device.verify_token(code.strip().replace(" ", "")):
        raise WrongCode(
            "That code does not match; check the time on your phone and try the next code.",
            field="code",
        )
    TOTPDevice.objects.filter(user=account, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(account)
    audit.record(actor=actor, action=AuditAction.MFA_ENROLLED, target=account)
    return device, codes


def _new_recovery_codes(account: Account) -> list[str]:
    StaticDevice.objects.filter(user=account).delete()
    device = StaticDevice.objects.create(user=account, name="Recovery codes", confirmed=True)
    codes = [
        "-".join(secrets.token_hex(2) for _ in range(3)) for _ in range(RECOVERY_CODES)
    ]  # xxxx-xxxx-xxxx: 48 random bits each, spent on use
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def regenerate_recovery_codes(*, account: Account, actor: Actor) -> list[str]:
    codes = _new_recovery_codes(account)
    audit.record(actor=actor, action=AuditAction.MFA_RECOVERY_CODES_RENEWED, target=account)
    return codes


@transaction.atomic
def remove_second_factor(*, account: Account, actor: Actor) -> None:
    if is_required(account):
        raise SecondFactorRequired(
            "Your account must keep a second factor (support staff, or your partner "
            "requires it for its administrators)."
        )
    TOTPDevice.objects.filter(user=account).delete()
    StaticDevice.objects.filter(user=account).delete()
    audit.record(actor=actor, action=AuditAction.MFA_REMOVED, target=account)


@transaction.atomic
def set_partner_requirement(*, partner: Partner, required: bool, actor: Actor) -> Partner:
    """A partner requires (or stops requiring) a second factor of its admins."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.require_mfa == required:
        return partner
    partner.require_mfa = required
    partner.save(update_fields=["require_mfa"])
    audit.record(
        actor=actor, action=AuditAction.PARTNER_MFA_REQUIREMENT_CHANGED, target=partner,
        before={"require_mfa": not required}, after={"require_mfa": required},
    )  # fmt: skip
    return partner


def qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG (no script, no external image)."""
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=4)


# --- the gate ------------------------------------------------------------------------

OK_AT = "second_factor_ok_at"
OPEN_PATHS = ("/login/", "/logout/", "/account/mfa/", "/static/")


def state_of(request: HttpRequest) -> str:
    """One of "ok", "verify" (enrolled, not verified in this session) or "enrol";
    one query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_verified():
        return "ok"
    enrolled, required = (
        Account.objects.filter(pk=user.pk)
        .annotate(
            enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            required=Exists(
                PartnerMembership.objects.filter(account=OuterRef("pk"), partner__require_mfa=True)
            ),
        )
        .values_list("enrolled", "required")
        .get()
    )
    if enrolled:
        return "verify"
    return "enrol" if required or user.is_staff else "ok"


class SecondFactorMiddleware:
    """The gate (see the module docstring). A session found "ok" is not asked again
    for ``RECHECK_EVERY`` seconds: a new requirement takes hold within a minute, and
    most requests cost no query."""

    RECHECK_EVERY = 60

    def _recently_ok(self, request: HttpRequest) -> bool:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated:
            return False
        return int(time.time()) - session.get(OK_AT, 0) < self.RECHECK_EVERY

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(OPEN_PATHS) or self._recently_ok(request):
            return self.get_response(request)
        state = state_of(request)
        if state == "ok":
            if getattr(request.user, "is_authenticated", False):
                request.session[OK_AT] = int(time.time())
            return self.get_response(request)
        message = NEEDS_SECOND_FACTOR if state == "verify" else MUST_ENROL
        if request.path.startswith("/api/"):
            return JsonResponse({"code": f"second_factor_{state}", "message": message}, status=403)
        target = reverse("mfa-verify" if state == "verify" else "mfa-setup")
        return redirect(f"{target}?next={request.get_full_path()}")
