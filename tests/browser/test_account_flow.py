"""Browser: accounts that really work (issue 10). A partner admin provisions an org;
its first admin opens the invitation from the e-mail outbox, sets a password, signs
in, turns on a second factor, signs in again with a TOTP code, creates an API token
and calls the org API with it."""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
import urllib.request
import uuid

import pytest
from django.core import mail
from django_otp.oath import totp

from customers.models import Customer
from partnerhub.audit.models import AuditEntry
from partnerhub.models import ApiToken, Invitation
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.contactcenter.committed import drop_committed_org

pytestmark = pytest.mark.browser

NEW_PASSWORD = "my own long passphrase"


def _totp_code(secret: str, *, step_ahead: int) -> str:
    """The code an authenticator app shows (``step_ahead`` windows later)."""
    key = base64.b32decode(secret)
    return f"{totp(key, step=30, t0=0, digits=6, drift=step_ahead):06d}"


def test_invited_admin_signs_in_with_totp_and_calls_the_api_with_a_token(page, live_url):
    slug = f"acct-{uuid.uuid4().hex[:8]}"
    admin = f"admin@{slug}.test"
    partner = live_url.format(host="localhost")
    org = live_url.format(host=f"{slug}.localhost")
    mail.outbox = []
    page.set_default_timeout(90_000)  # provisioning runs the migrations into a new schema
    try:
        # a partner admin provisions the org
        sign_in(page, partner, "alice@northwind.test", PASSWORD)
        page.wait_for_url(partner + "/partner/")
        page.goto(partner + "/partner/customers/new/")
        page.fill("#id_name", f"Accounts {slug}")
        page.fill("#id_slug", slug)
        page.fill("#id_admin_email", admin)
        page.click("main button[type=submit]")
        page.wait_for_url(re.compile(r"/partner/customers/\?q="))
        page.click("form[action='/logout/'] button")

        # the invitation, from the outbox, sets the password once
        [invitation] = [m for m in mail.outbox if m.to == [admin]]
        link = re.search(r"http://\S+/invitation/\S+/", invitation.body).group(0)
        assert link.startswith(org)
        page.goto(link)
        page.fill("#id_new_password1", NEW_PASSWORD)
        page.fill("#id_new_password2", NEW_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(org + "/login/")
        assert "Your password is set." in page.content()

        # sign in, turn on the second factor
        sign_in(page, org, admin, NEW_PASSWORD)
        page.wait_for_url(org + "/overview/")
        page.goto(org + "/account/mfa/")
        secret = page.locator("#totp-secret").inner_text()
        page.fill("#id_code", _totp_code(secret, step_ahead=0))
        page.click("main button[type=submit]")
        assert page.locator("#recovery-codes li").count() == 10
        page.goto(org + "/overview/")
        page.click("form[action='/logout/'] button")

        # sign in again: password, then the TOTP code
        sign_in(page, org, admin, NEW_PASSWORD)
        page.wait_for_url(re.compile(r"/account/mfa/verify/"))
        page.fill("#id_code", _totp_code(secret, step_ahead=1))
        page.click("main button[type=submit]")
        page.wait_for_url(org + "/overview/")

        # a token, shown once, calls the org API
        page.goto(org + "/tokens/")
        page.fill("#id_name", "browser test")
        page.click("form:has(#id_name) button[type=submit]")
        token = page.locator("#token-value").inner_text()
        port = urllib.parse.urlparse(org).port
        request = urllib.request.Request(  # noqa: S310 - the live test server
            f"http://127.0.0.1:{port}/api/users/",
            headers={"Authorization": f"Token {token}", "Host": f"{slug}.localhost:{port}"},
        )
        with urllib.request.urlopen(request, timeout=15) as answer:  # noqa: S310
            body = json.loads(answer.read())
        assert answer.status == 200 and body["count"] == 0
        assert ApiToken.objects.get(name="browser test").last_used_at is not None
    finally:
        ApiToken.objects.filter(user__email=admin).delete()
        Invitation.objects.filter(account__email=admin).delete()
        AuditEntry.objects.filter(actor_email=admin).delete()
        AuditEntry.objects.filter(target_repr=admin).delete()
        customer = Customer.objects.filter(slug=slug).first()
        if customer is not None:
            drop_committed_org(customer)
