"""Human labels of the plan document's codes and fields (translatable), from the one schema."""

from django.utils.translation import gettext_lazy as _

from dxday.plans import schema

CHOICE_LABELS = schema.CHOICES
FIELD_LABELS = {**{f.name: f.label for f in (schema.SUMMARY, *schema.CONTACT)},
                "contact": _("Contact"), **{s.name: s.label for s in schema.SECTIONS},
                **{name: f.label for name, f in schema.FIELDS.items()}}
SECTION_ROW_LABELS = {s.name: s.row_label for s in schema.SECTIONS}


def choice_label(field: str, value: str) -> str:
    return str(CHOICE_LABELS.get(field, {}).get(value, value))
