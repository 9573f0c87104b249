"""Making a generation (run by the worker): the snapshot once, then the three files from it.
The consolidated report and the results report differ only in what they read, the blocks they
build and their annexes (KINDS); the rest is the same."""

import logging

from django.core.files.base import ContentFile
from django.utils import timezone

from dxday.reports import document, results_report, snapshot
from dxday.reports.models import ReportGeneration
from dxday.reports.render import render_docx, render_pdf, render_xlsx

# kind → (take the snapshot, build the document's blocks, render the annexes, file stem)
KINDS = {
    ReportGeneration.Kind.PLANS: (snapshot.take, document.build, render_xlsx, "bao-cao"),
    ReportGeneration.Kind.RESULTS: (snapshot.take_results, results_report.build,
                                    results_report.render_xlsx, "bao-cao-ket-qua"),
}

logger = logging.getLogger(__name__)


def _step(generation: ReportGeneration, progress: int, **fields) -> None:
    fields["progress"] = progress
    ReportGeneration.objects.filter(pk=generation.pk).update(**fields)


def report_generate(*, generation: ReportGeneration) -> ReportGeneration:
    """Take the snapshot (once per generation), then render the three files from it."""
    if generation.status == ReportGeneration.Status.DONE:
        return generation  # a task delivered twice does the work once
    for fmt in ("xlsx", "docx", "pdf"):
        # Files of a run cut short (its worker lost), or of the draft before an edit, are
        # replaced, not left beside the new ones.
        field = getattr(generation, fmt)
        if field:
            field.delete(save=False)
    _step(generation, 5, status=ReportGeneration.Status.RUNNING, docx="", pdf="", xlsx="")
    take, build, render_annexes, name = KINDS[generation.kind]
    try:
        if generation.snapshot:
            with generation.snapshot.open("rb") as handle:
                data = snapshot.loads(handle.read())
        else:
            as_of = timezone.now()
            data = take(generation.campaign, as_of=as_of)
            generation.snapshot.save(f"{name}-{generation.campaign.year}-{generation.pk}.json.gz",
                                     ContentFile(snapshot.dumps(data)), save=False)
            _step(generation, 25, snapshot=generation.snapshot.name, as_of=as_of,
                  figures=data["figures"])
        details = generation.details()
        report = build(data, details)
        stem = f"{name}-{generation.campaign.year}-{generation.pk}"
        files = {}
        for fmt, render, progress in (("xlsx", lambda: render_annexes(data, details), 50),
                                      ("docx", lambda: render_docx(report), 70),
                                      ("pdf", lambda: render_pdf(report), 95)):
            field = getattr(generation, fmt)
            field.save(f"{stem}.{fmt}", ContentFile(render()), save=False)
            files[fmt] = field.name
            _step(generation, progress, **files)
    except Exception as exc:  # recorded for the reviewer; the worker goes on
        logger.exception("Report generation %s failed", generation.pk)
        _step(generation, 100, status=ReportGeneration.Status.FAILED, error=str(exc)[:2000])
    else:
        _step(generation, 100, status=ReportGeneration.Status.DONE, error="")
    generation.refresh_from_db()
    return generation
