"""Writes to reports: request a generation, make it (in the worker), edit the draft, issue it.

A generation's figures are read once, into its snapshot; every file is rendered from that
snapshot, so editing the draft or issuing it never changes a figure."""

import datetime
import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from dxday.lib.text import clean_typed, from_legacy
from dxday.reports import document
from dxday.reports.generate import report_generate
from dxday.reports.models import ReportGeneration
from dxday.reports.tasks import generate_report

__all__ = ["report_generate", "report_issue", "report_request", "report_update"]
EDITABLE = ("number", "issue_date", "addressee", "extra_recipients", "signer_authority",
            "signer_title", "signer_name", "assessment", "recommendations")
LIMITS = {"number": 64, "addressee": 255, "signer_authority": 64, "signer_title": 128,
          "signer_name": 128, "extra_recipients": 2000, "assessment": 20000,
          "recommendations": 20000}
NUMBER = re.compile(rf"^\d{{1,6}}/{re.escape(document.SYMBOL)}$")


class ReportIssued(Exception):
    """The generation was issued: it no longer changes (HTTP 409)."""


class ReportInvalid(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def report_request(*, campaign, by, number: str = "") -> ReportGeneration:
    """Queue a generation of the consolidated report; the worker makes the snapshot and the
    files. While one is waiting for its snapshot, a second request returns that one."""
    try:
        with transaction.atomic():
            generation = ReportGeneration.objects.create(
                campaign=campaign, requested_by=by, number=clean_typed(number or "")[:64])
    except IntegrityError:
        pending = ReportGeneration.objects.filter(
            campaign=campaign, snapshot="",
            status__in=[ReportGeneration.Status.QUEUED, ReportGeneration.Status.RUNNING]).first()
        if pending is None:  # it finished in between: ask again
            return report_request(campaign=campaign, by=by, number=number)
        return pending
    transaction.on_commit(lambda: generate_report.enqueue(generation.pk))
    return generation


def _clean(values: dict) -> dict:
    cleaned, errors = {}, {}
    for name in EDITABLE:
        if name not in values:
            continue
        value = values[name]
        if name == "issue_date":
            if isinstance(value, str):
                try:
                    value = (datetime.datetime.strptime(value.strip(), "%d/%m/%Y").date()
                             if value.strip() else None)
                except ValueError:
                    errors[name] = "Ngày ban hành viết theo dạng dd/mm/yyyy, ví dụ 05/10/2026."
                    continue
            cleaned[name] = value
            continue
        # NFC, no control characters; text typed in TCVN3 or VNI fonts converted to Unicode.
        value = from_legacy(clean_typed(str(value or "")).strip())[0]
        if len(value) > LIMITS[name]:
            errors[name] = f"Tối đa {LIMITS[name]} ký tự (hiện có {len(value)})."
            continue
        cleaned[name] = value
    if errors:
        raise ReportInvalid(errors)
    return cleaned


def _rerender(generation: ReportGeneration) -> None:
    generation.status = ReportGeneration.Status.QUEUED
    generation.progress = 0
    generation.save()
    pk = generation.pk
    transaction.on_commit(lambda: generate_report.enqueue(pk))


def report_update(*, generation: ReportGeneration, by, values: dict) -> ReportGeneration:
    """Save what the reviewer wrote on a draft (number, date, signer, V and VI…) and render
    its files again from its snapshot. Refused once issued."""
    with transaction.atomic():
        generation = ReportGeneration.objects.select_for_update().get(pk=generation.pk)
        if generation.issued:
            raise ReportIssued(f"Báo cáo #{generation.pk} đã ban hành ngày "
                               f"{generation.issue_date:%d/%m/%Y}: không sửa được; hãy tạo bản "
                               "mới.")
        for name, value in _clean(values).items():
            setattr(generation, name, value)
        if generation.snapshot:
            _rerender(generation)
        else:
            generation.save()
    return generation


def report_issue(*, generation: ReportGeneration, by, values: dict) -> ReportGeneration:
    """Issue a draft: number, date, signer, assessment and recommendations required; the
    files are rendered a last time and the generation never changes again."""
    with transaction.atomic():
        generation = ReportGeneration.objects.select_for_update().get(pk=generation.pk)
        if generation.issued:
            raise ReportIssued(f"Báo cáo #{generation.pk} đã ban hành ngày "
                               f"{generation.issue_date:%d/%m/%Y}: không ban hành lại được.")
        if not generation.snapshot:
            raise ReportInvalid({"status": "Báo cáo chưa tạo xong số liệu: hãy chờ rồi ban "
                                           "hành."})
        for name, value in _clean(values).items():
            setattr(generation, name, value)
        errors = {}
        if not NUMBER.match(generation.number):
            errors["number"] = f"Ghi số và ký hiệu dạng “12/{document.SYMBOL}”."
        elif (ReportGeneration.objects.filter(
                campaign__year=generation.campaign.year, number=generation.number,
                issued_at__isnull=False).exclude(pk=generation.pk).exists()):
            errors["number"] = "Số này đã được dùng cho một báo cáo đã ban hành."
        if generation.issue_date is None:
            errors["issue_date"] = "Ghi ngày ban hành (dd/mm/yyyy)."
        elif generation.as_of and generation.issue_date < timezone.localtime(
                generation.as_of).date():
            errors["issue_date"] = "Ngày ban hành không được trước thời điểm lấy số liệu."
        for name, message in (("signer_title", "Ghi chức vụ người ký."),
                              ("signer_name", "Ghi họ và tên người ký."),
                              ("assessment", "Viết phần V. Đánh giá trước khi ban hành."),
                              ("recommendations",
                               "Viết phần VI. Kiến nghị, đề xuất trước khi ban hành.")):
            if not getattr(generation, name).strip():
                errors[name] = message
        if errors:
            raise ReportInvalid(errors)
        generation.issued_at = timezone.now()
        generation.issued_by = by
        _rerender(generation)
    return generation
