"""Sending mail: Vietnamese first, English below, rendered from templates/mail/."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from dxday.lib.urls import site_url


def send(*, to: list[str], template: str, context: dict, reply_to: list[str] | None = None
         ) -> int:
    """Send the mail ``templates/mail/{template}.txt`` (first line: subject) to ``to``.

    The body is rendered in Vietnamese, then in English, one after the other, so that every
    reader gets a version they understand. Returns the number of messages sent (0 or 1).
    """
    message = build(to=to, template=template, context=context, reply_to=reply_to)
    return message.send() if message is not None else 0


def build(*, to: list[str], template: str, context: dict, reply_to: list[str] | None = None,
          connection=None) -> EmailMessage | None:
    """The message ``send`` would send (None when there is no address): for sending many
    over one connection."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return None
    context = {**context, "site_url": site_url("")}
    parts = []
    for code in ("vi", "en"):
        with translation.override(code):
            parts.append(render_to_string(f"mail/{template}.txt", context).strip())
    subject_vi, _, body_vi = parts[0].partition("\n")
    subject_en, _, body_en = parts[1].partition("\n")
    subject = subject_vi.strip() if subject_vi == subject_en else f"{subject_vi} / {subject_en}"
    body = f"{body_vi.strip()}\n\n-- English --\n\n{body_en.strip()}\n"
    return EmailMessage(subject=subject[:250], body=body, to=recipients,
                        from_email=settings.DEFAULT_FROM_EMAIL, reply_to=reply_to,
                        connection=connection)
