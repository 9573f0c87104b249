"""Form helpers shared by every app: Bootstrap widgets, accessible errors, dd/mm/yyyy dates."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                     "autocomplete": "off"}, format="%d/%m/%Y")
DATE_HELP = _("dd/mm/yyyy, e.g. 15/09/2027")


class WorkspaceForm(forms.Form):
    """Bootstrap classes on every widget; a field with an error says so to screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if getattr(widget, "input_type", "") in ("checkbox", "radio"):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}-help"

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in ([field] if field else []) if not isinstance(error, dict) else error:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                described = f"id_{self.add_prefix(name)}-error"
                if described not in widget.attrs.get("aria-describedby", ""):
                    widget.attrs["aria-describedby"] = (
                        f"{widget.attrs.get('aria-describedby', '')} {described}".strip())
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"


def date_field(label, *, required=False, help_text=DATE_HELP):
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET,
                           input_formats=["%d/%m/%Y"], help_text=help_text)
