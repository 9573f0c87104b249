"""The Django admin (Vietnamese) for agency admins: every registered model's pages open."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_admin_pages_open(client, agency_admin, model, campaign):
    client.force_login(agency_admin)
    opts = model._meta
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code in (200, 403)  # 403 where records are made elsewhere (tokens…)
    obj = model.objects.first()
    if obj is not None:
        change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change",
                                    args=[obj.pk]))
        assert change.status_code == 200


def test_admin_creates_an_editor_and_refuses_one_without_unit(client, agency_admin):
    from dxday.accounts.models import User
    from dxday.registry.models import Organisation

    client.force_login(agency_admin)
    url = reverse("admin:accounts_user_add")
    refused = client.post(url, {"email": "x@unit.example.vn", "role": "editor",
                                "password1": "Mot-mat-khau-dai-2026",
                                "password2": "Mot-mat-khau-dai-2026"})
    assert refused.status_code == 200
    assert not User.objects.filter(email="x@unit.example.vn").exists()
    created = client.post(url, {"email": "y@unit.example.vn", "role": "editor",
                                "organisation": Organisation.objects.get(code="48").pk,
                                "password1": "Mot-mat-khau-dai-2026",
                                "password2": "Mot-mat-khau-dai-2026"})
    assert created.status_code == 302
    assert User.objects.get(email="y@unit.example.vn").organisation.code == "48"


def test_an_extension_needs_a_reason(client, agency_admin, campaign, good_plan):
    import datetime

    from dxday.plans.models import Plan
    from dxday.plans.services import plan_save_draft
    from dxday.registry.models import Organisation

    plan, _ = plan_save_draft(campaign=campaign, organisation=Organisation.objects.get(code="48"),
                              data=good_plan, by=None)
    client.force_login(agency_admin)
    url = reverse("admin:plans_plan_change", args=[plan.pk])
    later = (campaign.submission_deadline + datetime.timedelta(days=2)).strftime("%d/%m/%Y")
    inlines = {f"{name}-{field}": "0" for name in ("versions", "events")
               for field in ("TOTAL_FORMS", "INITIAL_FORMS")}
    response = client.post(url, {**inlines, "deadline_extension_0": later,
                                 "deadline_extension_1": "00:00:00", "extension_reason": ""})
    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.deadline_extension is None
    response = client.post(url, {**inlines, "deadline_extension_0": later,
                                 "deadline_extension_1": "00:00:00",
                                 "extension_reason": "Văn bản xin gia hạn số 12/UBND"})
    assert response.status_code == 302
    assert Plan.objects.get().deadline_extension is not None


def test_a_campaign_edit_in_the_admin_renews_public_pages(client, agency_admin, campaign):
    from django.core.cache import cache

    from dxday.public.cache import STAMP_KEY

    client.get("/campaigns/2026/")
    before = cache.get(STAMP_KEY)
    client.force_login(agency_admin)
    response = client.post(reverse("admin:campaigns_campaign_change", args=[campaign.pk]), {
        "year": 2026, "title": campaign.title, "theme": "Chủ đề 2026",
        "organiser": campaign.organiser_id,
        "recipients": list(campaign.recipients.values_list("pk", flat=True)),
        "reminder_days_before": "7,2", "reminder_days_after": "1",
        "campaign_documents-TOTAL_FORMS": "0", "campaign_documents-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    assert cache.get(STAMP_KEY) != before
    client.logout()
    assert "Chủ đề 2026" in client.get("/campaigns/2026/").content.decode()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_admin_reads_dates_day_first(client, agency_admin, campaign, language):
    """01/10/2027 is the 1st of October in both languages, never 10 January; 15/09/2027 is
    accepted; month-first 09/15/2027 is refused with a message on the field."""
    import datetime

    client.force_login(agency_admin)
    client.cookies["django_language"] = language
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    form = {"year": 2026, "title": campaign.title, "organiser": campaign.organiser_id,
            "recipients": list(campaign.recipients.values_list("pk", flat=True)),
            "reminder_days_before": "7,2", "reminder_days_after": "1",
            "campaign_documents-TOTAL_FORMS": "0", "campaign_documents-INITIAL_FORMS": "0",
            "window_start": "01/10/2027", "window_end": "15/10/2027"}
    assert client.post(url, form).status_code == 302
    campaign.refresh_from_db()
    assert (campaign.window_start, campaign.window_end) == (datetime.date(2027, 10, 1),
                                                            datetime.date(2027, 10, 15))
    page = client.get(url).content.decode()
    assert 'value="01/10/2027"' in page  # shown as typed
    refused = client.post(url, {**form, "window_start": "09/15/2027"})
    assert refused.status_code == 200 and refused.context["adminform"].form.errors[
        "window_start"]
    campaign.refresh_from_db()
    assert campaign.window_start == datetime.date(2027, 10, 1)  # nothing changed
