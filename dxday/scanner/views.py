"""Kit-check pages: the agency's compliance dashboard and the public kit page."""

from __future__ import annotations

import mimetypes

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dxday.accounts.access import agency_required
from dxday.campaigns.models import Campaign
from dxday.lib.urls import site_url

from . import services, tasks
from .models import KitFile, ScanResult, ScanTarget
from .selectors import kit_compliance


class KitUploadForm(forms.Form):
    variant = forms.ChoiceField(label=gettext_lazy("Variant"), choices=KitFile.Variant.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    file = forms.FileField(label=gettext_lazy("File (PNG, JPEG, WebP, GIF, SVG; at most 10 MB)"))


@agency_required
@require_http_methods(["GET", "POST"])
def dashboard(request, year: int):
    campaign = get_object_or_404(Campaign, year=year)
    form = KitUploadForm()
    if request.method == "POST":
        if not request.user.is_agency_admin:
            raise PermissionDenied
        form = KitUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.kit_file_add(campaign=campaign, variant=form.cleaned_data["variant"],
                                      upload=form.cleaned_data["file"],
                                      title=form.cleaned_data["title"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("The file was added to the kit."))
                return redirect("backoffice:kit", year=year)
    verdict = request.GET.get("verdict", "")
    targets = (campaign.scan_targets.filter(active=True)
               .select_related("organisation").order_by("organisation__name", "url"))
    if verdict in {"present", "absent", "error"}:
        targets = targets.filter(last_verdict=verdict)
    elif verdict == "unchecked":
        targets = targets.filter(last_verdict="")
    latest = {}
    for result in ScanResult.objects.filter(target__in=targets).order_by("target", "-checked_at"):
        latest.setdefault(result.target_id, result)
    rows = [(t, latest.get(t.pk)) for t in targets[:1000]]
    return render(request, "scanner/dashboard.html", {
        "campaign": campaign, "form": form, "kit_files": campaign.kit_files.all(),
        "rows": rows, "verdict": verdict, **kit_compliance(campaign)})


@agency_required
@require_POST
def scan_now(request, year: int):
    campaign = get_object_or_404(Campaign, year=year)
    if not campaign.kit_files.exclude(variant=KitFile.Variant.NEGATIVE).exists():
        messages.error(request, _("Upload the kit's logo first: there is nothing to look for."))
        return redirect("backoffice:kit", year=year)
    tasks.scan_campaign.enqueue(campaign.pk, request.POST.get("all") != "1")
    messages.success(request, _("The check was started; results appear here as they come."))
    return redirect("backoffice:kit", year=year)


@agency_required
@require_GET
def target_history(request, year: int, pk: int):
    target = get_object_or_404(ScanTarget.objects.select_related("organisation", "campaign"),
                               pk=pk, campaign__year=year)
    results = target.results.all()[:200]
    return render(request, "scanner/target.html", {"campaign": target.campaign,
                                                   "target": target, "results": results})


@agency_required
@require_GET
def result_crop(request, pk: int):
    result = get_object_or_404(ScanResult, pk=pk)
    if not result.crop:
        raise Http404
    return FileResponse(result.crop.open("rb"), content_type="image/png")


# -- public -----------------------------------------------------------------------------------
@require_GET
def kit_page(request, year: int):
    campaign = get_object_or_404(Campaign, year=year)
    files = campaign.kit_files.exclude(variant=KitFile.Variant.NEGATIVE)
    snippets = []
    for kit_file in files:
        # Absolute links from SITE_URL, never the request's Host: units paste this snippet into
        # their portals, and the page is cached for everyone.
        url = site_url(reverse("public:kit_file", args=[year, kit_file.pk]))
        alt = _("National Digital Transformation Day %(year)s") % {"year": year}
        snippets.append((kit_file, f'<a href="{site_url()}">'
                                   f'<img src="{url}" alt="{alt}" width="180"></a>'))
    return render(request, "public/kit.html", {"campaign": campaign, "snippets": snippets})


@require_GET
def kit_file(request, year: int, pk: int):
    kit_file = get_object_or_404(KitFile, pk=pk, campaign__year=year)
    if kit_file.is_negative:
        raise Http404
    content_type = mimetypes.guess_type(kit_file.file.name)[0] or "application/octet-stream"
    response = FileResponse(kit_file.file.open("rb"), content_type=content_type,
                            filename=kit_file.file.name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    if content_type == "image/svg+xml":  # never run scripts from an uploaded SVG
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "public, max-age=3600"
    return response
