"""Work phones from directories (issue 9 §4; ``calling.rules.work_phone_e164``): the
formatting people put in numbers is dropped, an extension suffix is refused with a
hint, and the command says for each unprovisioned user its number and why."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from calling.models import CallingProfile, PhoneNumber, ProvisioningFailure
from calling.rules import work_phone_e164
from calling.services.directory import DirectoryEntry, sync_directory
from licensing.services.templates import create_template
from tests.calling.conftest import ACTOR
from tests.licensing.conftest import line

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("work_phone", "e164"),
    [
        ("+47 22 00 00 01", "+4722000001"),
        ("+47 (0)22 00 00 01", "+4722000001"),
        ("+47-22-00-00-01", "+4722000001"),
        ("+47.22.00.00.01", "+4722000001"),
        ("+47 (22) 000 001", "+4722000001"),
        ("\u00a0+4722000001\u00a0", "+4722000001"),
    ],
)
def test_formatting_around_an_e164_work_phone_is_dropped(work_phone, e164):
    assert work_phone_e164(work_phone) == (e164, "")


@pytest.mark.parametrize(
    ("work_phone", "hint"),
    [
        ("+4722000001 x123", "'+4722000001 x123' ends with an extension; the work phone must "
         "be the number alone (+4722000001). Remove the extension in the directory."),
        ("+4722000001 ext. 7", "'+4722000001 ext. 7' ends with an extension; the work phone "
         "must be the number alone (+4722000001). Remove the extension in the directory."),
        ("0047 22 00 00 01", "'0047 22 00 00 01' starts with 00: write the country code with "
         "+ instead (+4722000001) in the directory."),
        ("22 00 00 01", "'22 00 00 01' is not international: write it with + and the country "
         "code, for example +4722334455, in the directory."),
    ],
)  # fmt: skip
def test_a_work_phone_that_is_not_e164_is_refused_with_a_hint(work_phone, hint):
    assert work_phone_e164(work_phone) == (None, hint)


def test_directory_sync_provisions_formatted_work_phones_and_explains_the_others(
    oslo, bergen, tmp_path, capsys
):
    create_template(name="Everyone calls", lines=[line("webex_calling")], actor=ACTOR)
    feed = tmp_path / "ad.csv"
    feed.write_text(
        "givenName,surname,mail,telephoneNumber\n"
        "Kim,Lee,kim@acme.test,+47 (0)22-00.00 01\n"
        "Ola,Nor,ola@acme.test,+4722000002 x123\n"
        "Liv,Hau,liv@acme.test,\n",
        encoding="utf-8",
    )

    call_command("directory_sync", "acme", str(feed))

    out = capsys.readouterr().out.splitlines()
    assert out == [
        "created 3, updated 0, unchanged 0, provisioned 1, unprovisioned 2",
        "liv@acme.test: not provisioned (no_number) — no work phone",
        "ola@acme.test: not provisioned (invalid_format) — work phone '+4722000002 x123': "
        "'+4722000002 x123' ends with an extension; the work phone must be the number alone "
        "(+4722000002). Remove the extension in the directory.",
    ]
    assert PhoneNumber.objects.get(e164="+4722000001").profile == CallingProfile.objects.get(
        user__email="kim@acme.test"
    )
    assert PhoneNumber.objects.get(e164="+4722000002").profile is None
    assert dict(ProvisioningFailure.objects.values_list("user__email", "reason")) == {
        "ola@acme.test": "invalid_format",
        "liv@acme.test": "no_number",
    }


def test_the_directory_api_result_carries_the_number_and_the_hint(oslo):
    create_template(name="Everyone calls", lines=[line("webex_calling")], actor=ACTOR)

    result = sync_directory(
        entries=[DirectoryEntry("ola@acme.test", "Ola", "Nor", "0047 22 00 00 02")], actor=ACTOR
    )

    assert result.as_dict()["unprovisioned"] == [
        {
            "email": "ola@acme.test",
            "reason": "invalid_format",
            "work_phone": "0047 22 00 00 02",
            "hint": "'0047 22 00 00 02' starts with 00: write the country code with + instead "
            "(+4722000002) in the directory.",
        }
    ]
