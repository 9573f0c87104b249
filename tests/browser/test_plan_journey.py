"""End to end, as people would: the real server (gunicorn), the real worker, headless Chromium.

An editor created with `dxday adduser` fills and submits a plan in the browser (rows added by
htmx), the public API shows it, a reviewer returns it with a comment, the editor resubmits,
both versions and their differences are shown, the reviewer accepts; the worker then sends
the receipts and the return notice (written to the mail folder of this test server).
"""

import json
import urllib.request

from tests.browser.conftest import PASSWORD, dxday


def log_in(browser, base, email):
    page = browser.new_context(locale="vi-VN").new_page()
    page.goto(base + "/accounts/login/")
    page.get_by_label("Thư điện tử").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    if "/accounts/2fa/setup/" in page.url:
        # Agency staff pair an authenticator: the key shown is what the phone app would read.
        import base64

        from django_otp.oath import totp

        secret = page.locator("#otp-secret").inner_text().replace(" ", "")
        page.get_by_label("Mã gồm sáu chữ số").fill(f"{totp(base64.b32decode(secret)):06d}")
        page.get_by_role("button", name="Bật xác thực hai lớp").click()
        assert "/accounts/2fa/" not in page.url
    return page


def public_status(base):
    with urllib.request.urlopen(base + "/api/v1/campaigns/2026/recipients?limit=100") as r:
        rows = json.load(r)["items"]
    return next(row for row in rows if row["code"] == "48")


def test_plan_journey(server, browser):
    base = server["base"]
    editor = log_in(browser, base, "bientap@danang.example.vn")
    editor.get_by_role("link", name="Ngày Chuyển đổi số quốc gia năm 2026").click()
    assert editor.url.endswith("/plans/2026/48/")

    editor.get_by_label("Tóm tắt kế hoạch").fill("Đà Nẵng hưởng ứng Ngày Chuyển đổi số 2026.")
    editor.get_by_label("Tên", exact=True).first.fill("Nguyễn Văn An")
    editor.get_by_label("Thư điện tử").fill("an@danang.example.vn")
    # htmx adds the rows in place (no reload): the typed summary stays on the page.
    editor.get_by_role("button", name="Thêm dòng: Hoạt động", exact=True).click()
    row = editor.locator("#activities-rows fieldset").first
    row.wait_for()
    row.get_by_label("Tên").fill("Hội thảo “Chuyển đổi số vì người dân”")
    row.get_by_label("Loại hình").select_option("conference")
    row.get_by_label("Bắt đầu").fill("2026-10-05")
    row.get_by_label("Kết thúc").fill("2026-10-06")
    row.get_by_label("Hình thức").select_option("hybrid")
    assert editor.get_by_label("Tóm tắt kế hoạch").input_value().startswith("Đà Nẵng")
    editor.get_by_role("button", name="Lưu nháp").click()
    assert "Đã lưu bản nháp." in editor.content()

    editor.get_by_role("button", name="Lưu và gửi…").click()
    editor.get_by_role("button", name="Đồng ý gửi kế hoạch").click()
    assert "Đã gửi kế hoạch." in editor.content()
    assert editor.get_by_role("button", name="Lưu nháp").count() == 0
    status = public_status(base)
    assert (status["status"], status["on_time"]) == ("submitted", True)

    reviewer = log_in(browser, base, "thamdinh@cdsqg.example.vn")
    reviewer.goto(base + "/backoffice/2026/plans/48/")
    reviewer.get_by_label("Ý kiến gửi đơn vị (bắt buộc khi trả lại)").fill(
        "Đề nghị ghi rõ địa điểm hội thảo.")
    reviewer.get_by_role("button", name="Trả lại để chỉnh sửa").click()
    assert public_status(base)["status"] == "returned"

    editor.goto(base + "/plans/2026/48/")
    assert "Đề nghị ghi rõ địa điểm hội thảo." in editor.content()
    editor.locator("#activities-rows fieldset").first.get_by_label("Địa điểm").fill(
        "Trung tâm Hành chính thành phố")
    editor.get_by_role("button", name="Lưu và gửi…").click()
    editor.get_by_role("button", name="Đồng ý gửi kế hoạch").click()
    editor.get_by_role("link", name="Thay đổi 1 → 2").click()
    assert "Trung tâm Hành chính thành phố" in editor.content()

    reviewer.goto(base + "/backoffice/2026/plans/48/")
    reviewer.get_by_role("button", name="Chấp nhận").click()
    assert public_status(base)["status"] == "accepted"

    # The worker sends what was queued: two receipts and the return notice.
    dxday(server["env"], "worker", "--batch", "--no-startup-delay")
    mail = "\n".join(p.read_text() for p in sorted((server["var"] / "mail").glob("*.log")))
    assert mail.count("Đã nhận kế hoạch") >= 2
    assert "Đề nghị ghi rõ địa điểm hội thảo." in mail
