#!/usr/bin/env python3
"""Benchmark: import of a filled 1,000-row plan workbook (500 activities, 500 initiatives) —
read, every cell validated, saved — in the environment's database (docs/benchmarks.md).

Usage: DXDAY_VAR_DIR=DIR DATABASE_URL=… .venv/bin/python bench/workbook.py
"""

import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxday.settings")


def main() -> int:
    import django

    django.setup()
    from openpyxl import load_workbook

    from dxday.campaigns.models import Campaign
    from dxday.plans.excel import plan_workbook
    from dxday.plans.models import Plan
    from dxday.plans.services import plan_import_workbook
    from dxday.registry.models import Organisation

    campaign = Campaign.objects.get(year=2025)
    org = Organisation.objects.get(code="48")
    Plan.objects.filter(campaign=campaign, organisation=org).delete()
    book = load_workbook(io.BytesIO(plan_workbook(campaign=campaign, organisation=org, data={})))
    book["Thông tin chung"]["B2"] = "Kế hoạch thử nghiệm 1.000 dòng"
    activities, initiatives = book["Hoạt động"], book["Sáng kiến số"]
    for row in range(2, 502):  # the template's rows, as a user fills them
        for col, value in enumerate([
                f"Hội thảo chuyển đổi số số {row}", "Hội nghị, hội thảo", "05/10/2025",
                "06/10/2025", "Hội trường", "48 — Thành phố Đà Nẵng", "Trực tiếp",
                "Người dân", "Mô tả " * 20, "https://example.vn/"], start=1):
            activities.cell(row=row, column=col, value=value)
        for col, value in enumerate([f"Sáng kiến số {row}", "Mô tả", "x", "x", None, "Y tế",
                                     "https://example.vn/", "10/10/2025"], start=1):
            initiatives.cell(row=row, column=col, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    raw = buffer.getvalue()
    started = time.perf_counter()
    plan, warnings, changes = plan_import_workbook(campaign=campaign, organisation=org, raw=raw,
                                                   by=None)
    seconds = time.perf_counter() - started
    print(f"import of {len(plan.draft['activities'])} activities + "
          f"{len(plan.draft['initiatives'])} initiatives ({len(raw) // 1024} KiB): "
          f"{seconds:.2f} s, {len(changes)} changes")
    Plan.objects.filter(pk=plan.pk).delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
