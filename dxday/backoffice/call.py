"""The year's call (the dispatch asking every recipient for its plan): composed in the
workspace, published as a document page, mailed to each recipient's focal contacts.

Every (recipient, address) gets a CallDelivery row before any mail goes; the worker claims
queued rows in small batches (queued → sending with its own mark, in one UPDATE, so two
workers never take the same row), sends them over one SMTP connection, and records what the
mail server said for the batch. Sending again only sends what is still queued, so nobody gets
the call twice; a worker killed mid-batch leaves that batch's unanswered rows "sending" for
the agency to check.
"""

import datetime
import logging
import smtplib
import uuid

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from dxday.campaigns.models import CallDelivery, Campaign, CampaignDocument
from dxday.campaigns.signals import campaign_changed
from dxday.lib import mail
from dxday.plans.uploads import UploadRefused, check_plan_document
from dxday.registry.models import Contact, Document

logger = logging.getLogger(__name__)
# Rows taken and recorded together: a worker killed mid-batch leaves at most this many
# "sending" (unconfirmed, never sent twice).
BATCH = 50


def call_link(campaign: Campaign) -> CampaignDocument | None:
    return (campaign.campaign_documents.filter(role=CampaignDocument.Role.CALL)
            .select_related("document").first())


def call_sent(campaign: Campaign) -> bool:
    return campaign.call_deliveries.exists()


@transaction.atomic
def call_compose(*, campaign: Campaign, number: str, date: datetime.date, signer: str,
                 title: str, body: str, upload=None, by=None) -> Document:
    """Write the year's dispatch (or change it while it has not been sent)."""
    number, signer, title = number.strip(), signer.strip(), title.strip()
    errors = {}
    if not number:
        errors["number"] = _("Enter the dispatch's number and symbol.")
    if not title:
        errors["title"] = _("Enter the dispatch's summary (trích yếu).")
    if not body.strip():
        errors["body"] = _("Enter the text of the dispatch.")
    if call_sent(campaign):
        errors["number"] = _("The call has been sent: it can no longer be changed.")
    link = call_link(campaign)
    clash = Document.objects.filter(number=number, date=date)
    if link:
        clash = clash.exclude(pk=link.document_id)
    if number and clash.exists():
        errors["number"] = _("Another document already has this number and date.")
    checked = None
    if upload is not None:
        try:
            checked = check_plan_document(upload)
        except UploadRefused as exc:
            errors["file"] = str(exc)
    if errors:
        raise ValidationError(errors)
    document = link.document if link else Document(kind=Document.Kind.DISPATCH)
    document.number, document.date, document.signer = number, date, signer
    document.title, document.body = title, body.strip()
    document.issuer_id = campaign.organiser_id
    if document.issuer_id is None:
        document.issuer_text = campaign.contact_unit
    if checked is not None:
        upload.seek(0)
        name = f"cong-van-{campaign.year}.{checked.kind}"
        document.file.save(name, upload, save=False)
    document.full_clean()
    document.save()
    if link is None:
        CampaignDocument.objects.create(campaign=campaign, document=document,
                                        role=CampaignDocument.Role.CALL,
                                        order=campaign.campaign_documents.count())
    transaction.on_commit(lambda: campaign_changed.send(sender=Campaign, campaign=campaign))
    return document


def call_addresses(campaign: Campaign) -> tuple[list[tuple[int, str]], list]:
    """(recipient id, address) for every focal contact with an email, and the recipients
    that have none (the agency must add one in the unit's page)."""
    recipients = list(campaign.recipients.order_by("code"))
    focal: dict[int, set[str]] = {}
    for org_id, email in (Contact.objects.filter(organisation__in=recipients, is_focal=True)
                          .exclude(email="").values_list("organisation_id", "email")):
        focal.setdefault(org_id, set()).add(email.strip().lower())
    pairs = [(o.pk, email) for o in recipients for email in sorted(focal.get(o.pk, ()))]
    without = [o for o in recipients if o.pk not in focal]
    return pairs, without


def call_send(*, campaign: Campaign, by=None) -> int:
    """Queue the call for every focal contact of every recipient (once each) and start the
    worker on it. Returns how many deliveries were queued now."""
    if call_link(campaign) is None:
        raise ValidationError({"number": _("Write the dispatch before sending it.")})
    pairs, _without = call_addresses(campaign)
    if not pairs:
        raise ValidationError({"recipients": _("No recipient has a focal contact with an "
                                               "email address.")})
    with transaction.atomic():
        before = campaign.call_deliveries.count()
        CallDelivery.objects.bulk_create(
            [CallDelivery(campaign=campaign, organisation_id=org, email=email, queued_by=by)
             for org, email in pairs], batch_size=500, ignore_conflicts=True)
        queued = campaign.call_deliveries.count() - before
    if queued:
        transaction.on_commit(lambda: send_call.enqueue(campaign.pk))
    return queued


def call_progress(campaign: Campaign) -> dict:
    counts = campaign.call_deliveries.aggregate(
        total=Count("pk"), queued=Count("pk", filter=Q(status=CallDelivery.Status.QUEUED)),
        sending=Count("pk", filter=Q(status=CallDelivery.Status.SENDING)),
        sent=Count("pk", filter=Q(status=CallDelivery.Status.SENT)),
        refused=Count("pk", filter=Q(status=CallDelivery.Status.REFUSED)))
    return counts


def _claim(campaign: Campaign) -> list[CallDelivery]:
    """Take up to BATCH queued rows for this worker: one UPDATE moves them from queued to
    sending with this worker's mark, so that a row another worker took is not taken again."""
    mark = f"claim:{uuid.uuid4().hex}"
    ids = list(campaign.call_deliveries.filter(status=CallDelivery.Status.QUEUED)
               .order_by("pk").values_list("pk", flat=True)[:BATCH])
    if not ids:
        return []
    CallDelivery.objects.filter(pk__in=ids, status=CallDelivery.Status.QUEUED).update(
        status=CallDelivery.Status.SENDING, detail=mark)
    return list(CallDelivery.objects.filter(pk__in=ids, status=CallDelivery.Status.SENDING,
                                            detail=mark).select_related("organisation")
                .order_by("pk"))


def _reason(exc: Exception, address: str) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = exc.recipients.get(address, (None, b""))
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{code} {text}".strip()[:500]
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{exc.smtp_code} {text}".strip()[:500]
    return f"{type(exc).__name__}: {exc}"[:500]


def call_deliver(*, campaign: Campaign) -> dict:
    """Send every queued delivery of the campaign's call over one SMTP connection. A refusal
    by the server is recorded on its row; a broken connection leaves the rest queued for the
    next run."""
    link = call_link(campaign)
    if link is None:
        return call_progress(campaign)
    context = {"campaign": campaign, "document": link.document,
               "has_kit": campaign.kit_files.exists()}
    connection = get_connection()
    connection.open()
    try:
        while True:
            rows = _claim(campaign)
            if not rows:
                break
            done: list[CallDelivery] = []
            try:
                for row in rows:
                    message = mail.build(
                        to=[row.email], template="call", connection=connection,
                        context={**context, "organisation": row.organisation},
                        reply_to=[campaign.contact_email] if campaign.contact_email else None)
                    try:
                        message.send()
                    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError,
                            smtplib.SMTPSenderRefused) as exc:
                        row.status = CallDelivery.Status.REFUSED
                        row.detail = _reason(exc, row.email)
                    else:
                        row.status, row.detail = CallDelivery.Status.SENT, ""
                    row.sent_at = timezone.now()
                    done.append(row)
            except (smtplib.SMTPException, OSError) as exc:
                # The connection broke before the server took this mail: it and the rest of
                # the batch go back to the queue for the next run.
                logger.warning("The call stopped: %s", exc)
                CallDelivery.objects.filter(pk__in=[r.pk for r in rows[len(done):]]).update(
                    status=CallDelivery.Status.QUEUED, detail=_reason(exc, ""))
                return call_progress(campaign)
            finally:
                CallDelivery.objects.bulk_update(done, ["status", "detail", "sent_at"])
    finally:
        connection.close()
    return call_progress(campaign)


@task()
def send_call(campaign_id: int) -> int:
    """Send the queued deliveries of a campaign's call (the worker runs this)."""
    campaign = Campaign.objects.get(pk=campaign_id)
    return call_deliver(campaign=campaign)["sent"]

