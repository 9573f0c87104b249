"""Template helpers for the plan form: one field spec per input, errors found by path."""

from django import template

from dxday.plans.diff import label
from dxday.plans.labels import CHOICE_LABELS, FIELD_LABELS, choice_label
from dxday.plans.schema import CARRIED_OVER
from dxday.plans.validation import BENEFICIARIES, CONTACT, SECTIONS

register = template.Library()
WIDE = {"description", "title", "name", "location", "audience", "url", "reason", "evidence"}


def _widget(field: str, rule) -> str:
    if field == CARRIED_OVER.name:
        return "carried"  # kept in a hidden input, shown as a badge on the row
    if field == "planned":
        return "hidden"  # the results row's number in the accepted plan, shown beside it
    if rule == "count":
        return "count"  # text with a numeric keyboard: "12.500" is a valid figure
    if rule == "urls":
        return "urls"  # one link per line
    if rule == "date":
        return "date"
    if rule == "url":
        return "url"
    if rule == "email":
        return "email"
    if rule == "province":
        return "province"
    if rule is BENEFICIARIES:
        return "checkboxes"
    if isinstance(rule, dict):
        return "select"
    if field == "description":
        return "textarea"
    return "text"


def _shown(value, rule):
    if value is None:
        return ""
    if rule == "urls":
        return "\n".join(value) if isinstance(value, list) else value
    return value


@register.simple_tag
def row_fields(section, index, row, errors, warnings, sections=None):
    """Specs of a row's inputs: name, id, label, widget, value, choices, error, warning.
    ``sections`` (schema Sections, e.g. the results') give the fields, their labels and
    choices; the plan's by default."""
    if sections is None:
        fields = [(field, rule, FIELD_LABELS.get(field, field),
                   CHOICE_LABELS.get(field, {})) for field, rule in SECTIONS[section].items()]
    else:
        found = next(s for s in sections if s.name == section)
        fields = [(f.name, f.rule, f.label, f.rule if isinstance(f.rule, dict) else {})
                  for f in found.fields]
    specs = []
    for field, rule, text, choices in fields:
        path = f"{section}[{index}].{field}" if index is not None else f"{section}.{field}"
        widget = _widget(field, rule)
        specs.append({
            "name": f"{section}-{index}-{field}", "id": f"id_{section}-{index}-{field}",
            "label": text, "widget": widget, "field": field,
            "value": _shown(row.get(field), rule),
            "choices": list(choices.items()),
            "error": errors.get(path), "warning": warnings.get(path),
            "wide": field in WIDE, "maxlength": rule if isinstance(rule, int) else None,
        })
    return specs


@register.simple_tag
def contact_fields(contact, errors):
    return [{"name": f"contact-{field}", "id": f"id_contact-{field}",
             "label": FIELD_LABELS.get(field, field),
             "widget": "email" if rule == "email" else "tel" if field == "phone" else "text",
             "value": (contact or {}).get(field, ""), "error": errors.get(f"contact.{field}"),
             "maxlength": rule if isinstance(rule, int) else None}
            for field, rule in CONTACT.items()]


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def choice(value, field):
    if isinstance(value, list):
        return ", ".join(choice_label(field, v) for v in value)
    return choice_label(field, value)


@register.filter
def field_label(field):
    return FIELD_LABELS.get(field, field)


@register.filter
def path_label(path):
    """ "activities[0].end" → "Activity 1 — End", in the user's language."""
    return label(path)
