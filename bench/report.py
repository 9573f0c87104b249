#!/usr/bin/env python3
"""Benchmark of the consolidated report on the national-scale dataset (docs/benchmarks.md):
seconds and peak memory of `dxday report` for each format, in its own process.

Usage: DXDAY_VAR_DIR=DIR DATABASE_URL=… .venv/bin/python bench/report.py
(DIR where bench/dataset.py ran). Peak memory is the process's ru_maxrss.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    with tempfile.TemporaryDirectory() as out:
        for fmt in ("xlsx", "docx", "pdf"):
            # A fresh parent per format, so that ru_maxrss is that report's own peak.
            probe = (
                "import resource, subprocess, sys, time; t = time.monotonic(); "
                f"subprocess.run([{str(ROOT / '.venv' / 'bin' / 'dxday')!r}, 'report', "
                f"'--campaign', '2026', '--format', {fmt!r}, '-o', {out + '/r.' + fmt!r}], "
                "check=True, capture_output=True); "
                "print(time.monotonic() - t, "
                "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
            seconds, peak = subprocess.run([sys.executable, "-c", probe], check=True,
                                           capture_output=True, text=True,
                                           env=os.environ).stdout.split()
            size = Path(f"{out}/r.{fmt}").stat().st_size
            print(f"{fmt}: {float(seconds):.1f} s, peak memory {int(peak) / 1024:.0f} MB, "
                  f"{size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
