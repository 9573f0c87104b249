"""Writes to campaigns. Every write goes through a function here."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.campaigns import reference_data as ref
from dxday.campaigns.models import Campaign, CampaignDocument, ProvincialRound
from dxday.campaigns.selectors import recipients_on, round_communes, successors_on
from dxday.campaigns.signals import campaign_changed, round_deadline_set
from dxday.lib.dates import TZ
from dxday.registry.models import Document, Organisation
from dxday.registry.services import LoadReport, organisations_load, reference_organisations
from dxday.registry.signals import reference_loaded

CAMPAIGN_FIELDS = ("title", "theme", "deadline_text", "window_start", "window_end",
                   "window_note", "kit_window_start", "kit_window_end", "event_date",
                   "contact_unit", "contact_person", "contact_phone", "contact_email")
_DATE_FIELDS = {"window_start", "window_end", "kit_window_start", "kit_window_end",
                "event_date"}


def _documents_load(*, refresh: bool) -> tuple[dict[str, Document], LoadReport]:
    report = LoadReport()
    issuers = dict(Organisation.objects.filter(
        code__in={d["issuer"] for d in ref.DOCUMENTS if d["issuer"]}).values_list("code", "pk"))
    docs = {}
    for spec in ref.DOCUMENTS:
        spec = dict(spec)
        body_file = spec.pop("body_file", None)
        spec["body"] = (ref.DATA_DIR / body_file).read_text(encoding="utf-8") if body_file else ""
        spec["issuer_id"] = issuers.get(spec.pop("issuer"))
        number, date = spec.pop("number"), spec.pop("date")
        doc = Document.objects.filter(number=number, date=date).first()
        if doc is None:
            doc = Document.objects.create(number=number, date=date, **spec)
            report.created += 1
        elif refresh and any(getattr(doc, k) != v for k, v in spec.items()):
            Document.objects.filter(pk=doc.pk).update(**spec)
            report.updated += 1
        else:
            report.unchanged += 1
        docs[number] = doc
    return docs, report


@transaction.atomic
def reference_load(*, refresh: bool = False) -> LoadReport:
    """Load the registry and the campaigns 2022–2026; idempotent.

    What is missing is created; what exists is left alone (admin edits survive), unless
    ``refresh`` sets the reference fields back to the reference values.
    """
    orgs, links = reference_organisations()
    report = organisations_load(orgs=orgs, successions=links, refresh=refresh)
    docs, doc_report = _documents_load(refresh=refresh)
    report += doc_report
    organisers = dict(Organisation.objects.filter(
        code__in={c["organiser"] for c in ref.CAMPAIGNS}).values_list("code", "pk"))

    for spec in ref.CAMPAIGNS:
        values = {f: spec.get(f, "" if f not in _DATE_FIELDS else None) for f in CAMPAIGN_FIELDS}
        values["organiser_id"] = organisers[spec["organiser"]]
        # Past campaigns were answered outside dxday: their plans came without a signed file.
        values["signature_required"] = spec.get("signature_required", False)
        values["submission_deadline"] = (
            spec["deadline"].replace(tzinfo=TZ) if spec.get("deadline") else None
        )
        campaign = Campaign.objects.filter(year=spec["year"]).first()
        if campaign is None:
            campaign = Campaign.objects.create(year=spec["year"], **values)
            campaign.recipients.set(recipients_on(spec["recipients_on"]))
            report.created += 1
        elif refresh and any(getattr(campaign, k) != v for k, v in values.items()):
            Campaign.objects.filter(pk=campaign.pk).update(**values)
            campaign.recipients.set(recipients_on(spec["recipients_on"]))
            report.updated += 1
        else:
            report.unchanged += 1
        linked = set(campaign.campaign_documents.values_list("document__number", flat=True))
        for order, (number, role) in enumerate(spec["documents"]):
            if number in linked:
                report.unchanged += 1
            else:
                CampaignDocument.objects.create(campaign=campaign, document=docs[number],
                                                role=role, order=order)
                report.created += 1
    reference_loaded.send(sender=Organisation, changed=report.changed)  # the search index
    return report


# --- the agency's yearly set-up ----------------------------------------------------------------

# Fields a new campaign takes over from the one it is copied from (dates are moved a year).
COPIED_FIELDS = ("theme", "description", "organiser_id", "window_note", "reminder_days_before",
                 "reminder_days_after", "contact_unit", "contact_person", "contact_phone",
                 "contact_email")
COPIED_DATES = ("window_start", "window_end", "kit_window_start", "kit_window_end",
                "event_date")
COPIED_MOMENTS = ("submission_deadline", "lock_at", "publish_from")


def local_midnight(day: datetime.date) -> datetime.datetime:
    """00:00 of ``day`` in Vietnam: “trước ngày 15/09” is the moment 15/09 00:00 begins."""
    return datetime.datetime.combine(day, datetime.time(0), TZ)


def deadline_text_for(day: datetime.date) -> str:
    return f"trước ngày {day:%d/%m/%Y}"


def _shift_day(day: datetime.date | None, years: int) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/02 in a year without one
        return day.replace(year=day.year + years, day=28)


def _shift_moment(moment: datetime.datetime | None, years: int) -> datetime.datetime | None:
    if moment is None:
        return None
    local = moment.astimezone(TZ)
    day = _shift_day(local.date(), years)
    return datetime.datetime.combine(day, local.time(), TZ)


def reference_day(campaign: Campaign) -> datetime.date | None:
    """The day whose bodies answer the campaign: its window, its ceremony or its deadline."""
    if campaign.window_start or campaign.event_date:
        return campaign.window_start or campaign.event_date
    if campaign.submission_deadline:
        return campaign.submission_deadline.astimezone(TZ).date()
    return None


@transaction.atomic
def campaign_copy(*, source: Campaign, year: int, by=None) -> Campaign:
    """A new campaign for ``year`` from ``source``: its settings, its dates moved by the
    difference in years, its recipients carried through the successor links to the bodies
    existing in the new year, its legal basis (not its call or kit: those are the year's own).
    A campaign set up this way requires the signed plan document."""
    if Campaign.objects.filter(year=year).exists():
        raise ValidationError({"year": _("A campaign for %(year)d already exists.")
                                       % {"year": year}})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    years = year - source.year
    values = {f: getattr(source, f) for f in COPIED_FIELDS}
    values.update({f: _shift_day(getattr(source, f), years) for f in COPIED_DATES})
    values.update({f: _shift_moment(getattr(source, f), years) for f in COPIED_MOMENTS})
    title = source.title.replace(str(source.year), str(year))
    if title == source.title:
        title = f"{source.title} ({year})"
    values["deadline_text"] = (
        deadline_text_for(values["submission_deadline"].astimezone(TZ).date())
        if values["submission_deadline"] else "")
    campaign = Campaign(year=year, title=title, signature_required=True, **values)
    campaign.full_clean()
    campaign.save()
    day = reference_day(campaign)
    recipients = source.recipients.all()
    campaign.recipients.set(successors_on(recipients, day) if day else recipients)
    for order, link in enumerate(source.campaign_documents.filter(
            role=CampaignDocument.Role.LEGAL_BASIS).select_related("document")):
        CampaignDocument.objects.create(campaign=campaign, document=link.document,
                                        role=link.role, order=order)
    _changed(campaign)
    return campaign


def _changed(campaign: Campaign) -> None:
    transaction.on_commit(lambda: campaign_changed.send(sender=Campaign, campaign=campaign))


@transaction.atomic
def campaign_update(*, campaign: Campaign, values: dict, by=None) -> Campaign:
    """Change a campaign's settings (already parsed by the form); checks every rule again."""
    for name, value in values.items():
        setattr(campaign, name, value)
    errors = campaign_rule_errors(campaign)
    if errors:
        raise ValidationError(errors)
    campaign.full_clean()
    campaign.save()
    _changed(campaign)
    return campaign


def campaign_rule_errors(campaign: Campaign) -> dict:
    """Cross-field rules, each told on the field the agency must correct."""
    errors = {}
    start, end = campaign.window_start, campaign.window_end
    if start and end and end < start:
        errors["window_end"] = _("The window ends before it starts.")
    if (campaign.kit_window_start and campaign.kit_window_end
            and campaign.kit_window_end < campaign.kit_window_start):
        errors["kit_window_end"] = _("The display period ends before it starts.")
    if (campaign.submission_deadline and campaign.lock_at
            and campaign.lock_at < campaign.submission_deadline):
        errors["lock_at"] = _("Plans would be locked before the deadline: the lock date must "
                              "be on or after the deadline.")
    results, results_lock = campaign.results_deadline, campaign.results_lock_at
    if results and end and results < local_midnight(end + datetime.timedelta(days=1)):
        errors["results_deadline"] = _(
            "Results are reported after the activities: the results deadline must be after "
            "the end of the activity window (%(day)s).") % {"day": f"{end:%d/%m/%Y}"}
    if results_lock and not results:
        errors["results_deadline"] = _("Enter the results deadline before the date results "
                                       "are locked.")
    if results and results_lock and results_lock < results:
        errors["results_lock_at"] = _(
            "Results would be locked before their deadline: the lock must be on or after the "
            "results deadline.")
    return errors


# Recipient groups the agency chooses from.
GROUP_CENTRAL, GROUP_PROVINCES, GROUP_COMMUNES = "central", "provinces", "communes"


def recipients_for_groups(*, day: datetime.date, central: bool = False,
                          provinces: bool = False, communes_of=()) -> set[int]:
    """The bodies of the chosen groups existing on ``day``; an empty group is an error on
    its field, so that nobody sends a call to no one."""
    errors, found = {}, set()
    valid = Organisation.objects.valid_on(day)
    day_text = f"{day:%d/%m/%Y}"
    for field, chosen, bodies, empty in (
            (GROUP_CENTRAL, central, valid.central(), _("No central body exists on %(day)s.")),
            (GROUP_PROVINCES, provinces, valid.provincial(),
             _("No province exists on %(day)s."))):
        if chosen:
            pks = set(bodies.values_list("pk", flat=True))
            if not pks:
                errors[field] = empty % {"day": day_text}
            found |= pks
    if communes_of:
        chosen = set(valid.provincial().filter(code__in=list(communes_of))
                     .values_list("pk", flat=True))
        pks = set(valid.commune_level().filter(parent_id__in=chosen)
                  .values_list("pk", flat=True))
        if len(chosen) != len(set(communes_of)):
            errors[GROUP_COMMUNES] = _("Some of the chosen provinces do not exist on "
                                       "%(day)s.") % {"day": day_text}
        elif not pks:
            errors[GROUP_COMMUNES] = _("The chosen provinces have no communes on "
                                       "%(day)s.") % {"day": day_text}
        found |= pks
    if not (central or provinces or communes_of):
        errors[GROUP_CENTRAL] = _("Choose at least one group.")
    if errors:
        raise ValidationError(errors)
    return found


@transaction.atomic
def campaign_set_recipients(*, campaign: Campaign, pks: set[int], replace: bool = True,
                            by=None) -> int:
    """Make ``pks`` the recipients (or add them); returns how many recipients there are.
    A unit that already has a plan stays: removing it would hide its plan from tracking and
    from its own editors."""
    if replace:
        _refuse_removing(campaign, set(campaign.recipients.exclude(pk__in=pks)
                                       .values_list("pk", flat=True)), field="replace")
        campaign.recipients.set(pks)
    else:
        campaign.recipients.add(*pks)
    _changed(campaign)
    return campaign.recipients.count()


def _refuse_removing(campaign: Campaign, pks: set[int], *, field: str) -> None:
    with_plans = list(Organisation.objects.filter(pk__in=pks, plans__campaign=campaign)
                      .order_by("name").values_list("name", flat=True)[:11])
    if with_plans:
        names = ", ".join(with_plans[:10]) + (" …" if len(with_plans) > 10 else "")
        raise ValidationError({field: _("These units already have a plan and stay recipients: "
                                        "%(names)s.") % {"names": names}})


@transaction.atomic
def campaign_remove_recipient(*, campaign: Campaign, organisation: Organisation, by=None):
    _refuse_removing(campaign, {organisation.pk}, field="code")
    campaign.recipients.remove(organisation)
    _changed(campaign)


@transaction.atomic
def campaign_link_document(*, campaign: Campaign, number: str, date: datetime.date,
                           title: str, role: str = CampaignDocument.Role.LEGAL_BASIS,
                           by=None) -> CampaignDocument:
    """Add a document of the legal basis (an existing one with this number and date, or a new
    one)."""
    number, title = number.strip(), title.strip()
    errors = {}
    if not number:
        errors["doc_number"] = _("Enter the document's number.")
    if not title and not Document.objects.filter(number=number, date=date).exists():
        errors["doc_title"] = _("Enter the document's summary (trích yếu).")
    if errors:
        raise ValidationError(errors)
    document, _created = Document.objects.get_or_create(
        number=number, date=date, defaults={"title": title, "kind": _document_kind(number)})
    if campaign.campaign_documents.filter(document=document).exists():
        raise ValidationError({"doc_number": _("This document is already linked.")})
    order = campaign.campaign_documents.count()
    link = CampaignDocument.objects.create(campaign=campaign, document=document, role=role,
                                           order=order)
    _changed(campaign)
    return link


def _document_kind(number: str) -> str:
    upper = number.upper()
    for marker, kind in (("QĐ", Document.Kind.DECISION), ("KH", Document.Kind.PLAN),
                         ("NĐ", Document.Kind.DECREE), ("NQ", Document.Kind.RESOLUTION),
                         ("TT", Document.Kind.CIRCULAR)):
        if f"/{marker}-" in upper or upper.endswith(f"/{marker}"):
            return kind
    return Document.Kind.DISPATCH


@transaction.atomic
def campaign_unlink_document(*, campaign: Campaign, link_id: int, by=None) -> None:
    CampaignDocument.objects.filter(campaign=campaign, pk=link_id).delete()
    _changed(campaign)


# --- provincial rounds ---------------------------------------------------------------------


def may_open_round(user, province: Organisation) -> bool:
    """A province reviewer of that province, or an agency admin."""
    return bool(user.is_agency_admin or user.reviews_province == province.pk)


def _days_text(value, default: str, field: str) -> str:
    if value is None:
        return default
    parts = [p.strip() for p in str(value).split(",") if p.strip()]
    if not all(p.isdigit() and int(p) <= 365 for p in parts):
        raise ValidationError({field: _("Enter whole numbers of days separated by commas, "
                                        "e.g. 7,2.")})
    return ",".join(parts)


@transaction.atomic
def round_open(*, campaign: Campaign, province: Organisation, deadline_day: datetime.date | None,
               by, days_before: str | None = None, days_after: str | None = None
               ) -> tuple[ProvincialRound, int]:
    """Open (or change) a province's round for its communes: its own deadline (“trước ngày
    X” = X 00:00 in Vietnam, strictly before the national deadline) and reminder days (the
    campaign's by default); the province's current communes become recipients of the
    campaign. Refused, with a message on the field to correct, when the campaign is closed,
    the province is not a recipient or the deadline is not before the national one. Returns
    the round and how many communes were added."""
    if not may_open_round(by, province):
        raise PermissionDenied(_("Only the province's reviewers or an agency admin open its "
                                 "round."))
    errors = {}
    if campaign.is_locked():
        errors["campaign"] = _("The campaign is closed: no round can be opened.")
    if province.kind not in Organisation.PROVINCIAL_KINDS:
        errors["province"] = _("%(name)s is not a province or a centrally-run city.") % {
            "name": province.name}
    elif not campaign.recipients.filter(pk=province.pk).exists():
        errors["province"] = _("%(name)s is not a recipient of this campaign: the agency adds "
                               "it first.") % {"name": province.name}
    deadline = local_midnight(deadline_day) if deadline_day else None
    if deadline is None:
        errors["deadline"] = _("Enter the province's deadline (dd/mm/yyyy).")
    elif campaign.submission_deadline and deadline >= campaign.submission_deadline:
        national = timezone.localtime(campaign.submission_deadline)
        errors["deadline"] = _("The province's deadline must be before the national deadline "
                               "(%(day)s).") % {"day": f"{national:%d/%m/%Y %H:%M}"}
    elif deadline <= timezone.now():
        errors["deadline"] = _("The province's deadline must be a day still to come.")
    try:
        before = _days_text(days_before, campaign.reminder_days_before, "reminder_days_before")
        after = _days_text(days_after, campaign.reminder_days_after, "reminder_days_after")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    found = ProvincialRound.objects.select_for_update().filter(
        campaign=campaign, province=province).first()
    if found is None:
        found = ProvincialRound(campaign=campaign, province=province, opened_by=by)
    found.deadline, found.reminder_days_before, found.reminder_days_after = (
        deadline, before, after)
    found._history_user = by
    found.save()
    communes = set(round_communes(campaign, province).values_list("pk", flat=True))
    already = set(campaign.recipients.filter(pk__in=communes).values_list("pk", flat=True))
    added = communes - already
    if added:
        campaign.recipients.add(*added)
    # In the transaction: the plans app sets its communes' timeliness against the new deadline.
    round_deadline_set.send(sender=ProvincialRound, provincial_round=found)
    _changed(campaign)
    return found, len(added)
