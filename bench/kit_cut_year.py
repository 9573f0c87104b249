"""This year's and last year's version cut by a picture's edge through the year.

    .venv/bin/python bench/kit_cut_year.py [--designs word-dejavu,lock-nextcloud]

Each design that carries the year (wordmarks, lockups), this year's and last year's, at the
corpus's size (an area of 170²) at the right edge of a plain banner (900 × 300, JPEG quality
85), with 2 % to 15 % of its width cut off — the year's last digit first, then the whole year.
Each picture is decided by the matcher with the design's kit (last year's version among its
hard negatives). Printed: per design and share cut off, whether this year's is found (Y) and
whether last year's is taken (Y); and the totals. Once the year is mostly cut off, the two are
the same picture: the verdict is then the rest of the logo's.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dxday.scanner.detect import Matcher  # noqa: E402
from dxday.scanner.images import decode  # noqa: E402
from tests.scanner.corpus import artwork  # noqa: E402

SHARES = (0.02, 0.04, 0.06, 0.08, 0.10, 0.12, 0.15)
DESIGNS = "word-dejavu,word-liberation,word-liberation-italic,lock-python,lock-nextcloud"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--designs", default=DESIGNS)
    args = parser.parse_args()
    started = time.monotonic()
    print("| design | " + " | ".join(f"{s:.0%} cut" for s in SHARES) + " |")
    print("|---|" + "---|" * len(SHARES))
    found_total = taken_total = count = 0
    for name in args.designs.split(","):
        design = artwork.design_by_name(name)
        matcher = Matcher.from_files(*artwork.kit_files(design))
        this_year, last_year = artwork.artwork(design)[0], artwork.last_year(design)
        cells = []
        for share in SHARES:
            found = matcher.match_image(decode(artwork.cut_at_the_right(this_year, share))) \
                is not None
            taken = matcher.match_image(decode(artwork.cut_at_the_right(last_year, share))) \
                is not None
            found_total, taken_total, count = found_total + found, taken_total + taken, count + 1
            cells.append(f"{'Y' if found else '-'} / {'Y' if taken else '-'}")
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    print(f"\nThis year's found / last year's taken: {found_total}/{count} / {taken_total}/{count}"
          f"\n\n({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
