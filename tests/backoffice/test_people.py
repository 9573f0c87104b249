"""People (accounts) and units' contacts in the back office: agency admins manage, reviewers
look, unit editors are refused; every write goes through the services and changes nothing
when refused."""

import datetime
import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from dxday.accounts.models import User
from dxday.plans.reminders import unit_addresses
from dxday.registry.models import Contact, Organisation
from tests.conftest import PASSWORD, Client, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_in(client, agency_admin):
    client.force_login(agency_admin)
    return client


def field_error(html: str, field_id: str) -> str:
    """The message shown under a field, tied to it by aria-describedby."""
    assert f'aria-describedby="{field_id}-error"' in html or f'{field_id}-error"' in html
    found = re.search(rf'id="{field_id}-error">([^<]*)<', html)
    assert found, f"no message under {field_id}"
    return found[1]


def invite(client, **values):
    get = client.get("/backoffice/people/invite/?lang=en")
    token = get.context["token"]
    data = {"email": "", "full_name": "", "role": "editor", "organisation": "",
            "form_token": token, "action": "invite", **values}
    return client.post("/backoffice/people/invite/", data), data


# --- the list ---------------------------------------------------------------------------------

def test_people_list_in_words_with_local_times_and_two_factor(admin_in, editor_a, reviewer):
    editor_a.full_name = "Nguyễn Văn An"
    editor_a.last_login = datetime.datetime(2026, 3, 1, 1, 30, tzinfo=datetime.UTC)
    editor_a.save()
    TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)
    html = admin_in.get("/backoffice/people/?lang=en").content.decode()
    row = re.search(r"Nguyễn Văn An.*?</tr>", html, re.S)[0]
    assert "bientap@danang.example.vn" in row and "Unit editor" in row
    assert "Thành phố Đà Nẵng" in row
    assert "8:30, 01/03/2026" in row  # 01:30 UTC is 08:30 in Viet Nam
    assert ">off<" in row
    reviewer_row = re.search(r"thamdinh@cdsqg\.example\.vn</a></th>.*?</tr>", html, re.S)[0]
    assert "Agency reviewer" in reviewer_row and ">on<" in reviewer_row and "never" in reviewer_row
    for secret in ("password", "md5$", "pbkdf2", "is_staff", "is_superuser", "superuser"):
        assert secret not in html.lower()


def test_people_filters_and_pages(admin_in, editor_a, editor_b, reviewer):
    editor_a.full_name = "Nguyễn Văn An"
    editor_a.save()
    listed = admin_in.get("/backoffice/people/", {"role": "editor"}).context["page"]
    assert {u.email for u in listed} == {editor_a.email, editor_b.email}
    by_unit = admin_in.get("/backoffice/people/", {"unit": "48"}).context["page"]
    assert [u.email for u in by_unit] == [editor_a.email]
    by_unit_name = admin_in.get("/backoffice/people/", {"unit": "khoa hoc"}).context["page"]
    assert [u.email for u in by_unit_name] == [editor_b.email]
    folded = admin_in.get("/backoffice/people/", {"q": "nguyen van an"}).context["page"]
    assert [u.email for u in folded] == [editor_a.email]
    for i in range(55):
        User.objects.create_user(f"nguoi{i:02d}@example.vn", role="reviewer")
    first = admin_in.get("/backoffice/people/?lang=en")
    assert len(first.context["page"]) == 50
    assert "page=2" in first.content.decode()
    second = admin_in.get("/backoffice/people/", {"page": 2}).context["page"]
    assert len(second) == User.objects.count() - 50


def test_who_may_see_and_manage(client, editor_a, reviewer, agency_admin):
    client.force_login(editor_a)
    assert client.get("/backoffice/people/").status_code == 403
    assert client.get("/backoffice/units/").status_code == 403
    client.force_login(reviewer)
    assert client.get("/backoffice/people/").status_code == 200
    page = client.get(f"/backoffice/people/{editor_a.pk}/?lang=en").content.decode()
    assert "Deactivate" not in page and "Invite someone" not in page
    assert client.get("/backoffice/people/invite/").status_code == 403
    assert client.post(f"/backoffice/people/{editor_a.pk}/",
                       {"action": "deactivate"}).status_code == 403
    assert client.post(f"/backoffice/people/{editor_a.pk}/two-factor/").status_code == 403
    assert client.post("/backoffice/units/48/", {"name": "X"}).status_code == 403
    editor_a.refresh_from_db()
    assert editor_a.is_active and not Contact.objects.exists()


def test_posts_need_the_csrf_token(agency_admin, editor_a):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(agency_admin)
    assert strict.post(f"/backoffice/people/{editor_a.pk}/",
                       {"action": "deactivate"}).status_code == 403
    assert strict.post("/backoffice/people/invite/", {"email": "x@example.vn"}).status_code == 403
    editor_a.refresh_from_db()
    assert editor_a.is_active


# --- inviting ---------------------------------------------------------------------------------

def test_invite_creates_an_account_without_password_and_mails_an_absolute_link(
        admin_in, smtp, settings):
    settings.SITE_URL = "https://dxday.example.gov.vn/"
    response, _data = invite(admin_in, email="Canbo@DaNang.example.vn",
                             full_name="Lê Thị Hoa", role="editor", organisation="48")
    user = User.objects.get(email="canbo@danang.example.vn")
    assert response.status_code == 302 and response["Location"] == f"/backoffice/people/{user.pk}/"
    assert (user.full_name, user.role, user.organisation.code) == ("Lê Thị Hoa", "editor", "48")
    assert not user.has_usable_password() and not user.is_staff and not user.is_superuser
    [message] = smtp.messages
    assert message["to"] == ["canbo@danang.example.vn"]
    link = re.search(r"https://dxday\.example\.gov\.vn(/accounts/invitation/\S+/)",
                     message["body"])[1]
    assert "Thành phố Đà Nẵng" in message["body"]
    # The person chooses the password with the link, once.
    anonymous = Client()
    form = anonymous.get(link, follow=True)
    target = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = anonymous.post(target, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_invite_a_province_reviewer(admin_in, smtp):
    response, _data = invite(admin_in, email="tinh@danang.example.vn", full_name="Phạm Văn D",
                             role="reviewer", organisation="48")
    assert response.status_code == 302
    user = User.objects.get(email="tinh@danang.example.vn")
    assert (user.role, user.organisation.code) == ("reviewer", "48")
    assert user.reviews_province == user.organisation_id and not user.is_agency
    refused, _data = invite(admin_in, email="bo@example.vn", full_name="Bộ",
                            role="reviewer", organisation="BKHCN")
    assert refused.status_code == 422
    assert "must be a province" in field_error(refused.content.decode(), "i-organisation")
    assert not User.objects.filter(email="bo@example.vn").exists()
    assert len(smtp.messages) == 1


def test_a_double_submitted_invitation_creates_one_account(admin_in, smtp):
    response, data = invite(admin_in, email="hai.lan@example.vn", full_name="Hai Lần",
                            role="reviewer")
    assert response.status_code == 302
    again = admin_in.post("/backoffice/people/invite/", data)
    user = User.objects.get(email="hai.lan@example.vn")
    assert again.status_code == 302 and again["Location"] == f"/backoffice/people/{user.pk}/"
    assert User.objects.filter(email="hai.lan@example.vn").count() == 1
    assert len(smtp.messages) == 1
    # The same address in a new form: refused on the email field, nothing saved or sent.
    third, _data = invite(admin_in, email="HAI.LAN@example.vn", full_name="Ba Lần",
                          role="reviewer")
    assert third.status_code == 422
    assert "already exists" in field_error(third.content.decode(), "i-email")
    assert User.objects.filter(email__iexact="hai.lan@example.vn").count() == 1
    assert len(smtp.messages) == 1


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"role": "superuser"}, "i-role", "Unknown role"),
    ({"role": "editor"}, "i-organisation", "needs an organisation"),
    ({"role": "editor", "organisation": "NOPE"}, "i-organisation", "Choose a unit"),
    ({"role": "editor", "organisation": "48-2022"}, "i-organisation", "does not exist today"),
    ({"email": "not-an-address"}, "i-email", "valid email"),
    ({"full_name": "  "}, "i-full-name", "full name"),
])
def test_invite_refuses_bad_input_on_the_field(admin_in, smtp, values, field, message):
    before = User.objects.count()
    base = {"email": "moi@example.vn", "full_name": "Người Mới", "role": "reviewer"}
    response, _data = invite(admin_in, **{**base, **values})
    assert response.status_code == 422
    html = response.content.decode()
    assert message in field_error(html, field)
    assert 'value="Người Mới"' in html or values.get("full_name")  # what was typed stays
    assert User.objects.count() == before and smtp.messages == []


def test_units_offered_exist_today_with_their_dates(admin_in):
    page = admin_in.get("/backoffice/people/invite/?lang=en").content.decode()
    assert "Thành phố Đà Nẵng (from 01/07/2025)" in page
    assert "48-2022" not in page  # ended bodies are not offered
    assert "Phường Hải Châu" not in page  # communes: found by a search
    found = admin_in.post("/backoffice/people/invite/", {
        "email": "x@example.vn", "full_name": "Xuân", "role": "editor", "unit_q": "hai chau",
        "action": "find", "form_token": "t1"})
    assert found.status_code == 200
    html = found.content.decode()
    assert 'value="x@example.vn"' in html  # nothing typed is lost
    assert "Phường Hải Châu" in html
    assert not User.objects.filter(email="x@example.vn").exists()
    # Enter pressed in the search box (no unit chosen yet) searches too.
    enter = admin_in.post("/backoffice/people/invite/", {
        "email": "x@example.vn", "full_name": "Xuân", "role": "editor", "unit_q": "hai chau",
        "action": "invite", "form_token": "t2"})
    assert enter.status_code == 200 and not User.objects.filter(email="x@example.vn").exists()


# --- one person -------------------------------------------------------------------------------

def test_deactivate_and_reactivate_but_not_yourself(admin_in, agency_admin, editor_a):
    response = admin_in.post(f"/backoffice/people/{editor_a.pk}/", {"action": "deactivate"})
    assert response.status_code == 302
    editor_a.refresh_from_db()
    assert not editor_a.is_active
    assert Client().post("/accounts/login/", {"username": editor_a.email,
                                              "password": PASSWORD}).status_code == 200
    admin_in.post(f"/backoffice/people/{editor_a.pk}/", {"action": "reactivate"})
    editor_a.refresh_from_db()
    assert editor_a.is_active
    own = admin_in.post(f"/backoffice/people/{agency_admin.pk}/?lang=en",
                        {"action": "deactivate"})
    assert own.status_code == 422 and "your own account" in own.content.decode()
    agency_admin.refresh_from_db()
    assert agency_admin.is_active


def test_resend_the_invitation(admin_in, smtp, settings):
    settings.SITE_URL = "https://dxday.example.gov.vn"
    user = User.objects.create_user("cho@example.vn", role="reviewer", full_name="Chờ Đợi")
    page = admin_in.get(f"/backoffice/people/{user.pk}/?lang=en").content.decode()
    assert "Send the invitation again" in page and "invitation pending" in page
    admin_in.post(f"/backoffice/people/{user.pk}/", {"action": "resend"})
    [message] = smtp.messages
    assert "https://dxday.example.gov.vn/accounts/invitation/" in message["body"]


def test_change_role_and_unit(admin_in, agency_admin, editor_a, reviewer):
    url = f"/backoffice/people/{editor_a.pk}/"
    assert admin_in.post(url, {"action": "change", "role": "editor",
                               "organisation": "BKHCN"}).status_code == 302
    editor_a.refresh_from_db()
    assert editor_a.organisation.code == "BKHCN"
    # A reviewer's unit is a province (a province reviewer) or none (the agency): a ministry
    # is refused on the field, and nothing changes.
    kept = admin_in.post(url + "?lang=en", {"action": "change", "role": "reviewer",
                                            "organisation": "BKHCN"})
    assert kept.status_code == 422
    assert "must be a province" in field_error(kept.content.decode(), "c-organisation")
    editor_a.refresh_from_db()
    assert (editor_a.role, editor_a.organisation.code) == ("editor", "BKHCN")
    admin_in.post(url, {"action": "change", "role": "reviewer", "organisation": "01"})
    editor_a.refresh_from_db()
    assert (editor_a.role, editor_a.organisation.code) == ("reviewer", "01")
    assert editor_a.reviews_province == editor_a.organisation_id and not editor_a.is_agency
    admin_in.post(url, {"action": "change", "role": "reviewer", "organisation": ""})
    editor_a.refresh_from_db()
    assert (editor_a.role, editor_a.organisation) == ("reviewer", None)
    assert editor_a.is_agency
    refused = admin_in.post(f"/backoffice/people/{reviewer.pk}/?lang=en",
                            {"action": "change", "role": "editor", "organisation": ""})
    assert refused.status_code == 422
    assert "needs an organisation" in field_error(refused.content.decode(), "c-organisation")
    reviewer.refresh_from_db()
    assert reviewer.role == "reviewer"
    # Made admin, then back: admin rights follow the role.
    admin_in.post(f"/backoffice/people/{reviewer.pk}/", {"action": "change", "role": "admin"})
    reviewer.refresh_from_db()
    assert reviewer.is_agency_admin
    admin_in.post(f"/backoffice/people/{reviewer.pk}/", {"action": "change", "role": "reviewer"})
    reviewer.refresh_from_db()
    assert not reviewer.is_agency_admin and reviewer.is_agency
    own = admin_in.post(f"/backoffice/people/{agency_admin.pk}/?lang=en",
                        {"action": "change", "role": "reviewer"})
    assert "your own role" in field_error(own.content.decode(), "c-role")
    agency_admin.refresh_from_db()
    assert agency_admin.role == "admin"


def test_an_ended_unit_is_shown_with_its_end_date_and_kept(admin_in):
    old = Organisation.objects.get(code="48-2022")
    user = make_user("cu@danang.example.vn", "editor", old.code)
    page = admin_in.get(f"/backoffice/people/{user.pk}/?lang=en").content.decode()
    assert "Thành phố Đà Nẵng (until 30/06/2025)" in page
    assert "Thành phố Đà Nẵng (from 01/07/2025)" in page
    kept = admin_in.post(f"/backoffice/people/{user.pk}/", {
        "action": "change", "role": "editor", "organisation": "48-2022"})
    assert kept.status_code == 302


def test_reset_two_factor_after_confirmation(admin_in, reviewer):
    TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)
    url = f"/backoffice/people/{reviewer.pk}/two-factor/"
    confirm = admin_in.get(url + "?lang=en")
    assert confirm.status_code == 200 and "Yes, reset two-factor" in confirm.content.decode()
    assert TOTPDevice.objects.filter(user=reviewer).exists()
    assert admin_in.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=reviewer).exists()
    page = admin_in.get(f"/backoffice/people/{reviewer.pk}/?lang=en").content.decode()
    assert "Two-factor authentication was reset" in page


# --- units and focal contacts -----------------------------------------------------------------

def test_units_search_and_kinds(admin_in):
    found = admin_in.get("/backoffice/units/", {"q": "da nang", "lang": "en"})
    codes = [r["code"] for r in found.context["page"]]
    assert "48" in codes and "48-2022" not in codes
    assert "(from 01/07/2025)" in found.content.decode()
    ended = admin_in.get("/backoffice/units/", {"q": "da nang", "when": "ended"}).context["page"]
    assert [r["code"] for r in ended] == ["48-2022"]
    provinces = admin_in.get("/backoffice/units/", {"group": "provinces"})
    assert provinces.context["count"] == 34
    ministries = admin_in.get("/backoffice/units/", {"group": "ministries", "q": "BKHCN"})
    assert [r["code"] for r in ministries.context["page"]] == ["BKHCN"]


def test_focal_contacts_are_kept_in_the_registry_and_used(admin_in, reviewer, editor_a,
                                                         campaign):
    url = "/backoffice/units/01/"
    added = admin_in.post(url, {"name": "Trần Thị Bình", "position": "Chánh Văn phòng",
                                "unit": "Sở Khoa học và Công nghệ", "phone": "024 3825 0000",
                                "email": "Binh@HaNoi.example.vn", "is_focal": "1"})
    assert added.status_code == 302
    contact = Contact.objects.get(organisation__code="01")
    assert (contact.email, contact.is_focal) == ("binh@hanoi.example.vn", True)
    assert unit_addresses(Organisation.objects.get(code="01")) == ["binh@hanoi.example.vn"]
    client = Client()
    client.force_login(reviewer)
    tracking = client.get("/backoffice/2026/", {"q": "ha noi"}).content.decode()
    assert "Trần Thị Bình 024 3825 0000 binh@hanoi.example.vn" in tracking
    page = client.get(url + "?lang=en").content.decode()
    assert "Chánh Văn phòng" in page and "Edit" not in page  # reviewers look only

    edit = f"/backoffice/units/01/contacts/{contact.pk}/"
    assert admin_in.post(edit, {"action": "save", "name": "Trần Thị Bình", "email": "",
                                "phone": "024 3825 0001"}).status_code == 302
    contact.refresh_from_db()
    assert (contact.phone, contact.email, contact.is_focal) == ("024 3825 0001", "", False)
    assert unit_addresses(Organisation.objects.get(code="01")) == []
    assert admin_in.post(edit, {"action": "delete"}).status_code == 302
    assert not Contact.objects.exists()


def test_contact_refused_on_its_fields_and_nothing_saved(admin_in):
    bad = admin_in.post("/backoffice/units/48/?lang=en", {"name": " ", "email": "không-phải",
                                                          "phone": "gọi tôi"})
    assert bad.status_code == 422
    html = bad.content.decode()
    assert "name" in field_error(html, "n-name").lower()
    assert "valid email" in field_error(html, "n-email")
    assert "phone number" in field_error(html, "n-phone")
    assert 'value="không-phải"' in html
    assert not Contact.objects.exists()
    contact = Contact.objects.create(organisation=Organisation.objects.get(code="48"),
                                     name="Lê Văn C", email="c@danang.example.vn")
    refused = admin_in.post(f"/backoffice/units/48/contacts/{contact.pk}/?lang=en",
                            {"action": "save", "name": "Lê Văn C", "email": "c@"})
    assert refused.status_code == 422
    assert "valid email" in field_error(refused.content.decode(), "e-email")
    contact.refresh_from_db()
    assert contact.email == "c@danang.example.vn"
    # A contact is reached through its own unit only.
    assert admin_in.get(f"/backoffice/units/01/contacts/{contact.pk}/").status_code == 404


def test_unit_page_lists_its_accounts_and_successor(admin_in, editor_a):
    html = admin_in.get("/backoffice/units/48-2022/?lang=en").content.decode()
    assert "until 30/06/2025" in html and 'href="/backoffice/units/48/"' in html
    page = admin_in.get("/backoffice/units/48/?lang=en").content.decode()
    assert editor_a.email in page and f'href="/backoffice/people/{editor_a.pk}/"' in page
    assert timezone.localdate().year >= 2025


def test_forms_resist_hostile_input(admin_in, smtp):
    """Every payload of the hostile-input corpus, in every field: no server error, nothing
    typed comes back unescaped, and no account or contact is made from a refused form."""
    from tests.test_hostile_input import PAYLOADS, assert_escaped

    before = User.objects.count()
    for payload in [p for p in PAYLOADS if len(p) < 3000][::3]:
        for path, data in (
            ("/backoffice/people/invite/", {"email": payload, "full_name": payload,
                                            "role": payload, "organisation": payload,
                                            "unit_q": "", "form_token": payload}),
            ("/backoffice/people/invite/", {"email": "ok@example.vn", "full_name": "A",
                                            "role": "editor", "organisation": "",
                                            "unit_q": payload, "action": "find"}),
            ("/backoffice/units/48/", {"name": payload, "email": payload, "phone": payload,
                                       "position": payload, "unit": payload}),
        ):
            response = admin_in.post(path, data)
            assert response.status_code < 500, (path, payload[:40])
            assert_escaped(response.content.decode(), payload, path)
        for path, params in (("/backoffice/people/", {"q": payload, "unit": payload}),
                             ("/backoffice/units/", {"q": payload, "group": payload}),
                             ("/backoffice/history/", {"unit": payload, "model": payload})):
            response = admin_in.get(path, params)
            # A NUL is refused before any view (a 400 naming the parameter); the rest is read.
            assert response.status_code == (400 if "\x00" in payload else 200), (path,
                                                                                 payload[:40])
            assert_escaped(response.content.decode(), payload, path)
    assert User.objects.count() == before and not Contact.objects.exists()
    assert smtp.messages == []
