"""The plan form: HTML field names ⇄ the canonical plan document.

Field names are ``summary``, ``contact-name``, ``activities-3-title``… Rows are found by their
names, so a row added by htmx (any fresh index) or by the no-JavaScript "add a row" button
needs no counter; a row whose "delete" box is ticked, or that is left empty, is dropped. The
one validator (dxday.plans.validation) then judges the document.

The same helpers serve any document of sections (the results form passes its schema's
sections, dxday.results.schema.SECTIONS); without ``sections`` they serve the plan.
"""

import re

from django.utils.translation import gettext as _

from dxday.plans.diff import label
from dxday.plans.schema import CARRIED_OVER
from dxday.plans.validation import BENEFICIARIES, CONTACT, SECTIONS

ROW_FIELD = re.compile(r"^(?P<section>[a-z_]+)-(?P<index>\d{1,15})-(?P<field>[a-z_]+)$")


def rules_of(sections=None) -> dict[str, dict]:
    """{section: {field: rule}} of ``sections`` (schema Sections; the plan's by default)."""
    if sections is None:
        return SECTIONS
    return {s.name: {f.name: f.rule for f in s.fields} for s in sections}


def _blank(rule):
    return [] if rule is BENEFICIARIES or rule == "urls" else ""


def blank_row(section: str, *, sections=None) -> dict:
    return {key: _blank(rule) for key, rule in rules_of(sections)[section].items()}


def document_from_post(post, *, sections=None) -> dict:
    """The canonical document of ``sections`` (values still as typed) from a submitted form.
    A list of links ("urls") is typed one per line and stays text for the validator."""
    rules = rules_of(sections)
    data = {"summary": post.get("summary", ""),
            "contact": {key: post.get(f"contact-{key}", "") for key in CONTACT}}
    rows: dict[str, dict[int, dict]] = {section: {} for section in rules}
    deleted: set[tuple[str, int]] = set()
    for name in post:
        match = ROW_FIELD.match(name)
        if not match or match["section"] not in rules:
            continue
        section, index, field = match["section"], int(match["index"]), match["field"]
        if field == "delete":
            deleted.add((section, index))
            continue
        rule = rules[section].get(field)
        if rule is None:
            continue
        value = post.getlist(name) if rule is BENEFICIARIES else post.get(name, "")
        rows[section].setdefault(index, blank_row(section, sections=sections))[field] = value
    for section, found in rows.items():
        data[section] = [
            row for index, row in sorted(found.items())
            # A row with nothing typed is dropped, even if it carries its origin's mark.
            if (section, index) not in deleted and any(
                v not in ("", [], None) for k, v in row.items() if k != CARRIED_OVER.name)
        ]
    return data


def plan_from_post(post) -> dict:
    """The canonical plan document (values still as typed) from a submitted form."""
    return document_from_post(post)


# --- problems, as the form shows them: the field's label and a link to its input ------------

PROBLEM_PATH = re.compile(r"^(?P<section>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<field>[a-z_]+))?$")


def _list_item(path: str) -> str:
    """A link of a list ("activities[0].evidence[2]") as the list's own path."""
    return re.sub(r"(\.[a-z_]+)\[\d+\]$", r"\1", path)


def _section_label(path: str, sections) -> str:
    """ "activities[0].status" → "Activity 1 — What happened", from ``sections``' labels."""
    match = PROBLEM_PATH.match(_list_item(path))
    by_name = {s.name: s for s in sections}
    if not match or match["section"] not in by_name:
        return label(path)
    section = by_name[match["section"]]
    parts = [f"{section.row_label} {int(match['index']) + 1}" if match["index"] is not None
             else str(section.label)]
    if match["field"]:
        fields = {f.name: f.label for f in section.fields}
        parts.append(str(fields.get(match["field"], match["field"])))
    return " — ".join(parts)


def problem_label(path: str, *, sections=None, document: str | None = None,
                  whole: str | None = None) -> str:
    """The human label of a problem's place, in the interface's language: "Activity 1 —
    Title", "Signed plan document"; an Excel cell ("Hoạt động!C2") is named as it is.
    ``sections``, ``document`` and ``whole`` name another document's parts (results)."""
    if "!" in path:
        return path
    if path == "document":
        return document or _("Signed plan document")
    if path in ("(document)", "(file)", ""):
        return whole or _("The plan as a whole")
    if sections is not None:
        return _section_label(path, sections)
    return label(path)


def problem_anchor(path: str, *, editable: bool = True, sections=None) -> str:
    """The id of the element of the form a problem points at (for href="#…")."""
    rules = rules_of(sections)
    if "!" in path or path == "(file)":
        return "id_workbook" if editable else ""
    if path == "document":
        return "id_document" if editable else "document-heading"
    # A link of a list ("activities[0].evidence[2]") points at the list's input.
    match = PROBLEM_PATH.match(_list_item(path))
    if not match:
        return ""
    section, index, field = match["section"], match["index"], match["field"]
    if section == "summary":
        return "id_summary"
    if section == "contact":
        return f"id_contact-{field}" if field in CONTACT else "general-heading"
    if section not in rules:
        return ""
    if index is None:
        return f"{section}-heading"
    if field in rules[section]:
        return f"id_{section}-{index}-{field}"
    return f"{section}-{index}"


def problem_links(problems, *, editable: bool = True, sections=None,
                  document: str | None = None, whole: str | None = None) -> list[dict]:
    """Problems as the error summary lists them: label, message and anchor."""
    return [{"path": p.path,
             "label": problem_label(p.path, sections=sections, document=document, whole=whole),
             "message": p.message,
             "anchor": problem_anchor(p.path, editable=editable, sections=sections)}
            for p in problems]


def field_errors(problems) -> dict[str, str]:
    """path → message, a list's link problems ("….evidence[2]") on the list's own path."""
    out: dict[str, str] = {}
    for p in problems:
        out.setdefault(_list_item(p.path), p.message)
    return out

