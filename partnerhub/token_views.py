"""API tokens: the page and the API of one's own tokens, on either host, and the
credentials exchange for scripts (throttled like every sign-in form)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partnerhub import mfa, tokens
from partnerhub.audit.services import Actor
from partnerhub.errors import DomainError, SecondFactorRequired, TokenNotFound
from partnerhub.forms import add_domain_error
from partnerhub.signin import SIGN_IN_REFUSED, may_sign_in_here

NO_TOKENS_HERE = (
    "You have no role of your own here. Partner administrators create their tokens on "
    "the partner site; they work in every customer org they may launch."
)


def _ensure_may_hold_tokens(request: Any) -> None:
    """Tokens of this host's scope are for accounts with a role here."""
    if not may_sign_in_here(request.user, request) or (
        request.user.is_staff and not _has_own_role(request)
    ):
        raise PermissionDenied(NO_TOKENS_HERE)


def _has_own_role(request: Any) -> bool:
    from partnerhub import permissions

    if connection.schema_name == "public":
        return request.user.partner_memberships.exists()
    return permissions.customer_role(request.user, request.tenant) is not None


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. nightly export.")
    expires_days = forms.IntegerField(
        min_value=1, initial=90, label="Expires after (days)",
        help_text=f"1 to {settings.PARTNERHUB_TOKEN_MAX_DAYS} days.",
    )  # fmt: skip


@login_required
def token_page(request: HttpRequest) -> HttpResponse:
    """GET: your tokens here; POST: a new one, shown once on the answer."""
    _ensure_may_hold_tokens(request)
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            _, created = tokens.create_token(
                account=request.user,
                name=form.cleaned_data["name"],
                expires_days=form.cleaned_data["expires_days"],
                org_schema=tokens.current_scope(),
                actor=Actor.from_request(request),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            form = TokenForm()
    response = render(
        request,
        "partnerhub/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": tokens.tokens_of(request.user, org_schema=tokens.current_scope()),
        },
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"  # a page that shows a secret once
    return response


@login_required
@require_POST
def revoke_token_page(request: HttpRequest, token_key: str) -> HttpResponse:
    _ensure_may_hold_tokens(request)
    try:
        tokens.revoke_token(
            account=request.user, token_key=token_key, org_schema=tokens.current_scope(),
            actor=Actor.from_request(request),
        )  # fmt: skip
    except TokenNotFound as error:
        from django.http import Http404

        raise Http404(error.message) from error
    messages.success(request, "The token was revoked; it no longer works.")
    return redirect("api-tokens-page")


# --- API ---------------------------------------------------------------------------


class TokenOut(serializers.Serializer):
    id = serializers.CharField(source="token_key", help_text="The token's first characters.")
    name = serializers.CharField()
    created = serializers.DateTimeField()
    expires = serializers.DateTimeField(source="expiry")
    last_used_at = serializers.DateTimeField(allow_null=True)


class TokenCreatedOut(TokenOut):
    token = serializers.CharField(help_text="The token itself: shown this once only.")


class TokenIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    expires_days = serializers.IntegerField(required=False, default=90)


class CredentialsIn(TokenIn):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False)
    otp = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="Second factor, if enrolled."
    )


def _created(token: Any, secret: str) -> dict:
    return {**TokenOut(token).data, "token": secret}


class TokenListApi(APIView):
    """GET: your tokens on this host; POST: a new one (the token is in the answer, once)."""

    @extend_schema(operation_id="api_tokens_list", responses=TokenOut(many=True))
    def get(self, request: Request) -> Response:
        _ensure_may_hold_tokens(request)
        mine = tokens.tokens_of(request.user, org_schema=tokens.current_scope())
        return Response(TokenOut(mine, many=True).data)

    @extend_schema(request=TokenIn, responses={201: TokenCreatedOut})
    def post(self, request: Request) -> Response:
        _ensure_may_hold_tokens(request)
        data = TokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        token, secret = tokens.create_token(
            account=request.user, org_schema=tokens.current_scope(),
            actor=Actor.from_request(request), **data.validated_data,
        )  # fmt: skip
        return Response(_created(token, secret), status=status.HTTP_201_CREATED)


class TokenDetailApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, token_key: str) -> Response:
        _ensure_may_hold_tokens(request)
        tokens.revoke_token(
            account=request.user, token_key=token_key, org_schema=tokens.current_scope(),
            actor=Actor.from_request(request),
        )  # fmt: skip
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenFromCredentialsApi(APIView):
    """POST e-mail, password (and ``otp`` when a second factor is enrolled) → a new
    token of this host. Throttled per account + address like every sign-in form;
    every refusal says the same."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=CredentialsIn, responses={201: TokenCreatedOut})
    def post(self, request: Request) -> Response:
        data = CredentialsIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        account = authenticate(
            request._request, username=values["email"], password=values["password"]
        )
        if account is None:
            if getattr(request._request, "axes_locked_out", False):
                from partnerhub.signin import locked_out

                return locked_out(request._request, None)
            raise exceptions.AuthenticationFailed(SIGN_IN_REFUSED)
        # Tokens respect the second factor: an enrolled account gives its code; one
        # that must enrol does so first (on the site).
        if mfa.is_enrolled(account):
            mfa.verify(account, values["otp"], field="otp")
        elif mfa.is_required(account):
            raise SecondFactorRequired(mfa.MUST_ENROL)
        token, secret = tokens.create_token(
            account=account, name=values["name"], expires_days=values["expires_days"],
            org_schema=tokens.current_scope(),
            actor=Actor(account_id=account.pk, email=account.email),
        )  # fmt: skip
        return Response(_created(token, secret), status=status.HTTP_201_CREATED)
