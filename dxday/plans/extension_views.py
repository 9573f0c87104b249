"""A unit asks for more time (the agency decides in its workspace)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from dxday.lib.forms import WorkspaceForm, date_field
from dxday.plans.access import plan_or_blank, plan_target
from dxday.plans.extensions import extension_request


class ExtensionAskForm(WorkspaceForm):
    reason = forms.CharField(label=gettext_lazy("Why does the unit need more time?"),
                             widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    wanted_until = date_field(gettext_lazy("New deadline asked for: before"))


@login_required
@require_http_methods(["GET", "POST"])
def extension_ask(request, year: int, org_code: str):
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code,
                                         write=True)
    plan = plan_or_blank(campaign, organisation)
    form = ExtensionAskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            extension_request(campaign=campaign, organisation=organisation, by=request.user,
                              reason=form.cleaned_data["reason"],
                              wanted_until=form.cleaned_data["wanted_until"])
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("Your request was sent to the agency. You will be "
                                        "told of its decision by mail."))
            return redirect("plans:plan", year, org_code)
    previous = list(plan.extension_requests.select_related("decided_by")) if plan.pk else []
    return render(request, "plans/extension.html", {
        "campaign": campaign, "organisation": organisation, "plan": plan, "form": form,
        "previous": previous}, status=422 if form.errors else 200)
