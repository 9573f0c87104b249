"""The agency's yearly set-up in its workspace: copy last year, settings typed dd/mm/yyyy,
recipients by group, the call and its deliveries, reminders on demand, extensions."""

import datetime
import uuid
import zoneinfo

import pytest
from django.utils import timezone

from dxday.campaigns.models import CallDelivery, Campaign
from dxday.plans.models import ExtensionRequest, Plan, Reminder
from dxday.registry.models import Contact, Organisation, Succession

pytestmark = pytest.mark.django_db
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def admin_web(client, agency_admin):
    client.force_login(agency_admin)
    return client


def copy(client, source=2026, year=2027):
    return client.post("/backoffice/campaigns/new/", {"source": source, "year": year})


def test_copy_moves_dates_a_year_and_carries_recipients_through_successions(admin_web):
    response = copy(admin_web, 2024, 2025)
    assert response.status_code == 422  # 2025 exists already
    assert "year" in response.context["form"].errors
    # 2022 (before the 2025 reorganisation, with a deadline) copied to 2030.
    source = Campaign.objects.get(year=2022)
    response = copy(admin_web, 2022, 2030)
    assert response.status_code == 302
    new = Campaign.objects.get(year=2030)
    assert new.signature_required is True and source.signature_required is False
    shift = new.submission_deadline.astimezone(VN)
    old = source.submission_deadline.astimezone(VN)
    assert (shift.year, shift.month, shift.day, shift.hour) == (old.year + 8, old.month,
                                                                 old.day, old.hour)
    assert new.deadline_text == f"trước ngày {shift:%d/%m/%Y}"
    assert new.window_start == source.window_start.replace(year=2030)
    # Every recipient exists on the new campaign's day; each old one that ended is answered
    # by its successors.
    day = new.window_start or new.event_date
    recipients = set(new.recipients.all())
    assert recipients and all(o.is_valid_on(day) for o in recipients)
    ended = [o for o in source.recipients.all() if not o.is_valid_on(day)]
    assert ended, "the 2022 campaign has bodies merged in 2025"
    for body in ended[:20]:
        successors = set(Organisation.objects.filter(
            pk__in=Succession.objects.filter(predecessor=body).values("successor")))
        valid = {s for s in successors if s.is_valid_on(day)}
        if valid:
            assert valid <= recipients, body
    legal = set(source.campaign_documents.filter(role="legal_basis")
                .values_list("document_id", flat=True))
    assert set(new.campaign_documents.values_list("document_id", flat=True)) == legal


def test_settings_read_dates_day_first_and_refuse_impossible_ones(admin_web):
    copy(admin_web)
    page = admin_web.get("/backoffice/2027/setup/")
    assert page.status_code == 200
    form = page.context["form"].initial
    values = {k: (v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else ("on" if v is True else
              "" if v in (None, False) else v)) for k, v in form.items()}
    values.update(action="save", deadline="01/10/2027", lock="", window_start="01/10/2027",
                  window_end="10/10/2027")
    response = admin_web.post("/backoffice/2027/setup/", values)
    assert response.status_code == 302, response.context["form"].errors
    campaign = Campaign.objects.get(year=2027)
    local = campaign.submission_deadline.astimezone(VN)
    assert (local.day, local.month, local.hour, local.minute) == (1, 10, 0, 0)
    assert campaign.deadline_text == "trước ngày 01/10/2027"
    assert campaign.window_start == datetime.date(2027, 10, 1)
    page = admin_web.get("/backoffice/2027/setup/?lang=vi").content.decode()
    assert "trước 00:00 ngày 01/10/2027 (giờ Việt Nam)" in page

    before = Campaign.objects.get(year=2027).submission_deadline
    for field, value in (("deadline", "31/02/2027"), ("deadline", "15/13/2027"),
                         ("lock", "30/09/2027"), ("window_end", "30/09/2027")):
        bad = {**values, field: value}
        response = admin_web.post("/backoffice/2027/setup/", bad)
        assert response.status_code == 422, (field, value)
        assert field in response.context["form"].errors, (field, value)
        assert f'href="#id_{field}"' in response.content.decode()
    assert Campaign.objects.get(year=2027).submission_deadline == before


def test_recipients_by_group_with_their_validity(admin_web):
    copy(admin_web)
    campaign = Campaign.objects.get(year=2027)
    response = admin_web.post("/backoffice/2027/recipients/", {
        "action": "groups", "day": "01/10/2027", "central": "on", "provinces": "on",
        "communes_of": ["48"], "replace": "replace"})
    assert response.status_code == 302
    day = datetime.date(2027, 10, 1)
    valid = Organisation.objects.valid_on(day)
    expected = (set(valid.central()) | set(valid.provincial())
                | set(valid.commune_level().filter(parent__code="48")))
    assert set(campaign.recipients.all()) == expected
    assert any(o.kind in Organisation.COMMUNE_KINDS for o in expected)
    # A group empty on the chosen day: a message on the field, nothing changed.
    response = admin_web.post("/backoffice/2027/recipients/", {
        "action": "groups", "day": "01/01/2020", "communes_of": ["48"], "replace": "replace"})
    assert response.status_code == 422
    assert set(campaign.recipients.all()) == expected
    response = admin_web.post("/backoffice/2027/recipients/", {
        "action": "groups", "day": "01/10/2027", "replace": "replace"})
    assert response.status_code == 422
    # Each recipient is shown with when it existed; a reviewer cannot change recipients.
    page = admin_web.get("/backoffice/2027/recipients/?lang=en").content.decode()
    assert "from 01/07/2025" in page


def test_reviewers_cannot_set_campaigns_up(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/backoffice/campaigns/new/").status_code == 403
    assert client.get("/backoffice/2026/setup/").status_code == 403
    assert client.get("/backoffice/2026/reminders/").status_code == 200


def focal(code, *emails):
    org = Organisation.objects.get(code=code)
    for address in emails:
        Contact.objects.create(organisation=org, name=f"Đầu mối {address}", email=address,
                               is_focal=True)
    return org


def test_the_call_is_published_and_mailed_once_per_focal_contact(
        admin_web, smtp, django_capture_on_commit_callbacks):
    copy(admin_web)
    campaign = Campaign.objects.get(year=2027)
    focal("48", "dm1@danang.example.vn", "dm2@danang.example.vn")
    focal("01", "dm@hanoi.example.vn")
    focal("BKHCN", "refuse@bkhcn.example.vn")
    smtp.refuse = {"refuse@bkhcn.example.vn"}
    response = admin_web.post("/backoffice/2027/call/", {
        "action": "compose", "number": "1234/BKHCN-CĐSQG", "date": "12/09/2027",
        "signer": "Thứ trưởng", "title": "Về việc hưởng ứng Ngày Chuyển đổi số quốc gia 2027",
        "body": "Đề nghị các bộ, ngành, địa phương gửi kế hoạch trước ngày 15/09/2027."})
    assert response.status_code == 302
    document = campaign.campaign_documents.get(role="call").document
    assert admin_web.get(f"/documents/{document.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_web.post("/backoffice/2027/call/", {"action": "send"})
    assert response.status_code == 302
    deliveries = {d.email: d for d in CallDelivery.objects.filter(campaign=campaign)}
    addresses = set(Contact.objects.filter(organisation__in=campaign.recipients.all(),
                                           is_focal=True).exclude(email="")
                    .values_list("email", flat=True))
    assert set(deliveries) == addresses
    got = sorted(to for m in smtp.messages for to in m["to"])
    assert got == sorted(addresses - {"refuse@bkhcn.example.vn"})
    assert deliveries["refuse@bkhcn.example.vn"].status == "refused"
    assert deliveries["refuse@bkhcn.example.vn"].detail.startswith("550")
    assert all(d.status == "sent" for a, d in deliveries.items() if a != "refuse@bkhcn.example.vn")
    body = next(m["body"] for m in smtp.messages if "dm@hanoi.example.vn" in m["to"])
    assert "1234/BKHCN-CĐSQG" in body and f"/documents/{document.pk}/" in body
    assert "/plans/2027/01/" in body
    # Sending again sends nothing twice; the dispatch can no longer change.
    with django_capture_on_commit_callbacks(execute=True):
        admin_web.post("/backoffice/2027/call/", {"action": "send"})
    assert len(smtp.messages) == len(got)
    response = admin_web.post("/backoffice/2027/call/", {
        "action": "compose", "number": "9/X", "date": "12/09/2027", "title": "x", "body": "y"})
    assert response.status_code == 422


def test_reminder_on_demand_is_previewed_sent_once_and_respects_extensions(
        client, reviewer, smtp, campaign, editor_a):
    campaign.submission_deadline = timezone.now() - datetime.timedelta(days=1)
    campaign.save()
    focal("01", "dm@hanoi.example.vn")
    plan = Plan.objects.create(campaign=campaign, organisation=editor_a.organisation,
                               deadline_extension=timezone.now() + datetime.timedelta(days=5))
    client.force_login(reviewer)
    page = client.get("/backoffice/2026/reminders/?lang=en")
    rows = {r["organisation"].code: r for r in page.context["rows"]}
    assert rows["48"]["extended"] and not rows["48"]["late"] and rows["01"]["late"]
    preview = page.context["preview"]
    assert "has passed" in preview["en"] and "quá hạn" in preview["vi"]
    batch = uuid.uuid4().hex[:24]
    client.post("/backoffice/2026/reminders/", {"batch": batch})
    client.post("/backoffice/2026/reminders/", {"batch": batch})  # a double click
    reachable = [r for r in page.context["rows"] if r["addresses"]]
    assert Reminder.objects.filter(campaign=campaign, kind=f"manual-{batch}").count() == len(
        reachable)
    assert len(smtp.messages) == len(reachable)
    danang = next(m for m in smtp.messages if editor_a.email in m["to"])
    hanoi = next(m for m in smtp.messages if "dm@hanoi.example.vn" in m["to"])
    assert "has passed" in hanoi["body"] and "đã quá hạn" in hanoi["body"]
    assert "has passed" not in danang["body"] and "quá hạn" not in danang["body"]
    due = plan.deadline_extension.astimezone(VN).strftime("%d/%m/%Y")
    assert due in danang["body"]


def test_extension_asked_by_the_unit_and_granted_by_a_reviewer(
        client, editor_a, reviewer, smtp, campaign, django_capture_on_commit_callbacks):
    client.force_login(editor_a)
    assert client.get("/plans/2026/48/extension/").status_code == 200
    response = client.post("/plans/2026/48/extension/", {"reason": "", "wanted_until": ""})
    assert response.status_code == 422 and "reason" in response.context["form"].errors
    wanted = (campaign.submission_deadline.astimezone(VN) + datetime.timedelta(days=4)).date()
    response = client.post("/plans/2026/48/extension/", {
        "reason": "Lãnh đạo đi công tác", "wanted_until": wanted.strftime("%d/%m/%Y")})
    assert response.status_code == 302
    again = client.post("/plans/2026/48/extension/", {"reason": "Lần nữa"})
    assert again.status_code == 422  # one open request at a time
    request = ExtensionRequest.objects.get()
    client.force_login(reviewer)
    page = client.get("/backoffice/2026/extensions/")
    assert "Lãnh đạo đi công tác" in page.content.decode()
    too_early = campaign.submission_deadline.astimezone(VN).date().strftime("%d/%m/%Y")
    response = client.post("/backoffice/2026/extensions/", {
        "request": request.pk, f"{request.pk}-decision": "grant",
        f"{request.pk}-until": too_early})
    assert response.status_code == 422
    assert Plan.objects.get(organisation__code="48").deadline_extension is None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/backoffice/2026/extensions/", {
            "request": request.pk, f"{request.pk}-decision": "grant",
            f"{request.pk}-until": wanted.strftime("%d/%m/%Y")})
    assert response.status_code == 302
    plan = Plan.objects.get(organisation__code="48")
    assert plan.deadline_extension == datetime.datetime.combine(wanted, datetime.time(0), VN)
    assert plan.deadline == plan.deadline_extension
    told = [m for m in smtp.messages if editor_a.email in m["to"]]
    assert told and wanted.strftime("%d/%m/%Y") in told[0]["body"]
    # Deciding twice is refused.
    response = client.post("/backoffice/2026/extensions/", {
        "request": request.pk, f"{request.pk}-decision": "refuse",
        f"{request.pk}-comment": "Không"})
    assert response.status_code == 422


def test_a_change_in_the_workspace_renews_the_public_pages(
        client, agency_admin, campaign, django_capture_on_commit_callbacks):
    from dxday.campaigns.services import campaign_update

    assert campaign.title in client.get("/campaigns/2026/").content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        campaign_update(campaign=campaign, values={"title": "Ngày CĐS 2026 — tên mới"},
                        by=agency_admin)
    assert "Ngày CĐS 2026 — tên mới" in client.get("/campaigns/2026/").content.decode()


def test_tracking_totals_by_province_count_the_communes(admin_web):
    copy(admin_web)
    admin_web.post("/backoffice/2027/recipients/", {
        "action": "groups", "day": "01/10/2027", "provinces": "on", "communes_of": ["48"],
        "replace": "replace"})
    page = admin_web.get("/backoffice/2027/?lang=en")
    provinces = {c.key: c for c in page.context["summary"]["provinces"]}
    communes = Organisation.objects.valid_on(datetime.date(2027, 10, 1)).commune_level(
        ).filter(parent__code="48").count()
    assert communes > 0
    assert provinces["48"].expected == communes + 1  # the city and its communes
    # The page's level table: the city's row counts it and its communes, and leads to them.
    levels = {c["code"]: c for c in page.context["levels"]["children"]}
    assert (levels["48"]["expected"], levels["48"]["communes"]) == (communes + 1, communes)
    assert 'href="?parent=48"' in page.content.decode()


def test_a_row_taken_by_another_worker_is_not_sent_again_and_text_is_not_escaped(
        admin_web, agency_admin, smtp):
    from dxday.backoffice.call import call_compose, call_deliver, call_send

    copy(admin_web)
    campaign = Campaign.objects.get(year=2027)
    focal("48", "a@danang.example.vn")
    focal("01", "b@hanoi.example.vn")
    call_compose(campaign=campaign, number="7/BKHCN-CĐSQG", date=datetime.date(2027, 9, 1),
                 signer="", title="Kế hoạch & báo cáo", body='Gửi "kế hoạch" <trước> 15/09.')
    assert call_send(campaign=campaign, by=agency_admin) == 2
    taken = CallDelivery.objects.get(email="b@hanoi.example.vn")
    taken.status = "sending"  # another worker claimed it and has not heard back yet
    taken.save()
    progress = call_deliver(campaign=campaign)
    assert [m["to"] for m in smtp.messages] == [["a@danang.example.vn"]]
    assert (progress["sent"], progress["sending"], progress["queued"]) == (1, 1, 0)
    assert CallDelivery.objects.get(email="a@danang.example.vn").queued_by == agency_admin
    body = smtp.messages[0]["body"]
    assert 'Kế hoạch & báo cáo' in body and 'Gửi "kế hoạch" <trước> 15/09.' in body
    assert "&amp;" not in body and "&quot;" not in body


def test_units_with_a_plan_stay_recipients(admin_web, campaign, editor_a):
    plan = Plan.objects.create(campaign=campaign, organisation=editor_a.organisation)
    before = set(campaign.recipients.values_list("pk", flat=True))
    response = admin_web.post("/backoffice/2026/recipients/", {
        "action": "groups", "day": "01/10/2026", "central": "on", "replace": "replace"})
    assert response.status_code == 422
    assert "Thành phố Đà Nẵng" in str(response.context["form"].errors)
    admin_web.post("/backoffice/2026/recipients/", {"action": "remove", "code": "48"})
    assert set(campaign.recipients.values_list("pk", flat=True)) == before
    assert plan.organisation in campaign.recipients.all()


def test_no_reminder_once_locked_and_no_extension_after_submission(
        client, reviewer, campaign, editor_a, good_plan, smtp):
    from dxday.plans.extensions import extension_decide, extension_request
    from dxday.plans.reminders import reminder_preview, reminders_send_now
    from dxday.plans.services import plan_save_draft, plan_submit

    request = extension_request(campaign=campaign, organisation=editor_a.organisation,
                                by=editor_a, reason="Vắng lãnh đạo")
    plan_save_draft(campaign=campaign, organisation=editor_a.organisation, data=good_plan,
                    by=editor_a)
    plan_submit(campaign=campaign, organisation=editor_a.organisation, by=editor_a)
    later = (campaign.submission_deadline + datetime.timedelta(days=3)).astimezone(VN).date()
    with pytest.raises(Exception, match="decision"):
        extension_decide(request=request, by=reviewer, decision="grant", until=later)
    campaign.lock_at = timezone.now() - datetime.timedelta(minutes=1)
    campaign.save()
    assert reminder_preview(campaign) == []
    assert reminders_send_now(campaign=campaign, batch="a" * 24, by=reviewer) == []
    assert smtp.messages == []


def test_a_reviewers_reminder_records_who_sent_it(client, reviewer, smtp, campaign):
    focal("01", "dm@hanoi.example.vn")
    client.force_login(reviewer)
    client.post("/backoffice/2026/reminders/", {"batch": "b" * 24})
    sent = Reminder.objects.get(campaign=campaign, organisation__code="01")
    assert sent.sent_by == reviewer
    assert str(reviewer) in client.get("/backoffice/2026/reminders/").content.decode()
