"""Search over activities, initiatives, organisations and documents.

The text is folded in Python (dxday.lib.text.fold) before it is indexed and before it is
searched; the query is reduced to words of letters and digits, so no FTS syntax typed by a
user ("*", quotes, NEAR() …) reaches the engine. SQLite: an FTS5 table kept in step by
triggers (migration public 0002), ranked by bm25. PostgreSQL: a GIN index on
to_tsvector('simple', text), ranked by ts_rank; pre-folding plays the part of unaccent.
"""

import re

from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dxday.lib.text import fold
from dxday.plans.models import Activity, Initiative
from dxday.public.models import SearchEntry
from dxday.registry.models import Document, Organisation
from dxday.results.models import ActivityOutcome

WORD = re.compile(r"[a-z0-9]+")
MAX_WORDS = 12
LIMIT = 50


def words(query: str) -> list[str]:
    return WORD.findall(fold(query or "")[:500])[:MAX_WORDS]


ENTITIES, ITEMS = ("organisation", "document"), ("activity", "initiative", "activity_held")


def _prefix(terms: list[str], index: int) -> bool:
    """Only the last word is a prefix (typing in progress), and only from three letters:
    "so"* would expand to every word starting with "so"."""
    return index == len(terms) - 1 and len(terms[index]) >= 3


def _ids_sqlite(terms: list[str], kinds: tuple[str, ...], column: str, limit: int,
                phrase: bool = False) -> list[int]:
    star = "*" if _prefix(terms, len(terms) - 1) else ""
    words = (f'"{" ".join(terms)}"{star}' if phrase else " AND ".join(
        f'"{t}"{"*" if _prefix(terms, i) else ""}' for i, t in enumerate(terms)))
    match = f"kind : ({' OR '.join(kinds)}) AND {{{column}}} : ({words})"
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM public_search_fts WHERE public_search_fts MATCH %s "
                       "ORDER BY rank LIMIT %s", [match, limit])
        return [row[0] for row in cursor.fetchall()]


def _ids_postgres(terms: list[str], kinds: tuple[str, ...], column: str, limit: int,
                  phrase: bool = False) -> list[int]:
    query = (" <-> " if phrase else " & ").join(
        f"{t}{':*' if _prefix(terms, i) else ''}" for i, t in enumerate(terms))
    field = "title_folded" if column == "title_folded" else "text"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM public_searchentry WHERE kind = ANY(%s) AND "  # noqa: S608
            f"to_tsvector('simple', {field}) @@ to_tsquery('simple', %s) "
            f"ORDER BY ts_rank(to_tsvector('simple', {field}), to_tsquery('simple', %s)) DESC, "
            f"id LIMIT %s", [list(kinds), query, query, limit])
        return [row[0] for row in cursor.fetchall()]


def _ranked_ids(terms: list[str], limit: int) -> list[int]:
    """Organisations and documents first (a small set, ranked in full); then activities and
    initiatives whose title matches; the full text only when titles give too few. A phrase
    found in nearly every plan ("chuyen doi so") so stays fast."""
    find = _ids_postgres if connection.vendor == "postgresql" else _ids_sqlite
    ids = find(terms, ENTITIES, "title_folded", limit, phrase=True)  # "Tỉnh Quảng Nam" first
    ids += [i for i in find(terms, ENTITIES, "text", limit) if i not in set(ids)]
    ids += find(terms, ITEMS, "title_folded", limit)
    if len(ids) < limit:
        seen = set(ids)
        ids += [i for i in find(terms, ITEMS, "text", limit) if i not in seen]
    return list(dict.fromkeys(ids))


def search(query: str, *, limit: int = LIMIT, kinds: list[str] | None = None) -> list[dict]:
    """Ranked results: items with type, title and url. Published data only."""
    terms = words(query)
    if not terms:
        return []
    ids = _ranked_ids(terms, limit)
    now = timezone.now()
    entries = SearchEntry.objects.filter(pk__in=ids).select_related("campaign").filter(
        Q(campaign__isnull=True) | Q(campaign__publish_from__isnull=True)
        | Q(campaign__publish_from__lte=now))
    if kinds:
        entries = entries.filter(kind__in=kinds)
    by_id = {e.pk: e for e in entries}
    ranked = [by_id[i] for i in ids if i in by_id][:limit]
    return [{"type": e.kind, "title": e.title, "url": e.url,
             "campaign": e.campaign.year if e.campaign_id else None} for e in ranked]


# --- keeping the index ------------------------------------------------------------------------

def _entry(kind, obj_id, title, url, *parts, campaign_id=None) -> SearchEntry:
    return SearchEntry(kind=kind, object_id=obj_id, title=title[:500], url=url[:500],
                       campaign_id=campaign_id, title_folded=fold(title),
                       text=fold(" ".join(p for p in parts if p)))


@transaction.atomic
def index_plan(plan, **kwargs) -> None:
    """(Re)index the published activities and initiatives of a plan."""
    SearchEntry.objects.filter(kind="activity", object_id__in=Activity.objects.filter(
        plan=plan).values("pk")).delete()
    year, org = plan.campaign.year, plan.organisation
    entries = [
        _entry("activity", a.pk, a.title, reverse("public:activity", args=[year, a.pk]),
               a.title, a.location, a.description, a.audience, org.name,
               a.province.name if a.province_id else "", campaign_id=plan.campaign_id)
        for a in Activity.objects.filter(plan=plan).select_related("province")]
    entries += [
        _entry("initiative", n.pk, n.name, reverse("public:initiative", args=[year, n.pk]),
               n.name, n.description, n.sector, org.name, campaign_id=plan.campaign_id)
        for n in Initiative.objects.filter(plan=plan)]
    SearchEntry.objects.bulk_create(entries, batch_size=500)


def drop_plan_entries(plan, **kwargs) -> None:
    SearchEntry.objects.filter(kind="activity", object_id__in=Activity.objects.filter(
        plan=plan).values("pk")).delete()
    SearchEntry.objects.filter(kind="initiative", object_id__in=Initiative.objects.filter(
        plan=plan).values("pk")).delete()


HELD = ("held", "changed")


def _results_page(result) -> str:
    return reverse("public:unit_results", args=[result.campaign.year, result.organisation.code])


@transaction.atomic
def index_results(result, **kwargs) -> None:
    """(Re)index the activities held of accepted results, each at its place on the unit's
    results page. Their earlier rows are gone already (replaced on publication): the entries
    are found by that page."""
    page = _results_page(result)
    drop_results_entries(result)
    org = result.organisation
    SearchEntry.objects.bulk_create([
        _entry("activity_held", a.pk, a.title, f"{page}#activity-{a.pk}", a.title, a.location,
               a.reason, org.name, a.province.name if a.province_id else "",
               campaign_id=result.campaign_id)
        for a in ActivityOutcome.objects.filter(result=result, status__in=HELD)
        .select_related("province")], batch_size=500)


def drop_results_entries(result, **kwargs) -> None:
    SearchEntry.objects.filter(kind="activity_held", campaign_id=result.campaign_id,
                               url__startswith=f"{_results_page(result)}#").delete()


@transaction.atomic
def index_registry(*, changed: bool = True, **kwargs) -> int:
    """(Re)index organisations and documents; after a load changing nothing, only if some lack."""
    if not changed and SearchEntry.objects.filter(kind__in=ENTITIES).count() == (
            Organisation.objects.count() + Document.objects.count()):
        return 0
    SearchEntry.objects.filter(kind__in=["organisation", "document"]).delete()
    entries = [
        _entry("organisation", o.pk, o.name, reverse("public:organisation", args=[o.code]),
               o.name, o.short_name, o.code)
        for o in Organisation.objects.all()]
    entries += [
        _entry("document", d.pk, f"{d.number} — {d.title}",
               reverse("public:document", args=[d.pk]), d.number, d.title, d.issuer_text)
        for d in Document.objects.all()]
    SearchEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)
