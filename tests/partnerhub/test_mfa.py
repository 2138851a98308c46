"""A second factor (issue 10 §4): TOTP + recovery codes for any account; required of
support staff and of a partner's admins when the partner says so; launching and
tokens respect it."""

from __future__ import annotations

import re
import time
from urllib.parse import urlparse

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from customers.models import LaunchTicket
from partnerhub.models import Partner
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

MUST_ENROL = (
    "Your account must use a second factor: set up an authenticator app before you continue."
)


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return (
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"
    )


def _enrol(account) -> TOTPDevice:
    return TOTPDevice.objects.create(user=account, name="app", confirmed=True)


def _password_sign_in(email: str, host: str = "localhost") -> Client:
    client = Client(HTTP_HOST=host)
    assert client.post("/login/", {"username": email, "password": PASSWORD}).status_code == 302
    return client


def test_any_account_enrols_and_gets_recovery_codes_once(world):
    client = _password_sign_in("ann@acme.test", host="acme.localhost")

    page = client.get("/account/mfa/")
    device = TOTPDevice.objects.get(user=world.ann, confirmed=False)
    done = client.post("/account/mfa/", {"code": _code(device)})

    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert done.status_code == 200 and done["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})</code>", done.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=world.ann).confirmed
    assert client.get("/users/").status_code == 200  # this session passed the factor


def test_a_wrong_enrolment_code_changes_nothing(world):
    client = _password_sign_in("ann@acme.test", host="acme.localhost")
    client.get("/account/mfa/")

    response = client.post("/account/mfa/", {"code": "000000"})

    assert response.status_code == 400
    assert (
        "That code does not match; check the time on your phone and try the next code."
        in response.content.decode()
    )
    assert not TOTPDevice.objects.filter(user=world.ann, confirmed=True).exists()


def test_enrolled_account_signs_in_with_its_code(world):
    device = _enrol(world.alice)
    client = _password_sign_in("alice@northwind.test")

    page = client.get("/partner/")
    api = client.get("/api/partner/customers/")
    wrong = client.post("/account/mfa/verify/", {"code": "123456", "next": "/partner/"})
    time.sleep(1.1)  # django-otp throttles the next try after a failure
    right = client.post("/account/mfa/verify/", {"code": _code(device), "next": "/partner/"})

    assert page.status_code == 302 and page["Location"] == "/account/mfa/verify/?next=/partner/"
    assert api.status_code == 403 and api.json()["code"] == "second_factor_verify"
    assert wrong.status_code == 400
    assert (
        "That code is not valid. Use the current code of your authenticator app or a "
        "recovery code." in wrong.content.decode()
    )
    assert right.status_code == 302 and right["Location"] == "/partner/"
    assert client.get("/partner/").status_code == 200


def test_a_code_used_a_moment_ago_says_to_wait_for_the_next_one(world):
    device = _enrol(world.alice)
    code = _code(device)
    first = _password_sign_in("alice@northwind.test")
    assert first.post("/account/mfa/verify/", {"code": code}).status_code == 302

    again = _password_sign_in("alice@northwind.test")
    refused = again.post("/account/mfa/verify/", {"code": code, "next": "/partner/"})

    assert refused.status_code == 400
    assert (
        "That code was just used: each code works once. Wait for the next code of your "
        "authenticator app." in refused.content.decode()
    )


def test_a_recovery_code_works_once(world):
    _enrol(world.alice)
    first = _password_sign_in("alice@northwind.test")
    from partnerhub import mfa
    from partnerhub.audit.services import Actor

    codes = mfa.regenerate_recovery_codes(account=world.alice, actor=Actor.system())

    used = first.post("/account/mfa/verify/", {"code": codes[0], "next": "/partner/"})
    second = _password_sign_in("alice@northwind.test")
    replay = second.post("/account/mfa/verify/", {"code": codes[0], "next": "/partner/"})

    assert used.status_code == 302
    assert replay.status_code == 400
    assert StaticToken.objects.filter(device__user=world.alice).count() == 9


def test_support_staff_must_enrol_before_the_admin(world):
    client = Client(HTTP_HOST="localhost")
    client.post("/admin/login/", {"username": "staff@partnerhub.test", "password": PASSWORD})

    response = client.get("/admin/")
    page = client.get("/account/mfa/")

    assert response.status_code == 302
    assert response["Location"] == "/account/mfa/?next=/admin/"
    assert "Your account must use a second factor before you continue." in page.content.decode()


def test_partner_requires_a_second_factor_of_its_admins(partner_client, world):
    set_it = partner_client(world.alice).put(
        "/api/partner/security/", {"require_mfa": True}, content_type="application/json"
    )
    bob = _password_sign_in("bob@northwind.test")
    sam = _password_sign_in("sam@southwind.test")

    assert set_it.json() == {"require_mfa": True}
    assert bob.get("/partner/customers/")["Location"] == "/account/mfa/?next=/partner/customers/"
    assert bob.get("/api/partner/customers/").json() == {
        "code": "second_factor_enrol",
        "message": MUST_ENROL,
    }
    assert sam.get("/partner/customers/").status_code == 200  # another partner


def test_only_full_admins_set_the_requirement(partner_client, world):
    refused = partner_client(world.carol).put(
        "/api/partner/security/", {"require_mfa": True}, content_type="application/json"
    )
    page = partner_client(world.carol).post("/partner/admins/second-factor/", {"require_mfa": "on"})
    anonymous = partner_client().put(
        "/api/partner/security/", {"require_mfa": True}, content_type="application/json"
    )

    assert refused.status_code == page.status_code == 403
    assert anonymous.status_code in (401, 403)
    assert not Partner.objects.get(pk=world.northwind.pk).require_mfa


def test_a_required_second_factor_cannot_be_removed(partner_client, world):
    Partner.objects.filter(pk=world.northwind.pk).update(require_mfa=True)
    client = partner_client(world.alice)  # signed in with its factor

    response = client.post("/account/mfa/remove/", follow=True)

    assert (
        "Your account must keep a second factor (support staff, or your partner requires it "
        "for its administrators)." in response.content.decode()
    )
    assert TOTPDevice.objects.filter(user=world.alice, confirmed=True).exists()


def test_launch_carries_the_second_factor_to_the_customer_host(partner_client, world):
    _enrol(world.alice)
    client = partner_client(world.alice)  # verified session

    hand_off = client.post(f"/partner/customers/{world.acme.pk}/launch/")
    org = Client(HTTP_HOST="acme.localhost")
    landed = org.get(urlparse(hand_off["Location"]).path)

    assert LaunchTicket.objects.get().otp_device.startswith("otp_totp.totpdevice/")
    assert landed.status_code == 302 and landed["Location"] == "/overview/"
    assert org.get("/overview/").status_code == 200


def test_token_from_credentials_respects_the_second_factor(world):
    device = _enrol(world.alice)

    def ask(email: str, otp: str = ""):
        return Client(HTTP_HOST="localhost").post(
            "/api/auth/token/",
            {"email": email, "password": PASSWORD, "name": "script", "otp": otp},
            content_type="application/json",
        )

    without = ask("alice@northwind.test")
    wrong = ask("alice@northwind.test", "000000" if _code(device) != "000000" else "111111")
    time.sleep(1.1)  # django-otp throttles the next try after a failure
    with_code = ask("alice@northwind.test", _code(device))
    staff = ask("staff@partnerhub.test")

    assert without.status_code == 400
    assert without.json() == {
        "code": "wrong_second_factor_code",
        "message": "This account signs in with a second factor: give the current code of "
        "its authenticator app or a recovery code.",
        "field": "otp",
    }
    assert wrong.status_code == 400
    assert (wrong.json()["code"], wrong.json()["field"]) == ("wrong_second_factor_code", "otp")
    assert with_code.status_code == 201
    assert staff.status_code == 409 and staff.json()["message"] == MUST_ENROL
