from django_tasks import task

from dxday.reports.generate import report_generate
from dxday.reports.models import ReportGeneration


@task()
def generate_report(generation_id: int) -> str:
    """Make the snapshot (once) and the DOCX, PDF and XLSX of a report (consolidated or results)."""
    generation = ReportGeneration.objects.select_related("campaign").get(pk=generation_id)
    return report_generate(generation=generation).status
