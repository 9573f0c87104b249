"""Writes of the kit check: kit files, targets and results (one function per write)."""

from __future__ import annotations

import base64
import datetime
import hashlib
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxday.campaigns.models import Campaign
from dxday.lib.http import Policy
from dxday.plans.models import Plan, PlanVersion
from dxday.registry.models import Website

from .images import KIT_SUFFIXES, ImageError, decode
from .models import KitFile, ScanResult, ScanTarget

MAX_KIT_BYTES = 10 * 1024 * 1024
# Targets found compliant are checked daily; the others every few hours.
RECHECK_PRESENT = datetime.timedelta(hours=24)
RECHECK_OTHER = datetime.timedelta(hours=6)


def kit_file_add(*, campaign: Campaign, variant: str, upload, title: str = "") -> KitFile:
    """Store one kit image after checking it is a readable image of an allowed type."""
    name = PurePosixPath(upload.name or "").name
    if PurePosixPath(name).suffix.lower() not in KIT_SUFFIXES:
        raise ValidationError({"file": _("Allowed types: PNG, JPEG, WebP, GIF, SVG.")})
    if upload.size > MAX_KIT_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    data = upload.read()
    try:
        rgba = decode(data, svg_width=512)
    except ImageError as exc:
        raise ValidationError({"file": _("This file is not a usable image: %(reason)s")
                                       % {"reason": exc}}) from None
    digest = hashlib.sha256(data).hexdigest()
    if KitFile.objects.filter(campaign=campaign, sha256=digest).exists():
        raise ValidationError({"file": _("This file is already in the kit.")})
    kit_file = KitFile(campaign=campaign, variant=variant, title=title[:200], sha256=digest,
                       width=rgba.shape[1], height=rgba.shape[0])
    kit_file.file.save(name, ContentFile(data), save=False)
    kit_file.save()
    return kit_file


def matcher_for(campaign: Campaign):
    """The campaign's kit as a :class:`~dxday.scanner.detect.Matcher` (OpenCV is imported here,
    in the worker, not in every web process)."""
    from .detect import Matcher, reference_from_bytes

    refs, negs = [], []
    for kit_file in KitFile.objects.filter(campaign=campaign):
        with kit_file.file.open("rb") as handle:
            ref = reference_from_bytes(str(kit_file), handle.read())
        (negs if kit_file.is_negative else refs).append(ref)
    if not refs:
        raise ValidationError(_("The campaign has no identity-kit image to look for."))
    return Matcher(refs, negs)


@transaction.atomic
def targets_sync(*, campaign: Campaign) -> int:
    """Targets = display URLs of submitted plans (their latest version) + registered portals
    and e-newspapers.

    Drafts are the units' own and are not scanned. URLs that disappeared are deactivated,
    not deleted, so their history stays.
    """
    wanted: dict[tuple[int, str], tuple[str, str]] = {}
    versions = (PlanVersion.objects.filter(plan__campaign=campaign)
                .exclude(plan__status=Plan.Status.DRAFT)
                .order_by("plan_id", "-number").select_related("plan"))
    latest: dict[int, PlanVersion] = {}
    for version in versions:
        latest.setdefault(version.plan_id, version)
    for version in latest.values():
        plan = version.plan
        for item in (version.data or {}).get("display_urls", []):
            url = (item.get("url") or "").strip()
            if url.startswith(("http://", "https://")):
                kind = item.get("kind") if item.get("kind") in ScanTarget.Kind.values else "other"
                wanted[(plan.organisation_id, url)] = (kind, ScanTarget.Source.PLAN)
    websites = Website.objects.filter(
        organisation__in=campaign.recipients.all(),
        kind__in=[Website.Kind.PORTAL, Website.Kind.E_NEWSPAPER])
    for site in websites:
        wanted.setdefault((site.organisation_id, site.url), (site.kind,
                                                              ScanTarget.Source.REGISTRY))
    existing = {(t.organisation_id, t.url): t for t in campaign.scan_targets.all()}
    for key, (kind, source) in wanted.items():
        target = existing.get(key)
        if target is None:
            ScanTarget.objects.create(campaign=campaign, organisation_id=key[0], url=key[1],
                                      kind=kind, source=source)
        elif not target.active or target.kind != kind:
            target.active, target.kind = True, kind
            target.save(update_fields=["active", "kind"])
    stale = [t.pk for key, t in existing.items() if key not in wanted and t.active]
    ScanTarget.objects.filter(pk__in=stale).update(active=False)
    return len(wanted)


def targets_due(*, campaign: Campaign, now: datetime.datetime | None = None):
    """Active targets never checked, compliant ones after a day, the others after 6 hours."""
    now = now or timezone.now()
    targets = campaign.scan_targets.filter(active=True)
    return [t for t in targets
            if t.last_checked_at is None
            or now - t.last_checked_at >= (RECHECK_PRESENT if t.last_verdict == "present"
                                           else RECHECK_OTHER)]


def result_record(*, target: ScanTarget, result: dict) -> ScanResult:
    """Store one scanner result (the dict `dxday scan` prints) with its evidence crop.

    The result and the target's "last checked" are written in one transaction: a worker killed
    between the two would otherwise leave a result on a target that looks unchecked, and the
    run that resumes it (tasks.scan_campaign) would store a second result for one request. The
    crop's file is written first; if the rows are not written, it is removed (a worker killed
    outright may still leave one file that no result refers to)."""
    evidence = dict(result.get("evidence") or {})
    crop_uri = evidence.pop("crop", None)
    checked_at = timezone.now()
    row = ScanResult(
        target=target, checked_at=checked_at, verdict=result["verdict"],
        score=result.get("score"), method=evidence.get("method") or "",
        final_url=(evidence.get("final_url") or "")[:2000],
        image_url=(evidence.get("image_url") or "")[:2000], sha256=evidence.get("sha256") or "",
        bbox=evidence.get("bbox"), error=result.get("error") or "", evidence=evidence,
        scanner_version=evidence.get("scanner_version") or "dxday-scanner")
    if crop_uri and crop_uri.startswith("data:image/png;base64,"):
        data = base64.b64decode(crop_uri.split(",", 1)[1])
        row.crop.save(f"{target.pk}-{checked_at:%Y%m%d%H%M%S}.png", ContentFile(data),
                      save=False)
    before = target.last_verdict, target.last_checked_at
    try:
        with transaction.atomic():
            row.save()
            target.last_verdict, target.last_checked_at = row.verdict, checked_at
            target.save(update_fields=["last_verdict", "last_checked_at"])
    except BaseException:
        target.last_verdict, target.last_checked_at = before
        if row.crop:
            row.crop.delete(save=False)
        raise
    return row


def scan_policy() -> Policy:
    return Policy(allow_private=settings.SCANNER_ALLOW_PRIVATE,
                  timeout=settings.SCANNER_TIMEOUT_SECONDS)


def targets_scan(*, campaign: Campaign, targets: list[ScanTarget], progress=None) -> int:
    """Scan ``targets`` now and record every result; returns how many were recorded."""
    from .scan import Scanner

    if not targets:
        return 0
    matcher = matcher_for(campaign)
    scanner = Scanner(matcher, policy=scan_policy(), render=settings.SCANNER_RENDER,
                      concurrency=settings.SCANNER_CONCURRENCY, workers=settings.SCANNER_WORKERS)
    done = {"n": 0}

    def store(index, result):
        result_record(target=targets[index], result=result)
        done["n"] += 1
        if progress:
            progress(done["n"], len(targets))

    try:
        scanner.scan([t.url for t in targets], on_result=store)
    finally:
        scanner.close()
    return done["n"]
