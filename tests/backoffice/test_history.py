"""The history page tells recorded changes in words: field labels, people's names, values as
the interface shows them, Viet Nam time; never ids, codes or raw JSON."""

import copy
import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone

from dxday.campaigns.models import Campaign
from dxday.campaigns.services import campaign_set_recipients, campaign_update
from dxday.plans.models import Plan
from dxday.plans.services import plan_save_draft, plan_submit
from dxday.registry.models import Organisation

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def local(moment: datetime.datetime) -> str:
    """As the page writes it in English (the tests read ?lang=en): "16:39, 03/12/2026"."""
    at = moment.astimezone(HCM)
    return f"{at.hour}:{at.minute:02d}, {at:%d/%m/%Y}"


def rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


@pytest.fixture
def reviewed_plan(client, campaign, good_plan, editor_a, reviewer):
    """A plan drafted twice, submitted and returned by a named reviewer through the page."""
    reviewer.full_name = "Trần Thẩm Định"
    reviewer.save()
    danang = Organisation.objects.get(code="48")
    campaign.signature_required = False
    campaign.save()
    plan_save_draft(campaign=campaign, organisation=danang, data=good_plan, by=editor_a)
    more = copy.deepcopy(good_plan)
    more["summary"] = "Kế hoạch đã sửa."
    more["activities"].append({**good_plan["activities"][0], "title": "Triển lãm số"})
    plan_save_draft(campaign=campaign, organisation=danang, data=more, by=editor_a)
    plan_submit(campaign=campaign, organisation=danang, by=editor_a)
    client.force_login(reviewer)
    response = client.post("/backoffice/2026/plans/48/", {"decision": "return",
                                                          "comment": "Bổ sung kinh phí"})
    assert response.status_code == 302
    return Plan.objects.get(campaign=campaign, organisation=danang)


def test_plan_changes_in_words(client, reviewed_plan, reviewer):
    html = client.get("/backoffice/history/", {"model": "plan", "lang": "en"}).content.decode()
    entries = rows(html)
    # Created, first draft saved, saved again, submitted, returned.
    assert len(entries) == reviewed_plan.history.count() == 5
    returned, submitted, redrafted, _drafted, created = entries
    # Who, when, which plan (linked to its review page).
    assert "Trần Thẩm Định (thamdinh@cdsqg.example.vn)" in returned
    last = reviewed_plan.history.order_by("-history_date").first()
    assert local(last.history_date) in returned
    assert 'href="/backoffice/2026/plans/48/"' in returned
    assert "Thành phố Đà Nẵng" in returned
    # What: labels, choice labels, the reviewer's name, a local time.
    assert "<strong>Status</strong>: Submitted → Returned for revision" in returned
    assert ("<strong>Reviewed by</strong>: — → Trần Thẩm Định (thamdinh@cdsqg.example.vn)"
            in returned)
    assert f"<strong>Reviewed</strong>: — → {local(reviewed_plan.reviewed_at)}" in returned
    assert "<strong>Reviewer&#x27;s comment</strong>: — → Bổ sung kinh phí" in returned
    assert "<strong>Status</strong>: Draft → Submitted" in submitted
    assert f"<strong>First submitted</strong>: — → {local(reviewed_plan.submitted_at)}" \
        in submitted
    assert "<strong>On time</strong>: — → Yes" in submitted
    # The draft is summarised, never shown as a dict.
    assert "<strong>Draft</strong>: Summary changed; Activities 1 → 2" in redrafted
    # Created by the service call outside any web request: still the acting person (issue 16).
    assert "Created" in created and "bientap@danang.example.vn" in created
    for raw in ("None", "{&#x27;", "{'", "summary&#x27;:", f"— → {reviewer.pk}<"):
        assert raw not in html
    assert not re.search(r"\d{4}-\d\d-\d\d", returned + submitted)  # no ISO dates


def test_filter_by_unit_and_by_model(client, reviewed_plan, campaign):
    campaign_update(campaign=campaign, values={"submission_deadline": datetime.datetime(
        2026, 9, 15, tzinfo=HCM), "window_end": datetime.date(2026, 10, 12)})
    danang = client.get("/backoffice/history/", {"unit": "48", "lang": "en"})
    assert danang.context["page"].paginator.count == 5
    assert "Records of Thành phố Đà Nẵng" in danang.content.decode()
    assert client.get("/backoffice/history/", {"unit": "01"}).context["page"].paginator.count \
        == 0
    unknown = client.get("/backoffice/history/", {"unit": "ZZZ", "lang": "en"}).content.decode()
    assert "No unit has the code ZZZ." in unknown
    campaigns = client.get("/backoffice/history/", {"model": "campaign", "lang": "en"})
    html = campaigns.content.decode()
    first = rows(html)[0]
    assert "<strong>Submission deadline</strong>" in first and "→ 0:00, 15/09/2026" in first
    assert "<strong>Activity window end</strong>: 10/10/2026 → 12/10/2026" in first
    assert 'href="/backoffice/2026/"' in first
    every = client.get("/backoffice/history/").context["page"].paginator.count
    assert every == (Plan.history.count() + Campaign.history.count()
                     + Organisation.history.count())


def test_campaign_recipients_and_organisations_in_words(client, reviewer, campaign,
                                                        agency_admin):
    hue = Organisation.objects.get(code="46")
    before = campaign.recipients.count()
    campaign_set_recipients(campaign=campaign, pks={hue.pk}, replace=False)
    commune = Organisation.objects.filter(kind="commune").order_by("code").first()
    campaign_set_recipients(campaign=campaign, pks={commune.pk}, replace=False)
    client.force_login(reviewer)
    html = client.get("/backoffice/history/", {"model": "campaign", "lang": "en"}
                      ).content.decode()
    first = rows(html)[0]
    assert f"<strong>Recipients</strong>: {before} → {before + 1}; added: {commune.name}" \
        in first
    # An organisation changed in the admin: dates in dd/mm/yyyy, the parent by name, the
    # admin by name, linked to the unit's page.
    agency_admin.full_name = "Lê Quản Trị"
    agency_admin.save()
    client.force_login(agency_admin)
    def admin_edit(**values):
        response = client.post(f"/admin/registry/organisation/{commune.pk}/change/", {
            "code": commune.code, "official_code": commune.official_code,
            "name": commune.name, "short_name": commune.short_name, "kind": "commune",
            "parent": commune.parent_id, "valid_from": "01/07/2025", "valid_to": "",
            "note": "", **values,
            **{f"{prefix}-{key}": "0" for prefix in ("successions_out", "websites", "contacts")
               for key in ("TOTAL_FORMS", "INITIAL_FORMS")}})
        assert response.status_code == 302, response.content.decode()[:2000]

    admin_edit()  # loaded in bulk, the commune had no history: this is its first record
    admin_edit(parent=Organisation.objects.get(code="48").pk, valid_to="31/12/2030")
    html = client.get("/backoffice/history/", {"model": "organisation", "unit": commune.code,
                                               "lang": "en"}).content.decode()
    changed, first = rows(html)
    assert "The first change recorded: the earlier values are not known." in first
    assert "Lê Quản Trị (quantri@cdsqg.example.vn)" in changed
    assert "<strong>Valid to</strong>: — → 31/12/2030" in changed
    assert f"<strong>Parent</strong>: {commune.parent.name} → Thành phố Đà Nẵng" in changed
    assert f'href="/backoffice/units/{commune.code}/"' in changed
    assert timezone.localtime().tzinfo is not None
