"""The plan form: HTML field names ⇄ the canonical plan document.

Field names are ``summary``, ``contact-name``, ``activities-3-title``… Rows are found by their
names, so a row added by htmx (any fresh index) or by the no-JavaScript "add a row" button
needs no counter; a row whose "delete" box is ticked, or that is left empty, is dropped. The
one validator (dxday.plans.validation) then judges the document.
"""

import re

from django.utils.translation import gettext as _

from dxday.plans.diff import label
from dxday.plans.schema import CARRIED_OVER
from dxday.plans.validation import BENEFICIARIES, CONTACT, SECTIONS

ROW_FIELD = re.compile(r"^(?P<section>[a-z_]+)-(?P<index>\d{1,15})-(?P<field>[a-z_]+)$")


def blank_row(section: str) -> dict:
    return {key: ([] if rule is BENEFICIARIES else "") for key, rule in SECTIONS[section].items()}


def plan_from_post(post) -> dict:
    """The canonical document (values still as typed) from a submitted form."""
    data = {"summary": post.get("summary", ""),
            "contact": {key: post.get(f"contact-{key}", "") for key in CONTACT}}
    rows: dict[str, dict[int, dict]] = {section: {} for section in SECTIONS}
    deleted: set[tuple[str, int]] = set()
    for name in post:
        match = ROW_FIELD.match(name)
        if not match or match["section"] not in SECTIONS:
            continue
        section, index, field = match["section"], int(match["index"]), match["field"]
        if field == "delete":
            deleted.add((section, index))
            continue
        rule = SECTIONS[section].get(field)
        if rule is None:
            continue
        value = post.getlist(name) if rule is BENEFICIARIES else post.get(name, "")
        rows[section].setdefault(index, blank_row(section))[field] = value
    for section, found in rows.items():
        data[section] = [
            row for index, row in sorted(found.items())
            # A row with nothing typed is dropped, even if it carries its origin's mark.
            if (section, index) not in deleted and any(
                v not in ("", [], None) for k, v in row.items() if k != CARRIED_OVER.name)
        ]
    return data


# --- problems, as the form shows them: the field's label and a link to its input ------------

PROBLEM_PATH = re.compile(r"^(?P<section>[a-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<field>[a-z_]+))?$")


def problem_label(path: str) -> str:
    """The human label of a problem's place, in the interface's language: "Activity 1 —
    Title", "Signed plan document"; an Excel cell ("Hoạt động!C2") is named as it is."""
    if "!" in path:
        return path
    if path == "document":
        return _("Signed plan document")
    if path in ("(document)", "(file)", ""):
        return _("The plan as a whole")
    return label(path)


def problem_anchor(path: str, *, editable: bool = True) -> str:
    """The id of the element of the plan form a problem points at (for href="#…")."""
    if "!" in path or path == "(file)":
        return "id_workbook" if editable else ""
    if path == "document":
        return "id_document" if editable else "document-heading"
    match = PROBLEM_PATH.match(path)
    if not match:
        return ""
    section, index, field = match["section"], match["index"], match["field"]
    if section == "summary":
        return "id_summary"
    if section == "contact":
        return f"id_contact-{field}" if field in CONTACT else "general-heading"
    if section not in SECTIONS:
        return ""
    if index is None:
        return f"{section}-heading"
    if field in SECTIONS[section]:
        return f"id_{section}-{index}-{field}"
    return f"{section}-{index}"


def problem_links(problems, *, editable: bool = True) -> list[dict]:
    """Problems as the error summary lists them: label, message and anchor."""
    return [{"path": p.path, "label": problem_label(p.path), "message": p.message,
             "anchor": problem_anchor(p.path, editable=editable)} for p in problems]
