"""Unit-facing pages of results."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dxday.plans.access import plan_target
from dxday.results.models import Result
from dxday.results.services import not_ready_reason


@login_required
@require_GET
def results_edit(request, year: int, org_code: str):
    """The unit's results: their state, or why they cannot be reported yet."""
    campaign, organisation = plan_target(request.user, year=year, org_code=org_code)
    result = Result.objects.filter(campaign=campaign, organisation=organisation).first()
    return render(request, "results/results.html", {
        "campaign": campaign, "organisation": organisation, "result": result,
        "not_ready": "" if result else not_ready_reason(campaign, organisation)})
