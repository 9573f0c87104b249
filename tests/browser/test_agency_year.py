"""The agency's year in Chromium, without /admin/: copy 2026 to 2027, choose recipients by
group, upload the identity kit, give two units a focal contact, write and send the call (a real
SMTP server on 127.0.0.1 receives one mail per focal contact, sent by the worker), a unit asks
for more time and a reviewer grants it, a reminder goes out (the unit with the extension is not
told it is late), and an invited editor chooses a password and logs in."""

import collections
import email
import email.policy
import re
import time
from pathlib import Path

import pytest

from tests.browser.conftest import BIN, free_port, stack
from tests.browser.test_accessibility import AXE, violations
from tests.browser.test_plan_journey import log_in

KIT_IMAGE = next(Path(BIN).parent.glob("lib/python3*/site-packages/scipy/ndimage/tests/dots.png"))


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append({"to": list(envelope.rcpt_tos), "subject": str(message["subject"]),
                              "body": message.get_body().get_content()})
        return "250 OK"

    def wait_for(self, count, timeout=30):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.messages


@pytest.fixture(scope="module")
def agency(tmp_path_factory):
    """gunicorn, the task worker and an SMTP server, all on 127.0.0.1, on a SQLite file."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    sink, smtp_port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    users = [("quantri@cdsqg.example.vn", "admin", None),
             ("bientap@danang.example.vn", "editor", "48")]
    try:
        with stack(tmp_path_factory.mktemp("agency"), users=users, worker=True, env={
                "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port),
                "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}) as running:
            yield {**running, "sink": sink}
    finally:
        controller.stop()


def test_the_agency_runs_its_year_without_the_admin(agency, browser):
    base, sink = agency["base"], agency["sink"]
    admin = log_in(browser, base, "quantri@cdsqg.example.vn")
    admin.set_default_timeout(10_000)
    visited = []
    admin.on("request", lambda r: visited.append(r.url))

    # 1. A new campaign, copied from 2026.
    admin.goto(base + "/backoffice/")
    admin.get_by_role("link", name="Tạo đợt hưởng ứng mới (sao chép từ năm trước)").click()
    assert admin.get_by_label("Năm của đợt hưởng ứng mới").input_value() == "2027"
    admin.get_by_role("button", name="Tạo đợt hưởng ứng").click()
    assert admin.url.endswith("/backoffice/2027/setup/")
    # Settings typed day first; the deadline already passed for everyone but an extension.
    admin.get_by_label("Hạn gửi kế hoạch: trước ngày").fill("01/12/2026")
    admin.get_by_label("Hoạt động từ ngày").fill("01/10/2027")
    admin.get_by_label("Hoạt động đến ngày").fill("10/10/2027")
    admin.get_by_role("button", name="Lưu", exact=True).click()
    assert "Đã lưu thiết lập đợt hưởng ứng." in admin.content()
    assert "trước 00:00 ngày 01/12/2026 (giờ Việt Nam)" in admin.content()
    assert admin.get_by_label("Hoạt động từ ngày").input_value() == "01/10/2027"

    # 2. Recipients by group: every central body and province on 01/10/2027, and the
    # communes of Đà Nẵng.
    admin.get_by_role("link", name="Đơn vị nhận", exact=True).click()
    admin.get_by_label("Cơ quan, địa phương tồn tại vào ngày").fill("01/10/2027")
    admin.get_by_label("Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ").check()
    admin.get_by_label("Tất cả tỉnh, thành phố trực thuộc trung ương").check()
    admin.get_by_label("Các xã, phường, đặc khu của các tỉnh, thành phố này").select_option("48")
    admin.get_by_role("button", name="Áp dụng").click()
    # (the page that answers is read once it has come: on a busy machine the click may return
    # before it, and the page read is the form's)
    summary = admin.get_by_text(re.compile(r"\d+ đơn vị nhận\.")).first
    summary.wait_for(timeout=60_000)
    total = int(re.search(r"(\d+) đơn vị nhận\.", summary.inner_text()).group(1))
    assert total > 34 + 14

    # 3. The identity kit.
    admin.get_by_role("link", name="Bộ nhận diện", exact=True).click()
    admin.locator("#id_variant").select_option("colour")
    admin.locator("#id_file").set_input_files(str(KIT_IMAGE))
    admin.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    assert "dots.png" in admin.content()

    # 4. Focal contacts of two units, kept in the registry.
    for code, address in (("48", "daumoi@danang.example.vn"), ("01", "daumoi@hanoi.example.vn")):
        admin.goto(f"{base}/backoffice/units/{code}/")
        admin.locator("#n-name").fill(f"Đầu mối {code}")
        admin.locator("#n-email").fill(address)
        admin.locator("#n-focal").check()
        admin.locator("form:has(#n-name) button[type=submit]").click()
        assert address in admin.content()

    # 5. The call: written, published, sent; the worker mails each focal contact once.
    admin.goto(base + "/backoffice/2027/call/")
    admin.get_by_label("Số, ký hiệu").fill("1234/BKHCN-CĐSQG")
    admin.locator("#id_date").fill("02/12/2026")
    admin.get_by_label("Người ký").fill("Thứ trưởng Bùi Hoàng Phương")
    admin.get_by_label("Trích yếu").fill("V/v hưởng ứng Ngày Chuyển đổi số quốc gia năm 2027")
    admin.get_by_label("Nội dung").fill("Đề nghị các cơ quan, đơn vị gửi kế hoạch hưởng ứng.")
    admin.get_by_role("button", name="Lưu và công bố").click()
    assert "Đã lưu và công bố công văn." in admin.content()
    admin.get_by_role("button", name="Gửi công văn").click()
    calls = sink.wait_for(2)
    addressed = collections.Counter(to for m in calls for to in m["to"])
    assert addressed == {"daumoi@danang.example.vn": 1, "daumoi@hanoi.example.vn": 1}
    assert all("1234/BKHCN-CĐSQG" in m["subject"] for m in calls)
    for _ in range(50):  # the page refreshes itself while mails wait
        admin.goto(base + "/backoffice/2027/call/")
        if "2 thư: 2 đã gửi, 0 bị từ chối, 0 đang chờ." in admin.content():
            break
        time.sleep(0.2)
    assert "2 thư: 2 đã gửi, 0 bị từ chối, 0 đang chờ." in admin.content()

    # 6. Đà Nẵng asks for more time; a reviewer grants it until 20/12/2026.
    editor = log_in(browser, base, "bientap@danang.example.vn")
    editor.goto(base + "/plans/2027/48/extension/")
    editor.get_by_label("Lý do đơn vị cần gia hạn").fill("Lãnh đạo UBND đi công tác nước ngoài")
    editor.get_by_label("Đề nghị hạn mới: trước ngày").fill("20/12/2026")
    editor.get_by_role("button", name="Gửi đề nghị").click()
    assert "Đề nghị đã được gửi" in editor.content()
    admin.goto(base + "/backoffice/2027/extensions/")
    assert "Lãnh đạo UBND đi công tác nước ngoài" in admin.content()
    admin.get_by_label("Đồng ý gia hạn").check()
    admin.get_by_label("Hạn mới: trước ngày").fill("20/12/2026")
    admin.get_by_role("button", name="Ghi nhận quyết định").click()
    assert "Đã ghi nhận quyết định" in admin.content()
    granted = sink.wait_for(3)[2]
    assert "trước 00:00 ngày 20/12/2026" in granted["body"]

    # 7. A reminder now: previewed, sent once; Đà Nẵng is not told it is late.
    admin.get_by_role("link", name="Đôn đốc", exact=True).click()
    assert "đã gia hạn" in admin.content()
    before = len(sink.messages)
    admin.get_by_role("button", name=re.compile(r"Gửi tới \d+ đơn vị")).click()
    assert "Đôn đốc đang được gửi tới" in admin.content()
    reminders = sink.wait_for(before + 2)[before:]
    danang = [m for m in reminders if "daumoi@danang.example.vn" in m["to"]]
    hanoi = [m for m in reminders if "daumoi@hanoi.example.vn" in m["to"]]
    assert len(danang) == 1 and len(hanoi) == 1
    assert "quá hạn" in hanoi[0]["body"] and "quá hạn" not in danang[0]["body"]
    assert "trước 00:00 ngày 20/12/2026" in danang[0]["body"]

    # 8. An editor invited: the link mailed to them sets their password; they log in.
    admin.goto(base + "/backoffice/people/invite/")
    admin.locator("#i-email").fill("moi@danang.example.vn")
    admin.locator("#i-full-name").fill("Phạm Thị Mới")
    admin.locator("#i-role").select_option("editor")
    admin.locator("select[name=organisation]").select_option("48")
    before = len(sink.messages)
    admin.locator("button[name=action][value=invite]").click()
    invitation = sink.wait_for(before + 1)[before]
    assert invitation["to"] == ["moi@danang.example.vn"]
    link = re.search(re.escape(base) + r"/accounts/invitation/\S+", invitation["body"]).group(0)
    newcomer = browser.new_context(locale="vi-VN").new_page()
    newcomer.goto(link)
    newcomer.locator("input[type=password]").nth(0).fill("Chuyen-Doi-So-2027!")
    newcomer.locator("input[type=password]").nth(1).fill("Chuyen-Doi-So-2027!")
    newcomer.locator("main button[type=submit]").click()
    newcomer.goto(base + "/accounts/login/")
    newcomer.get_by_label("Thư điện tử").fill("moi@danang.example.vn")
    newcomer.get_by_label("Mật khẩu").fill("Chuyen-Doi-So-2027!")
    newcomer.get_by_role("button", name="Đăng nhập").click()
    assert newcomer.url.endswith("/plans/")
    assert "Ngày Chuyển đổi số quốc gia năm 2027" in newcomer.content()

    # Nothing of the year went through the developer admin.
    assert not [url for url in visited if "/admin/" in url]

    # axe-core: no serious or critical violation on the workspace's pages, in Vietnamese.
    checker = browser.new_context(bypass_csp=True, storage_state=admin.context.storage_state())
    page = checker.new_page()
    found = {}
    for path in ("/backoffice/", "/backoffice/campaigns/new/", "/backoffice/2027/setup/",
                 "/backoffice/2027/recipients/", "/backoffice/2027/call/",
                 "/backoffice/2027/reminders/", "/backoffice/2027/extensions/",
                 "/backoffice/2027/", "/backoffice/people/", "/backoffice/people/invite/",
                 "/backoffice/units/", "/backoffice/units/48/", "/backoffice/history/"):
        assert page.goto(base + path).status == 200, path
        problems = violations(page)
        if problems:
            found[path] = problems
    unit_page = browser.new_context(bypass_csp=True,
                                    storage_state=editor.context.storage_state()).new_page()
    for path in ("/plans/2027/48/extension/", "/plans/2027/48/"):
        assert unit_page.goto(base + path).status == 200, path
        problems = violations(unit_page)
        if problems:
            found[path] = problems
    assert AXE.exists()
    assert found == {}, "\n".join(f"{path}: {problems}" for path, problems in found.items())
