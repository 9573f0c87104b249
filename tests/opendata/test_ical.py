"""The activities' iCalendar file read back by a second, independent parser (vobject; the
icalendar round trip is in test_open_data.py): every event against the database's rows,
ORGANIZER with a quoted name and the focal contact's address, CATEGORIES in Vietnamese."""

import pytest
import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from dxday.plans.models import Activity
from dxday.public import opendata
from dxday.registry.models import Contact, Organisation
from dxday.registry.services import contact_create
from tests.opendata.conftest import activity, publish

pytestmark = pytest.mark.django_db
URL = "/api/v1/campaigns/2026/activities.ics"
MINISTRY = "Bộ Văn hóa, Thể thao và Du lịch"
# The Vietnamese labels of the categories the fixtures use, as the agency writes them.
CATEGORY_VI = {"conference": "Hội nghị, hội thảo", "exhibition": "Triển lãm",
               "digital_skills": "Phổ cập kỹ năng số",
               "communication": "Chiến dịch truyền thông", "launch": "Ra mắt dịch vụ"}


@pytest.fixture
def ministry(published, reviewer, good_plan):
    """The published fixture plus the ministry of culture (a comma in its name), accepted,
    with a focal contact that has an address and another contact that is not focal. Đà Nẵng
    has no focal contact."""
    org = Organisation.objects.get(code="BVHTTDL")
    assert org.name == MINISTRY
    contact_create(organisation=org, name="Trần Thị Bình", email="binh@bvhttdl.example.vn",
                   is_focal=True)
    contact_create(organisation=org, name="Lê Văn Cường", email="cuong@bvhttdl.example.vn")
    publish(published, "BVHTTDL", {**good_plan, "activities": [
        activity("Chiến dịch “Văn hóa số”", "2026-10-02", None, category="communication",
                 end="2026-10-12"),
        activity("Ra mắt bảo tàng số", "2026-10-10", "01", category="launch",
                 location="Hà Nội"),
    ]}, reviewer)
    return published


def events_by_uid(content: bytes) -> dict:
    calendar = vobject.readOne(content.decode("utf-8"))
    events = calendar.contents.get("vevent", [])
    return {e.uid.value.split("@")[0]: e for e in events}


def expected_rows(campaign) -> list[dict]:
    return list(Activity.objects.public().filter(campaign=campaign, start__isnull=False)
                .values("pk", "title", "start", "end", "category", "organisation_id",
                        "organisation__name"))


def focal_addresses() -> dict[int, str]:
    found: dict[int, str] = {}
    for org_id, email in (Contact.objects.filter(is_focal=True).exclude(email="")
                          .order_by("pk").values_list("organisation_id", "email")):
        found.setdefault(org_id, email)
    return found


def test_every_event_read_by_vobject_matches_the_rows(client, ministry):
    events = events_by_uid(client.get(URL).content)
    rows = expected_rows(ministry)
    focal = focal_addresses()
    assert len(events) == len(rows) == 5
    with_organizer = [r for r in rows if r["organisation_id"] in focal]
    assert len(with_organizer) == 2  # the ministry's; Đà Nẵng has no focal address
    for row in rows:
        event = events[f"activity-{row['pk']}"]
        assert event.summary.value == row["title"]
        assert event.dtstart.value == row["start"]
        assert event.categories.value == [CATEGORY_VI[row["category"]]]
        assert event.x_dxday_category.value == row["category"]
        if row["organisation_id"] in focal:
            assert event.organizer.params["CN"] == [row["organisation__name"]]
            assert event.organizer.value == f"mailto:{focal[row['organisation_id']]}"
        else:
            assert "organizer" not in event.contents
    names = [e.organizer.params["CN"][0] for e in events.values() if "organizer" in e.contents]
    assert names == [MINISTRY] * len(with_organizer)


def test_icalendar_reads_the_same_organizer_and_categories(client, ministry):
    raw = client.get(URL).content
    events = [e for e in Calendar.from_ical(raw).walk("VEVENT") if "ORGANIZER" in e]
    assert len(events) == 2
    for event in events:
        assert event["ORGANIZER"].params["CN"] == MINISTRY
        assert str(event["ORGANIZER"]) == "mailto:binh@bvhttdl.example.vn"
    # The parameter is quoted, never backslash-escaped (RFC 5545 3.1, 3.2).
    unfolded = raw.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")
    organizers = [line for line in unfolded if line.startswith("ORGANIZER")]
    assert organizers == [f'ORGANIZER;CN="{MINISTRY}":mailto:binh@bvhttdl.example.vn'] * 2


def test_categories_are_vietnamese_whatever_the_language(client, ministry):
    client.cookies["django_language"] = "en"
    english = events_by_uid(client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content)
    rows = expected_rows(ministry)
    assert {e.categories.value[0] for e in english.values()} == {
        CATEGORY_VI[r["category"]] for r in rows}


def test_the_addresses_are_read_in_one_query(client, ministry):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    contact_queries = [q for q in queries.captured_queries if "registry_contact" in q["sql"]]
    assert len(contact_queries) == 1


def test_a_quote_or_a_line_break_in_a_name_cannot_break_the_parameter(ministry):
    rows = list(opendata.activity_rows(opendata.activities_qs(ministry)))
    for row in rows:
        row["organisation"] = 'Sở "Số"\nmột; hai: ba, bốn'
    codes = {row["organisation_code"] for row in rows}
    raw = b"".join(opendata.ical(rows, name="x", organizers={c: "a@b.example.vn"
                                                             for c in codes}))
    events = events_by_uid(raw)
    assert len(events) == len(rows)
    for event in events.values():
        assert event.organizer.params["CN"] == ["Sở 'Số' một; hai: ba, bốn"]
        assert event.organizer.value == "mailto:a@b.example.vn"
