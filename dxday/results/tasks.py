"""Background tasks of results (run by `dxday worker`)."""

from django.utils import timezone
from django_tasks import task

from dxday.lib import mail
from dxday.plans.reminders import unit_addresses
from dxday.results.models import ResultEvent, ResultVersion


@task()
def send_results_receipt(result_id: int, version: int) -> int:
    """Mail the unit a receipt for submitted results."""
    v = ResultVersion.objects.select_related(
        "result__campaign", "result__organisation", "submitted_by").get(
        result_id=result_id, number=version)
    to = unit_addresses(v.result.organisation)
    if v.submitted_by:
        to.append(v.submitted_by.email)
    return mail.send(to=to, template="results_receipt", context={
        "result": v.result, "version": v, "submitted_at": timezone.localtime(v.submitted_at)})


@task()
def send_results_returned(event_id: int) -> int:
    """Mail the unit that its results were returned, with the reviewer's comment."""
    event = ResultEvent.objects.select_related("result__campaign", "result__organisation").get(
        pk=event_id)
    return mail.send(to=unit_addresses(event.result.organisation), template="results_returned",
                     context={"result": event.result, "comment": event.comment})
