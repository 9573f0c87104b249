"""Provincial rounds: province reviewers (dxday adduser --org), opening a round (the service and
the page), each refusal, and the commune's own deadline (late for the round whatever the
national deadline)."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from dxday.accounts.models import User
from dxday.campaigns.models import ProvincialRound
from dxday.campaigns.services import local_midnight, round_open
from dxday.plans.models import Plan
from dxday.registry.models import Organisation
from tests.conftest import Client, make_user

pytestmark = pytest.mark.django_db
PROVINCE = "48"  # Thành phố Đà Nẵng


def _communes(province: Organisation, day: datetime.date) -> set[int]:
    return {o.pk for o in Organisation.objects.filter(parent=province)
            if o.kind in ("commune", "ward", "special_zone") and o.is_valid_on(day)}


@pytest.fixture(autouse=True)
def piped_password(monkeypatch):
    """adduser reads the password from a pipe (no invitation mail)."""
    monkeypatch.setattr("sys.stdin", io.StringIO("Ngay-CDS-10/10\n"))


@pytest.fixture
def province():
    return Organisation.objects.get(code=PROVINCE)


@pytest.fixture
def province_reviewer(db):
    return make_user("tinh@danang.example.vn", "reviewer", PROVINCE)


def _day_before_deadline(campaign, days: int = 1) -> datetime.date:
    return timezone.localtime(campaign.submission_deadline).date() - datetime.timedelta(days=days)


# --- the role ----------------------------------------------------------------------------------

def test_adduser_makes_a_province_reviewer(province):
    out = io.StringIO()
    call_command("adduser", "tinh@danang.example.vn", "--role", "reviewer", "--org", PROVINCE, stdout=out)
    user = User.objects.get(email="tinh@danang.example.vn")
    assert user.organisation == province
    assert user.reviews_province == province.pk
    assert not user.is_agency and not user.is_agency_admin and user.is_staff_reviewer


def test_adduser_without_org_makes_a_national_reviewer():
    call_command("adduser", "tw@cdsqg.example.vn", "--role", "reviewer", stdout=io.StringIO())
    user = User.objects.get(email="tw@cdsqg.example.vn")
    assert user.organisation is None and user.reviews_province is None and user.is_agency


@pytest.mark.parametrize("code", ["BKHCN", "COMMUNE"])
def test_adduser_refuses_a_reviewer_of_a_unit_that_is_not_a_province(province, code):
    if code == "COMMUNE":
        code = Organisation.objects.commune_level().filter(parent=province).first().code
    before = User.objects.count()
    with pytest.raises(CommandError, match="organisation: Đơn vị của người thẩm định phải là tỉnh"):
        call_command("adduser", "x@example.vn", "--role", "reviewer", "--org", code, stdout=io.StringIO())
    assert User.objects.count() == before


# --- opening a round -----------------------------------------------------------------------------

def test_a_province_reviewer_opens_the_round(campaign, province, province_reviewer):
    day = _day_before_deadline(campaign, 2)
    expected = _communes(province, campaign.window_start)
    assert expected, "the reference data has Đà Nẵng's communes"
    already = set(campaign.recipients.filter(pk__in=expected).values_list("pk", flat=True))
    found, added = round_open(campaign=campaign, province=province, deadline_day=day,
                              by=province_reviewer)
    assert added == len(expected - already)
    assert expected <= set(campaign.recipients.values_list("pk", flat=True))
    assert found.deadline == local_midnight(day)
    assert found.opened_by == province_reviewer
    assert (found.reminder_days_before, found.reminder_days_after) == (
        campaign.reminder_days_before, campaign.reminder_days_after)
    # Opened again (a new deadline): the same round, no commune added twice.
    again, added = round_open(campaign=campaign, province=province,
                              deadline_day=_day_before_deadline(campaign, 1), by=province_reviewer,
                              days_before="3", days_after="")
    assert again.pk == found.pk and added == 0
    assert ProvincialRound.objects.filter(campaign=campaign).count() == 1
    assert again.days_before == [3] and again.days_after == []


def test_an_agency_admin_opens_a_round_national_reviewer_may_not(campaign, province,
                                                                 agency_admin, reviewer):
    day = _day_before_deadline(campaign)
    with pytest.raises(PermissionDenied):
        round_open(campaign=campaign, province=province, deadline_day=day, by=reviewer)
    found, _added = round_open(campaign=campaign, province=province, deadline_day=day,
                               by=agency_admin)
    assert found.opened_by == agency_admin


def test_a_province_reviewer_cannot_open_another_province(campaign, province_reviewer):
    other = Organisation.objects.get(code="01")
    with pytest.raises(PermissionDenied):
        round_open(campaign=campaign, province=other, deadline_day=_day_before_deadline(campaign),
                   by=province_reviewer)
    assert not ProvincialRound.objects.exists()


def _refused(campaign, province, by, day, field):
    recipients = campaign.recipients.count()
    with pytest.raises(ValidationError) as caught:
        round_open(campaign=campaign, province=province, deadline_day=day, by=by)
    assert field in caught.value.message_dict
    assert campaign.recipients.count() == recipients
    assert not ProvincialRound.objects.exists()
    return caught.value.message_dict[field][0]


def test_refused_when_the_deadline_is_not_before_the_national_one(campaign, province,
                                                                  province_reviewer):
    national = timezone.localtime(campaign.submission_deadline).date()
    campaign.submission_deadline = local_midnight(national)
    campaign.save()
    message = _refused(campaign, province, province_reviewer, national, "deadline")
    assert national.strftime("%d/%m/%Y") in message
    _refused(campaign, province, province_reviewer, national + datetime.timedelta(days=1),
             "deadline")
    _refused(campaign, province, province_reviewer, None, "deadline")


def test_refused_when_the_campaign_is_locked(campaign, province, province_reviewer):
    campaign.lock_at = timezone.now() - datetime.timedelta(minutes=1)
    campaign.submission_deadline = campaign.lock_at - datetime.timedelta(days=1)
    campaign.save()
    _refused(campaign, province, province_reviewer,
             _day_before_deadline(campaign), "campaign")


def test_refused_when_the_province_is_not_a_recipient(campaign, province, province_reviewer):
    campaign.recipients.remove(province)
    message = _refused(campaign, province, province_reviewer, _day_before_deadline(campaign),
                       "province")
    assert province.name in message


# --- the page ------------------------------------------------------------------------------------

def test_the_round_page_opens_the_round(campaign, province, province_reviewer):
    browser = Client()
    browser.force_login(province_reviewer)
    page = browser.get(f"/backoffice/{campaign.year}/round/")
    assert page.status_code == 200
    assert 'name="deadline"' in page.content.decode()
    assert province.name in page.content.decode()
    day = _day_before_deadline(campaign)
    response = browser.post(f"/backoffice/{campaign.year}/round/", {
        "province": PROVINCE, "deadline": day.strftime("%d/%m/%Y"),
        "reminder_days_before": "5,1", "reminder_days_after": "1"})
    assert response.status_code == 302
    found = ProvincialRound.objects.get(campaign=campaign, province=province)
    assert found.deadline == local_midnight(day) and found.days_before == [5, 1]


def test_the_round_page_refuses_a_late_deadline_and_saves_nothing(campaign, province_reviewer):
    browser = Client()
    browser.force_login(province_reviewer)
    late = timezone.localtime(campaign.submission_deadline).date() + datetime.timedelta(days=2)
    recipients = campaign.recipients.count()
    response = browser.post(f"/backoffice/{campaign.year}/round/", {
        "province": PROVINCE, "deadline": late.strftime("%d/%m/%Y")})
    assert response.status_code == 422
    assert not ProvincialRound.objects.exists()
    assert campaign.recipients.count() == recipients


def test_an_admin_chooses_the_province(campaign, agency_admin):
    browser = Client()
    browser.force_login(agency_admin)
    response = browser.post(f"/backoffice/{campaign.year}/round/", {
        "province": "01", "deadline": _day_before_deadline(campaign).strftime("%d/%m/%Y")})
    assert response.status_code == 302
    assert ProvincialRound.objects.get(campaign=campaign).province.code == "01"


# --- a commune's own deadline --------------------------------------------------------------------

def _submit(campaign, organisation, plan_data, editor, now):
    from dxday.plans.services import plan_save_draft, plan_submit

    plan, _ = plan_save_draft(campaign=campaign, organisation=organisation, data=plan_data,
                              by=editor)
    plan.document.save("plan.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    return plan_submit(campaign=campaign, organisation=organisation, by=editor, now=now)


def test_a_commune_is_late_for_the_round_before_the_national_deadline(
        campaign, province, province_reviewer, good_plan):
    day = _day_before_deadline(campaign, 2)
    round_open(campaign=campaign, province=province, deadline_day=day, by=province_reviewer)
    commune, other = Organisation.objects.commune_level().filter(
        parent=province, campaigns=campaign).order_by("code")[:2]
    late_moment = local_midnight(day) + datetime.timedelta(hours=1)
    assert late_moment < campaign.submission_deadline
    editor = make_user("xa@danang.example.vn", "editor", commune.code)
    plan = _submit(campaign, commune, good_plan, editor, late_moment)
    assert plan.on_time is False and plan.deadline == local_midnight(day)
    assert plan.versions.get().late is True
    # One before the round's deadline is on time.
    early = make_user("xa2@danang.example.vn", "editor", other.code)
    on_time = _submit(campaign, other, good_plan, early,
                      local_midnight(day) - datetime.timedelta(hours=1))
    assert on_time.on_time is True
    # The province itself keeps the national deadline.
    own = Plan(campaign=campaign, organisation=province)
    assert own.deadline == campaign.submission_deadline


def test_reminders_follow_the_rounds_deadline_and_days(campaign, province, province_reviewer):
    from dxday.campaigns.selectors import rounds_by_province, unit_reminder_days
    from dxday.plans.reminders import due_kind, reminder_preview

    day = _day_before_deadline(campaign, 2)
    round_open(campaign=campaign, province=province, deadline_day=day, by=province_reviewer,
               days_before="4", days_after="2")
    rows = {r["organisation"].code: r for r in reminder_preview(campaign)}
    commune = Organisation.objects.commune_level().filter(parent=province,
                                                          campaigns=campaign).first()
    assert rows[commune.code]["deadline"] == local_midnight(day)
    assert rows.get(PROVINCE, {"deadline": campaign.submission_deadline})["deadline"] == (
        campaign.submission_deadline)
    days = unit_reminder_days(campaign, parent_id=province.pk,
                              rounds=rounds_by_province(campaign))
    assert days == ([4], [2])
    moment = local_midnight(day) - datetime.timedelta(days=3)
    assert due_kind(campaign, moment, local_midnight(day), days) == "before-4"
    only = reminder_preview(campaign, within=province.pk)
    expected = campaign.recipients.filter(parent=province).exclude(
        plans__campaign=campaign, plans__status__in=["submitted", "returned", "accepted"]).count()
    assert len(only) == expected


# --- a round's deadline set after communes sent their plans; extensions inside a round -----------

def test_a_round_deadline_in_the_past_is_refused(campaign, province, province_reviewer):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        round_open(campaign=campaign, province=province, deadline_day=yesterday,
                   by=province_reviewer)
    assert "deadline" in refused.value.message_dict
    assert not ProvincialRound.objects.filter(campaign=campaign, province=province).exists()


def test_moving_the_rounds_deadline_sets_the_communes_timeliness_again(
        campaign, province, province_reviewer, good_plan):
    first = _day_before_deadline(campaign, 2)
    round_open(campaign=campaign, province=province, deadline_day=first, by=province_reviewer)
    communes = list(Organisation.objects.commune_level().filter(
        parent=province, campaigns=campaign).order_by("code")[:2])
    # One sends an hour after the round's first deadline (late), one before it (on time).
    moments = [local_midnight(first) + datetime.timedelta(hours=1),
               local_midnight(first) - datetime.timedelta(hours=1)]
    for i, (commune, moment) in enumerate(zip(communes, moments, strict=True)):
        _submit(campaign, commune, good_plan, make_user(f"xa{i}@danang.example.vn", "editor",
                                                        commune.code), moment)

    def states():
        return dict(Plan.objects.filter(organisation__in=communes, campaign=campaign)
                    .values_list("organisation__code", "on_time"))

    assert states() == {communes[0].code: False, communes[1].code: True}
    # The province gives its communes one more day: the late one is now on time, like the
    # tracking figures of the province's level, counted here from the rows.
    round_open(campaign=campaign, province=province, deadline_day=_day_before_deadline(campaign),
               by=province_reviewer)
    assert states() == {communes[0].code: True, communes[1].code: True}
    from dxday.plans.selectors import level_counts
    level = level_counts(campaign, province)
    rows = Plan.objects.filter(campaign=campaign, organisation__parent=province,
                               organisation__kind__in=Organisation.COMMUNE_KINDS)
    assert level["on_time"] == rows.filter(on_time=True).exclude(status="draft").count() == 2
    assert level["late"] == 0


def test_a_communes_extension_stays_within_the_national_deadline(
        campaign, province, province_reviewer):
    from dxday.plans.extensions import extension_decide, extension_request

    day = _day_before_deadline(campaign, 2)
    round_open(campaign=campaign, province=province, deadline_day=day, by=province_reviewer)
    commune = Organisation.objects.commune_level().filter(
        parent=province, campaigns=campaign).order_by("code").first()
    editor = make_user("xa@danang.example.vn", "editor", commune.code)
    asked = extension_request(campaign=campaign, organisation=commune, by=editor,
                              reason="Cán bộ đi tập huấn")
    national = timezone.localtime(campaign.submission_deadline).date()
    for until, words in ((day, "province's deadline"),
                         (national + datetime.timedelta(days=2), "national deadline")):
        with pytest.raises(ValidationError) as refused, translation.override("en"):
            extension_decide(request=asked, by=province_reviewer, decision="grant",
                             until=until)
        assert words in refused.value.message_dict["until"][0]
    plan = Plan.objects.get(campaign=campaign, organisation=commune)
    assert plan.deadline_extension is None
    granted = extension_decide(request=asked, by=province_reviewer, decision="grant",
                               until=_day_before_deadline(campaign, 1))
    plan.refresh_from_db()
    assert plan.deadline_extension == granted.granted_until == local_midnight(
        _day_before_deadline(campaign, 1))


def test_a_province_reviewer_is_offered_only_the_pages_it_may_open(campaign, province_reviewer,
                                                                   agency_admin):
    """The menu links every page it shows to a page the person may open (no link to a 403)."""
    import re

    for person, shown in ((province_reviewer, False), (agency_admin, True)):
        browser = Client()
        browser.force_login(person)
        home = browser.get("/backoffice/").content.decode()
        for path in ("/backoffice/units/", "/backoffice/people/"):
            assert (f'href="{path}"' in home) is shown
            assert browser.get(path).status_code == (200 if shown else 403)
        for path in set(re.findall(r'href="(/backoffice/[^"#?]*)"', home)):
            assert browser.get(path).status_code == 200, path
