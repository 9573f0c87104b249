#!/usr/bin/env python3
"""Benchmark: send the year's call to every recipient of a national campaign (docs/benchmarks.md).

A campaign for 2027 is copied from 2026 (the workspace's service), its recipients set to every
central body, province and commune existing on 01/10/2027 (3,377), each given one focal
contact; the dispatch is written, then `call_send` queues one delivery per address and
`call_deliver` (what the worker runs) sends them over SMTP to a real server on 127.0.0.1
(aiosmtpd). The bench checks, from the server's side, that every address got exactly one
mail and that every delivery row says "sent"; it reports the seconds of each step.

Usage: DXDAY_VAR_DIR=DIR [DATABASE_URL=…] .venv/bin/python bench/call.py
(DIR where `dxday migrate` and `dxday load_reference` ran; the bench's campaign 2027 and its
contacts are removed at the end).
"""

import collections
import datetime
import json
import os
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxday.settings")
NUMBER = "1/BKHCN-CĐSQG (bench)"


def main() -> None:
    import django

    django.setup()
    import logging

    from aiosmtpd.controller import Controller
    from django.conf import settings

    from dxday.backoffice.call import call_compose, call_deliver, call_send
    from dxday.campaigns.models import Campaign
    from dxday.campaigns.services import (
        campaign_copy,
        campaign_set_recipients,
        recipients_for_groups,
    )
    from dxday.registry.models import Contact, Document

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # the SMTP server's chatter
    received = collections.Counter()

    class Sink:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            received.update(envelope.rcpt_tos)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    def clean():
        Campaign.objects.filter(year=2027).delete()
        Document.objects.filter(number=NUMBER, date=datetime.date(2027, 9, 1)).delete()
        Contact.objects.filter(email__endswith="@call-bench.example.vn").delete()

    clean()
    steps = {}
    started = time.monotonic()
    campaign = campaign_copy(source=Campaign.objects.get(year=2026), year=2027)
    pks = recipients_for_groups(day=datetime.date(2027, 10, 1), central=True, provinces=True,
                                communes_of=list(campaign.recipients.filter(
                                    kind__in=["province", "city"]).values_list("code",
                                                                               flat=True)))
    campaign_set_recipients(campaign=campaign, pks=pks)
    steps["campaign copied, recipients by group"] = round(time.monotonic() - started, 2)
    Contact.objects.filter(email__endswith="@call-bench.example.vn").delete()
    Contact.objects.bulk_create([
        Contact(organisation_id=pk, name=f"Đầu mối {pk}", email=f"u{pk}@call-bench.example.vn",
                is_focal=True) for pk in pks], batch_size=1000)
    call_compose(campaign=campaign, number=NUMBER, date=datetime.date(2027, 9, 1),
                 signer="Thứ trưởng", title="Về việc hưởng ứng Ngày Chuyển đổi số quốc gia 2027",
                 body="Đề nghị các cơ quan, đơn vị gửi kế hoạch trước ngày 15/09/2027.")
    t = time.monotonic()
    queued = call_send(campaign=campaign)
    steps["queued (call_send)"] = round(time.monotonic() - t, 2)
    t = time.monotonic()
    progress = call_deliver(campaign=campaign)
    steps["sent over SMTP (call_deliver)"] = round(time.monotonic() - t, 2)
    total = round(time.monotonic() - started, 2)
    time.sleep(0.5)
    controller.stop()
    addresses = set(Contact.objects.filter(email__endswith="@call-bench.example.vn",
                                           is_focal=True).values_list("email", flat=True))
    result = {
        "recipients": len(pks), "addresses": len(addresses), "queued": queued,
        "progress": progress, "steps_s": steps, "total_s": total,
        "each_address_once": set(received) == addresses and set(received.values()) == {1},
        "mails_per_second": round(progress["sent"] / steps["sent over SMTP (call_deliver)"]),
    }
    clean()
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if not result["each_address_once"] or progress["sent"] != len(addresses):
        sys.exit("FAILED: not every address got exactly one mail")


if __name__ == "__main__":
    main()
