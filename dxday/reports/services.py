"""Writes to reports: request a generation, run it (in the worker)."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dxday.reports.models import ReportGeneration

logger = logging.getLogger(__name__)


def report_request(*, campaign, by, number: str = "") -> ReportGeneration:
    """Queue a generation of the consolidated report; the worker makes the files."""
    generation = ReportGeneration.objects.create(campaign=campaign, requested_by=by,
                                                 number=(number or "").strip()[:64])
    from dxday.reports.tasks import generate_report

    transaction.on_commit(lambda: generate_report.enqueue(generation.pk))
    return generation


def _step(generation: ReportGeneration, progress: int, **fields) -> None:
    fields["progress"] = progress
    ReportGeneration.objects.filter(pk=generation.pk).update(**fields)


def report_generate(*, generation: ReportGeneration) -> ReportGeneration:
    """Make the three files of a generation, showing progress; a failure is recorded."""
    from dxday.reports.content import report_content
    from dxday.reports.render import render_docx, render_pdf, render_xlsx

    if generation.status == ReportGeneration.Status.DONE:
        return generation  # a task delivered twice does the work once
    for fmt in ("xlsx", "docx", "pdf"):
        # Files of a run cut short (its worker lost) are replaced, not left beside the new ones.
        field = getattr(generation, fmt)
        if field:
            field.delete(save=False)
    as_of = timezone.now()
    _step(generation, 5, status=ReportGeneration.Status.RUNNING, as_of=as_of)
    try:
        content = report_content(generation.campaign, number=generation.number, as_of=as_of)
        _step(generation, 20, figures=content["figures"])
        stem = f"bao-cao-{generation.campaign.year}-{generation.pk}"
        files = {}
        for fmt, render, progress in (("xlsx", lambda: render_xlsx(generation.campaign), 40),
                                      ("docx", lambda: render_docx(content), 60),
                                      ("pdf", lambda: render_pdf(content), 95)):
            field = getattr(generation, fmt)
            field.save(f"{stem}.{fmt}", ContentFile(render()), save=False)
            files[fmt] = field.name
            _step(generation, progress, **files)
    except Exception as exc:  # recorded for the reviewer; the worker goes on
        logger.exception("Report generation %s failed", generation.pk)
        _step(generation, 100, status=ReportGeneration.Status.FAILED, error=str(exc)[:2000])
    else:
        _step(generation, 100, status=ReportGeneration.Status.DONE)
    generation.refresh_from_db()
    return generation
