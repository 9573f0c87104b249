"""The results document's validator: the plan validator's rules (plans.validation) on the
results schema, then what results add — each row answers at most one row of the accepted
plan, and a submission answers every row of it."""

from typing import Any

from django.utils.translation import gettext as _

from dxday.plans.validation import Problem, Result, validate_document
from dxday.results import schema


def validate_results(raw: Any, *, campaign=None, planned: dict | None = None,
                     for_submit: bool = False) -> Result:
    """Check a results document against ``planned`` (the accepted plan version's data).

    A row naming a number the plan does not have is kept as an added row (a warning says
    so), never attached to another; two rows naming the same planned row are an error; for
    a submission every planned activity and initiative needs its row, a cancelled activity or
    an initiative not launched its reason, a held activity its date."""
    result = validate_document(raw, sections=schema.SECTIONS, campaign=campaign,
                               for_submit=for_submit)
    planned = planned or {}
    data, errors, warnings = result.data, result.errors, result.warnings
    for section, noun in (("activities", "title"), ("initiatives", "name")):
        in_plan = planned.get(section) or []
        seen: dict[int, int] = {}
        for i, row in enumerate(data.get(section, ())):
            number = row.get("planned")
            if number is None:
                continue
            if not 1 <= number <= len(in_plan):
                warnings.append(Problem(f"{section}[{i}].planned", _(
                    "The accepted plan has no row %(n)d here: this row is recorded as added "
                    "(not planned).") % {"n": number}))
                row["planned"] = None
            elif number in seen:
                errors.append(Problem(f"{section}[{i}].planned", _(
                    "Row %(n)d of the accepted plan is already answered by row %(row)d.")
                    % {"n": number, "row": seen[number] + 1}))
            else:
                seen[number] = i
        if for_submit:
            for n, row in enumerate(in_plan, start=1):
                if n not in seen:
                    errors.append(Problem(section, _(
                        "Row %(n)d of the accepted plan (%(title)s) has no result: say what "
                        "happened to it.") % {"n": n, "title": row.get(noun, "")}))
    for i, row in enumerate(data.get("activities", ())):
        if row["status"] != "not_held":
            continue
        # A cancelled activity had no participants: figures there would count as held.
        for key in ("participants_in_person", "participants_online"):
            if row[key]:
                errors.append(Problem(f"activities[{i}].{key}", _(
                    "An activity that was not held has no participants: leave it empty.")))
        if row["planned"] is None:
            errors.append(Problem(f"activities[{i}].status", _(
                "An activity that was not in the plan is reported only when it was held: "
                "remove the row or say it was held.")))
    if for_submit:
        for i, row in enumerate(data.get("activities", ())):
            if row["status"] in ("not_held", "changed") and not row["reason"]:
                errors.append(Problem(f"activities[{i}].reason", _(
                    "Say why it was not held, or what changed.")))
            if row["status"] in ("held", "changed") and not row["start"]:
                errors.append(Problem(f"activities[{i}].start", _(
                    "Give the date it was held.")))
        for i, row in enumerate(data.get("initiatives", ())):
            if row["launched"] == "no" and not row["reason"]:
                errors.append(Problem(f"initiatives[{i}].reason", _(
                    "Say why it was not launched.")))
            if row["usage_value"] is not None and not row["usage_measure"]:
                errors.append(Problem(f"initiatives[{i}].usage_measure", _(
                    "Say what the figure counts (users, transactions…).")))
    return result
