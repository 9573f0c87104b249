"""The plan form: HTML field names ⇄ the canonical plan document.

Field names are ``summary``, ``contact-name``, ``activities-3-title``… Rows are found by their
names, so a row added by htmx (any fresh index) or by the no-JavaScript "add a row" button
needs no counter; a row whose "delete" box is ticked, or that is left empty, is dropped. The
one validator (dxday.plans.validation) then judges the document.
"""

import re

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
            if (section, index) not in deleted and any(v not in ("", [], None)
                                                       for v in row.values())
        ]
    return data
