"""/api/announcements over HTTP: the office publishes (202) and reads the counts; residents
and technicians may not; bad audiences name their field. Residents set their own contact
preferences on their record."""

from typing import Any
from uuid import UUID

import pytest

from entrypoints.container import Container
from tests.unit.accounts_api import Caller
from tests.unit.housing_api import Client, Json, create_building, error_fields, problem_of

NOTICE: Json = {
    "title": "Fire drill",
    "body": "Tuesday at ten.",
    "audience": {"kind": "all_residents"},
}


async def test_the_office_publishes_and_the_fan_out_is_counted(
    client: Client, container: Container, resident_record: Json
) -> None:
    response = await client.post("/api/announcements", json=NOTICE)

    assert response.status_code == 202, response.text
    published = response.json()
    assert published["state"] == "fanning_out"
    assert published["channels"] == ["email"]
    assert published["audience"] == {
        "kind": "all_residents",
        "building_id": None,
        "floor": None,
        "resident_ids": [],
    }
    # The resident is an applicant until made active: all_residents means active ones.
    await client.patch(f"/api/residents/{resident_record['id']}", json={"status": "active"})
    await container.notifications.fan_out_announcement()(UUID(published["id"]))

    read = await client.get(f"/api/announcements/{published['id']}")

    assert read.status_code == 200, read.text
    body = read.json()
    assert (body["state"], body["recipients"], body["messages"]) == ("fanned_out", 1, 1)
    assert body["delivery"] == {"queued": 1, "sent": 0, "failed": 0}
    job = await client.get(f"/api/jobs/{published['job_id']}")
    assert job.json()["state"] == "succeeded"
    listed = await client.get("/api/announcements")
    assert [item["id"] for item in listed.json()["items"]] == [published["id"]]


async def test_only_the_office_may_publish_or_read(resident: Caller, technician: Caller) -> None:
    for caller in (resident, technician):
        assert (await caller.post("/api/announcements", json=NOTICE)).status_code == 403
        assert (await caller.get("/api/announcements")).status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"audience": {"kind": "building"}}, "audience.building_id"),
        ({"audience": {"kind": "floor", "building_id": None}}, "audience.building_id"),
        ({"audience": {"kind": "everyone"}}, "audience.kind"),
        ({"channels": []}, "channels"),
        ({"channels": ["pigeon"]}, "channels[0]"),
        ({"title": ""}, "title"),
        ({"urgent": True}, "urgent"),
    ],
)
async def test_a_bad_announcement_is_refused_naming_the_field(
    client: Client, change: dict[str, Any], field: str
) -> None:
    response = await client.post("/api/announcements", json=NOTICE | change)

    assert field in error_fields(response, 422)


async def test_an_unknown_building_or_floor_is_refused_naming_the_field(client: Client) -> None:
    building = await create_building(client)
    audiences = {
        "audience.building_id": {"kind": "building", "building_id": building["id"][:-4] + "0000"},
        "audience.floor": {"kind": "floor", "building_id": building["id"], "floor": 9},
    }
    for field, audience in audiences.items():
        response = await client.post("/api/announcements", json=NOTICE | {"audience": audience})
        assert field in error_fields(response, 422)


async def test_an_unknown_announcement_is_404(client: Client) -> None:
    response = await client.get("/api/announcements/00000000-0000-0000-0000-000000000001")

    problem_of(response, 404)


async def test_a_resident_chooses_their_own_channels(
    resident: Caller, resident_record: Json
) -> None:
    url = f"/api/residents/{resident_record['id']}"
    before = (await resident.get(url)).json()
    assert (before["email_opt_in"], before["sms_opt_in"]) == (True, False)

    changed = await resident.patch(url, json={"sms_opt_in": True, "email_opt_in": False})

    assert changed.status_code == 200, changed.text
    assert (changed.json()["email_opt_in"], changed.json()["sms_opt_in"]) == (False, True)
