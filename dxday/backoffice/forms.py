"""Forms of the agency's workspace: they parse and label what is typed (dd/mm/yyyy dates);
the services decide what is allowed."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from dxday.campaigns.models import Campaign
from dxday.campaigns.services import campaign_rule_errors, deadline_text_for, local_midnight
from dxday.lib.dates import TZ
from dxday.lib.forms import WorkspaceForm, date_field


def time_field(label, *, help_text=None) -> forms.TimeField:
    """A time of day typed "14:30" (Vietnam time); empty is 00:00."""
    return forms.TimeField(
        label=label, required=False, input_formats=["%H:%M", "%Hh%M", "%H giờ %M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "hh:mm",
                                                      "inputmode": "numeric",
                                                      "autocomplete": "off"}),
        help_text=help_text or _("hh:mm, Vietnam time; empty: 00:00"),
        error_messages={"invalid": _("Type the time as hh:mm, e.g. 17:00.")})


def local_moment(day: datetime.date | None, time: datetime.time | None
                 ) -> datetime.datetime | None:
    """``day`` at ``time`` (00:00 when none) in Vietnam, or None without a day."""
    if day is None:
        return None
    return datetime.datetime.combine(day, time or datetime.time(0), TZ)


def reminder_days_field(*, before: bool) -> forms.RegexField:
    """Days before or after a deadline on which units are reminded, typed "7,2"."""
    if before:
        label, example, invalid = (_("Reminders before the deadline (days)"),
                                   _("For example 7,2"),
                                   _("Numbers separated by commas, e.g. 7,2."))
    else:
        label, example, invalid = (_("Reminders after the deadline (days)"),
                                   _("For example 1,7"),
                                   _("Numbers separated by commas, e.g. 1,7."))
    return forms.RegexField(label=label, regex=r"^\s*(\d+\s*(,\s*\d+\s*)*)?$",
                            required=False, max_length=64, help_text=example,
                            error_messages={"invalid": invalid})


class CampaignCopyForm(WorkspaceForm):
    source = forms.ModelChoiceField(label=_("Copy from"), queryset=Campaign.objects.all(),
                                    to_field_name="year", empty_label=None)
    year = forms.IntegerField(label=_("Year of the new campaign"), min_value=2000,
                              max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].label_from_instance = lambda c: f"{c.year} — {c.title}"


class CampaignForm(WorkspaceForm):
    title = forms.CharField(label=_("Title"), max_length=255)
    theme = forms.CharField(label=_("Theme"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    deadline = date_field(_("Plans due before"), required=True, help_text=_(
        "As the dispatch says it: “trước ngày 15/09/2027” is 15/09/2027 at 00:00, Vietnam "
        "time. Type dd/mm/yyyy."))
    lock = date_field(_("Plans locked from"), help_text=_(
        "From 00:00 that day units can no longer save or submit; late plans are accepted "
        "until then. Empty: never locked."))
    publish = date_field(_("Accepted plans public from"), help_text=_(
        "Embargo, from 00:00 that day. Empty: as soon as they are accepted."))
    window_start = date_field(_("Activities from"))
    window_end = date_field(_("Activities until"))
    window_note = forms.CharField(label=_("Note on the window"), required=False,
                                  max_length=255)
    kit_window_start = date_field(_("Identity kit displayed from"))
    kit_window_end = date_field(_("Identity kit displayed until"))
    event_date = date_field(_("Date of the national ceremony"))
    reminder_days_before = reminder_days_field(before=True)
    reminder_days_after = reminder_days_field(before=False)
    results_deadline = date_field(_("Results due before"), help_text=_(
        "After the activity window units report what they did: “trước ngày 31/10/2026” is "
        "31/10/2026 at 00:00, Vietnam time. Type dd/mm/yyyy; empty: results not asked yet."))
    results_deadline_time = time_field(_("Results due: time"))
    results_lock_at = date_field(_("Results locked from"), help_text=_(
        "From then units can no longer save or submit results. Empty: never locked."))
    results_lock_at_time = time_field(_("Results locked: time"))
    signature_required = forms.BooleanField(
        label=_("A signed plan document is required"), required=False, help_text=_(
            "Units cannot submit, and reviewers cannot accept, a plan without its signed "
            "document (PDF or DOCX)."))
    contact_unit = forms.CharField(label=_("Contact unit"), required=False, max_length=255)
    contact_person = forms.CharField(label=_("Contact person"), required=False,
                                     max_length=255)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=64)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)

    PLAIN = ("title", "theme", "description", "window_start", "window_end", "window_note",
             "kit_window_start", "kit_window_end", "event_date", "signature_required",
             "contact_unit", "contact_person", "contact_phone", "contact_email")

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict:
        initial = {name: getattr(campaign, name) for name in cls.PLAIN}
        initial["reminder_days_before"] = campaign.reminder_days_before
        initial["reminder_days_after"] = campaign.reminder_days_after
        for field, source in (("deadline", "submission_deadline"), ("lock", "lock_at"),
                              ("publish", "publish_from")):
            moment = getattr(campaign, source)
            initial[field] = moment.astimezone(TZ).date() if moment else None
        for field in ("results_deadline", "results_lock_at"):
            moment = getattr(campaign, field)
            local = moment.astimezone(TZ) if moment else None
            initial[field] = local.date() if local else None
            initial[f"{field}_time"] = local.time() if local and local.time() else None
        return initial

    # The campaign's fields that the form types under another name.
    FORM_FIELD = {"lock_at": "lock", "submission_deadline": "deadline"}

    def clean(self):
        """The campaign's cross-field rules (campaigns.services.campaign_rule_errors, the one
        place they are written), each on the field to correct, unless it has an error
        already."""
        data = super().clean()
        probe = Campaign(
            window_start=data.get("window_start"), window_end=data.get("window_end"),
            kit_window_start=data.get("kit_window_start"),
            kit_window_end=data.get("kit_window_end"),
            submission_deadline=local_midnight(data["deadline"]) if data.get("deadline") else None,
            lock_at=local_midnight(data["lock"]) if data.get("lock") else None,
            results_deadline=local_moment(data.get("results_deadline"),
                                          data.get("results_deadline_time")),
            results_lock_at=local_moment(data.get("results_lock_at"),
                                         data.get("results_lock_at_time")))
        for field, message in campaign_rule_errors(probe).items():
            name = self.FORM_FIELD.get(field, field)
            if name not in self.errors:
                self.add_error(name, message)
        return data

    def values(self) -> dict:
        """The campaign's fields from what was typed."""
        data = self.cleaned_data
        values = {name: data[name] for name in self.PLAIN}
        values["reminder_days_before"] = data["reminder_days_before"].replace(" ", "")
        values["reminder_days_after"] = data["reminder_days_after"].replace(" ", "")
        values["submission_deadline"] = local_midnight(data["deadline"])
        values["deadline_text"] = deadline_text_for(data["deadline"])
        values["lock_at"] = local_midnight(data["lock"]) if data["lock"] else None
        values["publish_from"] = local_midnight(data["publish"]) if data["publish"] else None
        values["results_deadline"] = local_moment(data["results_deadline"],
                                                  data["results_deadline_time"])
        values["results_lock_at"] = local_moment(data["results_lock_at"],
                                                 data["results_lock_at_time"])
        return values


class DocumentLinkForm(WorkspaceForm):
    doc_number = forms.CharField(label=_("Number and symbol"), max_length=64,
                                 help_text=_('For example "505/QĐ-TTg".'))
    doc_date = date_field(_("Date of the document"), required=True)
    doc_title = forms.CharField(label=_("Summary (trích yếu)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))


class RecipientGroupsForm(WorkspaceForm):
    day = date_field(_("Bodies existing on"), required=True, help_text=_(
        "Only bodies that exist on this day are chosen (after the 2025 reorganisation, "
        "the new ones)."))
    central = forms.BooleanField(label=_("Ministries, ministerial-level and government "
                                         "agencies"), required=False)
    provinces = forms.BooleanField(label=_("All provinces and centrally-run cities"),
                                   required=False)
    communes_of = forms.MultipleChoiceField(
        label=_("Communes, wards and special zones of these provinces"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}))
    replace = forms.TypedChoiceField(
        label=_("What to do"), coerce=lambda v: v == "replace", initial="add",
        choices=[("replace", _("Make these the recipients (replace the list)")),
                 ("add", _("Add them to the recipients"))], widget=forms.RadioSelect)


class CallForm(WorkspaceForm):
    number = forms.CharField(label=_("Number and symbol"), max_length=64,
                             help_text=_('For example "4644/BTTTT-CĐSQG".'))
    date = date_field(_("Date"), required=True)
    signer = forms.CharField(label=_("Signed by"), required=False, max_length=255)
    title = forms.CharField(label=_("Summary (trích yếu)"),
                            widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}))
    file = forms.FileField(label=_("Signed dispatch (PDF or DOCX)"), required=False)


class ExtensionDecisionForm(WorkspaceForm):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("grant", _("Grant")), ("refuse", _("Refuse"))])
    until = date_field(_("New deadline: before"), help_text=_(
        "00:00 that day, Vietnam time; dd/mm/yyyy."))
    comment = forms.CharField(label=_("Comment to the unit"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class RoundForm(WorkspaceForm):
    """A province's round: its deadline and reminder days (the campaign's by default)."""

    province = forms.ChoiceField(label=_("Province or city"), choices=())
    deadline = date_field(_("Communes' plans due before"), required=True, help_text=_(
        "“trước ngày 01/09/2026” is 01/09/2026 at 00:00, Vietnam time; it must be before the "
        "national deadline. Type dd/mm/yyyy."))
    reminder_days_before = reminder_days_field(before=True)
    reminder_days_after = reminder_days_field(before=False)

    def __init__(self, *args, provinces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = list(provinces)
