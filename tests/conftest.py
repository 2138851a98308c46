"""Shared fixtures: one world of partners, customer orgs and accounts per test run.

How tests meet django-tenants (its issues #813, #603, #450 are the traps):
- Tenant schemas are created once per run (``world``, session scope, committed),
  because creating a schema costs seconds. Each test then runs inside a transaction
  that is rolled back, as usual with ``db``.
- Never use ``transactional_db`` / ``live_server``: their flush truncates the public
  tables and wipes the world. Tests that need real commits (concurrency, the task
  worker, the browser) use ``committed_org``: a fresh org of their own, dropped after.
- Every test leaves the connection on the public schema (``reset_schema``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from customers.models import Customer, CustomerAssignment, CustomerMembership, CustomerRole
from customers.services import SubscriptionSpec, ensure_public_tenant, provision_customer
from partnerhub.audit.services import Actor
from partnerhub.models import Account, Partner, PartnerMembership, PartnerRole
from partnerhub.tenancy import in_org

PASSWORD = "correct horse battery staple"

ACME_SUBSCRIPTION = SubscriptionSpec(
    external_id="Sub-100234",
    quantities={
        "webex_calling": 50,
        "webex_meetings": 50,
        "webex_suite": 20,
        "cc_standard": 10,
        "cc_premium": 5,
        "workspace_calling": 10,
    },
)


@dataclass
class World:
    public: Customer
    northwind: Partner
    southwind: Partner
    acme: Customer  # northwind, provisioned by alice, assigned to carol
    globex: Customer  # northwind, provisioned by bob
    initech: Customer  # southwind
    alice: Account  # northwind full admin
    bob: Account  # northwind provisioning admin
    carol: Account  # northwind read-only, assigned acme
    sam: Account  # southwind full admin
    ann: Account  # acme full admin (customer admin)
    uma: Account  # acme user admin
    rita: Account  # acme read-only
    ian: Account  # initech full admin
    staff: Account  # support staff


def _account(email: str, **fields: object) -> Account:
    return Account.objects.create_user(email, PASSWORD, **fields)


def build_world() -> World:
    public = ensure_public_tenant()
    northwind = Partner.objects.create(name="Northwind Partners", slug="northwind")
    southwind = Partner.objects.create(name="Southwind Telecom", slug="southwind")
    alice, bob, carol, sam = (
        _account(e)
        for e in (
            "alice@northwind.test",
            "bob@northwind.test",
            "carol@northwind.test",
            "sam@southwind.test",
        )
    )
    PartnerMembership.objects.create(account=alice, partner=northwind, role=PartnerRole.FULL_ADMIN)
    PartnerMembership.objects.create(
        account=bob, partner=northwind, role=PartnerRole.PROVISIONING_ADMIN
    )
    carol_membership = PartnerMembership.objects.create(
        account=carol, partner=northwind, role=PartnerRole.READ_ONLY
    )
    PartnerMembership.objects.create(account=sam, partner=southwind, role=PartnerRole.FULL_ADMIN)
    system = Actor.system("test setup")
    packages = ["webex_calling", "webex_meetings", "webex_suite"]
    acme = provision_customer(
        partner=northwind,
        name="Acme Corp",
        slug="acme",
        admin_email="ann@acme.test",
        actor=system,
        country="NO",
        packages=packages,
        subscriptions=[ACME_SUBSCRIPTION],
        provisioned_by=alice,
    )
    globex = provision_customer(
        partner=northwind,
        name="Globex",
        slug="globex",
        admin_email="gina@globex.test",
        actor=system,
        country="PL",
        packages=packages,
        subscriptions=[SubscriptionSpec("Sub-200100", {"webex_calling": 5})],
        provisioned_by=bob,
    )
    initech = provision_customer(
        partner=southwind,
        name="Initech",
        slug="initech",
        admin_email="ian@initech.test",
        actor=system,
        country="RO",
        packages=packages,
        subscriptions=[SubscriptionSpec("Sub-300100", {"webex_calling": 5})],
        provisioned_by=sam,
    )
    CustomerAssignment.objects.create(membership=carol_membership, customer=acme)
    ann = Account.objects.get(email="ann@acme.test")
    ian = Account.objects.get(email="ian@initech.test")
    for account in (ann, ian):
        account.set_password(PASSWORD)
        account.save(update_fields=["password"])
    uma, rita = _account("uma@acme.test"), _account("rita@acme.test")
    CustomerMembership.objects.create(account=uma, customer=acme, role=CustomerRole.USER_ADMIN)
    CustomerMembership.objects.create(account=rita, customer=acme, role=CustomerRole.READ_ONLY)
    staff = _account("staff@partnerhub.test", is_staff=True, is_superuser=True)
    connection.set_schema_to_public()
    return World(
        public=public,
        northwind=northwind,
        southwind=southwind,
        acme=acme,
        globex=globex,
        initech=initech,
        alice=alice,
        bob=bob,
        carol=carol,
        sam=sam,
        ann=ann,
        uma=uma,
        rita=rita,
        ian=ian,
        staff=staff,
    )


@pytest.fixture(scope="session")
def world(django_db_setup: None, django_db_blocker) -> World:  # type: ignore[no-untyped-def]
    # pytest-django creates the test database only when a selected test uses ``db``;
    # never build the world in a real database.
    if not connection.settings_dict["NAME"].startswith("test_"):
        pytest.fail(
            "No selected test uses the test database, so pytest-django did not create "
            "it: select at least one `db` test too (e.g. run the whole folder)."
        )
    with django_db_blocker.unblock():
        return build_world()


@pytest.fixture(autouse=True)
def reset_schema() -> Iterator[None]:
    yield
    if hasattr(connection, "set_schema_to_public") and connection.connection is not None:
        connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def units_used_equals_a_recount(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every test that used the database — pages, API, CSV imports, SCIM,
    templates, deletes, moves, whatever it changed — every subscription line's
    ``units_used`` (kept by the database, licensing migration 0007) equals a recount of
    its assignments, in every org schema. Checked before the test's rollback."""
    uses_db = "_django_db_helper" in request.fixturenames or request.node.get_closest_marker(
        "django_db"
    )
    if not uses_db:
        yield
        return
    request.getfixturevalue("_django_db_helper")  # so this check ends before its rollback
    yield
    if connection.connection is None or connection.needs_rollback:
        return
    assert not units_used_differences(), "units_used differs from a recount of assignments"


def units_used_differences() -> list[tuple[str, int, int, int]]:
    """``(schema, line id, units_used, recount)`` of every line where they differ."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.tables "
            "WHERE table_name = 'licensing_subscriptionline'"
        )
        schemas = [schema for (schema,) in cursor.fetchall()]
        differences = []
        for schema in schemas:
            cursor.execute(
                f'SELECT %s, l.id, l.units_used, (SELECT count(*) FROM "{schema}".'  # noqa: S608
                f'licensing_licenseassignment AS a WHERE a.line_id = l.id) AS n FROM "{schema}".'
                "licensing_subscriptionline AS l",
                [schema],
            )
            differences += [row for row in cursor.fetchall() if row[2] != row[3]]
    return differences


def sign_in_fully(client: Client, account: Account) -> Client:
    """``force_login`` as after a complete sign-in: an account that must use a second
    factor (support staff, partner requiring it) or has one gets a verified session."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from partnerhub import mfa
    from partnerhub.middleware import SEEN_AT

    client.force_login(account)
    session = client.session
    if mfa.is_required(account) or mfa.is_enrolled(account):
        device = TOTPDevice.objects.filter(user=account, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=account, name="test", confirmed=True)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    # What the sign-in's own requests leave in the session (gate checked, activity seen).
    session[mfa.OK_AT] = session[SEEN_AT] = int(time.time())
    session.save()
    return client


def host_of(customer: Customer | None) -> str:
    base = settings.PARTNERHUB_BASE_DOMAIN
    return (
        base if customer is None or customer.schema_name == "public" else f"{customer.slug}.{base}"
    )


@pytest.fixture
def partner_client(db: None, world: World) -> Callable[[Account | None], Client]:
    """A client on the partner host, signed in as the account (or anonymous)."""

    def make(account: Account | None = None) -> Client:
        client = Client(HTTP_HOST=host_of(None))
        if account is not None:
            sign_in_fully(client, account)
        return client

    return make


@pytest.fixture
def org_client(db: None, world: World) -> Callable[..., Client]:
    """A client on a customer host, signed in as the account. ``launched_by`` makes it
    a partner admin's launched customer view (as the launch hand-off would)."""

    def make(
        customer: Customer, account: Account | None = None, *, launched: bool = False
    ) -> Client:
        client = Client(HTTP_HOST=host_of(customer))
        if account is not None:
            sign_in_fully(client, account)
            if launched:
                session = client.session
                session["launched_customer_id"] = customer.pk
                session["launched_as_partner"] = customer.partner.name
                session.save()
        return client

    return make


# The tests' name for the one tenancy helper (``partnerhub.tenancy.in_org``).
in_schema = in_org


@pytest.fixture
def acme(db: None, world: World) -> Iterator[Customer]:
    """The test runs inside Acme's schema."""
    with in_schema(world.acme):
        yield world.acme


@pytest.fixture
def initech(db: None, world: World) -> Customer:
    return world.initech


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The boundary walk's completeness check runs after every walk."""
    last = [item for item in items if item.nodeid.startswith("tests/test_boundary_walk.py")]
    items[:] = [item for item in items if item not in last] + last
