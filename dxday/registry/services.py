"""Writes to the registry. Every write goes through a function here."""

import dataclasses
import datetime
import re
from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from vietnam_provinces import Province, VietNamDivisionType, Ward

from dxday.lib.text import clean_typed, nfc
from dxday.registry import reference_data as ref
from dxday.registry.models import Contact, Organisation, Succession

ORG_FIELDS = ("official_code", "name", "short_name", "kind", "valid_from", "valid_to")


@dataclasses.dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    kind: str
    short_name: str = ""
    official_code: str = ""
    parent_code: str | None = None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


@dataclasses.dataclass(frozen=True)
class SuccessionSpec:
    predecessor: str
    successor: str
    date: datetime.date
    note: str = ""
    type: str = Succession.Type.MERGED


@dataclasses.dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    successions_created: int = 0

    def __add__(self, other: "LoadReport") -> "LoadReport":
        return LoadReport(*(a + b for a, b in zip(dataclasses.astuple(self),
                                                  dataclasses.astuple(other), strict=True)))

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.successions_created)


def _short_province(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return "TP. Hồ Chí Minh" if name == "Hồ Chí Minh" else name


# The official division type of a commune-level unit → its kind.
WARD_KINDS = {
    VietNamDivisionType.XA: Organisation.Kind.COMMUNE,
    VietNamDivisionType.PHUONG: Organisation.Kind.WARD,
    VietNamDivisionType.DAC_KHU: Organisation.Kind.SPECIAL_ZONE,
}


def reference_organisations() -> tuple[list[OrgSpec], list[SuccessionSpec]]:
    """The registry's reference data: the central bodies and provinces of 2022 and of 2025
    (those that continued are one record each), the 34 provinces and the 3,321 communes, wards
    and special zones, with the typed links of the 2025 reorganisation."""
    orgs: list[OrgSpec] = []
    links: list[SuccessionSpec] = []
    old = ref.OLD_SUFFIX

    current = {code: (name, short, kind) for code, name, short, kind in ref.CENTRAL_2025}
    for code, name, short, kind in ref.CENTRAL_2022:
        if code in ref.CENTRAL_CONTINUED:
            continue
        orgs.append(OrgSpec(code + old, name, kind, short, valid_to=ref.CENTRAL_END))
        for new_code, link_type, note in ref.CENTRAL_SUCCESSORS[code]:
            links.append(SuccessionSpec(code + old, new_code, ref.CENTRAL_START, note,
                                        link_type))
    for code, (name, short, kind) in current.items():
        start = None if code in ref.CENTRAL_CONTINUED else ref.CENTRAL_START
        orgs.append(OrgSpec(code, name, kind, short, valid_from=start))

    for gso, short, kind, new_code in ref.PROVINCES_2022:
        if gso in ref.PROVINCES_CONTINUED:
            continue
        renamed = gso in ref.PROVINCES_RENAMED
        orgs.append(OrgSpec(
            gso + old, ref.province_name(short, kind), kind, _short_province(short),
            official_code=gso,
            valid_to=(ref.HUE_START - datetime.timedelta(days=1)) if renamed else ref.PROVINCE_END,
        ))
        links.append(SuccessionSpec(
            gso + old, new_code, ref.HUE_START if renamed else ref.PROVINCE_START,
            "Trở thành thành phố trực thuộc trung ương" if renamed else "",
            ref.RENAMED if renamed else ref.MERGED))

    for province in Province.iter_all():
        code = f"{int(province.code):02d}"
        is_city = province.division_type == VietNamDivisionType.THANH_PHO_TRUNG_UONG
        name = province.name if is_city else f"Tỉnh {province.name}"
        if code in ref.PROVINCES_CONTINUED:
            start = None
        else:
            start = ref.HUE_START if code in ref.PROVINCES_RENAMED else ref.PROVINCE_START
        orgs.append(OrgSpec(
            code, name, ref.C if is_city else ref.P, _short_province(name), official_code=code,
            valid_from=start,
        ))
    for ward in Ward.iter_all():
        code = f"{int(ward.code):05d}"
        prefix = ward.division_type.value.capitalize() + " "
        short = ward.name[len(prefix):] if ward.name.startswith(prefix) else ward.name
        orgs.append(OrgSpec(
            code, ward.name, WARD_KINDS[ward.division_type], short, official_code=code,
            parent_code=f"{int(ward.province_code):02d}", valid_from=ref.PROVINCE_START,
        ))
    return orgs, links


def _levels(specs: list[OrgSpec]) -> Iterator[list[OrgSpec]]:
    """Yield specs parents first, so that every parent exists before its children."""
    placed: set[str] = set()
    remaining = specs
    while remaining:
        level = [s for s in remaining if s.parent_code is None or s.parent_code in placed]
        if not level:
            missing = sorted({s.parent_code for s in remaining})
            raise ValueError(f"Unknown parent codes: {', '.join(missing[:10])}")
        yield level
        placed.update(s.code for s in level)
        remaining = [s for s in remaining if s.code not in placed]


@transaction.atomic
def organisations_load(*, orgs: Iterable[OrgSpec], successions: Iterable[SuccessionSpec],
                       refresh: bool = False) -> LoadReport:
    """Create the organisations and successions that are missing.

    Existing records are left as they are, so edits made in the admin survive a reload; with
    ``refresh`` their reference fields are set back to the given values. Idempotent.
    """
    report = LoadReport()
    specs = list(orgs)
    existing = {o.code: o for o in Organisation.objects.filter(code__in=[s.code for s in specs])}
    ids = {code: o.pk for code, o in existing.items()}

    for level in _levels(specs):
        to_create, to_update = [], []
        for spec in level:
            parent_id = ids[spec.parent_code] if spec.parent_code else None
            values = {f: getattr(spec, f) for f in ORG_FIELDS}
            values["name"], values["short_name"] = nfc(spec.name), nfc(spec.short_name)
            current = existing.get(spec.code)
            if current is None:
                to_create.append(Organisation(code=spec.code, parent_id=parent_id, **values))
            elif refresh and (
                any(getattr(current, f) != v for f, v in values.items())
                or current.parent_id != parent_id
            ):
                for field, value in values.items():
                    setattr(current, field, value)
                current.parent_id = parent_id
                to_update.append(current)
            else:
                report.unchanged += 1
        Organisation.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Organisation.objects.bulk_update(to_update, [*ORG_FIELDS, "parent"], batch_size=500)
        report.created += len(to_create)
        report.updated += len(to_update)
        if to_create:
            ids.update(Organisation.objects.filter(code__in=[o.code for o in to_create])
                       .values_list("code", "pk"))

    links = list(successions)
    codes = {c for link in links for c in (link.predecessor, link.successor)}
    ids.update(Organisation.objects.filter(code__in=codes - ids.keys()).values_list("code", "pk"))
    unknown = sorted(codes - ids.keys())
    if unknown:
        raise ValueError(f"Successions name unknown organisations: {', '.join(unknown[:10])}")
    have = {(s.predecessor_id, s.successor_id): s for s in Succession.objects.filter(
        predecessor_id__in=[ids[lk.predecessor] for lk in links])}
    new_links, changed_links = [], []
    for lk in links:
        pair = (ids[lk.predecessor], ids[lk.successor])
        values = {"date": lk.date, "note": nfc(lk.note), "type": lk.type}
        current = have.get(pair)
        if current is None:
            new_links.append(Succession(predecessor_id=pair[0], successor_id=pair[1], **values))
        elif refresh and any(getattr(current, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(current, field, value)
            changed_links.append(current)
    Succession.objects.bulk_create(new_links, batch_size=500)
    if changed_links:
        Succession.objects.bulk_update(changed_links, ["date", "note", "type"], batch_size=500)
    report.successions_created = len(new_links)
    report.updated += len(changed_links)
    return report


# --- contacts (the focal contact is the campaign's addressee) -------------------------------

PHONE = re.compile(r"^[0-9+().\-\s]{6,32}$")  # the same rule as a plan's contact phone


def _contact_fill(contact: Contact, *, name: str, position: str, unit: str, phone: str,
                  email: str, is_focal: bool) -> None:
    """Set a contact's fields from what was typed, or raise ValidationError by field."""
    def tidy(value: str | None) -> str:
        return " ".join(clean_typed(value or "").split())

    contact.name, contact.position, contact.unit = tidy(name), tidy(position), tidy(unit)
    contact.phone, contact.email = tidy(phone), tidy(email).lower()
    contact.is_focal = bool(is_focal)
    errors: dict[str, list[str]] = {}
    if not contact.name:
        errors["name"] = [_("Enter the contact's name.")]
    if contact.phone and not PHONE.match(contact.phone):
        errors["phone"] = [_("Enter a phone number (digits, spaces, + . - ( )).")]
    try:
        contact.full_clean(exclude=["organisation", *errors])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contact_create(*, organisation: Organisation, name: str, position: str = "",
                   unit: str = "", phone: str = "", email: str = "",
                   is_focal: bool = False) -> Contact:
    """Add a contact to a unit. Focal contacts receive the call and the reminders."""
    contact = Contact(organisation=organisation)
    _contact_fill(contact, name=name, position=position, unit=unit, phone=phone, email=email,
                  is_focal=is_focal)
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, name: str, position: str = "", unit: str = "",
                   phone: str = "", email: str = "", is_focal: bool = False) -> Contact:
    """Change a contact; nothing is saved when a field is refused."""
    _contact_fill(contact, name=name, position=position, unit=unit, phone=phone, email=email,
                  is_focal=is_focal)
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    """Remove a contact from its unit."""
    contact.delete()
