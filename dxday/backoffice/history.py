"""Who changed what, when: the recorded history of plans, campaigns and organisations,
told in words (field labels, people's names, values as the interface shows them, local
times) rather than as stored (ids, codes, raw JSON)."""

import datetime
import os
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET

from dxday.accounts.access import agency_required
from dxday.accounts.models import User
from dxday.campaigns.models import Campaign
from dxday.lib.dates import moment_text
from dxday.lib.text import clean_typed, sort_key
from dxday.plans.labels import FIELD_LABELS
from dxday.plans.models import Plan
from dxday.plans.validation import SECTIONS
from dxday.registry.models import Organisation

SOURCES = {
    "plan": (Plan, gettext_lazy("Plans")),
    "campaign": (Campaign, gettext_lazy("Campaigns")),
    "organisation": (Organisation, gettext_lazy("Organisations")),
}
# Stored for integrity checks, meaningless to a reader.
HIDDEN_FIELDS = {"document_sha256"}
PER_PAGE = 50
EMPTY = "—"


@dataclass
class Change:
    label: str
    old: str = ""
    new: str = ""
    summary: str = ""  # instead of old → new, for a plan's draft and a campaign's recipients


@dataclass
class Entry:
    when: str
    who: str
    action: str  # created, changed, deleted
    model: str
    name: str
    url: str = ""
    changes: list[Change] = field(default_factory=list)
    first: bool = False  # a change with no earlier record (data loaded in bulk): no "before"


# --- reads ------------------------------------------------------------------------------------

def _local(value: datetime.datetime) -> str:
    return moment_text(value)


def history_rows(*, model: str = "", unit: Organisation | None = None):
    """The history rows of the chosen sources, newest first, as (source, history_id, date):
    one query the paginator can count and slice, however long the history."""
    querysets = []
    for key, (cls, _label) in SOURCES.items():
        if model and key != model:
            continue
        rows = cls.history.all()
        if unit is not None:  # its plans, its own record, the campaigns it organises
            rows = rows.filter(**{"plan": {"organisation_id": unit.pk},
                                  "organisation": {"id": unit.pk},
                                  "campaign": {"organiser_id": unit.pk}}[key])
        querysets.append(rows.order_by()  # a history's own ordering is refused in a UNION
                         .annotate(source=models.Value(key, models.CharField()))
                         .values_list("source", "history_id", "history_date"))
    if not querysets:
        return Campaign.history.none().values_list("history_id")
    first, *others = querysets
    return first.union(*others, all=True).order_by("-history_date", "-history_id")


class _Names:
    """Resolves foreign keys to names, in one query per related model."""

    def __init__(self):
        self.wanted: dict[type, set] = {}
        self.names: dict[tuple[type, object], str] = {}

    def want(self, related: type, pk) -> None:
        if pk is not None:
            self.wanted.setdefault(related, set()).add(pk)

    def load(self) -> None:
        for related, pks in self.wanted.items():
            for obj in related._default_manager.filter(pk__in=pks):
                self.names[(related, obj.pk)] = _name_of(obj)

    def get(self, related: type, pk) -> str:
        if pk is None:
            return EMPTY
        return self.names.get((related, pk)) or _("(deleted: %(model)s %(pk)s)") % {
            "model": related._meta.verbose_name, "pk": pk}


def _campaign_name(title: str, year: int) -> str:
    return title if str(year) in title else f"{title} ({year})"


def _name_of(obj) -> str:
    if isinstance(obj, User):
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email
    if isinstance(obj, Campaign):
        return _campaign_name(obj.title, obj.year)
    return str(obj)


def _value(model_field, value, names: _Names) -> str:
    """A stored value as the interface shows it."""
    if isinstance(model_field, models.ForeignKey):
        return names.get(model_field.related_model, value)
    if value is None or value == "":
        return EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(model_field, models.DateTimeField) and isinstance(value, datetime.datetime):
        return _local(value)
    if isinstance(model_field, models.DateField) and isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(model_field, models.FileField):
        return os.path.basename(getattr(value, "name", "") or str(value)) or EMPTY
    text = " ".join(str(value).split())
    return text if len(text) <= 120 else text[:119] + "…"


def draft_summary(old, new) -> str:
    """What changed in a plan's draft, in words: "Summary changed; Activities 2 → 3"."""
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    parts = []
    for key in ("summary", "contact"):
        if old.get(key) != new.get(key):
            parts.append(_("%(field)s changed") % {"field": FIELD_LABELS[key]})
    for section in SECTIONS:
        before, after = old.get(section) or [], new.get(section) or []
        if len(before) != len(after):
            parts.append(f"{FIELD_LABELS[section]} {len(before)} → {len(after)}")
        elif before != after:
            parts.append(_("%(field)s changed") % {"field": FIELD_LABELS[section]})
    return "; ".join(parts) or _("no visible change")


def _recipients_summary(old_rows, new_rows, names: _Names) -> str:
    before = {row["organisation"] for row in old_rows}
    after = {row["organisation"] for row in new_rows}
    added, removed = sorted(after - before), sorted(before - after)
    parts = [f"{len(before)} → {len(after)}"]
    for label, pks in ((_("added"), added), (_("removed"), removed)):
        if pks:
            listed = sorted((names.get(Organisation, pk) for pk in pks), key=sort_key)
            shown = ", ".join(listed[:5])
            more = _(" and %(n)d more") % {"n": len(pks) - 5} if len(pks) > 5 else ""
            parts.append(f"{label}: {shown}{more}")
    return "; ".join(parts)


def _deltas(records) -> dict:
    """Each record's changes against the record before it; None when a change has no
    earlier record to compare with (reference data is loaded without history)."""
    deltas = {}
    for record in records:
        previous = record.prev_record if record.history_type == "~" else None
        if previous is not None:
            deltas[record] = record.diff_against(previous).changes
        else:
            deltas[record] = None if record.history_type == "~" else []
    return deltas


def history_entries(page_rows) -> list[Entry]:
    """The entries of one page of :func:`history_rows`, in words."""
    by_source: dict[str, list[int]] = {}
    for source, history_id, _date in page_rows:
        by_source.setdefault(source, []).append(history_id)
    records = {}
    for source, ids in by_source.items():
        cls = SOURCES[source][0]
        for record in cls.history.filter(history_id__in=ids).select_related("history_user"):
            records[(source, record.history_id)] = record
    ordered = [(source, records[(source, hid)]) for source, hid, _d in page_rows
               if (source, hid) in records]
    deltas = _deltas([record for _s, record in ordered])

    names = _Names()
    for source, record in ordered:
        cls = SOURCES[source][0]
        if source == "plan":
            names.want(Campaign, record.campaign_id)
            names.want(Organisation, record.organisation_id)
        for change in deltas[record] or []:
            model_field = cls._meta.get_field(change.field)
            if isinstance(model_field, models.ForeignKey):
                names.want(model_field.related_model, change.old)
                names.want(model_field.related_model, change.new)
            elif isinstance(model_field, models.ManyToManyField):
                for row in [*change.old, *change.new]:
                    names.want(Organisation, row.get("organisation"))
    names.load()
    years = dict(Campaign.objects.filter(
        pk__in=[r.campaign_id for s, r in ordered if s == "plan"]).values_list("pk", "year"))
    codes = dict(Organisation.objects.filter(
        pk__in=[r.organisation_id for s, r in ordered if s == "plan"]).values_list("pk", "code"))
    live = {  # records whose object still exists get a link to its page
        "campaign": set(Campaign.objects.filter(
            pk__in=[r.id for s, r in ordered if s == "campaign"]).values_list("pk", flat=True)),
        "organisation": set(Organisation.objects.filter(
            pk__in=[r.id for s, r in ordered if s == "organisation"]).values_list("pk",
                                                                                  flat=True)),
    }

    entries = []
    actions = {"+": pgettext("history", "created"), "-": pgettext("history", "deleted"),
               "~": pgettext("history", "changed")}
    for source, record in ordered:
        cls = SOURCES[source][0]
        user = record.history_user
        entry = Entry(when=_local(record.history_date),
                      who=_name_of(user) if user else _("the system"),
                      action=actions.get(record.history_type, ""),
                      model=str(cls._meta.verbose_name).capitalize(), name="")
        if source == "plan":
            entry.name = f"{names.get(Campaign, record.campaign_id)} — " \
                         f"{names.get(Organisation, record.organisation_id)}"
            if record.campaign_id in years and record.organisation_id in codes:
                entry.url = reverse("backoffice:review", args=[years[record.campaign_id],
                                                               codes[record.organisation_id]])
        elif source == "campaign":
            entry.name = _campaign_name(record.title, record.year)
            if record.id in live["campaign"]:
                entry.url = reverse("backoffice:tracking", args=[record.year])
        else:
            entry.name = f"{record.name} ({record.code})"
            if record.id in live["organisation"]:
                entry.url = reverse("backoffice:unit", args=[record.code])
        entry.first = deltas[record] is None
        for change in deltas[record] or []:
            if change.field in HIDDEN_FIELDS:
                continue
            model_field = cls._meta.get_field(change.field)
            label = str(model_field.verbose_name)
            label = label[:1].upper() + label[1:]
            if isinstance(model_field, models.JSONField):
                entry.changes.append(Change(label, summary=draft_summary(change.old,
                                                                         change.new)))
            elif isinstance(model_field, models.ManyToManyField):
                entry.changes.append(Change(label, summary=_recipients_summary(
                    change.old, change.new, names)))
            else:
                entry.changes.append(Change(label, _value(model_field, change.old, names),
                                            _value(model_field, change.new, names)))
        entries.append(entry)
    return entries


# --- the page -------------------------------------------------------------------------------

@agency_required
@require_GET
def history(request):
    """Who changed what, when: plans, organisations and campaigns; by kind and by unit."""
    model = request.GET.get("model", "")
    model = model if model in SOURCES else ""
    code = clean_typed(request.GET.get("unit", "")).strip()[:32]
    unit = Organisation.objects.filter(code=code).first() if code else None
    if code and unit is None:
        rows, unknown = Campaign.history.none().values_list("history_id"), True
    else:
        rows, unknown = history_rows(model=model, unit=unit), False
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "backoffice/history.html", {
        "page": page, "entries": history_entries(list(page)), "model": model,
        "sources": [(key, label) for key, (_cls, label) in SOURCES.items()],
        "unit_code": code, "unit": unit, "unknown_unit": unknown})
