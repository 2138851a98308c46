"""Sign-in that resists guessing (issue 10 §3): one message for every refusal,
account + address lockout on every sign-in form, stronger passwords, reset by e-mail."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from partnerhub.models import Account
from tests.conftest import PASSWORD, host_of

pytestmark = pytest.mark.django_db

REFUSED = "Please enter a correct e-mail address and password."
LOCKED = (
    "Too many failed sign-in attempts for this account from your address. Try again in 15 "
    "minutes, or reset your password."
)


def _sign_in(customer, email: str, password: str, *, address: str = "10.0.0.1", path="/login/"):
    client = Client(HTTP_HOST=host_of(customer), REMOTE_ADDR=address)
    response = client.post(path, {"username": email, "password": password})
    return client, response


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_password_unknown_account_and_no_role_here_say_the_same(world):
    attempts = {
        "wrong password": _sign_in(world.acme, "ann@acme.test", "not the password"),
        "unknown account": _sign_in(world.acme, "nobody@acme.test", PASSWORD),
        "partner admin, no role in acme": _sign_in(world.acme, "alice@northwind.test", PASSWORD),
        "acme admin on the partner host": _sign_in(None, "ann@acme.test", PASSWORD),
        "initech admin on acme": _sign_in(world.acme, "ian@initech.test", PASSWORD),
    }

    for who, (client, response) in attempts.items():
        assert response.status_code == 200, who
        assert response.context["form"].non_field_errors() == [REFUSED], who
        assert not _signed_in(client), who


def test_right_password_and_a_role_here_signs_in(world):
    client, response = _sign_in(world.acme, "ANN@acme.test", PASSWORD)

    assert response.status_code == 302
    assert _signed_in(client)


def test_account_and_address_locked_after_five_failures_even_with_the_right_password(world):
    for _ in range(5):
        _sign_in(None, "alice@northwind.test", "guess")

    client, response = _sign_in(None, "alice@northwind.test", PASSWORD)

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not _signed_in(client)


def test_lockout_is_per_account_and_address(world):
    for _ in range(5):
        _sign_in(None, "alice@northwind.test", "guess", address="10.0.0.9")

    other_address, _ = _sign_in(None, "alice@northwind.test", PASSWORD, address="10.0.0.10")
    other_account, _ = _sign_in(None, "bob@northwind.test", PASSWORD, address="10.0.0.9")

    assert _signed_in(other_address) and _signed_in(other_account)


def test_failures_on_an_org_host_without_a_role_count_too(world):
    """Right password, no role on Acme: refused and counted, so lockout behaves the
    same whatever the password is (no oracle)."""
    for _ in range(5):
        _sign_in(world.acme, "alice@northwind.test", PASSWORD)

    _, response = _sign_in(world.acme, "alice@northwind.test", PASSWORD)

    assert response.status_code == 429


def test_admin_sign_in_is_throttled_too(world):
    for _ in range(5):
        _sign_in(None, "staff@partnerhub.test", "guess", path="/admin/login/")

    client, response = _sign_in(None, "staff@partnerhub.test", PASSWORD, path="/admin/login/")

    assert response.status_code == 429
    assert not _signed_in(client)


def test_a_success_resets_the_failure_count(world):
    for _ in range(4):
        _sign_in(None, "alice@northwind.test", "guess")
    _sign_in(None, "alice@northwind.test", PASSWORD)
    for _ in range(4):
        _sign_in(None, "alice@northwind.test", "guess")

    client, _ = _sign_in(None, "alice@northwind.test", PASSWORD)

    assert _signed_in(client)


# --- password strength ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("short-pw1", "This password is too short. It must contain at least 12 characters."),
        ("738294610385", "This password is entirely numeric."),
        ("alice@northwind.test1", "The password is too similar to the e-mail address."),
    ],
)
def test_weak_passwords_are_refused_and_nothing_changes(
    partner_client, world, new_password, message
):
    client = partner_client(world.alice)

    response = client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )

    assert message in response.context["form"].errors["new_password2"]
    world.alice.refresh_from_db()
    assert world.alice.check_password(PASSWORD)


# --- password reset -------------------------------------------------------------------


def _ask_reset(customer, email: str):
    return Client(HTTP_HOST=host_of(customer)).post("/password/reset/", {"email": email})


def test_reset_answers_the_same_whether_or_not_the_address_exists(world, mailoutbox):
    known = _ask_reset(world.acme, "ann@acme.test")
    unknown = _ask_reset(world.acme, "nobody@acme.test")
    no_role_here = _ask_reset(world.acme, "alice@northwind.test")

    assert known.status_code == unknown.status_code == no_role_here.status_code == 302
    assert known["Location"] == unknown["Location"] == no_role_here["Location"]
    assert [m.to for m in mailoutbox] == [["ann@acme.test"]]


def _reset_link(mail) -> str:
    return re.search(r"http://[^\s]+/password/reset/[^\s]+/", mail.body).group(0)


def test_reset_link_sets_a_new_password_once_on_its_own_host(world, mailoutbox):
    _ask_reset(world.acme, "ann@acme.test")
    link = _reset_link(mailoutbox[0])
    assert link.startswith("http://acme.localhost")
    path = link.split("localhost", 1)[1].split("/", 1)[1]
    client = Client(HTTP_HOST=host_of(world.acme))

    form = client.get("/" + path, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    again = Client(HTTP_HOST=host_of(world.acme)).get("/" + path, follow=True)

    assert done.status_code == 302
    assert Account.objects.get(email="ann@acme.test").check_password("a brand new passphrase")
    assert "The password reset link was already used or has expired." in again.content.decode()


def test_reset_works_on_the_partner_host(world, mailoutbox):
    _ask_reset(None, "alice@northwind.test")

    assert _reset_link(mailoutbox[0]).startswith("http://localhost/password/reset/")
