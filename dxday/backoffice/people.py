"""People and units: the agency's accounts (invite, deactivate, role and unit, two-factor
reset) and each unit's contacts in the registry (the focal contacts receive the call and the
reminders). Agency admins manage; reviewers may look."""

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from dxday.accounts.access import agency_required
from dxday.accounts.models import User
from dxday.accounts.services import (
    otp_has_device,
    otp_reset,
    user_create_invited,
    user_invite,
    user_set_active,
    user_update,
)
from dxday.lib.text import clean_typed, fold, sort_key
from dxday.plans.selectors import GROUP_LABELS, KIND_GROUPS
from dxday.registry.models import Contact, Organisation
from dxday.registry.services import contact_create, contact_delete, contact_update

PER_PAGE = 50
UNIT_CHOICES_LIMIT = 100
INVITES_KEY = "dxday_invites"  # session: form token → account created with it
CONTACT_FIELDS = ("name", "position", "unit", "phone", "email")


def typed(value: str | None, limit: int = 255) -> str:
    """What was typed, as it may be searched or stored: NFC, no control characters (a NUL
    would be refused by PostgreSQL), trimmed, bounded."""
    return clean_typed(value or "").strip()[:limit]


def _admin_only(request) -> None:
    if not request.user.is_agency_admin:
        raise PermissionDenied


def _errors(exc: ValidationError) -> dict[str, str]:
    """A service's refusal as one message per field ("form" for the form as a whole)."""
    if hasattr(exc, "error_dict"):
        return {"form" if name == "__all__" else name: " ".join(messages_)
                for name, messages_ in exc.message_dict.items()}
    return {"form": " ".join(exc.messages)}


# --- reads: organisations as people choose them ---------------------------------------------

def validity(org) -> str:
    """When a body exists, in words: bodies before and after the 2025 mergers share names
    ("Thành phố Đà Nẵng (from 01/07/2025)" and "(until 30/06/2025)")."""
    return dates_text(org.valid_from, org.valid_to)


def dates_text(start, end) -> str:
    if start and end:
        return f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    if start:
        return _("from %(date)s") % {"date": f"{start:%d/%m/%Y}"}
    if end:
        return _("until %(date)s") % {"date": f"{end:%d/%m/%Y}"}
    return ""


def org_label(org) -> str:
    when = validity(org)
    return f"{org.name} ({when})" if when else org.name


def unit_choices(*, q: str = "", current: Organisation | None = None) -> list:
    """The units an account can be given, grouped by kind: those that exist today, without
    the 3,321 communes unless a search names them; the account's current unit is kept."""
    orgs = Organisation.objects.valid_on(timezone.localdate()).only(
        "code", "name", "short_name", "kind", "valid_from", "valid_to")
    needle = fold(q)
    if needle:
        found = [o for o in orgs if needle in fold(f"{o.code} {o.name} {o.short_name}")]
        found = found[:UNIT_CHOICES_LIMIT]
    else:
        found = list(orgs.exclude(kind__in=Organisation.COMMUNE_KINDS))
    if current is not None and current not in found:
        found.append(current)
    groups: dict[str, list] = {}
    for org in sorted(found, key=lambda o: sort_key(o.name)):
        groups.setdefault(org.kind, []).append((org.code, org_label(org)))
    return [(str(Organisation.Kind(kind).label), groups[kind])
            for kind in Organisation.Kind.values if kind in groups]


def _finding(request, values: dict) -> bool:
    """The form was sent to narrow the list of units, not to save: the Find button, or Enter
    pressed while looking for an editor's unit (a search typed, no unit chosen yet)."""
    return request.POST.get("action") == "find" or (
        values["role"] == User.Role.EDITOR and not values["organisation"]
        and bool(values["unit_q"]))


def _unit_from(code: str) -> Organisation | None:
    return Organisation.objects.filter(code=code).first() if code else None


def people_list(*, role: str = "", unit: str = "", q: str = "") -> list[User]:
    """Accounts, filtered by role, unit (code, or part of its name) and text (name or
    email), in Vietnamese alphabetical order; each with ``has_otp``."""
    users = User.objects.select_related("organisation").annotate(has_otp=Exists(
        TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
    if role:
        users = users.filter(role=role)
    rows = list(users)
    if unit:
        exact = Organisation.objects.filter(code=unit).first()
        needle = fold(unit)
        rows = [u for u in rows if u.organisation and (
            u.organisation == exact if exact else needle in fold(u.organisation.name))]
    if q:
        needle = fold(q)
        rows = [u for u in rows if needle in fold(f"{u.full_name} {u.email}")]
    rows.sort(key=lambda u: (sort_key(u.full_name or u.email), u.email))
    return rows


# --- people ---------------------------------------------------------------------------------

@agency_required
@require_GET
def people(request):
    """Everyone with an account: role, unit, state, two-factor, last login."""
    get = request.GET
    filters = {"role": get.get("role", "") if get.get("role") in User.Role.values else "",
               "unit": typed(get.get("unit"), 100), "q": typed(get.get("q"), 100)}
    rows = people_list(**filters)
    page = Paginator(rows, PER_PAGE).get_page(get.get("page"))
    return render(request, "backoffice/people.html", {
        "page": page, "filters": filters, "roles": User.Role.choices, "count": len(rows),
        "can_manage": request.user.is_agency_admin})


@agency_required
@require_http_methods(["GET", "POST"])
def people_invite(request):
    """Create an account without a password and mail its one-time invitation link. The form
    carries a token: the same form sent twice leads to the account it created."""
    _admin_only(request)
    values = {"email": "", "full_name": "", "role": User.Role.EDITOR, "organisation": "",
              "unit_q": ""}
    errors: dict[str, str] = {}
    status = 200
    token = typed(request.POST.get("form_token"), 64) or secrets.token_urlsafe(16)
    if request.method == "POST":
        values.update({k: typed(request.POST.get(k)) for k in values})
        done = request.session.get(INVITES_KEY, {})
        if token in done and User.objects.filter(pk=done[token]).exists():
            messages.info(request, _("This invitation was already sent."))
            return redirect("backoffice:person", done[token])
        if not _finding(request, values):
            organisation = _unit_from(values["organisation"])
            try:
                if values["organisation"] and organisation is None:
                    raise ValidationError({"organisation": _("Choose a unit from the list.")})
                user, sent = user_create_invited(
                    email=values["email"], full_name=values["full_name"], role=values["role"],
                    organisation=organisation, by=request.user)
            except ValidationError as exc:
                errors, status = _errors(exc), 422
            else:
                done = {**done, token: user.pk}
                request.session[INVITES_KEY] = dict(list(done.items())[-20:])
                if sent:
                    messages.success(request, _("The account was created and the invitation "
                                                "was sent to %(email)s.") % {"email": user.email})
                else:
                    messages.warning(request, _(
                        "The account was created but the invitation could not be sent: "
                        "try “Send the invitation again” later."))
                return redirect("backoffice:person", user.pk)
    return render(request, "backoffice/people_invite.html", {
        "values": values, "errors": errors, "roles": User.Role.choices, "token": token,
        "unit_groups": unit_choices(q=values["unit_q"],
                                    current=_unit_from(values["organisation"]))},
        status=status)


@agency_required
@require_http_methods(["GET", "POST"])
def person(request, pk: int):
    """One account: its details; for admins, role and unit, deactivation, invitation."""
    target = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    values = {"role": target.role,
              "organisation": target.organisation.code if target.organisation else "",
              "unit_q": ""}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        _admin_only(request)
        action = request.POST.get("action", "")
        try:
            if action in ("deactivate", "reactivate"):
                user_set_active(user=target, active=action == "reactivate", by=request.user)
                messages.success(request, _("The account is active again.")
                                 if target.is_active else _("The account is deactivated."))
                return redirect("backoffice:person", target.pk)
            if action == "resend":
                try:
                    user_invite(user=target)
                except OSError:
                    messages.error(request, _("The invitation could not be sent; try again "
                                              "later."))
                else:
                    messages.success(request, _("The invitation was sent again to "
                                                "%(email)s.") % {"email": target.email})
                return redirect("backoffice:person", target.pk)
            if action in ("change", "find"):
                values.update({k: typed(request.POST.get(k)) for k in values})
                if not _finding(request, values):
                    organisation = _unit_from(values["organisation"])
                    if values["organisation"] and organisation is None:
                        raise ValidationError(
                            {"organisation": _("Choose a unit from the list.")})
                    user_update(user=target, role=values["role"], organisation=organisation,
                                by=request.user)
                    messages.success(request, _("Role and unit saved."))
                    return redirect("backoffice:person", target.pk)
        except ValidationError as exc:
            errors, status = _errors(exc), 422
            target.refresh_from_db()
    return render(request, "backoffice/people_person.html", {
        "person": target, "values": values, "errors": errors, "roles": User.Role.choices,
        "has_otp": otp_has_device(user=target), "unit_validity": (
            validity(target.organisation) if target.organisation else ""),
        "is_self": target.pk == request.user.pk, "can_manage": request.user.is_agency_admin,
        "unit_groups": unit_choices(q=values["unit_q"], current=(
            _unit_from(values["organisation"]) or target.organisation))},
        status=status)


@agency_required
@require_http_methods(["GET", "POST"])
def person_two_factor(request, pk: int):
    """Reset a person's two-factor authentication (a lost phone), after a confirmation: the
    next login asks them to pair an authenticator app again."""
    _admin_only(request)
    target = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        removed = otp_reset(user=target)
        if removed:
            messages.success(request, _("Two-factor authentication was reset: %(name)s will "
                                        "pair an authenticator app at the next login.")
                             % {"name": target})
        else:
            messages.info(request, _("%(name)s had no authenticator app.") % {"name": target})
        return redirect("backoffice:person", target.pk)
    return render(request, "backoffice/people_two_factor.html", {
        "person": target, "has_otp": otp_has_device(user=target)})


# --- units and their contacts ---------------------------------------------------------------

WHEN = {"today": gettext_lazy("Existing today"), "ended": gettext_lazy("Ended"),
        "all": gettext_lazy("All")}


def unit_rows(*, q: str = "", group: str = "", when: str = "today") -> list[dict]:
    """Organisations of the registry, filtered by text (code or name, folded), kind group
    and existence (today, ended, all), in Vietnamese alphabetical order within groups."""
    today = timezone.localdate()
    orgs = Organisation.objects.all()
    if when == "today":
        orgs = orgs.valid_on(today)
    elif when == "ended":
        orgs = orgs.filter(valid_to__lt=today)
    if group:
        orgs = orgs.filter(kind__in=[k for k, g in KIND_GROUPS.items() if g == group])
    rows = list(orgs.values("pk", "code", "name", "short_name", "kind", "valid_from",
                            "valid_to", "parent__code", "parent__name"))
    needle = fold(q)
    if needle:
        rows = [r for r in rows if needle in fold(f"{r['code']} {r['name']} {r['short_name']}")]
    order = list(GROUP_LABELS)
    rows.sort(key=lambda r: (order.index(KIND_GROUPS[r["kind"]]), sort_key(r["name"])))
    return rows


@agency_required
@require_GET
def units(request):
    """Find a unit by name or code, by kind; each with its users and focal contacts."""
    get = request.GET
    filters = {"q": typed(get.get("q"), 100),
               "group": get.get("group", "") if get.get("group") in GROUP_LABELS else "",
               "when": get.get("when", "today") if get.get("when") in WHEN else "today"}
    rows = unit_rows(**filters)
    page = Paginator(rows, PER_PAGE).get_page(get.get("page"))
    ids = [r["pk"] for r in page]
    counts = {o["pk"]: o for o in Organisation.objects.filter(pk__in=ids).values("pk").annotate(
        users_count=Count("users", filter=Q(users__is_active=True), distinct=True),
        focal_count=Count("contacts", filter=Q(contacts__is_focal=True), distinct=True))}
    for row in page:
        row.update(counts.get(row["pk"], {}))
        row["kind_label"] = Organisation.Kind(row["kind"]).label
        row["validity"] = dates_text(row["valid_from"], row["valid_to"])
    return render(request, "backoffice/units.html", {
        "page": page, "filters": filters, "groups": GROUP_LABELS, "whens": WHEN,
        "count": len(rows)})


def _contact_values(post) -> dict:
    values = {name: typed(post.get(name)) for name in CONTACT_FIELDS}
    values["is_focal"] = post.get("is_focal") == "1"
    return values


def _blank_contact() -> dict:
    return {**dict.fromkeys(CONTACT_FIELDS, ""), "is_focal": True}


@agency_required
@require_http_methods(["GET", "POST"])
def unit(request, code: str):
    """A unit: its details, its accounts, its contacts; admins add contacts here."""
    org = get_object_or_404(Organisation.objects.select_related("parent"), code=code)
    values, errors, status = _blank_contact(), {}, 200
    if request.method == "POST":
        _admin_only(request)
        values = _contact_values(request.POST)
        try:
            contact = contact_create(organisation=org, **values)
        except ValidationError as exc:
            errors, status = _errors(exc), 422
        else:
            messages.success(request, _("Contact %(name)s added.") % {"name": contact.name})
            return redirect("backoffice:unit", org.code)
    return render(request, "backoffice/unit.html", {
        "org": org, "validity": validity(org), "kind_label": org.get_kind_display(),
        "successors": org.successions_out.changes().select_related("successor"),
        "predecessors": org.successions_in.changes().select_related("predecessor"),
        "websites": org.websites.all(),
        "users": sorted(org.users.all(), key=lambda u: sort_key(u.full_name or u.email)),
        "contacts": org.contacts.order_by("-is_focal", "name", "pk"),
        "values": values, "errors": errors, "can_manage": request.user.is_agency_admin},
        status=status)


@agency_required
@require_http_methods(["GET", "POST"])
def unit_contact(request, code: str, pk: int):
    """Edit or delete one contact of a unit."""
    org = get_object_or_404(Organisation, code=code)
    contact = get_object_or_404(Contact, pk=pk, organisation=org)
    values = {**{name: getattr(contact, name) for name in CONTACT_FIELDS},
              "is_focal": contact.is_focal}
    errors, status, name = {}, 200, contact.name
    if request.method == "POST":
        _admin_only(request)
        if request.POST.get("action") == "delete":
            contact_delete(contact=contact)
            messages.success(request, _("Contact %(name)s deleted.") % {"name": contact.name})
            return redirect("backoffice:unit", org.code)
        values = _contact_values(request.POST)
        try:
            contact_update(contact=contact, **values)
        except ValidationError as exc:
            errors, status = _errors(exc), 422
        else:
            messages.success(request, _("Contact %(name)s saved.") % {"name": contact.name})
            return redirect("backoffice:unit", org.code)
    return render(request, "backoffice/unit_contact.html", {
        "org": org, "contact": contact, "name": name, "values": values, "errors": errors,
        "can_manage": request.user.is_agency_admin}, status=status)
