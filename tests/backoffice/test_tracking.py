"""Tracking, exports, bulk accept, reminders and history for the agency."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dxday.campaigns.models import Campaign
from dxday.plans.models import Plan, Reminder
from dxday.plans.reminders import reminders_send_due
from dxday.plans.services import plan_review, plan_save_draft, plan_submit
from dxday.registry.models import Contact, Organisation

pytestmark = pytest.mark.django_db


def submit(campaign, code, plan, by=None, now=None):
    org = Organisation.objects.get(code=code)
    plan_save_draft(campaign=campaign, organisation=org, data=plan, by=by, now=now)
    return plan_submit(campaign=campaign, organisation=org, by=by, now=now)


def test_tracking_counts_by_kind(client, reviewer, campaign, good_plan):
    submit(campaign, "48", good_plan)
    late = campaign.submission_deadline + datetime.timedelta(hours=1)
    submit(campaign, "BKHCN", good_plan, now=late)
    returned = submit(campaign, "BTC", good_plan)
    plan_review(plan=returned, by=reviewer, decision="return", comment="Sửa lại")
    client.force_login(reviewer)
    response = client.get("/backoffice/2026/")
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary["total"].expected, summary["total"].submitted) == (56, 3)
    assert (summary["total"].on_time, summary["total"].late) == (2, 1)
    assert (summary["total"].missing, summary["total"].returned) == (53, 1)
    groups = {c.key: c for c in summary["groups"]}
    assert (groups["ministries"].expected, groups["ministries"].submitted) == (14, 2)
    assert (groups["agencies"].expected, groups["provinces"].expected) == (8, 34)
    assert groups["provinces"].on_time_rate == round(100 / 34, 1)


def test_tracking_filters_and_missing_list_with_focal_contact(client, reviewer, campaign,
                                                              good_plan):
    Contact.objects.create(organisation=Organisation.objects.get(code="01"), name="Trần Thị Bình",
                           phone="024 3825 0000", email="binh@hanoi.example.vn", is_focal=True)
    submit(campaign, "48", good_plan)
    client.force_login(reviewer)
    page = client.get("/backoffice/2026/", {"state": "missing", "group": "provinces"})
    codes = [r.code for r in page.context["page"]]
    assert "48" not in codes and "01" in codes and len(codes) == 33
    assert "Trần Thị Bình" in page.content.decode()
    found = client.get("/backoffice/2026/", {"q": "da nang"}).context["page"]
    assert [r.code for r in found] == ["48"]


def test_exports_hold_the_same_rows_and_escape_formulas(client, reviewer, campaign):
    org = Organisation.objects.get(code="01")
    Contact.objects.create(organisation=org, name='=HYPERLINK("http://evil")', is_focal=True)
    client.force_login(reviewer)
    page_rows = client.get("/backoffice/2026/", {"group": "provinces"}).context["page"]
    raw = client.get("/backoffice/2026/", {"group": "provinces", "format": "csv"}).content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 1 + 34
    assert [r[0] for r in rows[1:]] == [r.code for r in page_rows]
    hanoi = next(r for r in rows if r[0] == "01")
    assert hanoi[-1].startswith("'=HYPERLINK")
    xlsx = client.get("/backoffice/2026/", {"group": "provinces", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    assert len(values) == 1 + 34
    assert [v[0] for v in values[1:]] == [r[0] for r in rows[1:]]
    assert sheet.freeze_panes == "A2"
    assert next(v for v in values if v[0] == "01")[-1].startswith("'=")


def test_bulk_accept_only_submitted_plans(client, reviewer, campaign, good_plan):
    submit(campaign, "48", good_plan)
    submit(campaign, "BKHCN", good_plan)
    client.force_login(reviewer)
    client.post("/backoffice/2026/bulk-accept/", {"codes": ["48", "BKHCN", "01"]})
    assert set(Plan.objects.filter(status="accepted").values_list("organisation__code",
                                                                  flat=True)) == {"48", "BKHCN"}
    assert not Plan.objects.filter(organisation__code="01").exists()


def test_tracking_for_3400_recipients(client, reviewer):
    from dxday.campaigns.selectors import recipients_on

    big = Campaign.objects.create(year=2030, title="Communes")
    big.recipients.set([*recipients_on(datetime.date(2026, 10, 10)),
                        *Organisation.objects.commune_level()])
    client.force_login(reviewer)
    response = client.get("/backoffice/2030/", {"group": "communes"})
    summary = response.context["summary"]
    assert summary["total"].expected == 56 + 3321
    assert len(summary["parents"]) == 34
    assert response.context["page"].paginator.count == 3321


# --- reminders ------------------------------------------------------------------------------

def editors_for(*codes):
    from tests.conftest import make_user

    return {code: make_user(f"unit-{code.lower()}@example.vn", "editor", code) for code in codes}


def test_reminders_reach_only_missing_units_once(smtp, campaign, good_plan):
    editors_for("48", "BKHCN", "01")
    submit(campaign, "48", good_plan)
    deadline = campaign.submission_deadline
    sent = reminders_send_due(now=deadline - datetime.timedelta(days=6))
    addresses = {a for m in smtp.messages for a in m["to"]}
    assert "unit-48@example.vn" not in addresses
    assert {"unit-bkhcn@example.vn", "unit-01@example.vn"} <= addresses
    assert {r.kind for r in sent} == {"before-7"}
    count = len(smtp.messages)
    assert reminders_send_due(now=deadline - datetime.timedelta(days=5)) == []
    assert len(smtp.messages) == count  # never the same reminder twice
    second = reminders_send_due(now=deadline - datetime.timedelta(days=1))
    assert {r.kind for r in second} == {"before-2"}
    after = reminders_send_due(now=deadline + datetime.timedelta(days=1, hours=1))
    assert {r.kind for r in after} == {"after-1"}
    assert Reminder.objects.filter(organisation__code="48").count() == 0
    assert "Đà Nẵng" not in " ".join(m["body"] for m in smtp.messages)


def test_units_that_submit_before_a_reminder_get_none_and_a_receipt(
        smtp, campaign, good_plan, django_capture_on_commit_callbacks):
    editors_for("BKHCN")
    with django_capture_on_commit_callbacks(execute=True):
        submit(campaign, "BKHCN", good_plan)
    receipts = [m for m in smtp.messages if "unit-bkhcn@example.vn" in m["to"]]
    assert len(receipts) == 1 and "Bộ Khoa học và Công nghệ" in receipts[0]["body"]
    reminders_send_due(now=campaign.submission_deadline - datetime.timedelta(days=1))
    assert [m for m in smtp.messages if "unit-bkhcn@example.vn" in m["to"]] == receipts


def test_no_reminder_for_a_closed_or_old_campaign(smtp, campaign):
    editors_for("BKHCN")
    assert reminders_send_due(now=campaign.submission_deadline + datetime.timedelta(days=30)) == []
    campaign.lock_at = timezone.now()
    campaign.save()
    assert reminders_send_due(now=campaign.submission_deadline - datetime.timedelta(days=1)) == []
    assert smtp.messages == []


def test_a_failed_mail_is_not_recorded_and_is_tried_again(settings, campaign):
    editors_for("BKHCN")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    assert reminders_send_due(now=campaign.submission_deadline - datetime.timedelta(days=1)) == []
    assert not Reminder.objects.exists()


def test_reminders_are_visible_in_tracking(client, reviewer, smtp, campaign):
    editors_for("BKHCN")
    reminders_send_due(now=campaign.submission_deadline - datetime.timedelta(days=1))
    client.force_login(reviewer)
    rows = client.get("/backoffice/2026/", {"q": "bkhcn"}).context["page"]
    assert [(r.code, r.last_reminder) for r in rows] == [("BKHCN", "before-2")]


def test_scheduler_once_enqueues_the_reminder_job(smtp, campaign):
    from django.core.management import call_command

    editors_for("BKHCN")
    campaign.submission_deadline = timezone.now() + datetime.timedelta(days=1)
    campaign.save()
    out = io.StringIO()
    call_command("scheduler", once=True, stdout=out)
    assert "enqueued" in out.getvalue()
    assert Reminder.objects.filter(organisation__code="BKHCN", kind="before-2").exists()


# --- history --------------------------------------------------------------------------------

def test_history_shows_who_changed_what(client, reviewer, agency_admin, campaign):
    client.force_login(agency_admin)
    response = client.post(f"/admin/campaigns/campaign/{campaign.pk}/change/", {
        **{f: getattr(campaign, f) or "" for f in ("title", "theme", "deadline_text",
                                                     "window_note", "contact_unit",
                                                     "contact_person", "contact_phone",
                                                     "contact_email", "description")},
        "year": 2026, "theme": "Chủ đề mới 2026", "organiser": campaign.organiser_id,
        "recipients": list(campaign.recipients.values_list("pk", flat=True)),
        "reminder_days_before": "7,2", "reminder_days_after": "1",
        "campaign_documents-TOTAL_FORMS": "0", "campaign_documents-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    client.force_login(reviewer)
    html = client.get("/backoffice/history/", {"model": "campaign"}).content.decode()
    assert "Chủ đề mới 2026" in html
    assert agency_admin.email in html


def test_focal_contact_falls_back_to_the_plans_contact(client, reviewer, campaign, good_plan):
    from dxday.plans.services import plan_save_draft
    from dxday.registry.models import Organisation

    plan_save_draft(campaign=campaign, organisation=Organisation.objects.get(code="48"),
                    data=good_plan, by=None)
    client.force_login(reviewer)
    html = client.get("/backoffice/2026/", {"q": "Đà Nẵng"}).content.decode()
    assert "Nguyễn Văn An 0236 3822 111 an@danang.example.vn" in html
    rows = client.get("/backoffice/2026/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "Nguyễn Văn An 0236 3822 111 an@danang.example.vn" in rows
