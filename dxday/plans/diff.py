"""A readable difference between two versions of a plan, field by field."""

import dataclasses
import re

from dxday.plans.labels import CHOICE_LABELS, FIELD_LABELS, SECTION_ROW_LABELS, choice_label

PATH_PART = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")


@dataclasses.dataclass(frozen=True)
class Change:
    path: str
    label: str
    old: str
    new: str

    @property
    def kind(self) -> str:
        return "added" if not self.old else "removed" if not self.new else "changed"


def _show(field: str, value) -> str:
    if isinstance(value, list):
        return ", ".join(choice_label(field, v) for v in value)
    if value is None:
        return ""
    # A field with choices (from the plan schema) shows its label, any other its text.
    return choice_label(field, value) if field in CHOICE_LABELS else str(value)


def flatten(data: dict) -> dict[str, tuple[str, str]]:
    """path → (field, shown value) for every non-empty leaf of a plan document."""
    out: dict[str, tuple[str, str]] = {}
    for key, value in (data or {}).items():
        if isinstance(value, dict):
            for field, v in value.items():
                out[f"{key}.{field}"] = (field, _show(field, v))
        elif isinstance(value, list) and key in SECTION_ROW_LABELS:
            for i, row in enumerate(value):
                for field, v in row.items():
                    out[f"{key}[{i}].{field}"] = (field, _show(field, v))
        else:
            out[key] = (key, _show(key, value))
    return {path: pair for path, pair in out.items() if pair[1]}


def label(path: str) -> str:
    """ "activities[0].end" → "Activity 1 — End" """
    parts = []
    for name, index in PATH_PART.findall(path):
        if index:
            parts.append(f"{SECTION_ROW_LABELS.get(name, name)} {int(index) + 1}")
        else:
            parts.append(str(FIELD_LABELS.get(name, name)))
    return " — ".join(parts)


def diff(old: dict, new: dict) -> list[Change]:
    a, b = flatten(old), flatten(new)
    changes = []
    for path in list(dict.fromkeys([*a, *b])):
        before, after = a.get(path, ("", ""))[1], b.get(path, ("", ""))[1]
        if before != after:
            changes.append(Change(path, label(path), before, after))
    return changes
