"""Pages of the second factor: set up (QR code, confirm, recovery codes), verify at
sign-in, renew recovery codes, remove (when not required)."""

from __future__ import annotations

import django_otp
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from partnerhub import mfa
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError
from partnerhub.forms import add_domain_error


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=20, label="Code",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )  # fmt: skip


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return "/"
    return target


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"  # secrets and recovery codes
    return response


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app, or (enrolled) see the state and manage it."""
    account = request.user
    if mfa.is_enrolled(account) and mfa.state_of(request) == "verify":
        return redirect(f"/account/mfa/verify/?next={_next(request)}")
    if mfa.is_enrolled(account):
        return render(request, "partnerhub/mfa_manage.html", {"required": mfa.is_required(account)})
    device = mfa.pending_device(account)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed, codes = mfa.confirm_enrolment(
                account=account, code=form.cleaned_data["code"], actor=Actor.from_request(request)
            )
        except DomainError as error:
            add_domain_error(form, error, "code")
        else:
            django_otp.login(request, confirmed)
            return _no_store(render(
                request, "partnerhub/mfa_codes.html", {"codes": codes, "next": _next(request)}
            ))  # fmt: skip
    return _no_store(render(
        request,
        "partnerhub/mfa_setup.html",
        {
            "form": form, "qr": mfa.qr_svg(device), "secret": _base32(device),
            "required": mfa.is_required(account), "next": _next(request),
        },
        status=400 if form.errors else 200,
    ))  # fmt: skip


def _base32(device) -> str:  # type: ignore[no-untyped-def]
    import base64

    return base64.b32encode(device.bin_key).decode()


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = mfa.verify(request.user, form.cleaned_data["code"])
        except DomainError as error:
            add_domain_error(form, error, "code")
        else:
            django_otp.login(request, device)
            return redirect(_next(request))
    return render(
        request, "partnerhub/mfa_verify.html", {"form": form, "next": _next(request)},
        status=400 if form.errors else 200,
    )  # fmt: skip


@login_required
@require_POST
def renew_codes(request: HttpRequest) -> HttpResponse:
    codes = mfa.regenerate_recovery_codes(account=request.user, actor=Actor.from_request(request))
    return _no_store(render(request, "partnerhub/mfa_codes.html", {"codes": codes, "next": "/"}))


@login_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    try:
        mfa.remove_second_factor(account=request.user, actor=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The second factor was removed.")
    return redirect("mfa-setup")
