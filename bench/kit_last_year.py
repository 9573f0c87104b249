"""Last year's version against this year's, pasted into photographs at many sizes.

    .venv/bin/python bench/kit_last_year.py [--designs lock-nextcloud,lock-zulip,lock-gnome]

The corpus (tests/scanner/corpus/artwork.py) shows last year's version once on its own and once
in a banner, at one size. Here each design's logo of this year and of last year is pasted into
three photographs shipped with scikit-image (coffee, chelsea, astronaut), 260 to 820 px long
in steps of 80, at two places, and saved as JPEG (quality 85): 48 pictures of each. Each is
decided by the matcher with the design's kit (last year's version among its hard negatives),
as the static pass would decide an image. Printed: per design, how many of this year's are
found and how many of last year's are taken.
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

PICTURES = ("coffee.png", "chelsea.png", "astronaut.png")
SIZES = range(260, 900, 80)
PLACES = (37, 61)


def pictures(image):
    """The logo pasted into each photograph, at each size and place (JPEG bytes)."""
    for picture in PICTURES:
        for long_side in SIZES:
            for off in PLACES:
                yield artwork.in_a_photograph(image, picture, long_side=long_side, off=off)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--designs", default="lock-nextcloud,lock-zulip,lock-gnome")
    args = parser.parse_args()
    started = time.monotonic()
    print("| design | this year's found | last year's taken |\n|---|---|---|")
    totals = [0, 0, 0]
    for name in args.designs.split(","):
        design = artwork.design_by_name(name)
        matcher = Matcher.from_files(*artwork.kit_files(design))
        found = [matcher.match_image(decode(data)) is not None
                 for data in pictures(artwork.artwork(design)[0])]
        taken = [matcher.match_image(decode(data)) is not None
                 for data in pictures(artwork.last_year(design))]
        totals = [totals[0] + sum(found), totals[1] + sum(taken), totals[2] + len(found)]
        print(f"| {name} | {sum(found)}/{len(found)} | {sum(taken)}/{len(taken)} |", flush=True)
    print(f"| all | {totals[0]}/{totals[2]} | {totals[1]}/{totals[2]} |")
    print(f"\n({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
