"""The page of an invitation link, on whichever host it was issued for."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from partnerhub import invitations
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError, InvitationLinkInvalid


def _host(request: HttpRequest) -> str:
    return request.get_host().rsplit(":", 1)[0].lower()


def _unusable(request: HttpRequest, token: str, reason: str, status: int = 410) -> HttpResponse:
    return render(
        request, "registration/invitation_unusable.html", {"reason": reason, "token": token},
        status=status,
    )  # fmt: skip


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the set-password form (or why the link no longer works, with a button to
    get a new one). POST: set the password, once."""
    invitation = invitations.open_invitation(token=token, host=_host(request))
    if invitation is None:
        return render(request, "registration/invitation_unknown.html", status=404)
    reason = invitations.why_unusable(invitation)
    if reason:
        return _unusable(request, token, reason)
    form = SetPasswordForm(invitation.account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitations.accept(
                token=token, host=_host(request), password=form.cleaned_data["new_password1"]
            )
        except InvitationLinkInvalid as error:
            return _unusable(request, token, error.message)
        messages.success(request, "Your password is set. Sign in with it now.")
        return redirect("login")
    return render(
        request,
        "registration/invitation_accept.html",
        {"form": form, "invitation": invitation},
        status=400 if form.errors else 200,
    )


@require_POST
def resend_from_link(request: HttpRequest, token: str) -> HttpResponse:
    """A used, replaced or expired link asks for a new one, sent to the account's own
    address (the page never shows the address)."""
    invitation = invitations.open_invitation(token=token, host=_host(request))
    if invitation is None:
        return render(request, "registration/invitation_unknown.html", status=404)
    if not invitations.why_unusable(invitation):
        return redirect("invitation-accept", token=token)
    account = invitation.account
    try:
        invitations.resend(
            account=account,
            host=invitation.host,
            about=invitation.about,
            actor=Actor(account_id=account.pk, email=account.email),
        )
    except DomainError as error:
        return _unusable(request, token, error.message, status=409)
    return render(request, "registration/invitation_resent.html")
