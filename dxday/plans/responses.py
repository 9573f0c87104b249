"""What the plan and results pages answer alike (both tracks of the submission workflow):
the outcome of saving a draft from the form, and a signed document handed out."""

from collections.abc import Callable

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from dxday.plans.services import PlanConflict
from dxday.plans.uploads import CONTENT_TYPES, UploadRefused, document_filename, stored_kind
from dxday.plans.validation import PlanInvalid, Problem


def draft_saved(request, *, action: str, save: Callable, form: Callable[..., HttpResponse],
                page: str, submit_page: str, args: list, label: Callable[[str], str]
                ) -> HttpResponse:
    """Save a draft posted from its form: ``save()`` returns (submission, validation result)
    or raises. Nothing saved → the form again with what was typed (``form(errors=…,
    warnings=…, status=422)``), or back to ``page`` on a conflict, with the reason; saved →
    ``page`` with its warnings (``label`` names a field by its path), or ``submit_page`` to
    check and submit."""
    try:
        _submission, checked = save()
    except PlanInvalid as exc:
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
        return form(errors=exc.errors, warnings=exc.warnings, status=422)
    except UploadRefused as exc:
        messages.error(request, _("Nothing was saved: %(reason)s") % {"reason": exc})
        return form(errors=[Problem("document", str(exc))], status=422)
    except PlanConflict as exc:
        messages.error(request, str(exc))
        return redirect(page, *args)
    if action == "submit":
        # One message on the next page, which shows the warnings itself.
        messages.success(request, _("Draft saved. Check what will be sent, then submit."))
        return redirect(submit_page, *args)
    messages.success(request, _("Draft saved."))
    for warning in checked.warnings:
        messages.warning(request, f"{label(warning.path)}: {warning.message}")
    return redirect(page, *args)


def document_download(path: str, name: str, *, default: str) -> FileResponse:
    """A stored signed document: always a download (attachment), typed by the file's content
    (PDF or DOCX) and named with that type's extension whatever name the uploader gave it
    (``default`` when none), never sniffed by the browser. 404 when there is none, or when
    the file is not one this site would have accepted."""
    if not path or not default_storage.exists(path):
        raise Http404("No document")
    handle = default_storage.open(path, "rb")
    kind = stored_kind(handle)
    if kind is None:  # never hand it out
        handle.close()
        raise Http404("No document")
    response = FileResponse(handle, as_attachment=True, content_type=CONTENT_TYPES[kind],
                            filename=document_filename(name or path, kind, default=default))
    response["X-Content-Type-Options"] = "nosniff"
    return response
