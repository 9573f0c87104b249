"""Plan versus result (dxday.results.selectors): several units made through the services —
accepted plans and results, results submitted but not accepted, a plan not accepted, an
added activity, a cancelled one — and every figure compared with counts computed here from
the versions the units submitted."""

import datetime
from collections import Counter, defaultdict

import pytest
from django.utils import timezone

from dxday.lib.text import sort_key
from dxday.plans.labels import CHOICE_LABELS
from dxday.plans.models import Plan
from dxday.plans.selectors import unit_rows
from dxday.plans.services import plan_review, plan_save_draft, plan_submit
from dxday.registry.models import Organisation
from dxday.results.models import Result
from dxday.results.selectors import (
    plan_vs_result,
    result_rows,
    unit_counts,
    unit_plan_vs_result,
)
from dxday.results.services import (
    results_for_update,
    results_review,
    results_save_draft,
    results_submit,
)
from tests.conftest import ORG_A, ORG_B, make_user

pytestmark = pytest.mark.django_db

PROVINCIAL = set(Organisation.PROVINCIAL_KINDS)


def plan_doc(good_plan, activities, initiatives):
    """good_plan with these activities ((title, category, province code or None)) and
    initiatives (names)."""
    base_a, base_i = good_plan["activities"][0], good_plan["initiatives"][0]
    return {**good_plan,
            "activities": [{**base_a, "title": t, "category": c, "province": p}
                           for t, c, p in activities],
            "initiatives": [{**base_i, "name": n} for n in initiatives]}


def accept_plan(campaign, org, data, editor, reviewer, *, accept=True):
    plan_save_draft(campaign=campaign, organisation=org, data=data, by=editor)
    plan = plan_submit(campaign=campaign, organisation=org, by=editor)
    if accept:
        plan_review(plan=plan, by=reviewer, decision="accept")


def report(campaign, org, editor, fates, inits, added=(), *, added_initiatives=(), now=None):
    """Fill the prefilled results: ``fates`` per planned activity (status, in person,
    online), ``inits`` per planned initiative ("yes"/"no"), ``added`` activities (title,
    category, province, status, in person); submit."""
    draft = results_for_update(campaign=campaign, organisation=org, by=editor).draft
    for row, (status, in_person, online) in zip(draft["activities"], fates, strict=True):
        row.update(status=status, participants_in_person=in_person,
                   participants_online=online, start="2026-10-05" if status != "not_held"
                   else None, reason="" if status == "held" else "Mưa bão")
    for row, launched in zip(draft["initiatives"], inits, strict=True):
        row.update(launched=launched, reason="Chưa xong" if launched == "no" else "")
    for title, category, province, status, in_person in added:
        draft["activities"].append({
            "planned": None, "title": title, "category": category, "status": status,
            "start": "2026-10-08", "province": province, "format": "in_person",
            "participants_in_person": in_person})
    draft["summary"] = "Đơn vị đã tổ chức các hoạt động hưởng ứng."
    for name in added_initiatives:
        draft["initiatives"].append({"planned": None, "name": name, "launched": "yes",
                                     "launch_date": "2026-10-09"})
    results_save_draft(campaign=campaign, organisation=org, data=draft, by=editor)
    return results_submit(campaign=campaign, organisation=org, by=editor, now=now)


@pytest.fixture
def world(after_window, reviewer, good_plan):
    """Six recipients:
    - Đà Nẵng (province): plan of 3 activities, 2 initiatives accepted; results accepted —
      held, held with changes, cancelled; an initiative launched, one not; one added
      activity;
    - two communes of Hà Nội (01): plans accepted, results accepted (one of them late);
      their activities name no province (they count for Hà Nội);
    - Bộ Khoa học và Công nghệ: plan accepted, results submitted, not accepted yet;
    - Bộ Tài chính: plan submitted, not accepted (results not ready);
    - Hà Nội itself: plan accepted, no results yet."""
    campaign = after_window
    communes = list(Organisation.objects.filter(parent__code="01",
                                                kind__in=Organisation.COMMUNE_KINDS)
                    .order_by("code")[:2])
    campaign.recipients.add(*communes)
    orgs = {"a": Organisation.objects.get(code=ORG_A), "b": Organisation.objects.get(code=ORG_B),
            "c1": communes[0], "c2": communes[1], "hn": Organisation.objects.get(code="01"),
            "btc": Organisation.objects.get(code="BTC")}
    assert all(campaign.recipients.filter(pk=o.pk).exists() for o in orgs.values())
    editors = {k: make_user(f"e-{k}@unit.example.vn", "editor", o.code)
               for k, o in orgs.items()}

    def plan(key, activities, initiatives, accept=True):
        accept_plan(campaign, orgs[key], plan_doc(good_plan, activities, initiatives),
                    editors[key], reviewer, accept=accept)

    plan("a", [("Hội thảo", "conference", "48"), ("Triển lãm", "exhibition", "48"),
               ("Tập huấn", "digital_skills", None)], ["Ví công dân", "Bản đồ số"])
    plan("c1", [("Ngày hội số", "digital_skills", None)], ["Sổ tay"])
    plan("c2", [("Tuyên truyền", "communication", None),
                ("Hội nghị", "conference", "79")], [])
    plan("b", [("Hội thảo KH", "conference", "01")], ["Nền tảng"])
    plan("btc", [("Hội nghị TC", "conference", None)], [], accept=False)
    plan("hn", [("Lễ phát động", "launch", "01")], ["Cổng 1022"])

    results = {}
    results["a"] = report(campaign, orgs["a"], editors["a"],
                          [("held", 300, 1200), ("changed", 50, None), ("not_held", None, None)],
                          ["yes", "no"],
                          added=[("Ngày hội người cao tuổi", "digital_skills", None, "held", 80)])
    results["c1"] = report(campaign, orgs["c1"], editors["c1"], [("held", 120, 0)], ["yes"],
                           added=[("Chợ phiên số", "digital_consumption", "01", "held", 40)],
                           added_initiatives=["Ứng dụng phản ánh hiện trường"])
    late = campaign.results_deadline + datetime.timedelta(hours=2)
    results["c2"] = report(campaign, orgs["c2"], editors["c2"],
                           [("held", 15, 5), ("not_held", None, None)], [], now=late)
    results["b"] = report(campaign, orgs["b"], editors["b"], [("held", 999, 999)], ["yes"])
    for key in ("a", "c1", "c2"):
        results_review(result=results[key], by=reviewer, decision="accept")
    return {"campaign": campaign, "orgs": orgs, "editors": editors}


def expected_figures(campaign, *, parent="", public=True):
    """The figures counted here from the versions: planned rows from each accepted plan's
    last version, what happened from each accepted result's last version."""
    if public and not campaign.is_published():
        planned_plans, accepted_results = [], []
    else:
        planned_plans = [p for p in Plan.objects.filter(campaign=campaign, status="accepted")
                         .select_related("organisation__parent")]
        accepted_results = [r for r in Result.objects.filter(campaign=campaign,
                                                             status="accepted")
                            .select_related("organisation__parent")]
    if parent:
        planned_plans = [p for p in planned_plans if p.organisation.parent
                         and p.organisation.parent.code == parent]
        accepted_results = [r for r in accepted_results if r.organisation.parent
                            and r.organisation.parent.code == parent]

    def unit_province(org):
        if org.kind in PROVINCIAL:
            return org.code
        if org.parent and org.parent.kind in PROVINCIAL:
            return org.parent.code
        return None

    activities = Counter()
    initiatives = Counter()
    people = Counter()
    by_category = defaultdict(Counter)
    by_province = defaultdict(Counter)
    for p in planned_plans:
        data = p.versions.order_by("-number").first().data
        for a in data["activities"]:
            activities["planned"] += 1
            by_category[a["category"]]["planned"] += 1
            where = a.get("province") or unit_province(p.organisation)
            if where:
                by_province[where]["planned"] += 1
        for _i in data["initiatives"]:
            initiatives["planned"] += 1
            if unit_province(p.organisation):
                by_province[unit_province(p.organisation)]["initiatives_planned"] += 1
    for r in accepted_results:
        data = r.versions.order_by("-number").first().data
        for a in data["activities"]:
            if a["planned"] is None:
                key = "added"
            else:
                key = {"held": "held", "changed": "changed", "not_held": "cancelled"}[a["status"]]
            activities[key] += 1
            n = (a["participants_in_person"] or 0) + (a["participants_online"] or 0)
            people["in_person"] += a["participants_in_person"] or 0
            people["online"] += a["participants_online"] or 0
            where = a.get("province") or unit_province(r.organisation)
            for target in [by_category[a["category"]]] + ([by_province[where]] if where else []):
                target[key] += 1
                target["participants"] += n
                if key == "changed":
                    target["held"] += 1  # a breakdown's "held" counts those that took place
        for i in data["initiatives"]:
            if i["planned"] is None:
                initiatives["added"] += 1
            else:
                initiatives["launched" if i["launched"] == "yes" else "not_launched"] += 1
            where = unit_province(r.organisation)
            if where and i["launched"] == "yes" and i["planned"] is not None:
                by_province[where]["initiatives_launched"] += 1
    return activities, initiatives, people, by_category, by_province


def check(figures, campaign, *, parent="", public=True):
    activities, initiatives, people, by_category, by_province = expected_figures(
        campaign, parent=parent, public=public)
    for key in ("planned", "held", "changed", "cancelled", "added"):
        assert figures["activities"][key] == activities[key], key
    assert figures["activities"]["not_reported"] == (
        activities["planned"] - activities["held"] - activities["changed"]
        - activities["cancelled"])
    for key in ("planned", "launched", "not_launched", "added"):
        assert figures["initiatives"][key] == initiatives[key], key
    assert figures["participants"] == {"in_person": people["in_person"],
                                       "online": people["online"],
                                       "total": people["in_person"] + people["online"]}
    assert {c["category"]: {k: c[k] for k in ("planned", "held", "changed", "cancelled",
                                               "added", "participants")}
            for c in figures["by_category"]} == {
        code: {k: counts[k] for k in ("planned", "held", "changed", "cancelled", "added",
                                      "participants")}
        for code, counts in by_category.items()}
    keys = ("planned", "held", "changed", "cancelled", "added", "participants",
            "initiatives_planned", "initiatives_launched")
    assert {p["code"]: {k: p[k] for k in keys} for p in figures["by_province"]} == {
        code: {k: counts[k] for k in keys} for code, counts in by_province.items()}


def expected_units(campaign, parent=""):
    recipients = campaign.recipients.all()
    if parent:
        recipients = recipients.filter(parent__code=parent)
    ids = set(recipients.values_list("pk", flat=True))
    plans = dict(Plan.objects.filter(campaign=campaign, organisation_id__in=ids)
                 .values_list("organisation_id", "status"))
    results = {r.organisation_id: r for r in Result.objects.filter(
        campaign=campaign, organisation_id__in=ids)}
    sent = [r for r in results.values() if r.status != "draft"]
    return {
        "expected": len(ids),
        "plans_accepted": sum(1 for s in plans.values() if s == "accepted"),
        "results_submitted": len(sent),
        "results_on_time": sum(1 for r in sent if r.on_time is True),
        "results_late": sum(1 for r in sent if r.on_time is False),
        "results_missing": len(ids) - len(sent),
        "results_accepted": sum(1 for r in sent if r.status == "accepted"),
    }


def test_national_figures_match_the_versions(world):
    campaign = world["campaign"]
    figures = plan_vs_result(campaign)
    check(figures, campaign)
    # The figures themselves, as this world was made.
    assert figures["activities"] == {"planned": 8, "held": 3, "changed": 1, "cancelled": 2,
                                     "added": 2, "not_reported": 2}
    assert figures["initiatives"] == {"planned": 5, "launched": 2, "not_launched": 1,
                                      "added": 1, "not_reported": 2}
    assert figures["participants"] == {"in_person": 605, "online": 1205, "total": 1810}
    units = figures["units"]
    assert {k: units[k] for k in expected_units(campaign)} == expected_units(campaign)
    assert units["plans_accepted"] == 5
    assert (units["results_submitted"], units["results_accepted"], units["results_late"]) == (
        4, 3, 1)
    assert units["results_missing"] == units["expected"] - 4
    # Every recipient but those with a plan accepted is not ready (Bộ Tài chính among them).
    assert units["results_not_ready"] == units["expected"] - 5


def test_by_category_and_by_province(world):
    figures = plan_vs_result(world["campaign"])
    category = {c["category"]: c for c in figures["by_category"]}
    assert (category["conference"]["planned"], category["conference"]["held"]) == (3, 1)
    assert category["digital_skills"] == {**category["digital_skills"], "planned": 2,
                                          "held": 1, "added": 1, "cancelled": 1,
                                          "participants": 200}
    assert category["conference"]["label"] == str(
        CHOICE_LABELS["category"]["conference"])
    province = {p["code"]: p for p in figures["by_province"]}
    # Hà Nội: its communes' activities (naming no province), the ministry's activity held
    # there (results not accepted: planned only), its own plan and a commune's added row.
    assert province["01"]["planned"] == 4 and province["01"]["added"] == 1
    assert province["01"]["participants"] == 120 + 40 + 15 + 5
    assert province["01"]["initiatives_launched"] == 1
    assert province["79"] == {**province["79"], "planned": 1, "cancelled": 1, "held": 0}
    assert province["48"]["held"] == 2 and province["48"]["initiatives_launched"] == 1
    assert [p["name"] for p in figures["by_province"]] == sorted(
        (p["name"] for p in figures["by_province"]),
        key=sort_key)


def test_a_province_level(world):
    campaign = world["campaign"]
    figures = plan_vs_result(campaign, parent="01")
    check(figures, campaign, parent="01")
    assert figures["units"]["expected"] == 2  # the two communes, not Hà Nội itself
    assert {k: figures["units"][k] for k in expected_units(campaign, "01")} == (
        expected_units(campaign, "01"))
    assert figures["activities"]["planned"] == 3


def test_the_embargo(world):
    campaign = world["campaign"]
    before = plan_vs_result(campaign, public=True)
    campaign.publish_from = timezone.now() + datetime.timedelta(days=30)
    campaign.save()
    hidden = plan_vs_result(campaign, public=True)
    check(hidden, campaign, public=True)
    assert hidden["activities"]["planned"] == 0 and hidden["participants"]["total"] == 0
    assert hidden["by_category"] == [] and hidden["by_province"] == []
    assert hidden["units"] == before["units"]  # who sent what is public, as for plans
    agency = plan_vs_result(campaign, public=False)
    check(agency, campaign, public=False)
    assert agency["activities"] == before["activities"]
    unit = unit_plan_vs_result(campaign, world["orgs"]["a"], public=True)
    assert unit["rows"] == [] and unit["activities"]["planned"] == 0
    assert unit_plan_vs_result(campaign, world["orgs"]["a"], public=False)["rows"]


def test_one_unit_side_by_side(world):
    campaign, org = world["campaign"], world["orgs"]["a"]
    unit = unit_plan_vs_result(campaign, org)
    assert unit["state"] == "accepted" and unit["on_time"] is True
    assert unit["activities"] == {"planned": 3, "held": 1, "changed": 1, "cancelled": 1,
                                  "added": 1, "not_reported": 0}
    assert unit["participants"]["total"] == 300 + 1200 + 50 + 80
    assert unit["initiatives"]["launched"] == 1 and unit["initiatives"]["not_launched"] == 1
    version = Result.objects.get(campaign=campaign, organisation=org).versions.get().data
    rows = unit["rows"]
    assert [r["number"] for r in rows] == [1, 2, 3, None]
    assert [r["plan"]["title"] if r["plan"] else None for r in rows] == [
        "Hội thảo", "Triển lãm", "Tập huấn", None]
    assert [r["outcome"]["status"] for r in rows] == [a["status"] for a in
                                                      version["activities"]]
    assert rows[3]["outcome"]["title"] == "Ngày hội người cao tuổi"
    assert [r["outcome"]["launched"] for r in unit["initiative_rows"]] == [True, False]
    # Results submitted, not accepted: planned rows without outcome, nothing counted held.
    ministry = unit_plan_vs_result(campaign, world["orgs"]["b"])
    assert ministry["state"] == "submitted"
    assert [r["outcome"] for r in ministry["rows"]] == [None]
    assert ministry["activities"]["not_reported"] == 1 and ministry["participants"]["total"] == 0
    # A plan not accepted: nothing planned is published, not ready.
    finance = unit_plan_vs_result(campaign, world["orgs"]["btc"])
    assert finance["state"] == "not_ready" and finance["rows"] == []


def test_result_rows(world):
    campaign, orgs = world["campaign"], world["orgs"]
    rows = {r.code: r for r in result_rows(campaign)}
    assert len(rows) == campaign.recipients.count()
    assert rows[orgs["a"].code].state == "accepted" and rows[orgs["a"].code].on_time is True
    assert rows[orgs["c2"].code].state == "accepted" and rows[orgs["c2"].code].late
    assert rows[orgs["b"].code].state == "submitted"
    assert rows[orgs["btc"].code].state == "not_ready"
    assert rows[orgs["btc"].code].plan_state == "submitted"
    assert rows[orgs["hn"].code].state == "missing" and rows[orgs["hn"].code].submitted_at is None
    assert rows[orgs["c1"].code].province_code == "01"
    # Every state counted here from the tables.
    results = dict(Result.objects.filter(campaign=campaign).values_list("organisation__code",
                                                                        "status"))
    plans = dict(Plan.objects.filter(campaign=campaign).values_list("organisation__code",
                                                                    "status"))
    for code, row in rows.items():
        status = results.get(code)
        if status and status != "draft":
            assert row.state == status
        elif plans.get(code) != "accepted":
            assert row.state == "not_ready"
        else:
            assert row.state == (status or "missing")
    # Filters: within a parent, by state, by ids; ministries first as in plan tracking.
    assert {r.code for r in result_rows(campaign, within="01")} == {orgs["c1"].code,
                                                                   orgs["c2"].code}
    assert [r.code for r in result_rows(campaign, state="submitted")] == [orgs["b"].code]
    assert [r.code for r in result_rows(campaign, ids=[orgs["hn"].pk])] == ["01"]
    assert [r.code for r in result_rows(campaign)] == [
        r.code for r in unit_rows(campaign, detail=False)]
    # A draft of results (plan accepted): "draft"; the national figures count it missing.
    results_for_update(campaign=campaign, organisation=orgs["hn"], by=world["editors"]["hn"])
    assert result_rows(campaign, ids=[orgs["hn"].pk])[0].state == "draft"
    figures = plan_vs_result(campaign)
    assert figures["units"]["results_missing"] == figures["units"]["expected"] - 4


def test_unit_counts_agree_with_each_unit_and_add_up(world):
    campaign, orgs = world["campaign"], world["orgs"]
    ids = [o.pk for o in orgs.values()]
    counts = unit_counts(campaign, ids)
    for org in orgs.values():
        one = unit_plan_vs_result(campaign, org)
        assert counts[org.pk] == {k: one[k] for k in ("activities", "participants",
                                                     "initiatives")}, org.code
    national = plan_vs_result(campaign)
    for section in ("participants", "initiatives"):
        for key, value in national[section].items():
            assert sum(c[section][key] for c in counts.values()) == value, (section, key)
    for key, value in national["activities"].items():
        assert sum(c["activities"][key] for c in counts.values()) == value, key
