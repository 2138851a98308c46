"""Calling pages (SPEC §6): locations, the number inventory and a user's calling
section — what a customer admin clicks, errors shown in place, nothing changed on no."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calling.models import CallingProfile, Location, PhoneNumber
from calling.services.profiles import CallingDetails
from calling.services.settings import set_voicemail
from licensing.services.packages import change_package
from tests.calling.conftest import ACTOR, make_user, numbers_of
from tests.conftest import in_schema
from tests.licensing.conftest import line

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):  # type: ignore[no-untyped-def]
    """Oslo (default, 2 numbers), Bergen (1 number); pat on Webex Calling with
    +4722000001 / 1234; kim without calling."""
    with in_schema(world.acme):
        oslo = Location.objects.create(name="Oslo", country="NO", is_default=True)
        for e164 in ("+4722000001", "+4722000002"):
            PhoneNumber.objects.create(e164=e164, location=oslo)
        bergen = Location.objects.create(name="Bergen", country="NO")
        PhoneNumber.objects.create(e164="+4755000001", location=bergen)
        pat = make_user("pat@acme.test")
        change_package(
            user=pat,
            line=line("webex_calling"),
            actor=ACTOR,
            calling=CallingDetails(location=oslo, extension="1234", number="+4722000001"),
        )
        kim = make_user("kim@acme.test")
    return oslo, bergen, pat, kim


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


# --- locations ---------------------------------------------------------------------


def test_locations_page_lists_locations_with_their_use(org_client, world, setup):
    page = _text(org_client(world.acme, world.ann).get("/calling/locations/"))

    assert 'data-location="Oslo"' in page and 'data-location="Bergen"' in page
    assert "1 / 2" in page  # Oslo: 1 of 2 numbers assigned
    assert "New location" in page


def test_locations_page_offers_no_changes_to_read_only_roles(org_client, world, setup):
    page = _text(org_client(world.acme, world.rita).get("/calling/locations/"))

    assert 'data-location="Oslo"' in page
    assert "New location" not in page


def test_location_create_page_creates_a_location(org_client, world, setup):
    response = org_client(world.acme, world.ann).post(
        "/calling/locations/new/",
        {"name": "Trondheim", "country": "no", "time_zone": "Europe/Oslo", "main_number": ""},
    )

    assert response.status_code == 302
    with in_schema(world.acme):
        location = Location.objects.get(name="Trondheim")
        assert (location.country, location.is_default) == ("NO", False)


def test_location_create_page_shows_a_taken_name_in_place(org_client, world, setup):
    response = org_client(world.acme, world.ann).post(
        "/calling/locations/new/", {"name": "oslo", "country": "NO", "time_zone": "UTC"}
    )

    assert response.status_code == 200
    assert "A location named &#x27;oslo&#x27; already exists: choose another name." in _text(
        response
    )
    with in_schema(world.acme):
        assert Location.objects.count() == 2


def test_location_create_page_shows_a_bad_main_number_on_its_field(org_client, world, setup):
    response = org_client(world.acme, world.ann).post(
        "/calling/locations/new/",
        {"name": "Trondheim", "country": "NO", "time_zone": "UTC", "main_number": "7300"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["main_number"] == [
        "Phone number '7300' is not E.164: write it as + country code and number, for "
        "example +4722334455."
    ]
    with in_schema(world.acme):
        assert not Location.objects.filter(name="Trondheim").exists()


def test_location_page_shows_its_numbers_and_who_uses_them(org_client, world, setup):
    oslo = setup[0]
    page = _text(org_client(world.acme, world.rita).get(f"/calling/locations/{oslo.pk}/"))

    assert 'data-number="+4722000001"' in page and 'data-number="+4722000002"' in page
    assert 'data-number="+4755000001"' not in page
    assert "pat@acme.test" in page and "1234" in page


def test_location_in_use_is_not_deleted_and_says_why(org_client, world, setup):
    bergen = setup[1]
    client = org_client(world.acme, world.ann)

    response = client.post(f"/calling/locations/{bergen.pk}/delete/", follow=True)

    assert "Location Bergen still has 1 phone number(s): move or remove them first." in _text(
        response
    )
    with in_schema(world.acme):
        assert Location.objects.filter(pk=bergen.pk).exists()


def test_default_location_is_not_deleted_and_says_why(org_client, world, setup):
    oslo = setup[0]

    response = org_client(world.acme, world.ann).post(
        f"/calling/locations/{oslo.pk}/delete/", follow=True
    )

    assert "Location Oslo is the default location and cannot be deleted" in _text(response)
    with in_schema(world.acme):
        assert Location.objects.filter(pk=oslo.pk).exists()


def test_unused_location_is_deleted_after_confirmation(org_client, world, setup):
    with in_schema(world.acme):
        empty = Location.objects.create(name="Empty", country="NO")
    client = org_client(world.acme, world.ann)

    assert "Delete location Empty?" in _text(client.get(f"/calling/locations/{empty.pk}/delete/"))
    assert client.post(f"/calling/locations/{empty.pk}/delete/").status_code == 302
    with in_schema(world.acme):
        assert not Location.objects.filter(pk=empty.pk).exists()


# --- numbers -----------------------------------------------------------------------


def _numbers_on(page: str) -> list[str]:
    return [part.split('"', 1)[0] for part in page.split('data-number="')[1:]]


def test_numbers_page_filters_by_location_and_state(org_client, world, setup):
    oslo, bergen = setup[0], setup[1]
    client = org_client(world.acme, world.rita)

    assert _numbers_on(_text(client.get("/calling/numbers/"))) == [
        "+4722000001",
        "+4722000002",
        "+4755000001",
    ]
    assert _numbers_on(_text(client.get(f"/calling/numbers/?location={oslo.pk}"))) == [
        "+4722000001",
        "+4722000002",
    ]
    assert _numbers_on(_text(client.get("/calling/numbers/?state=assigned"))) == ["+4722000001"]
    available_in_bergen = client.get(f"/calling/numbers/?location={bergen.pk}&state=available")
    assert _numbers_on(_text(available_in_bergen)) == ["+4755000001"]


def test_numbers_page_searches_numbers_and_holders(org_client, world, setup):
    client = org_client(world.acme, world.ann)

    assert _numbers_on(_text(client.get("/calling/numbers/?q=pat@"))) == ["+4722000001"]
    assert _numbers_on(_text(client.get("/calling/numbers/?q=55000"))) == ["+4755000001"]


def test_numbers_page_shows_who_holds_a_number(org_client, world, setup):
    page = _text(org_client(world.acme, world.ann).get("/calling/numbers/?state=assigned"))

    assert "pat@acme.test" in page and 'data-state="assigned"' in page


def test_numbers_page_is_paginated(org_client, world, setup):
    oslo = setup[0]
    with in_schema(world.acme):
        PhoneNumber.objects.bulk_create(
            PhoneNumber(e164=f"+47230000{i:02d}", location=oslo) for i in range(60)
        )
    client = org_client(world.acme, world.ann)

    first = _numbers_on(_text(client.get("/calling/numbers/")))
    second = _numbers_on(_text(client.get("/calling/numbers/?page=2")))

    assert len(first) == 50 and len(second) == 13
    assert not set(first) & set(second)


def test_numbers_page_queries_do_not_grow_with_rows(org_client, world, setup):
    oslo = setup[0]
    client = org_client(world.acme, world.ann)
    client.get("/calling/numbers/")  # session, tenant caches

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/calling/numbers/").status_code == 200
        return len(captured)

    few = queries()
    with in_schema(world.acme):
        for i in range(10):
            number = PhoneNumber.objects.create(e164=f"+472400000{i}", location=oslo)
            change_package(
                user=make_user(f"u{i}@acme.test"),
                line=line("webex_calling"),
                actor=ACTOR,
                calling=CallingDetails(location=oslo, number=number.e164),
            )

    assert queries() == few


def test_add_numbers_page_adds_a_range(org_client, world, setup):
    oslo = setup[0]

    response = org_client(world.acme, world.ann).post(
        "/calling/numbers/add/", {"location": oslo.pk, "numbers": "+4722000010-+4722000014"}
    )

    assert response.status_code == 302
    with in_schema(world.acme):
        assert len(numbers_of(oslo)) == 7


def test_add_numbers_page_adds_a_list_and_one_number(org_client, world, setup):
    bergen = setup[1]
    client = org_client(world.acme, world.ann)

    client.post(
        "/calling/numbers/add/", {"location": bergen.pk, "numbers": "+4755000002\n+4755000003"}
    )
    client.post("/calling/numbers/add/", {"location": bergen.pk, "numbers": "+4755000004"})

    with in_schema(world.acme):
        assert sorted(numbers_of(bergen)) == [f"+475500000{i}" for i in range(1, 5)]


def test_add_numbers_page_shows_duplicates_in_place_and_adds_none(org_client, world, setup):
    oslo = setup[0]

    response = org_client(world.acme, world.ann).post(
        "/calling/numbers/add/", {"location": oslo.pk, "numbers": "+4722000003, +4722000002"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["numbers"] == [
        "These numbers are already in the inventory or given twice: +4722000002. Nothing was added."
    ]
    with in_schema(world.acme):
        assert not PhoneNumber.objects.filter(e164="+4722000003").exists()


def test_add_numbers_page_shows_a_bad_range_in_place(org_client, world, setup):
    oslo = setup[0]

    response = org_client(world.acme, world.ann).post(
        "/calling/numbers/add/", {"location": oslo.pk, "numbers": "+4722000020-+4722000010"}
    )

    assert response.status_code == 200
    assert "is not valid: give the lowest and the highest number" in str(
        response.context["form"].errors["numbers"]
    )


def test_add_numbers_page_caps_a_list_like_a_range(org_client, world, setup):
    oslo = setup[0]
    many = "\n".join(f"+47230{n:05d}" for n in range(10_001))

    response = org_client(world.acme, world.ann).post(
        "/calling/numbers/add/", {"location": oslo.pk, "numbers": many}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["numbers"] == [
        "10001 numbers given: add at most 10000 at once, in several lists or ranges."
    ]
    with in_schema(world.acme):
        assert not PhoneNumber.objects.filter(e164__startswith="+47230").exists()


def test_add_numbers_page_shows_a_bad_number_in_place(org_client, world, setup):
    oslo = setup[0]

    response = org_client(world.acme, world.ann).post(
        "/calling/numbers/add/", {"location": oslo.pk, "numbers": "22000099"}
    )

    assert response.context["form"].errors["numbers"] == [
        "Phone number '22000099' is not E.164: write it as + country code and number, for "
        "example +4722334455."
    ]


# --- a user's calling ---------------------------------------------------------------


def test_user_page_links_to_the_calling_section(org_client, world, setup):
    pat = setup[2]

    page = _text(org_client(world.acme, world.ann).get(f"/users/{pat.pk}/"))

    assert f'href="/calling/users/{pat.pk}/"' in page


def test_calling_section_shows_the_users_calling(org_client, world, setup):
    pat = setup[2]
    with in_schema(world.acme):
        set_voicemail(user=pat, enabled=True, pin="4711", actor=ACTOR)
        pin_hash = CallingProfile.objects.get(user=pat).voicemail_pin_hash

    page = _text(org_client(world.acme, world.rita).get(f"/calling/users/{pat.pk}/"))

    assert '<strong data-field="location">Oslo</strong>' in page
    assert '<strong data-field="number">+4722000001</strong>' in page
    assert '<strong data-field="extension">1234</strong>' in page
    assert '<strong data-field="voicemail">on</strong>' in page
    assert pin_hash not in page and "4711" not in page
    assert "details-form" not in page  # read-only: no forms


def test_calling_section_without_a_license_points_to_the_package(org_client, world, setup):
    kim = setup[3]

    page = _text(org_client(world.acme, world.ann).get(f"/calling/users/{kim.pk}/"))

    assert "No calling license" in page and f"/users/{kim.pk}/package/" in page
    assert "details-form" not in page


def test_calling_section_changes_number_and_extension(org_client, world, setup):
    oslo, _, pat, _ = setup

    response = org_client(world.acme, world.uma).post(
        f"/calling/users/{pat.pk}/details/",
        {"location": oslo.pk, "number": "+4722000002", "extension": "4321"},
    )

    assert response.status_code == 302
    with in_schema(world.acme):
        profile = CallingProfile.objects.get(user=pat)
        assert profile.extension == "4321"
        assert numbers_of(oslo) == {"+4722000001": None, "+4722000002": profile.pk}


def test_calling_section_shows_detail_errors_in_place(org_client, world, setup):
    _, bergen, pat, _ = setup

    response = org_client(world.acme, world.ann).post(
        f"/calling/users/{pat.pk}/details/",
        {"location": bergen.pk, "number": "+4722000002", "extension": "1234"},
    )

    assert response.status_code == 200
    assert response.context["details_form"].errors["number"] == [
        "Phone number +4722000002 belongs to location Oslo, not Bergen: give a number of "
        "Bergen, or choose location Oslo."
    ]
    with in_schema(world.acme):
        assert CallingProfile.objects.get(user=pat).location.name == "Oslo"


def test_calling_section_sets_voicemail(org_client, world, setup):
    pat = setup[2]

    response = org_client(world.acme, world.ann).post(
        f"/calling/users/{pat.pk}/voicemail/", {"enabled": "on", "pin": "4711"}
    )

    assert response.status_code == 302
    with in_schema(world.acme):
        assert CallingProfile.objects.get(user=pat).voicemail_enabled


def test_calling_section_shows_a_bad_pin_in_place_and_not_back(org_client, world, setup):
    pat = setup[2]

    response = org_client(world.acme, world.ann).post(
        f"/calling/users/{pat.pk}/voicemail/", {"enabled": "on", "pin": "1111"}
    )

    assert response.status_code == 200
    assert response.context["voicemail_form"].errors["pin"] == [
        "The voicemail PIN repeats one digit, which is easy to guess: mix digits."
    ]
    assert 'value="1111"' not in _text(response)
    with in_schema(world.acme):
        assert not CallingProfile.objects.get(user=pat).voicemail_enabled


def test_calling_section_sets_call_settings(org_client, world, setup):
    pat = setup[2]

    org_client(world.acme, world.ann).post(
        f"/calling/users/{pat.pk}/settings/",
        {"forwarding": "no_answer", "forward_to": "+4799887766", "caller_id": "hidden"},
    )

    with in_schema(world.acme):
        assert CallingProfile.objects.get(user=pat).settings == {
            "forwarding": {"mode": "no_answer", "destination": "+4799887766"},
            "do_not_disturb": False,
            "caller_id": "hidden",
        }


def test_calling_section_shows_call_setting_errors_in_place(org_client, world, setup):
    pat = setup[2]

    response = org_client(world.acme, world.ann).post(
        f"/calling/users/{pat.pk}/settings/", {"forwarding": "always", "caller_id": "hidden"}
    )

    assert response.status_code == 200
    assert "Call forwarding needs a destination" in str(
        response.context["settings_form"].errors["forward_to"]
    )
    with in_schema(world.acme):
        assert CallingProfile.objects.get(user=pat).settings == {}


def test_read_only_roles_cannot_change_calling(org_client, world, setup):
    oslo, _, pat, _ = setup
    writes = [
        ("/calling/locations/new/", {"name": "X", "country": "NO", "time_zone": "UTC"}),
        (f"/calling/locations/{setup[1].pk}/delete/", {}),
        ("/calling/numbers/add/", {"location": oslo.pk, "numbers": "+4722000050"}),
        (f"/calling/users/{pat.pk}/details/", {"location": oslo.pk, "extension": "77"}),
        (f"/calling/users/{pat.pk}/voicemail/", {"enabled": "on", "pin": "4711"}),
        (f"/calling/users/{pat.pk}/settings/", {"forwarding": "off", "caller_id": "hidden"}),
        (f"/calling/users/{pat.pk}/restore/", {}),
    ]
    for client in (
        org_client(world.acme, world.rita),
        org_client(world.acme, world.carol, launched=True),
    ):
        for url, data in writes:
            assert client.post(url, data).status_code == 403, url

    with in_schema(world.acme):
        profile = CallingProfile.objects.get(user=pat)
        assert (profile.extension, profile.voicemail_enabled, profile.settings) == (
            "1234",
            False,
            {},
        )
        assert Location.objects.count() == 2 and PhoneNumber.objects.count() == 3


def test_user_admins_change_user_calling_but_not_locations_or_numbers(org_client, world, setup):
    oslo = setup[0]
    client = org_client(world.acme, world.uma)

    assert client.get("/calling/locations/new/").status_code == 403
    assert (
        client.post(
            "/calling/numbers/add/", {"location": oslo.pk, "numbers": "+4722000050"}
        ).status_code
        == 403
    )


# --- pickers (issue #11 item 9) ----------------------------------------------------


def test_location_form_offers_iso_countries_and_iana_time_zones(org_client, world, setup):
    page = _text(org_client(world.acme, world.ann).get("/calling/locations/new/"))

    assert '<select name="country"' in page and '<option value="NO">Norway</option>' in page
    assert '<select name="time_zone"' in page
    assert '<option value="Europe/Oslo">Europe/Oslo</option>' in page


def test_location_form_refuses_a_country_that_is_not_in_iso_3166(org_client, world, setup):
    response = org_client(world.acme, world.ann).post(
        "/calling/locations/new/", {"name": "Atlantis", "country": "XX", "time_zone": "UTC"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["country"] == [
        "Select a valid choice. XX is not one of the available choices."
    ]


def test_location_service_refuses_a_country_code_that_iso_3166_does_not_have(world):
    from calling.services.locations import create_location
    from partnerhub.errors import DomainError

    with in_schema(world.acme), pytest.raises(DomainError) as refused:
        create_location(name="Atlantis", country="xx", actor=ACTOR)

    assert refused.value.message == (
        "Country 'xx' is not an ISO 3166 country code: choose it from the list, "
        "for example NO for Norway."
    )


def test_calling_section_offers_the_free_numbers_of_the_users_location(org_client, world, setup):
    oslo, bergen, pat, _ = setup

    page = _text(org_client(world.acme, world.ann).get(f"/calling/users/{pat.pk}/"))

    assert f'list="id_number-free-{oslo.pk}"' in page
    oslo_list = page.split(f'<datalist id="id_number-free-{oslo.pk}"', 1)[1].split("</datalist>")[0]
    assert '<option value="+4722000002">' in oslo_list
    assert "+4722000001" not in oslo_list  # pat holds it
    assert f'<datalist id="id_number-free-{bergen.pk}" data-location="{bergen.pk}">' in page
    assert "calling/free_numbers.js" in page


def test_change_package_form_offers_free_numbers_of_the_location_chosen(org_client, world, setup):
    _, bergen, _, kim = setup

    page = _text(org_client(world.acme, world.ann).get(f"/users/{kim.pk}/package/"))

    assert '<option value="+4755000001">' in page
    assert 'data-location-input="id_location"' in page
    assert f'list="id_number-free-{bergen.pk}"' not in page  # no location chosen yet
