from django_tasks import task

from dxday.reports.models import ReportGeneration
from dxday.reports.services import report_generate


@task()
def generate_report(generation_id: int) -> str:
    """Make the DOCX, PDF and XLSX of a requested consolidated report."""
    generation = ReportGeneration.objects.select_related("campaign").get(pk=generation_id)
    return report_generate(generation=generation).status
