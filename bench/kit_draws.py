"""New draws of the designs never tuned on: this tree's detector against a revision's.

    .venv/bin/python bench/kit_draws.py --against REV [--kind lockup]
                                        [--cases rotated,covered,last_year_banner]
                                        [--first 1] [--draws 3]

The corpus (tests/scanner/corpus/artwork.py) shows each fresh, unseen, retired and sealed design
once per case, and those sites have been looked at. Here each such design of one kind gets new
draws of the given cases (``variant`` ``--first`` on, ``--draws`` of them: other photographs,
places, angles, cuts and covers), and every image of each site (the picture that shows the
logo or stands in its place, and the news photographs) is decided by the matcher with the
design's kit (``match_bytes``, as the static pass decides an image; each image, not stopping at
a match), with this tree's ``dxday/scanner/detect.py`` and with ``REV``'s (the revision before
the change measured). Printed: per case and detector, the present sites found at the logo's
place (a match in the logo's image, its box overlapping the logo's by half or more), found
elsewhere only, and missed, or the absent sites taken; then each site the two decide
differently. (Inline SVG is not an image file: that case is left out.)

A check on a change, run once it is written: draws looked at while writing a change are no
longer evidence for it (then take others with ``--first``, and say which were seen).
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.kit_cpu import detector_at  # noqa: E402
from dxday.scanner import detect  # noqa: E402
from tests.scanner.corpus import artwork  # noqa: E402

CASES = tuple(c for c in artwork.PRESENT + artwork.ABSENT if c != "inline_svg")


def verdict(matcher, site) -> str:
    """``at place``, ``elsewhere`` or ``missed`` for a present site; ``taken`` or ``refused``
    for an absent one."""
    where, box = site.where or (None, None)
    matches = {path: matcher.match_bytes(data) for path, data in site.files.items()
               if isinstance(data, bytes)}
    found = [path for path, match in matches.items() if match is not None]
    if site.label != "present":
        return "taken" if found else "refused"
    match = matches.get(where)
    if match is not None:
        if box is None:
            return "at place"
        (x, y, w, h), (bx, by, bw, bh) = match.bbox, box
        if detect._overlap((x, y, x + w, y + h), (bx, by, bx + bw, by + bh)) >= 0.5:
            return "at place"
    return "elsewhere" if found else "missed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True,
                        help="the revision to compare with (the one before the change)")
    parser.add_argument("--kind", default="lockup", help="a design kind of the corpus")
    parser.add_argument("--cases", default="rotated,covered,last_year_banner")
    parser.add_argument("--first", type=int, default=1, help="the first draw (1 or more)")
    parser.add_argument("--draws", type=int, default=3, help="new draws per design and case")
    args = parser.parse_args()
    cases = tuple(args.cases.split(","))
    if unknown := sorted(set(cases) - set(CASES)):
        parser.error(f"--cases: {', '.join(unknown)} (one of: {', '.join(CASES)})")
    if args.first < 1 or args.draws < 1:
        parser.error("--first and --draws: 1 or more (draw 0 is the corpus's own)")
    designs = [d for d in artwork.DESIGNS
               if d.kind == args.kind and d.name in artwork.NEVER_TUNED]
    if not designs:
        parser.error(f"--kind: no design of kind {args.kind!r} is held out")
    detectors = {"this tree": detect, args.against: detector_at(args.against)}
    draws = range(args.first, args.first + args.draws)
    results: dict[str, dict[tuple, str]] = {label: {} for label in detectors}
    for design in designs:
        built = [artwork.build_design(design, cases, variant=draw) for draw in draws]
        with tempfile.TemporaryDirectory() as tmp:
            kit = artwork.corpus_of(built[0]).write_kit(Path(tmp))  # (one kit for every draw)
            for label, module in detectors.items():
                matcher = module.Matcher.from_directory(kit)
                for draw, sites in zip(draws, built, strict=True):
                    for site in sites.sites:
                        case = site.name.rsplit("/", 1)[-1]  # ("design~draw/case")
                        results[label][(design.name, draw, case)] = verdict(matcher, site)
    print(f"\n## New draws {draws.start}–{draws.stop - 1}: {len(designs)} {args.kind} designs "
          "never tuned on\n")
    print("| case | detector | sites | at place | elsewhere only | missed | taken |")
    print("|---|---|---|---|---|---|---|")
    for case in cases:
        for label, verdicts in results.items():
            counts = collections.Counter(v for (_, _, c), v in verdicts.items() if c == case)
            print(f"| {case} | {label} | {sum(counts.values())} | {counts['at place']} | "
                  f"{counts['elsewhere']} | {counts['missed']} | {counts['taken']} |")
    mine, theirs = results.values()
    changed = [key for key in mine if mine[key] != theirs[key]]
    print(f"\nDecided differently ({len(changed)}):")
    for name, draw, case in changed:
        print(f"- {name}, draw {draw}, {case}: {theirs[(name, draw, case)]} → "
              f"{mine[(name, draw, case)]}")


if __name__ == "__main__":
    main()
