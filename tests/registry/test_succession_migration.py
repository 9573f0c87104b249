"""Migration 0003 on a registry loaded before it: an unchanged body with two records (the
reference data of 2022–2025 gave "BNG-2022" → "BNG") becomes one, and what pointed at the old
record (plans, campaign recipients, users, documents) follows it; links get their types.

The migration's function runs here with the current models on the suite's database (the test
rolls back); the whole upgrade of a database loaded by the previous release was also run by
hand, see docs/decisions/0015-succession-types.md."""

import datetime
import importlib

import pytest
from django.apps import apps

from dxday.campaigns.models import Campaign
from dxday.plans.models import Plan
from dxday.registry.models import Organisation, Succession

pytestmark = pytest.mark.django_db

migration = importlib.import_module("dxday.registry.migrations.0003_succession_types_data")
END, START = datetime.date(2025, 2, 28), datetime.date(2025, 3, 1)


def old_style(code: str) -> tuple[Organisation, Organisation]:
    """Give ``code`` the two records and the self-link the earlier reference data made."""
    new = Organisation.objects.get(code=code)
    old = Organisation.objects.create(code=f"{code}-2022", name=new.name, kind=new.kind,
                                      short_name=new.short_name, valid_to=END)
    new.valid_from = START
    new.save()
    Succession.objects.create(predecessor=old, successor=new, date=START,
                              note=f"Hợp nhất vào {new.name}")
    return old, new


def test_a_duplicated_unchanged_body_becomes_one_record_and_keeps_its_plans():
    old, new = old_style("BNG")
    c2022, c2026 = Campaign.objects.get(year=2022), Campaign.objects.get(year=2026)
    c2022.recipients.remove(new)
    c2022.recipients.add(old)
    plan_2022 = Plan.objects.create(campaign=c2022, organisation=old)
    plan_2026 = Plan.objects.create(campaign=c2026, organisation=new)

    migration.merge_continued(apps)

    assert not Organisation.objects.filter(code="BNG-2022").exists()
    new.refresh_from_db()
    assert (new.valid_from, new.valid_to) == (None, None)
    assert not Succession.objects.filter(predecessor=new).exists()
    assert not Succession.objects.filter(successor=new).exists()
    assert Plan.objects.get(pk=plan_2022.pk).organisation == new
    assert Plan.objects.get(pk=plan_2026.pk).organisation == new
    assert c2022.recipients.filter(pk=new.pk).exists()
    assert c2022.recipients.count() == 93


def test_a_recipient_listed_under_both_records_is_listed_once():
    old, new = old_style("01")
    c2022 = Campaign.objects.get(year=2022)
    c2022.recipients.add(old)  # the new record is a recipient already
    migration.merge_continued(apps)
    assert list(c2022.recipients.filter(code__in=["01", "01-2022"])) == [
        Organisation.objects.get(code="01")]


def test_when_both_records_have_a_plan_in_one_campaign_they_stay_continued():
    old, new = old_style("BYT")
    c2022 = Campaign.objects.get(year=2022)
    Plan.objects.create(campaign=c2022, organisation=old)
    Plan.objects.create(campaign=c2022, organisation=new)
    migration.merge_continued(apps)
    link = Succession.objects.get(predecessor__code="BYT-2022")
    assert (link.successor.code, link.type) == ("BYT", "continued")
    assert Plan.objects.filter(campaign=c2022, organisation__code__in=["BYT", "BYT-2022"]
                               ).count() == 2


def test_links_get_their_type_and_the_missing_parts_of_a_split():
    Succession.objects.filter(predecessor__code="BTTTT-2022", successor__code="BVHTTDL").delete()
    Succession.objects.filter(predecessor__code="46-2022").update(type="merged", note="")
    Succession.objects.filter(predecessor__code="BTTTT-2022").update(type="merged", note="x")
    migration.merge_continued(apps)
    links = {s.successor.code: s for s in Succession.objects.filter(
        predecessor__code="BTTTT-2022")}
    assert set(links) == {"BKHCN", "BVHTTDL"}
    assert {s.type for s in links.values()} == {"split"}
    assert "báo chí" in links["BVHTTDL"].note
    assert Succession.objects.get(predecessor__code="46-2022").type == "renamed"


def test_commune_kinds_from_the_names():
    Organisation.objects.commune_level().update(kind="commune")
    migration.merge_continued(apps)
    assert Organisation.objects.get(name="Đặc khu Hoàng Sa").kind == "special_zone"
    assert Organisation.objects.get(code="00070").kind == "ward"  # Phường Hoàn Kiếm
    assert Organisation.objects.filter(kind="commune").count() == 2621
