"""Locust scenarios of docs/benchmarks.md (run through bench/load.py).

PublicVisitor — the public mix on 10 October: home, campaign pages (overview, calendar,
initiative catalogue, map, activity and initiative pages, unit pages), search (a mix of the
queries citizens type), iCal feeds (a province's or a unit's), and the open-data API
(activity and initiative pages, recipients, search). Paced so that the whole crowd asks about
DXDAY_TARGET_RPS requests per second.

DeadlineEditor — the deadline surge: an editor of each unit logs in, opens the plan form, saves
the draft with its signed 5 MB PDF, and submits; every response is checked (the right page, a
version number), so an error shown as a 200 page still counts as a failure.
"""

import os
import random
import re
import threading

from locust import FastHttpUser, HttpUser, between, constant_throughput, events, task

QUERIES = ["da nang", "ha noi", "chuyen doi so", "hoi thao", "ky nang so", "y te so",
           "thanh toan khong dung tien mat", "dich vu cong truc tuyen", "quang nam",
           "Hoà Bình", "DAK LAK", "nong nghiep so", "giao duc so", "trien lam", "ngay hoi",
           "an toan thong tin", "kinh te so", "chinh quyen so", "du lieu so", "can tho",
           "hue", "lao cai", "phu quoc", "tuyen quang", "ca mau", "phuong hoan kiem",
           "dien dan", "cuoc thi", "ra mat", "tap huan", "vi dien tu", "truong sa"]
CATALOGUE: dict = {}
_loaded = threading.Lock()


@events.test_start.add_listener
def load_catalogue(environment, **kwargs):
    """Real codes and pages of the dataset, read once through the public API."""
    import json
    import urllib.request

    if getattr(environment, "parsed_options", None) is None:
        return
    host = environment.host
    with _loaded:
        if CATALOGUE:
            return

        def get(path):
            with urllib.request.urlopen(host + path, timeout=60) as response:  # noqa: S310
                return json.load(response)

        recipients = get("/api/v1/campaigns/2026/recipients?limit=1000")["items"]
        activities = get("/api/v1/campaigns/2026/activities?limit=500")["items"]
        initiatives = get("/api/v1/campaigns/2026/initiatives?limit=300")["items"]
        CATALOGUE["units"] = [r["code"] for r in recipients]
        CATALOGUE["provinces"] = sorted({a["province_code"] for a in activities
                                         if a.get("province_code")})
        CATALOGUE["activities"] = [a["page_url"].replace(host, "") for a in activities]
        CATALOGUE["initiatives"] = [i["page_url"].replace(host, "") for i in initiatives]


class PublicVisitor(FastHttpUser):
    wait_time = constant_throughput(float(os.environ.get("DXDAY_USER_RPS", "4")))

    def pick(self, name):
        return random.choice(CATALOGUE[name])

    @task(10)
    def home(self):
        self.client.get("/", name="home")

    @task(8)
    def campaign(self):
        self.client.get(random.choice(["/campaigns/2026/", "/campaigns/2026/initiatives/",
                                       "/campaigns/2026/map/", "/campaigns/2022/"]),
                        name="campaign pages")

    @task(8)
    def calendar(self):
        month = random.choice(["", "?view=month&month=2026-10",
                               f"?province={self.pick('provinces')}"])
        self.client.get("/campaigns/2026/calendar/" + month, name="calendar")

    @task(10)
    def detail(self):
        kind = random.choice(["activities", "initiatives"])
        self.client.get(self.pick(kind), name="activity/initiative page")

    @task(4)
    def unit(self):
        self.client.get(f"/organisations/{self.pick('units')}/", name="unit page")

    @task(8)
    def search(self):
        self.client.get("/search/", params={"q": random.choice(QUERIES)}, name="search")

    @task(3)
    def ical(self):
        if random.random() < 0.5:
            query = f"province={self.pick('provinces')}"
        else:
            query = f"organisation={self.pick('units')}"
        self.client.get(f"/api/v1/campaigns/2026/activities.ics?{query}", name="iCal")

    @task(8)
    def api(self):
        choice = random.random()
        if choice < 0.4:
            # Most readers stay on the first pages; some harvest the whole table.
            top = 2000 if random.random() < 0.7 else 60000
            offset = random.randrange(0, top, 100)
            self.client.get(f"/api/v1/campaigns/2026/activities?limit=100&offset={offset}",
                            name="API activities")
        elif choice < 0.6:
            self.client.get(f"/api/v1/campaigns/2026/initiatives?province="
                            f"{self.pick('provinces')}", name="API initiatives")
        elif choice < 0.8:
            self.client.get("/api/v1/search", params={"q": random.choice(QUERIES)},
                            name="API search")
        else:
            self.client.get("/api/v1/campaigns/2026/recipients?limit=100", name="API recipients")


# --- the deadline surge ---------------------------------------------------------------------

PDF_PATH = os.environ.get("DXDAY_SURGE_PDF", "")
EDITORS = [line.split(",") for line in os.environ.get("DXDAY_SURGE_EDITORS", "").split(";")
           if line]
_next_editor = iter(range(10**6))
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def plan_form(org_code: str) -> dict:
    return {
        "action": "save", "summary": f"Kế hoạch hưởng ứng Ngày Chuyển đổi số của {org_code}",
        "contact-name": "Nguyễn Văn An", "contact-position": "Chuyên viên",
        "contact-phone": "024 3825 3536", "contact-email": "an@example.vn",
        "activities-0-title": "Hội thảo chuyển đổi số", "activities-0-category": "conference",
        "activities-0-start": "2026-10-05", "activities-0-end": "2026-10-06",
        "activities-0-location": "Hội trường", "activities-0-province": "",
        "activities-0-format": "hybrid", "activities-0-audience": "Người dân",
        "activities-0-description": "", "activities-0-url": "",
    }


class DeadlineEditor(HttpUser):
    """One editor per unit: log in, save the draft with the signed PDF, submit, then idle."""

    wait_time = between(1, 3)

    def on_start(self):
        index = next(_next_editor)
        self.email, self.org = EDITORS[index % len(EDITORS)]
        self.done = False
        # Each unit is on its own network: nginx would pass its address in X-Real-IP.
        self.client.headers["X-Real-IP"] = f"10.{index // 250 % 250}.{index % 250}.1"

    def csrf(self, path, name):
        response = self.client.get(path, name=name)
        match = TOKEN.search(response.text)
        return match.group(1) if match else ""

    @task
    def save_and_submit(self):
        if self.done:
            return
        token = self.csrf("/accounts/login/", "login page")
        with self.client.post("/accounts/login/", data={
                "username": self.email, "password": os.environ["DXDAY_SURGE_PASSWORD"],
                "csrfmiddlewaretoken": token}, name="log in", catch_response=True,
                allow_redirects=False) as response:
            if response.status_code != 302:
                response.failure(f"login: {response.status_code}")
                return
        url = f"/plans/2026/{self.org}/"
        token = self.csrf(url, "plan form")
        with open(PDF_PATH, "rb") as pdf:
            response = self.client.post(
                url, data={**plan_form(self.org), "csrfmiddlewaretoken": token},
                files={"document": ("ke-hoach-da-ky.pdf", pdf, "application/pdf")},
                name="save draft + 5 MB PDF", allow_redirects=False, catch_response=True)
        with response:
            if response.status_code != 302:
                response.failure(f"save: {response.status_code} {response.text[:200]}")
                return
        token = self.csrf(url, "plan form")
        with self.client.post(url + "submit/", data={"csrfmiddlewaretoken": token},
                              name="submit", allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"submit: {response.status_code} {response.text[:200]}")
                return
        self.done = True
