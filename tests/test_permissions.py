"""The permission matrix: every route × every persona.

Outcomes: "ok" (the action is allowed: 2xx, a redirect that is not to the login page, or a
business answer such as 409/422), "login" (redirect to the login page), 401, 403, 404, 405.
A route missing from MATRIX fails `test_every_route_is_in_the_matrix`.
"""


import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from dxday.plans.models import Plan
from tests.conftest import (
    ORG_A,
    Client,
    good_plan_data,
    make_user,
    module_transaction,
    open_campaign,
    suite_settings,
)

pytestmark = pytest.mark.django_db
# province_reviewer reviews the communes of Hà Nội (01), whose round is open; unit A (Đà Nẵng)
# is another province: for it, the province reviewer is a stranger, like editor B.
PERSONAS = ["anonymous", "editor_a", "editor_b", "reviewer", "admin", "province_reviewer"]
PLAN = {"year": 2026, "org_code": ORG_A}
PLAN_B = {"year": 2026, "org_code": "BKHCN"}


def every(outcome):
    return dict.fromkeys(PERSONAS, outcome)


def web(anonymous="login", editor_a="ok", editor_b="ok", reviewer="ok", admin="ok",
        province_reviewer=None):
    """Outcomes by persona; the province reviewer, unless told, fares as editor B (another
    unit's plan → 404, the agency's pages → 403)."""
    return {"anonymous": anonymous, "editor_a": editor_a, "editor_b": editor_b,
            "reviewer": reviewer, "admin": admin,
            "province_reviewer": editor_b if province_reviewer is None else province_reviewer}


def for_province_reviewer(outcomes: dict, outcome) -> dict:
    """A route the province reviewer reaches within its round."""
    return {**outcomes, "province_reviewer": outcome}


UNIT_READ = web(editor_b=404)                       # the unit and the agency read
UNIT_WRITE = web(editor_b=404, reviewer=403, admin=403)  # only the unit writes
RESULTS_B = web(editor_a=404, province_reviewer=404)  # unit B's results: B and the agency
AGENCY = web(editor_a=403, editor_b=403)            # the agency only
ADMIN_ONLY = web(editor_a=403, editor_b=403, reviewer=403)  # the agency's admins only
API_READ = web(anonymous=401, editor_b=404)
API_WRITE = web(anonymous=401, editor_b=404, reviewer=403, admin=403)
API_REVIEW = web(anonymous=401, editor_a=403, editor_b=404)
LOGGED_IN = web()

# route name → list of (method, url kwargs, outcomes by persona)
MATRIX = {
    "public:home": [("get", {}, every("ok"))],
    "public:campaign": [("get", {"year": 2022}, every("ok"))],
    "public:search": [("get", {}, every("ok"))],
    "public:feed": [("get", {}, every("ok"))],
    "public:document_file": [("get", {"pk": "DOCUMENT"}, every(404))],  # no file attached
    "public:open_data": [("get", {}, every("ok"))],
    "public:open_data_en": [("get", {}, every("ok"))],
    "public:api_docs": [("get", {}, every("ok"))],
    "public:api_docs_en": [("get", {}, every("ok"))],
    "public:organisation": [("get", {"code": "48"}, every("ok"))],
    "public:organisation_years": [("get", {"code": "48"}, every("ok"))],
    "public:organisation_years_en": [("get", {"code": "48"}, every("ok"))],
    "public:document": [("get", {"pk": "DOCUMENT"}, every("ok"))],
    "public:calendar": [("get", {"year": 2026}, every("ok"))],
    "public:activity": [("get", {"year": 2026, "pk": "ACTIVITY"}, every("ok"))],
    "public:catalogue": [("get", {"year": 2026}, every("ok"))],
    "public:initiative": [("get", {"year": 2026, "pk": "INITIATIVE"}, every("ok"))],
    "public:map": [("get", {"year": 2026}, every("ok"))],
    **{f"public:{name}": [("get", {"year": 2026}, every("ok"))]
       for name in ("results", "results_en")},
    **{f"public:{name}": [("get", {"year": 2026, "code": "48"}, every("ok"))]
       for name in ("unit_results", "unit_results_en")},
    "set_language": [("post", {}, every("ok"))],
    "api:api-root": [("get", {}, every(404))],
    "api:openapi-json": [("get", {}, every("ok"))],
    "api:openapi-view": [("get", {}, every("ok"))],
    "api:organisations": [("get", {}, every("ok"))],
    "api:organisation": [("get", {"code": "BKHCN"}, every("ok"))],
    "api:organisation_years": [("get", {"code": "48"}, every("ok"))],
    "api:campaigns": [("get", {}, every("ok"))],
    "api:campaign": [("get", {"year": 2026}, every("ok"))],
    "api:recipients": [("get", {"year": 2026}, every("ok"))],
    "api:figures": [("get", {"year": 2026}, every("ok"))],
    "api:tracking": [("get", {"year": 2026}, every("ok"))],
    **{f"api:{name}": [("get", {"year": 2026}, every("ok"))]
       for name in ("activities", "activities_csv", "activities_xlsx", "activities_ics",
                    "initiatives", "initiatives_csv", "initiatives_xlsx", "datapackage",
                    "activity_results", "activity_results_csv", "activity_results_xlsx",
                    "initiative_results", "initiative_results_csv",
                    "initiative_results_xlsx")},
    "api:trends": [("get", {}, every("ok"))],
    "api:catalog": [("get", {}, every("ok"))],
    "api:search": [("get", {}, every("ok"))],
    "api:plan_get": [("get", PLAN, API_READ)],
    "api:plan_put": [("put", PLAN, API_WRITE)],
    "api:plan_submit_view": [("post", PLAN, API_WRITE), ("get", PLAN, web(
        anonymous=405, editor_a=405, editor_b=405, reviewer=405, admin=405))],
    "api:plan_review_view": [("post", PLAN, API_REVIEW)],
    # Results: the plans' rules (unit A's plan is not accepted: its writes answer 409).
    "api:results_get": [("get", PLAN, API_READ)],
    "api:results_put": [("put", PLAN, API_WRITE)],
    "api:results_submit_view": [("post", PLAN, API_WRITE)],
    "api:results_review_view": [("post", PLAN, API_REVIEW)],
    "api:results_document_put": [("put", PLAN, web(anonymous=401, editor_a=415, editor_b=404,
                                                    reviewer=403, admin=403))],
    "api:published_results": [("get", {"year": 2026}, every("ok"))],
    "api:plan_vs_result_view": [("get", {"year": 2026}, every("ok"))],
    "api:unit_plan_vs_result_view": [("get", PLAN, every("ok"))],
    "accounts:login": [("get", {}, web(anonymous="ok"))],
    "accounts:logout": [("post", {}, every("ok")), ("get", {}, every(405))],
    "accounts:profile": [("get", {}, LOGGED_IN), ("post", {}, LOGGED_IN)],
    "accounts:otp_setup": [("get", {}, LOGGED_IN), ("post", {}, LOGGED_IN)],
    "accounts:otp_verify": [("get", {}, LOGGED_IN), ("post", {}, LOGGED_IN)],
    "healthz": [("get", {}, every("ok")), ("post", {}, every(405))],
    "accounts:token_revoke": [("post", {"pk": "TOKEN_A"}, web(editor_b=404, reviewer=404,
                                                              admin=404)),
                              ("get", {"pk": "TOKEN_A"}, web(editor_a=405, editor_b=405,
                                                             reviewer=405, admin=405))],
    "accounts:password_reset": [("get", {}, every("ok"))],
    "accounts:password_reset_done": [("get", {}, every("ok"))],
    "accounts:password_reset_confirm": [("get", {"uidb64": "MQ", "token": "bad"}, every("ok"))],
    "accounts:invitation": [("get", {"uidb64": "MQ", "token": "bad"}, every("ok"))],
    "accounts:password_reset_complete": [("get", {}, every("ok"))],
    "plans:home": [("get", {}, LOGGED_IN)],
    "plans:plan": [("get", PLAN, UNIT_READ), ("post", PLAN, UNIT_WRITE)],
    "plans:row": [("get", {**PLAN, "section": "activities"}, UNIT_WRITE)],
    "plans:submit": [("get", PLAN, UNIT_WRITE), ("post", PLAN, UNIT_WRITE)],
    "plans:carry_over": [("get", PLAN, UNIT_WRITE), ("post", PLAN, UNIT_WRITE)],
    "plans:version": [("get", {**PLAN, "number": 1}, UNIT_READ)],
    "plans:workbook": [("get", PLAN, UNIT_READ)],
    "plans:workbook_upload": [("post", PLAN, UNIT_WRITE)],
    "plans:document": [("get", {**PLAN, "number": 1}, UNIT_READ)],
    "plans:diff": [("get", {**PLAN, "old": 1, "new": 1}, UNIT_READ)],
    "backoffice:home": [("get", {}, for_province_reviewer(AGENCY, "ok"))],
    **{f"backoffice:{name}": [("get", {"year": 2026}, ADMIN_ONLY),
                              ("post", {"year": 2026}, ADMIN_ONLY)]
       for name in ("campaign_setup", "campaign_recipients", "campaign_call")},
    "backoffice:campaign_new": [("get", {}, ADMIN_ONLY), ("post", {}, ADMIN_ONLY)],
    "backoffice:reminders": [("get", {"year": 2026}, for_province_reviewer(AGENCY, "ok")),
                             ("post", {"year": 2026}, for_province_reviewer(AGENCY, "ok"))],
    # A decision names its request: none named is a 404.
    "backoffice:extensions": [("get", {"year": 2026}, for_province_reviewer(AGENCY, "ok")),
                              ("post", {"year": 2026}, web(editor_a=403, editor_b=403,
                                                           reviewer=404, admin=404,
                                                           province_reviewer=404))],
    # Province reviewers open their own province's round; agency admins any province's.
    "backoffice:round": [("get", {"year": 2026}, for_province_reviewer(ADMIN_ONLY, "ok")),
                         ("post", {"year": 2026}, for_province_reviewer(ADMIN_ONLY, "ok"))],
    "plans:extension": [("get", PLAN, UNIT_WRITE), ("post", PLAN, UNIT_WRITE)],
    # Unit A's plan is not accepted: its results page says why (read), a save or submit is
    # refused with that reason (the unit's own "ok"), and there is no version yet (404).
    "results:results": [("get", PLAN, UNIT_READ), ("post", PLAN, UNIT_WRITE)],
    "results:row": [("get", {**PLAN, "section": "activities"}, UNIT_WRITE)],
    "results:submit": [("get", PLAN, UNIT_WRITE), ("post", PLAN, UNIT_WRITE)],
    # Unit B's results are submitted (version 1, with its document): B and the agency read
    # them; unit A, and a province reviewer (a ministry is not in its round), do not.
    "results:version": [("get", {**PLAN, "number": 1}, web(editor_a=404, editor_b=404,
                                                          reviewer=404, admin=404)),
                        ("get", {**PLAN_B, "number": 1}, RESULTS_B)],
    "results:document": [("get", {**PLAN, "number": 1}, web(editor_a=404, editor_b=404,
                                                           reviewer=404, admin=404)),
                         ("get", {**PLAN_B, "number": 1}, RESULTS_B)],
    "backoffice:people": [("get", {}, AGENCY)],
    "backoffice:people_invite": [("get", {}, ADMIN_ONLY), ("post", {}, ADMIN_ONLY)],
    "backoffice:person": [("get", {"pk": "USER_B"}, AGENCY),
                          ("post", {"pk": "USER_B"}, ADMIN_ONLY)],
    "backoffice:person_two_factor": [("get", {"pk": "USER_B"}, ADMIN_ONLY),
                                     ("post", {"pk": "USER_B"}, ADMIN_ONLY)],
    "backoffice:units": [("get", {}, AGENCY)],
    "backoffice:unit": [("get", {"code": ORG_A}, AGENCY), ("post", {"code": ORG_A}, ADMIN_ONLY)],
    "backoffice:unit_contact": [("get", {"code": ORG_A, "pk": "CONTACT"}, AGENCY),
                                ("post", {"code": ORG_A, "pk": "CONTACT"}, ADMIN_ONLY)],
    "api:plan_document_put": [("put", PLAN, web(anonymous=401, editor_a=415, editor_b=404,
                                                 reviewer=403, admin=403))],
    "accounts:session_status": [("get", {}, web(anonymous=401))],
    "accounts:session_extend": [("post", {}, web(anonymous=401)), ("get", {}, every(405))],
    "backoffice:history": [("get", {}, AGENCY)],
    "backoffice:tracking": [("get", {"year": 2026}, for_province_reviewer(AGENCY, "ok")),
                            # A campaign without a round of the province: nothing to see.
                            ("get", {"year": 2025}, web(editor_a=403, editor_b=403,
                                                        province_reviewer=404))],
    "backoffice:bulk_accept": [("post", {"year": 2026}, for_province_reviewer(AGENCY, "ok")),
                               ("get", {"year": 2026}, web(anonymous="login", editor_a=403,
                                                           editor_b=403, reviewer=405,
                                                           admin=405, province_reviewer=405))],
    # Unit A is in another province than the province reviewer's: as if it did not exist.
    "backoffice:review": [("get", PLAN, for_province_reviewer(AGENCY, 404)),
                          ("post", PLAN, for_province_reviewer(AGENCY, 404))],
    "backoffice:results": [("get", {"year": 2026}, for_province_reviewer(AGENCY, "ok"))],
    "backoffice:results_bulk_accept": [("post", {"year": 2026},
                                        for_province_reviewer(AGENCY, "ok"))],
    "backoffice:results_remind": [("post", {"year": 2026}, for_province_reviewer(AGENCY, "ok"))],
    # Unit A has no results yet: reviewing them is a 404 (and another province's, for the
    # province reviewer).
    "backoffice:results_review": [("get", PLAN, for_province_reviewer(AGENCY, 404)),
                                  ("post", PLAN, web(editor_a=403, editor_b=403, reviewer=404,
                                                     admin=404, province_reviewer=404)),
                                  # Unit B's submitted results: the agency reviews them.
                                  ("get", PLAN_B, for_province_reviewer(AGENCY, 404))],
    "backoffice:reports": [("get", {"year": 2026}, AGENCY), ("post", {"year": 2026}, AGENCY)],
    "backoffice:bulk_workbook": [("get", {"year": 2026}, AGENCY)],
    "backoffice:bulk_import": [("get", {"year": 2026}, AGENCY), ("post", {"year": 2026}, AGENCY)],
    "backoffice:report": [("get", {"pk": "REPORT"}, AGENCY), ("post", {"pk": "REPORT"}, AGENCY)],
    "backoffice:report_file": [("get", {"pk": "REPORT", "fmt": "xlsx"}, AGENCY)],
    "public:kit": [("get", {"year": 2026}, every("ok"))],
    "public:kit_file": [("get", {"year": 2026, "pk": "KITFILE"}, every("ok")),
                        ("get", {"year": 2026, "pk": "NEGATIVE"}, every(404))],
    "backoffice:kit": [("get", {"year": 2026}, AGENCY),
                       ("post", {"year": 2026}, web(editor_a=403, editor_b=403, reviewer=403))],
    "backoffice:kit_scan": [("post", {"year": 2026}, AGENCY)],
    "backoffice:kit_target": [("get", {"year": 2026, "pk": "TARGET"}, AGENCY)],
    "backoffice:kit_crop": [("get", {"pk": "RESULT"}, AGENCY)],
}


def route_names(patterns=None, namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # Django's admin: staff only, checked below
            yield from route_names(p.url_patterns,
                                   f"{namespace}{p.namespace}:" if p.namespace else namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield namespace + p.name


def test_every_route_is_in_the_matrix():
    assert set(route_names()) == set(MATRIX)


@pytest.fixture(scope="module")
def world_media(tmp_path_factory):
    return tmp_path_factory.mktemp("permissions-media")


@pytest.fixture
def media_root(settings, world_media):
    """The files of the module's world stay where it saved them."""
    settings.MEDIA_ROOT = world_media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_media):
    """Personas, a submitted plan of unit A with its document, and a token of editor A: made
    once for the module (every test runs in a savepoint, rolled back after it)."""
    with module_transaction(django_db_blocker):
        with suite_settings(world_media):
            made = make_world(open_campaign(), good_plan_data())
        yield made


def make_world(campaign, good_plan):
    from dxday.accounts.services import token_create
    from dxday.plans.services import plan_save_draft, plan_submit

    users = {"editor_a": make_user("a@unit.example.vn", "editor", ORG_A),
             "editor_b": make_user("b@unit.example.vn", "editor", "BKHCN"),
             "reviewer": make_user("r@agency.example.vn", "reviewer"),
             "admin": make_user("ad@agency.example.vn", "admin"),
             "province_reviewer": make_user("p@hanoi.example.vn", "reviewer", "01")}
    from dxday.campaigns.services import round_open
    from dxday.registry.models import Organisation

    round_open(campaign=campaign, province=Organisation.objects.get(code="01"),
               deadline_day=timezone.localdate(campaign.submission_deadline)
               - datetime.timedelta(days=1), by=users["province_reviewer"])
    plan, _ = plan_save_draft(campaign=campaign, organisation=users["editor_a"].organisation,
                              data=good_plan, by=users["editor_a"])
    plan.document.save("plan.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    plan_submit(campaign=campaign, organisation=plan.organisation, by=users["editor_a"])
    token, key = token_create(user=users["editor_a"])
    keys = {name: token_create(user=user)[1] for name, user in users.items()}
    # A published plan (unit B's, accepted), so that public detail pages have something.
    from dxday.plans.services import plan_review

    other = users["editor_b"].organisation
    plan_save_draft(campaign=campaign, organisation=other, data=good_plan, by=users["editor_b"])
    published = plan_submit(campaign=campaign, organisation=other, by=users["editor_b"])
    plan_review(plan=published, by=users["reviewer"], decision="accept")
    # Unit B's results, submitted with their signed document: their versions and documents
    # are read by the unit and the agency only.
    from dxday.results.services import results_for_update, results_save_draft, results_submit
    from tests.results.conftest import filled

    campaign.results_deadline = timezone.now() + datetime.timedelta(days=40)
    campaign.save()
    draft = results_for_update(campaign=campaign, organisation=other, by=users["editor_b"]).draft
    result, _ = results_save_draft(campaign=campaign, organisation=other, data=filled(draft),
                                   by=users["editor_b"])
    result.document.save("ket-qua.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    results_submit(campaign=campaign, organisation=other, by=users["editor_b"])
    from dxday.registry.models import Document
    from dxday.reports.models import ReportGeneration

    generation = ReportGeneration.objects.create(campaign=campaign, status="done")
    generation.xlsx.save("r.xlsx", ContentFile(b"PK\x03\x04 test"))
    from dxday.scanner.models import KitFile, ScanResult, ScanTarget

    kit = KitFile(campaign=campaign, variant="colour", sha256="a" * 64)
    kit.file.save("logo.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    negative = KitFile(campaign=campaign, variant="negative", sha256="b" * 64)
    negative.file.save("old.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    target = ScanTarget.objects.create(campaign=campaign, organisation=plan.organisation,
                                       url="https://example.vn/", kind="portal", source="plan")
    result = ScanResult(target=target, checked_at=timezone.now(), verdict="present",
                        scanner_version="t")
    result.crop.save("c.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    assert KitFile.objects.count() == 2
    ids = {"REPORT": generation.pk, "KITFILE": kit.pk, "NEGATIVE": negative.pk,
           "TARGET": target.pk, "RESULT": result.pk, "TOKEN_A": token.pk, "ACTIVITY": published.activities.first().pk,
           "INITIATIVE": published.initiatives.first().pk,
           "DOCUMENT": Document.objects.first().pk, "USER_B": users["editor_b"].pk,
           "CONTACT": plan.organisation.contacts.create(name="Đầu mối").pk}
    return {"users": users, "token_a": token, "keys": keys, "ids": ids}


def outcome(response, login_url="/accounts/login/") -> str | int:
    code = response.status_code
    if code == 302 and response["Location"].startswith(login_url):
        return "login"
    if code in (401, 403, 404, 405):
        return code
    if code < 400 or code in (409, 422):
        return "ok"
    return code


CASES = [(name, i, persona) for name, rows in MATRIX.items() for i in range(len(rows))
         for persona in PERSONAS]


@pytest.mark.parametrize(("name", "row", "persona"), CASES)
def test_matrix(client, world, name, row, persona):
    method, kwargs, expected = MATRIX[name][row]
    kwargs = {k: world["ids"].get(v, v) if isinstance(v, str) else v for k, v in kwargs.items()}
    url = reverse(name, kwargs=kwargs)
    headers = {}
    if persona != "anonymous":
        if name.startswith("api:"):
            headers["Authorization"] = f"Bearer {world['keys'][persona]}"
        else:
            client.force_login(world["users"][persona])
    body = {}
    if name in ("api:plan_review_view", "api:results_review_view"):
        body = {"decision": "accept"}
    if method in ("post", "put") and name.startswith("api:"):
        import json

        response = getattr(client, method)(url, data=json.dumps(body),
                                           content_type="application/json", headers=headers)
    else:
        response = getattr(client, method)(url, headers=headers)
    assert outcome(response) == expected[persona], f"{method.upper()} {url} as {persona}"


UNSAFE_WEB = [(name, kwargs) for name, rows in MATRIX.items() if not name.startswith("api:")
              for method, kwargs, _ in rows if method == "post"]


@pytest.mark.parametrize(("name", "kwargs"), UNSAFE_WEB)
def test_unsafe_web_requests_need_a_csrf_token(world, name, kwargs):
    kwargs = {k: world["ids"].get(v, v) if isinstance(v, str) else v for k, v in kwargs.items()}
    allowed = "admin" if name.startswith("backoffice:") else "editor_a"
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world["users"][allowed])
    assert browser.post(reverse(name, kwargs=kwargs), {}).status_code == 403


@pytest.mark.parametrize("name", ["api:plan_put", "api:plan_submit_view",
                                  "api:plan_review_view", "api:results_put",
                                  "api:results_submit_view", "api:results_review_view"])
def test_the_write_api_ignores_session_cookies(client, world, name):
    """A logged-in browser session is no credential for the API, so CSRF cannot reach it."""
    client.force_login(world["users"]["reviewer" if "review" in name else "editor_a"])
    method = "put" if name.endswith("_put") else "post"
    response = getattr(client, method)(reverse(name, kwargs=PLAN), data="{}",
                                       content_type="application/json")
    assert response.status_code == 401


def test_django_admin_is_for_agency_admins(client, world):
    for persona, expected in [("editor_a", 302), ("reviewer", 302), ("admin", 200)]:
        client.force_login(world["users"][persona])
        assert client.get("/admin/").status_code == expected, persona
    assert Plan.objects.count() == 2  # unit A submitted, unit B published
