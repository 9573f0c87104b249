"""The kit check inside the platform: kit upload, targets, background scans, dashboard, page."""

import base64
import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from dxday.plans.services import plan_save_draft, plan_submit
from dxday.registry.models import Organisation, Website
from dxday.scanner import services, tasks
from dxday.scanner.models import KitFile, ScanResult, ScanTarget
from tests.conftest import ORG_A, ORG_B
from tests.scanner.conftest import kit_upload, png_bytes

pytestmark = pytest.mark.django_db


def upload(name, data, kind="image/png"):
    return SimpleUploadedFile(name, data, content_type=kind)


def test_kit_upload_checks_the_content(campaign):
    kit = services.kit_file_add(campaign=campaign, variant="colour", upload=kit_upload("l.png"))
    assert kit.width == 300 and kit.height in (195, 300)
    assert len(kit.sha256) == 64
    cases = [(upload("logo.pdf", b"%PDF-1.7"), "Chỉ chấp nhận"),
             (upload("logo.png", b"not an image"), "không phải là ảnh dùng được"),
             (upload("logo.svg", b"<!DOCTYPE x [<!ENTITY a 'b'>]><svg/>"), "unsafe or malformed SVG"),
             (upload("big.png", b"\x89PNG" + b"0" * (10 * 1024 * 1024)), "lớn hơn 10 MB"),
             (kit_upload("again.png"), "đã có trong bộ nhận diện")]
    for bad, message in cases:
        with pytest.raises(services.ValidationError) as info:
            services.kit_file_add(campaign=campaign, variant="colour", upload=bad)
        assert message in str(info.value.message_dict["file"])
    assert KitFile.objects.count() == 1


def test_dashboard_upload_form_admin_only(client, campaign, agency_admin, reviewer):
    url = reverse("backoffice:kit", args=[2026])
    client.force_login(reviewer)
    assert client.post(url, {"variant": "colour", "file": kit_upload("x.png")}).status_code == 403
    client.force_login(agency_admin)
    response = client.post(url, {"variant": "colour", "file": upload("x.png", b"junk")})
    assert response.status_code == 200
    assert "Tệp này không phải là ảnh dùng được" in response.content.decode()
    response = client.post(url, {"variant": "white", "title": "Logo trắng",
                                 "file": kit_upload("x.png", seed=4)})
    assert response.status_code == 302
    assert KitFile.objects.get().title == "Logo trắng"


def test_targets_from_submitted_plans_and_registered_sites(campaign, editor_a, editor_b,
                                                             good_plan):
    org_a = editor_a.organisation
    Website.objects.create(organisation=org_a, kind="portal", url="https://portal.example.vn/")
    Website.objects.create(organisation=org_a, kind="app", url="https://app.example.vn/")
    plan_save_draft(campaign=campaign, organisation=org_a, data=good_plan, by=editor_a)
    draft = dict(good_plan, display_urls=[{"url": "https://secret-draft.example.vn/",
                                           "kind": "portal"}])
    plan_save_draft(campaign=campaign, organisation=editor_b.organisation, data=draft,
                    by=editor_b)
    services.targets_sync(campaign=campaign)
    urls = set(campaign.scan_targets.values_list("url", flat=True))
    assert urls == {"https://portal.example.vn/"}  # drafts are not scanned, apps are not sites
    plan_submit(campaign=campaign, organisation=org_a, by=editor_a)
    services.targets_sync(campaign=campaign)
    targets = {t.url: t for t in campaign.scan_targets.all()}
    assert set(targets) == {"https://portal.example.vn/", "https://danang.example.vn/"}
    assert targets["https://danang.example.vn/"].source == "plan"
    Website.objects.filter(url="https://portal.example.vn/").delete()
    services.targets_sync(campaign=campaign)
    assert not ScanTarget.objects.get(url="https://portal.example.vn/").active


def test_targets_due(campaign):
    org = Organisation.objects.get(code=ORG_A)
    now = timezone.now()
    make = ScanTarget.objects.create
    never = make(campaign=campaign, organisation=org, url="https://a.vn/", kind="portal",
                 source="plan")
    fresh_ok = make(campaign=campaign, organisation=org, url="https://b.vn/", kind="portal",
                    source="plan", last_verdict="present",
                    last_checked_at=now - datetime.timedelta(hours=10))
    stale_absent = make(campaign=campaign, organisation=org, url="https://c.vn/",
                        kind="portal", source="plan", last_verdict="absent",
                        last_checked_at=now - datetime.timedelta(hours=7))
    old_ok = make(campaign=campaign, organisation=org, url="https://d.vn/", kind="portal",
                  source="plan", last_verdict="present",
                  last_checked_at=now - datetime.timedelta(hours=25))
    due = services.targets_due(campaign=campaign, now=now)
    assert set(due) == {never, stale_absent, old_ok} and fresh_ok not in due


def test_a_result_is_stored_with_its_target_marked_or_not_at_all(campaign, monkeypatch,
                                                                   settings):
    """A worker that dies between the result and the target's "last checked" must leave
    neither, nor its crop's file: the resumed run would otherwise store a second result for
    one request."""
    org = Organisation.objects.get(code=ORG_A)
    target = ScanTarget.objects.create(campaign=campaign, organisation=org, url="https://a.vn/",
                                       kind="portal", source="plan")
    crop = png_bytes(Image.new("RGB", (4, 4), "red"))
    result = {"verdict": "present", "score": 0.9, "evidence": {
        "method": "template", "crop": "data:image/png;base64," + base64.b64encode(crop).decode()}}
    crops = settings.MEDIA_ROOT / "kit-evidence" / "2026"

    def die(self, *args, **kwargs):
        raise SystemExit("killed")

    with monkeypatch.context() as m:
        m.setattr(ScanTarget, "save", die)
        with pytest.raises(SystemExit):
            services.result_record(target=target, result=result)
    assert ScanResult.objects.filter(target=target).count() == 0
    assert target.last_checked_at is None
    target.refresh_from_db()
    assert target.last_checked_at is None
    assert not crops.exists() or not any(crops.iterdir())
    row = services.result_record(target=target, result=result)
    target.refresh_from_db()
    assert ScanResult.objects.filter(target=target).get() == row
    assert target.last_checked_at == row.checked_at and target.last_verdict == "present"
    assert [p.name for p in crops.iterdir()] == [Path(row.crop.name).name]


@pytest.fixture
def scanned(campaign, labelled, served, settings):
    """A campaign with the corpus kit, three targets on the corpus sites, scanned by the task."""
    settings.SCANNER_ALLOW_PRIVATE = True
    settings.SCANNER_RENDER = False
    settings.SCANNER_TIMEOUT_SECONDS = 3
    for name, data in labelled.kit.items():
        variant = "negative" if name.startswith("negatives/") else "colour"
        services.kit_file_add(campaign=campaign, variant=variant,
                              upload=upload(name.rsplit("/", 1)[-1], data))
    names = [s.name for s in labelled.sites]
    province = Organisation.objects.get(code=ORG_A)
    ministry = Organisation.objects.get(code=ORG_B)
    for case, org, kind in [("banner", province, "portal"), ("plain", province, "e_newspaper"),
                            ("http_404", ministry, "portal")]:
        Website.objects.create(organisation=org, kind=kind, url=served.urls[names.index(case)])
    result = tasks.scan_campaign.enqueue(campaign.pk, True)
    return campaign, result


def test_background_scan_records_results_with_evidence(scanned, served):
    campaign, task_result = scanned
    assert task_result.return_value == 3
    verdicts = {t.kind + ":" + t.organisation.code: t.last_verdict
                for t in campaign.scan_targets.all()}
    assert verdicts == {"portal:48": "present", "e_newspaper:48": "absent",
                        "portal:BKHCN": "error"}
    found = ScanResult.objects.get(verdict="present")
    assert found.method == "template" and len(found.bbox) == 4 and found.crop
    assert found.crop.read()[:8] == b"\x89PNG\r\n\x1a\n"
    assert ScanResult.objects.get(verdict="error").error == "HTTP 404"
    # Nothing is due again right away; asking for all checks everything again.
    assert tasks.scan_campaign.enqueue(campaign.pk, True).return_value == 0
    assert tasks.scan_campaign.enqueue(campaign.pk, False).return_value == 3
    assert ScanResult.objects.count() == 6


def test_dashboard_and_history_show_evidence(client, scanned, reviewer):
    campaign, _ = scanned
    client.force_login(reviewer)
    page = client.get(reverse("backoffice:kit", args=[2026])).content.decode()
    assert "1/3 địa chỉ hiển thị bộ nhận diện; 1 chưa hiển thị; 1 không kiểm tra được" in page
    found = ScanResult.objects.get(verdict="present")
    assert reverse("backoffice:kit_crop", args=[found.pk]) in page
    crop = client.get(reverse("backoffice:kit_crop", args=[found.pk]))
    assert crop["Content-Type"] == "image/png"
    history = client.get(reverse("backoffice:kit_target", args=[2026, found.target_id]))
    body = history.content.decode()
    assert found.sha256[:16] in body and "template" in body
    only_errors = client.get(reverse("backoffice:kit", args=[2026]) + "?verdict=error")
    assert "HTTP 404" in only_errors.content.decode()
    rows = only_errors.content.decode().split("<tbody>")[-1]
    assert "HTTP 404" in rows and "Chưa hiển thị" not in rows and "Not displayed</td>" not in rows
    assert "Trang không tồn tại (HTTP 404)." in rows  # told in the interface's language


def test_scan_now_needs_a_kit(client, campaign, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("backoffice:kit_scan", args=[2026]), follow=True)
    assert "Hãy tải logo của bộ nhận diện lên trước" in response.content.decode()


def test_public_kit_page_and_files(client, campaign):
    kit = services.kit_file_add(campaign=campaign, variant="colour", upload=kit_upload("l.png"),
                                title='<script>alert("x")</script>')
    svg = services.kit_file_add(
        campaign=campaign, variant="white",
        upload=upload("w.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="10" '
                               b'height="10"><rect width="10" height="10" fill="#fff"/></svg>',
                      "image/svg+xml"))
    negative = services.kit_file_add(campaign=campaign, variant="negative",
                                     upload=kit_upload("n.png", seed=9))
    page = client.get(reverse("public:kit", args=[2026])).content.decode()
    assert '<script>alert("x")</script>' not in page and "&lt;script&gt;" in page
    assert reverse("public:kit_file", args=[2026, kit.pk]) in page
    assert reverse("public:kit_file", args=[2026, negative.pk]) not in page
    assert "&lt;img src=" in page  # the snippet to paste, shown as text
    response = client.get(reverse("public:kit_file", args=[2026, svg.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert client.get(reverse("public:kit_file", args=[2026, negative.pk])).status_code == 404
    body = b"".join(client.get(reverse("public:kit_file", args=[2026, kit.pk])).streaming_content)
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    assert io.BytesIO(body).getbuffer().nbytes == kit.file.size


def test_scheduler_scans_only_inside_the_kit_window(campaign):
    today = timezone.localdate()
    campaign.kit_window_start = today - datetime.timedelta(days=1)
    campaign.kit_window_end = today + datetime.timedelta(days=1)
    campaign.save()
    assert tasks.scan_due_campaigns.enqueue().return_value == 1
    campaign.kit_window_end = today - datetime.timedelta(days=1)
    campaign.save()
    assert tasks.scan_due_campaigns.enqueue().return_value == 0


def test_report_has_the_kit_section_once_checked(campaign, scanned):
    import docx
    import pypdf

    from dxday.reports import document, snapshot
    from dxday.reports.render import render_docx, render_pdf

    data = snapshot.take(campaign)
    assert {k: data["kit"]["totals"][k] for k in ("checked", "present", "absent", "error")} == \
        {"checked": 3, "present": 1, "absent": 1, "error": 1}
    report = document.build(data, {})
    opened = docx.Document(io.BytesIO(render_docx(report)))
    text = "\n".join(p.text for p in opened.paragraphs)
    assert "IV. TRUYỀN THÔNG VÀ HIỂN THỊ BỘ NHẬN DIỆN" in text and "1/3 địa chỉ có hiển thị" in text
    cells = [c.text for t in opened.tables for row in t.rows for c in row.cells]
    assert "Cổng thông tin điện tử" in cells and "Báo điện tử" in cells
    assert cells[cells.index("Cổng thông tin điện tử") - 1].isdigit()  # STT
    pdf = pypdf.PdfReader(io.BytesIO(render_pdf(report)))
    assert "HIỂN THỊ BỘ NHẬN DIỆN" in "".join(page.extract_text() for page in pdf.pages)


def test_report_without_checks_says_so(campaign):
    from dxday.reports import document, snapshot

    report = document.build(snapshot.take(campaign), {})
    assert not any(b.kind == "table" and "bộ nhận diện" in b.table.title for b in report.blocks)
    assert any("Chưa có kết quả kiểm tra tự động" in b.text for b in report.blocks)
