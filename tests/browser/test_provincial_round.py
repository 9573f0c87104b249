"""One provincial round end to end in Chromium: Đà Nẵng's province reviewer opens the round for
its communes, a commune sends its plan (through the write API, as a commune's software would;
the web form is the plan journey's test), the province reviewer returns it, the commune sends it
again, the reviewer accepts it, the province sends its own plan, and the province's roll-up
shows the commune's state."""

import datetime
import json
import urllib.request
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import OPEN_2026, dxday, stack
from tests.browser.test_plan_journey import log_in

PROVINCE = "48"
PLAN = {"summary": "Kế hoạch của xã", "contact": {"name": "Trần Thị C", "position": "",
                                                  "phone": "0236 3822 111", "email": ""},
        "activities": [{"title": "Ngày hội kỹ năng số", "category": "digital_skills",
                        "start": "2026-10-05", "end": "2026-10-05", "location": "Nhà văn hóa",
                        "province": PROVINCE, "format": "in_person", "audience": "Người dân",
                        "description": "", "url": ""}],
        "initiatives": [], "communications": [], "display_urls": []}


# In one process: the province's first commune, an editor of it (`dxday adduser`, the password
# piped) and a token of each editor (`dxday token`).
COMMUNE_EDITOR = f"""
import io, json, sys
from django.core.management import call_command
from dxday.registry.models import Organisation
code = Organisation.objects.commune_level().filter(parent__code="{PROVINCE}").order_by(
    "code").first().code
sys.stdin = io.StringIO("Ngay-CDS-10/10\\n")
call_command("adduser", "xa@danang.example.vn", "--role", "editor", "--org", code)
keys = {{}}
for email in ("xa@danang.example.vn", "bientap@danang.example.vn"):
    out = io.StringIO()
    call_command("token", email, stdout=out)
    keys[email] = out.getvalue().split()[-1]
print(json.dumps({{"code": code, "keys": keys}}))
"""


@pytest.fixture(scope="module")
def danang(tmp_path_factory):
    users = [("tinh@danang.example.vn", "reviewer", PROVINCE),
             ("bientap@danang.example.vn", "editor", PROVINCE)]
    with stack(tmp_path_factory.mktemp("round"), users=users, seeds=[OPEN_2026]) as running:
        made = dxday(running["env"], "shell", "--no-imports", "-c", COMMUNE_EDITOR).stdout
        made = json.loads(made.splitlines()[-1])
        yield {**running, "commune": made["code"], "keys": made["keys"]}


def api(base, method, path, key, body=None):
    request = urllib.request.Request(
        f"{base}/api/v1/campaigns/2026/plans/{path}", method=method,
        data=json.dumps(body if body is not None else {}).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def test_a_provincial_round_end_to_end(danang, browser):
    base, commune = danang["base"], danang["commune"]
    commune_key = danang["keys"]["xa@danang.example.vn"]
    reviewer = log_in(browser, base, "tinh@danang.example.vn")
    reviewer.set_default_timeout(10_000)

    # 1. The province reviewer opens the round: due in two days (Vietnam's calendar), before
    # the national deadline (in three).
    reviewer.goto(base + "/backoffice/2026/round/")
    due = datetime.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date() + datetime.timedelta(days=2)
    reviewer.locator("#id_deadline").fill(due.strftime("%d/%m/%Y"))
    reviewer.locator("form:has(#id_deadline) button[type=submit]").click()
    assert reviewer.locator(".alert-info").is_visible()
    assert due.strftime("%d/%m/%Y") in reviewer.locator(".alert-info").inner_text()

    # 2. The commune sends its plan; the province reviewer sees it in its round's tracking.
    api(base, "PUT", commune, commune_key, PLAN)
    assert api(base, "POST", f"{commune}/submit", commune_key)["on_time"] is True
    reviewer.goto(base + "/backoffice/2026/")
    units = reviewer.locator("section[aria-labelledby=units-heading] tbody tr")
    row = units.filter(has=reviewer.locator(f"a[href$='/plans/{commune}/']"))
    assert row.count() == 1
    # Only the round's communes: none of another province, no central body.
    assert units.filter(has=reviewer.locator("a[href$='/plans/BKHCN/']")).count() == 0

    # 3. It returns the plan with a comment; the commune sends it again; it accepts.
    reviewer.goto(f"{base}/backoffice/2026/plans/{commune}/")
    reviewer.locator("#id_comment").fill("Bổ sung địa điểm tổ chức.")
    reviewer.locator("button[name=decision][value=return]").click()
    assert api(base, "GET", commune, commune_key)["status"] == "returned"
    api(base, "POST", f"{commune}/submit", commune_key)
    reviewer.goto(f"{base}/backoffice/2026/plans/{commune}/")
    reviewer.locator("button[name=decision][value=accept]").click()
    assert api(base, "GET", commune, commune_key)["status"] == "accepted"

    # Another province's commune, a central body: as if they did not exist.
    for code in ("01", "BKHCN"):
        response = reviewer.goto(f"{base}/backoffice/2026/plans/{code}/")
        assert response.status == 404

    # 4. The province sends its own plan; its roll-up counts the commune, accepted.
    province_key = danang["keys"]["bientap@danang.example.vn"]
    api(base, "PUT", PROVINCE, province_key, PLAN)
    sent = api(base, "POST", f"{PROVINCE}/submit", province_key)
    assert sent["rollup"]["accepted"] == 1 and sent["rollup"]["on_time"] == 1
    reviewer.goto(f"{base}/backoffice/2026/plans/{PROVINCE}/")
    assert reviewer.locator("[data-rollup=accepted]").inner_text() == "1"
    assert reviewer.locator("[data-rollup=on_time]").inner_text() == "1"
    assert reviewer.locator("[data-rollup=expected]").inner_text() == str(
        sent["rollup"]["expected"])
    # The province reviewer does not review its own province's plan: the agency does.
    assert reviewer.locator("button[name=decision]").count() == 0
