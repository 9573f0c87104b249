"""The one validator of the canonical plan document, its rules from dxday.plans.schema.

The web form, the write API and `dxday import-plan` all turn their input into the canonical
JSON shape and call :func:`validate_plan`; an error names its place ("activities[0].end"), a
warning is advice that does not stop a save (a date outside the campaign's window: the dispatch
allows "during October").
"""

import dataclasses
import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from dxday.campaigns.selectors import province_codes
from dxday.lib.text import clean_typed
from dxday.plans import schema
from dxday.plans.schema import BENEFICIARY as BENEFICIARIES
from dxday.plans.schema import LONG, MAX_ROWS

# The rules, from the one schema: {section: {field: rule}}; choices are dicts code → label.
SECTIONS = {s.name: {f.name: f.rule for f in s.fields} for s in schema.SECTIONS}
CONTACT = {f.name: f.rule for f in schema.CONTACT}
# What a row needs before the plan can be submitted (a draft may be incomplete).
REQUIRED_TO_SUBMIT = {s.name: tuple(f.name for f in s.fields if f.required)
                      for s in schema.SECTIONS}
MAX_COUNT = 10_000_000  # participants, views, users…: above this a typing error is likelier
MAX_URLS = 10
GROUPED = re.compile(r"^\d{1,3}([., ]\d{3})+$")  # 12.500 / 12,500 / 12 500
PHONE = re.compile(r"^[0-9+().\-\s]{6,32}$")
_url = URLValidator(schemes=["http", "https"])
_email = EmailValidator()


@dataclasses.dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def as_dict(self) -> dict:
        return {"path": self.path, "message": self.message}


@dataclasses.dataclass
class Result:
    data: dict
    errors: list[Problem]
    warnings: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.errors


class PlanInvalid(Exception):
    """Raised by services when a plan does not validate; nothing was saved."""

    def __init__(self, errors: list[Problem], warnings: list[Problem] | None = None):
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in errors))
        self.errors = errors
        self.warnings = warnings or []


def parse_date(value: Any) -> datetime.date | None:
    """ISO dates (2026-10-10) and Vietnamese ones (10/10/2026); None when unreadable."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class _Checker:
    def __init__(self, *, provinces: set[str], for_submit: bool):
        self.provinces = provinces
        self.for_submit = for_submit
        self.errors: list[Problem] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(Problem(path, message))

    def value(self, path: str, raw: Any, rule: Any) -> Any:
        """Check one field against its rule; return the clean value (or a neutral one)."""
        if rule == "date":
            if raw in (None, ""):
                return None
            parsed = parse_date(raw)
            if parsed is None:
                self.error(path, _("Enter a date as YYYY-MM-DD or DD/MM/YYYY."))
                return None
            if not 2000 <= parsed.year <= 2100:
                self.error(path, _("Enter a date between 2000 and 2100."))
                return None
            return parsed.isoformat()
        if rule == "count":
            return self.count(path, raw)
        if rule == "urls":
            items = raw if isinstance(raw, list) else (
                [] if raw in (None, "") else str(raw).split())
            if len(items) > MAX_URLS:
                self.error(path, _("At most %(n)d links.") % {"n": MAX_URLS})
                items = items[:MAX_URLS]
            return [u for i, item in enumerate(items)
                    if (u := self.value(f"{path}[{i}]", item, "url"))]
        if rule is BENEFICIARIES:
            items = raw if isinstance(raw, list) else ([] if raw in (None, "") else [raw])
            clean = []
            for item in items:
                if item not in rule:
                    self.error(path, _("Choose among: %(choices)s.") % {"choices": ", ".join(rule)})
                elif item not in clean:
                    clean.append(item)
            return clean
        if raw is None:
            raw = ""
        if not isinstance(raw, str | int | float) or isinstance(raw, bool):
            self.error(path, _("Enter text."))
            return ""
        # Kept as typed (NFC): legacy fonts are converted by the workbook readers only.
        text = clean_typed(str(raw)).strip()
        if isinstance(rule, dict):
            if text and text not in rule:
                self.error(path, _("Choose among: %(choices)s.") % {"choices": ", ".join(rule)})
                return ""
            return text
        if rule == "url":
            if text:
                try:
                    _url(text)
                except ValidationError:
                    self.error(path, _("Enter a full web address starting with http:// or "
                                       "https://."))
                    return ""
            return text
        if rule == "email":
            if text:
                try:
                    _email(text)
                except ValidationError:
                    self.error(path, _("Enter a valid email address."))
                    return ""
            return text.lower()
        if rule == "province":
            if text and text not in self.provinces:
                self.error(path, _("Unknown province code %(code)s.") % {"code": text})
                return None
            return text or None
        if isinstance(rule, int):
            if len(text) > rule:
                self.error(path, _("At most %(n)d characters (%(got)d given).")
                           % {"n": rule, "got": len(text)})
                return text[:rule]
            return text
        raise AssertionError(f"unknown rule {rule!r}")

    def count(self, path: str, raw: Any) -> int | None:
        """A whole number from 0 to MAX_COUNT; "12.500", "12,500" and "12 500" are 12500."""
        if raw is None or raw == "":
            return None
        if isinstance(raw, bool):
            self.error(path, _("Enter a whole number."))
            return None
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, str):
            text = raw.strip()
            if GROUPED.match(text):
                text = re.sub(r"[., ]", "", text)
            if re.fullmatch(r"-?\d+", text):
                raw = int(text)
        if not isinstance(raw, int):
            self.error(path, _("Enter a whole number."))
            return None
        if raw < 0:
            self.error(path, _("Enter a number of 0 or more."))
            return None
        if raw > MAX_COUNT:
            self.error(path, _("At most %(n)s; check the figure.") % {"n": f"{MAX_COUNT:,}"})
            return None
        return raw

    def obj(self, path: str, raw: Any, rules: dict) -> dict:
        if not isinstance(raw, dict):
            self.error(path or "(document)", _("Expected an object with fields."))
            return {k: _empty(rules[k]) for k in rules}
        for key in raw:
            if key not in rules:
                self.error(f"{path}.{key}" if path else key, _("Unknown field."))
        return {key: self.value(f"{path}.{key}" if path else key, raw.get(key), rule)
                for key, rule in rules.items()}


def _empty(rule) -> Any:
    if rule is BENEFICIARIES or rule == "urls":
        return []
    return None if rule == "count" else ""


def validate_plan(raw: Any, *, campaign=None, for_submit: bool = False) -> Result:
    """Check a plan document; return its clean form, the errors and the warnings.

    ``for_submit`` also requires what a submitted plan must contain; a draft may be partial.
    """
    return validate_document(raw, sections=schema.SECTIONS, campaign=campaign,
                             for_submit=for_submit)


def validate_document(raw: Any, *, sections, campaign=None, for_submit: bool = False) -> Result:
    """Check a document made of a summary, a contact and ``sections`` (a plan's, or its
    results' — dxday.results.schema): each field against its rule, the rows' dates, and
    for a submission what each row requires."""
    rules_of = {s.name: {f.name: f.rule for f in s.fields} for s in sections}
    required_of = {s.name: tuple(f.name for f in s.fields if f.required) for s in sections}
    checker = _Checker(provinces=province_codes(campaign), for_submit=for_submit)
    warnings: list[Problem] = []
    if not isinstance(raw, dict):
        checker.error("(document)", _("Expected a JSON object."))
        raw = {}
    allowed = {"summary", "contact", *rules_of}
    for key in raw:
        if key not in allowed:
            checker.error(key, _("Unknown field."))
    data: dict[str, Any] = {
        "summary": checker.value("summary", raw.get("summary"), LONG),
        "contact": checker.obj("contact", raw.get("contact") or {}, CONTACT),
    }
    phone = data["contact"]["phone"]
    if phone and not PHONE.match(phone):
        checker.error("contact.phone", _("Enter a phone number (digits, spaces, + . - ( ))."))

    for section, rules in rules_of.items():
        rows = raw.get(section) or []
        if not isinstance(rows, list):
            checker.error(section, _("Expected a list."))
            rows = []
        if len(rows) > MAX_ROWS:
            checker.error(section, _("At most %(n)d rows.") % {"n": MAX_ROWS})
            rows = rows[:MAX_ROWS]
        data[section] = [checker.obj(f"{section}[{i}]", row, rules)
                         for i, row in enumerate(rows)]

    for i, activity in enumerate(data.get("activities", ())):
        start, end = activity["start"], activity["end"]
        if start and end and end < start:
            checker.error(f"activities[{i}].end", _("The activity ends before it starts."))
        if campaign is not None and campaign.window_start and campaign.window_end:
            for key in ("start", "end"):
                day = activity[key] and datetime.date.fromisoformat(activity[key])
                if day and not campaign.window_start <= day <= campaign.window_end:
                    warnings.append(Problem(f"activities[{i}].{key}", _(
                        "Outside the campaign's window %(start)s – %(end)s; accepted.") % {
                        "start": f"{campaign.window_start:%d/%m/%Y}",
                        "end": f"{campaign.window_end:%d/%m/%Y}"}))

    if for_submit:
        if not data["summary"]:
            checker.error("summary", _("Required to submit."))
        if not data["contact"]["name"]:
            checker.error("contact.name", _("Required to submit."))
        if not (data["contact"]["email"] or data["contact"]["phone"]):
            checker.error("contact.email", _("Give an email or a phone number to submit."))
        if not (data.get("activities") or data.get("initiatives")):
            checker.error("activities", _("Add at least one activity or initiative to submit."))
        for section, required in required_of.items():
            for i, row in enumerate(data[section]):
                for key in required:
                    if row[key] in (None, "", []):
                        checker.error(f"{section}[{i}].{key}", _("Required to submit."))
    return Result(data=data, errors=checker.errors, warnings=warnings)


def _field_schema(rule) -> dict:
    if rule == "count":
        return {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_COUNT}
    if rule == "urls":
        return {"type": "array", "maxItems": MAX_URLS,
                "items": {"type": "string", "format": "uri"}}
    if rule == "date":
        return {"type": ["string", "null"], "format": "date"}
    if rule == "url":
        return {"type": "string", "format": "uri"}
    if rule == "email":
        return {"type": "string", "format": "email"}
    if rule == "province":
        return {"type": ["string", "null"], "description": "province code"}
    if rule is BENEFICIARIES:
        return {"type": "array", "items": {"type": "string", "enum": list(rule)}}
    if isinstance(rule, dict):
        return {"type": "string", "enum": ["", *rule]}
    return {"type": "string", "maxLength": rule}


def _object_schema(rules: dict) -> dict:
    return {"type": "object", "additionalProperties": False,
            "properties": {key: _field_schema(rule) for key, rule in rules.items()}}


def document_json_schema(sections) -> dict:
    """A document of ``sections`` as JSON Schema, for /api/v1/openapi.json."""
    return {
        "type": "object", "additionalProperties": False,
        "properties": {
            "summary": {"type": "string", "maxLength": LONG},
            "contact": _object_schema(CONTACT),
            **{s.name: {"type": "array", "maxItems": MAX_ROWS,
                        "items": _object_schema({f.name: f.rule for f in s.fields})}
               for s in sections},
        },
    }


# The canonical plan document as JSON Schema, for /api/v1/openapi.json.
PLAN_JSON_SCHEMA = document_json_schema(schema.SECTIONS)
