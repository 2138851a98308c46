"""Invitations that work (issue 10 §1, issue 9 §5): a single-use, expiring link per
invited account and host; used or expired links say so and offer a new one; a mail
that cannot be sent never undoes (or breaks) the change that invited the account."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from customers.models import Customer
from partnerhub import invitations
from partnerhub.audit.services import Actor
from partnerhub.models import Account, Invitation, PartnerMembership
from tests.boundaries import assert_partner_urls_closed_to_other_partners

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long enough passphrase"
SYSTEM = Actor.system("test")
SMTP_DOWN = "tests.partnerhub.broken_mail.SmtpDownBackend"


def _link(message) -> tuple[str, str]:
    """(host, path) of the invitation link in an e-mail."""
    found = re.search(r"http://([^/:\s]+)(?::\d+)?(/invitation/[^\s]+/)", message.body)
    return found.group(1), found.group(2)


def _invite(account: Account, host: str, capture) -> tuple[str, str]:
    with capture(execute=True):
        invitations.invite(account=account, host=host, about="an administrator", actor=SYSTEM)
    return _link(mail.outbox[-1])


def _uma() -> Account:
    return Account.objects.get(email="uma@acme.test")


def _set_password(host: str, path: str, password: str = NEW_PASSWORD):
    return Client(HTTP_HOST=host).post(path, {"new_password1": password, "new_password2": password})


def test_provisioning_invites_the_first_admin_with_a_link_to_its_org(
    partner_client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = partner_client(world.alice).post(
            "/partner/customers/new/",
            {"name": "Wayne", "slug": "wayne", "admin_email": "lucius@wayne.test"},
        )

    assert response.status_code == 302
    host, path = _link(mail.outbox[0])
    assert mail.outbox[0].to == ["lucius@wayne.test"]
    assert host == "wayne.localhost"
    assert not Account.objects.get(email="lucius@wayne.test").has_usable_password()
    assert Invitation.objects.get(account__email="lucius@wayne.test").token_hash not in path


def test_invitation_link_sets_the_password_once(world, django_capture_on_commit_callbacks):
    host, path = _invite(world.uma, "acme.localhost", django_capture_on_commit_callbacks)

    form = Client(HTTP_HOST=host).get(path)
    done = _set_password(host, path)
    again = Client(HTTP_HOST=host).get(path)
    replay = _set_password(host, path, "yet another passphrase")

    assert form.status_code == 200 and "uma@acme.test" in form.content.decode()
    assert done.status_code == 302 and done["Location"] == "/login/"
    assert _uma().check_password(NEW_PASSWORD)
    assert again.status_code == replay.status_code == 410
    assert "This invitation link was already used to set a password." in again.content.decode()
    assert "Send me a new link" in again.content.decode()


def test_invited_admin_signs_in_from_the_email_alone(world, django_capture_on_commit_callbacks):
    host, path = _invite(world.uma, "acme.localhost", django_capture_on_commit_callbacks)
    _set_password(host, path)

    client = Client(HTTP_HOST=host)
    response = client.post("/login/", {"username": "uma@acme.test", "password": NEW_PASSWORD})

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_expired_link_says_so_and_sends_a_new_one(world, django_capture_on_commit_callbacks):
    host, path = _invite(world.uma, "acme.localhost", django_capture_on_commit_callbacks)
    Invitation.objects.filter(account=world.uma).update(
        created_at=timezone.now() - timedelta(hours=73),
        expires_at=timezone.now() - timedelta(hours=1),
    )
    before = _uma().password

    expired = Client(HTTP_HOST=host).get(path)
    refused = _set_password(host, path)
    with django_capture_on_commit_callbacks(execute=True):
        resent = Client(HTTP_HOST=host).post(path + "resend/")
    old_again = Client(HTTP_HOST=host).get(path)
    new_host, new_path = _link(mail.outbox[-1])

    assert expired.status_code == refused.status_code == 410
    assert "This invitation link has expired." in expired.content.decode()
    assert _uma().password == before
    assert resent.status_code == 200 and mail.outbox[-1].to == ["uma@acme.test"]
    assert "uma@acme.test" not in resent.content.decode()
    assert "This invitation link was replaced by a newer one." in old_again.content.decode()
    assert (new_host, new_path) != (host, path)
    assert _set_password(new_host, new_path).status_code == 302


def test_a_link_does_nothing_on_another_host(world, django_capture_on_commit_callbacks):
    host, path = _invite(world.uma, "acme.localhost", django_capture_on_commit_callbacks)
    before = _uma().password

    on_globex = _set_password("globex.localhost", path)
    on_partner_host = _set_password("localhost", path)

    assert on_globex.status_code == on_partner_host.status_code == 404
    assert _uma().password == before
    assert Invitation.objects.get(account=world.uma).used_at is None


def test_a_weak_password_is_refused_in_place_and_the_link_stays_usable(
    world, django_capture_on_commit_callbacks
):
    host, path = _invite(world.uma, "acme.localhost", django_capture_on_commit_callbacks)

    response = _set_password(host, path, "12345678901234")

    assert response.status_code == 400
    assert "This password is entirely numeric." in response.content.decode()
    assert Invitation.objects.get(account=world.uma).used_at is None


def test_an_unknown_link_is_404(world):
    response = Client(HTTP_HOST="acme.localhost").get("/invitation/not-a-token/")
    assert response.status_code == 404
    assert "This invitation link does not exist here." in response.content.decode()


def test_resend_right_after_sending_is_refused(world, django_capture_on_commit_callbacks):
    host, path = _invite(world.uma, "acme.localhost", django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now())

    response = Client(HTTP_HOST=host).post(path + "resend/")

    assert response.status_code == 409
    assert "An invitation was sent less than two minutes ago" in response.content.decode()
    assert Invitation.objects.filter(account=world.uma).count() == 1


# --- a mail that cannot be sent (issue 9 §5) -------------------------------------------


def test_smtp_down_after_provisioning_is_not_a_500_and_offers_to_resend(
    partner_client, world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = SMTP_DOWN
    client = partner_client(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/partner/customers/new/",
            {"name": "Wayne", "slug": "wayne", "admin_email": "lucius@wayne.test"},
        )
    wayne = Customer.objects.get(slug="wayne")

    page = client.get(f"/partner/customers/{wayne.pk}/invitation/")
    api = client.get(f"/api/partner/customers/{wayne.pk}/invitation/").json()

    assert response.status_code == 302
    assert (
        "The invitation e-mail could not be sent (SMTPServerDisconnected: Connection "
        "unexpectedly closed). The organisation exists"
    ) in page.content.decode()
    assert "Resend the invitation" in page.content.decode()
    assert api["state"] == "failed"
    assert api["error"] == "SMTPServerDisconnected: Connection unexpectedly closed"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        resent = client.post(f"/partner/customers/{wayne.pk}/invitation/")
    assert resent.status_code == 302
    assert mail.outbox[-1].to == ["lucius@wayne.test"]
    assert client.get(f"/api/partner/customers/{wayne.pk}/invitation/").json()["state"] == "sent"


def test_a_bad_header_is_recorded_not_raised(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitations.invite(
            account=world.uma, host="acme.localhost", about="admin of Evil\nBcc: x@y", actor=SYSTEM
        )

    assert invitations.delivery_of(invitation).state == "failed"
    assert "BadHeaderError" in invitations.delivery_of(invitation).error
    assert mail.outbox == []


# --- partner admins -----------------------------------------------------------------------


def test_added_partner_admin_is_invited_on_the_partner_host_and_can_be_resent(
    partner_client, world, django_capture_on_commit_callbacks
):
    client = partner_client(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/partner/admins/", {"email": "dave@northwind.test", "role": "read_only"})
    host, first = _link(mail.outbox[-1])
    membership = PartnerMembership.objects.get(account__email="dave@northwind.test")
    Invitation.objects.update(created_at=timezone.now() - timedelta(minutes=5))

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"/partner/admins/{membership.pk}/invitation/")
    Invitation.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        api = client.post(f"/api/partner/admins/{membership.pk}/invitation/")

    assert host == "localhost"
    assert page.status_code == 302 and api.status_code == 200
    assert len(mail.outbox) == 3
    assert Client(HTTP_HOST=host).get(first).status_code == 410  # replaced
    assert _set_password(*_link(mail.outbox[-1])).status_code == 302


def test_invitation_urls_closed_to_other_partners_and_read_only(partner_client, world):
    membership = PartnerMembership.objects.get(account=world.carol)
    urls = [
        ("GET", f"/partner/customers/{world.acme.pk}/invitation/"),
        ("POST", f"/partner/customers/{world.acme.pk}/invitation/"),
        ("GET", f"/api/partner/customers/{world.acme.pk}/invitation/"),
        ("POST", f"/api/partner/customers/{world.acme.pk}/invitation/"),
        ("POST", f"/partner/admins/{membership.pk}/invitation/"),
        ("POST", f"/api/partner/admins/{membership.pk}/invitation/"),
    ]
    before = Invitation.objects.count()

    assert_partner_urls_closed_to_other_partners(partner_client, world, urls)
    read_only = partner_client(world.carol)
    assert read_only.post(f"/api/partner/customers/{world.acme.pk}/invitation/").status_code == 403
    assert read_only.post(f"/partner/admins/{membership.pk}/invitation/").status_code == 404
    assert Invitation.objects.count() == before
