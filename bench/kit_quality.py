"""Detection quality of the kit check, per design and per case, with per-image timing.

    .venv/bin/python bench/kit_quality.py [--half held-out|tuning|fresh|unseen|retired|sealed|all]
                                          [--designs a,b]
                                          [--synthetic-seeds 201,...,208] [--render]
                                          [--variants N] [--record DIR | --replay DIR]

1. The real-artwork corpus (tests/scanner/corpus/artwork.py): 221 designs of seven kinds, the
   first of each kind for tuning, the second held out, the third (``fresh``, added
   after the held-out half had been measured twice) held out from every later change; four
   plain shapes added for tuning after that (the held-out half, measured twice, is now for
   tuning too); a fourth of each kind (``unseen``), a fifth to a thirtieth (``retired``:
   sealed and looked at once, in the seventh to thirtieth rounds, measured again since) and
   a thirty-first (``sealed``, looked at once, then retired), never tuned on (a site of a sealed
   design found wrong at its look may be pinned in the tests afterwards; the look stays the
   clean measure).
   Each design's kit and sites are served on loopback and scanned by
   :class:`~dxday.scanner.scan.Scanner` (static pass; with ``--render`` the browser pass
   too). F1 is reported on the chosen set only (default: the held-out half); per-design and
   per-case tables; error sites must be ``error``. Each site found is checked against where
   the corpus put the logo (``Site.where``): "found at the logo's place" when the evidence is
   that image and, inside a larger picture, its box overlaps the logo's by half or more (a
   present verdict from a patch of sky is right by luck).
2. The synthetic corpus (tests/scanner/corpus/synthetic.py) for the given seeds (never used
   while tuning): F1 and per-case table.
3. Time spent deciding, per image (the matcher's own time, not the fetching): median, 95th
   percentile and maximum, by image size.

For tuning: ``--variants N`` adds N more draws of every case of the tuning and held-out designs
(other photographs, places, angles, cuts, covers; refused for the fresh, unseen, retired and
sealed designs, which are measured as they are). ``--record DIR`` scans
once and keeps, per site, every image the static pass would decide (all of them: nothing is
taken as a match while recording) and whether the page was an error; ``--replay DIR`` decides
the recorded images in-process with the current matcher (a site is ``present`` when one of its
images matches, as in the static pass), so a change to the matcher is measured in seconds
without serving or fetching anything. The reported numbers come from full scans, not replays.
"""

from __future__ import annotations

import argparse
import collections
import pickle
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scanner import f1  # noqa: E402 - one F1, as the speed bench counts it
from dxday.lib.http import Policy  # noqa: E402
from dxday.scanner.detect import Matcher  # noqa: E402
from dxday.scanner.scan import Scanner  # noqa: E402
from tests.scanner.corpus import artwork, synthetic  # noqa: E402
from tests.scanner.corpus.server import CorpusServer  # noqa: E402

ROBUSTNESS = ("overlay", "squashed", "rotated", "covered", "px48", "last_year",
              "last_year_banner")


class TimedMatcher(Matcher):
    """Records the time each image takes to decide, with the image's size."""

    times: list[tuple[float, int]] = []
    _lock = threading.Lock()

    def match_image(self, rgba, *, min_logo=None):
        started = time.thread_time()
        try:
            return super().match_image(rgba, min_logo=min_logo)
        finally:
            with self._lock:
                self.times.append((time.thread_time() - started, max(rgba.shape[:2])))


class RecordingMatcher(Matcher):
    """Keeps every image the static pass asks about, per page, and matches none of them."""

    calls: dict[str, list] = collections.defaultdict(list)
    current = threading.local()

    def match_bytes(self, data):
        self._local.best = 0.0
        self.calls[self.current.url].append(("bytes", data, None))
        return None

    def match_image(self, rgba, *, min_logo=None):
        self._local.best = 0.0
        self.calls[self.current.url].append(("image", rgba, min_logo))
        return None


class RecordingScanner(Scanner):
    def _static(self, url):
        RecordingMatcher.current.url = url
        return super()._static(url)


RECORD: dict = {"dir": None, "replay": False}


def _record_path(key: str) -> Path:
    return Path(RECORD["dir"]) / (key.replace("/", "_") + ".pickle")


def decide_sites(key: str, kit: dict[str, bytes], sites, *, render: bool) -> list[dict]:
    """Verdicts of ``sites`` (scanned, recorded or replayed as asked)."""
    if RECORD["dir"] is None:
        return scan_sites(kit, sites, render=render)
    path = _record_path(key)
    if not RECORD["replay"]:
        RecordingMatcher.calls.clear()
        results = scan_sites(kit, sites, render=False, recording=True)
        record = [(r["verdict"] == "error", r.get("error"),
                   RecordingMatcher.calls.get(r["url"], [])) for r in results]
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            pickle.dump(record, out)
    with path.open("rb") as source:
        record = pickle.load(source)  # noqa: S301 - a file this script wrote
    with tempfile.TemporaryDirectory() as tmp:
        matcher = TimedMatcher.from_directory(_write_kit(kit, Path(tmp) / "kit"))
    results = []
    for site, (error, message, calls) in zip(sites, record, strict=True):
        if error:
            results.append({"verdict": "error", "score": None, "error": message})
            continue
        best, found, image = 0.0, None, None
        # the image each call decided: the static pass asks about an image's bytes (a file,
        # or a data URI's content) or about a drawing it rasterised (an inline SVG)
        paths = {body: path for path, body in site.files.items() if isinstance(body, bytes)}
        for kind, payload, min_logo in calls:
            found = matcher.match_bytes(payload) if kind == "bytes" else \
                matcher.match_image(payload, min_logo=min_logo)
            if found:
                image = paths.get(payload, "data-uri") if kind == "bytes" else "inline-svg"
                break
            best = max(best, matcher.last_best)
        results.append({"verdict": "present" if found else "absent",
                        "score": round(found.score if found else best, 4),
                        "image": image, "bbox": found.bbox if found else None})
    return results


def at_its_place(site, result: dict) -> bool | None:
    """Whether a ``present`` verdict's evidence is where the logo is shown: the image that holds
    it and, inside a larger picture, a box overlapping the logo's by half (intersection over
    union) or more. None: found in the browser pass's screenshot (its box is the page's, not
    an image's), not judged."""
    if site.where is None:
        return False
    path, box = site.where
    evidence = result.get("evidence") or {}
    image = result.get("image") or evidence.get("image_url") or ""
    bbox = result.get("bbox") or evidence.get("bbox")
    if image == "rendered":
        return None
    if image not in ("inline-svg", "data-uri"):
        image = urllib.parse.urlsplit(image).path
    if image != path:
        return False
    if box is None:
        return True
    if not bbox:
        return False
    ix = max(0, min(box[0] + box[2], bbox[0] + bbox[2]) - max(box[0], bbox[0]))
    iy = max(0, min(box[1] + box[3], bbox[1] + bbox[3]) - max(box[1], bbox[1]))
    inter = ix * iy
    return inter >= 0.5 * (box[2] * box[3] + bbox[2] * bbox[3] - inter)


def _write_kit(kit: dict[str, bytes], directory: Path) -> Path:
    for name, data in kit.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return directory


def scan_sites(kit: dict[str, bytes], sites, *, render: bool,
               recording: bool = False) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp, CorpusServer(sites, latency=0.0) as server:
        directory = _write_kit(kit, Path(tmp) / "kit")
        matcher_class, scanner_class = (RecordingMatcher, RecordingScanner) if recording else \
            (TimedMatcher, Scanner)
        scanner = scanner_class(matcher_class.from_directory(directory), render=render,
                                concurrency=4, policy=Policy(allow_private=True, timeout=3.0,
                                                             connect_timeout=1.0))
        try:
            return scanner.scan(server.urls)
        finally:
            scanner.close()


def artwork_quality(names: list[str], render: bool, verbose: bool, variants: int = 0) -> None:
    per_case: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    per_design = {}
    pairs_all, errors = [], collections.Counter()
    wrong, placed, elsewhere = [], collections.Counter(), []
    runs = [(name, 0) for name in names]
    if variants:
        if set(names) & set(artwork.NEVER_TUNED):
            raise SystemExit("--variants: tuning and held-out designs only (the fresh, unseen, "
                             "retired and sealed designs are measured as they are)")
        runs += [(name, v) for name in names for v in range(1, variants + 1)]
    for name, variant in runs:
        built = artwork.build_design(artwork.design_by_name(name), variant=variant)
        results = decide_sites(f"artwork-{name}-{variant}", built.kit, built.sites,
                               render=render)
        pairs = []
        for site, result in zip(built.sites, results, strict=True):
            case = site.name.split("/", 1)[1]
            got = result["verdict"]
            per_case[case][got == site.label] += 1
            if site.label == "error":
                errors[got == "error"] += 1
            else:
                pairs.append((site.label, got))
            if got != site.label:
                wrong.append((site.name, site.label, got, result.get("score")))
            elif got == "present":
                place = at_its_place(site, result)
                placed[place] += 1
                if place is False:
                    elsewhere.append((site.name, result.get("score")))
        per_design.setdefault(name, []).extend(pairs)
        pairs_all += pairs
    p, r, f = f1(pairs_all)
    print(f"\n## Real-artwork designs: {', '.join(names)}\n")
    print(f"F1 **{f:.3f}** (precision {p:.3f}, recall {r:.3f}) over {len(pairs_all)} sites; "
          f"error sites reported as `error`: {errors[True]}/{sum(errors.values())}\n")
    print(f"Found at the logo's place (the evidence's image, and its box overlapping the logo's "
          f"by half or more): {placed[True]}/{placed[True] + placed[False]} of the sites found"
          + (f" ({placed[None]} more in the browser's screenshot, not judged)"
             if placed[None] else "")
          + (": elsewhere " + ", ".join(f"{n} ({s})" for n, s in elsewhere) if elsewhere
             else "") + "\n")
    print("| design | kind | precision | recall | F1 |\n|---|---|---|---|---|")
    for name, design_pairs in per_design.items():
        p, r, f = f1(design_pairs)
        kind = artwork.design_by_name(name).kind
        print(f"| {name} | {kind} | {p:.3f} | {r:.3f} | {f:.3f} |")
    print("\n| case | expected | right | share |\n|---|---|---|---|")
    labels = {c: "present" for c in artwork.PRESENT} | {c: "absent" for c in artwork.ABSENT} \
        | {c: "error" for c in artwork.ERRORS}
    for case in artwork.PRESENT + artwork.ABSENT + artwork.ERRORS:
        counter = per_case[case]
        total = sum(counter.values())
        mark = " (robustness)" if case in ROBUSTNESS else ""
        print(f"| {case}{mark} | {labels[case]} | {counter[True]}/{total} | "
              f"{counter[True] / total:.0%} |")
    if verbose and wrong:
        print("\nWrong:", *(f"{n} want {w} got {g} ({s})" for n, w, g, s in wrong), sep="\n- ")


def synthetic_quality(seeds: list[int], render: bool, verbose: bool) -> None:
    per_case: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    pairs, errors, wrong = [], collections.Counter(), []
    for seed in seeds:
        built = synthetic.build(seed)
        sites = [s for s in built.sites if render or s.name != "js_inserted"]
        results = decide_sites(f"synthetic-{seed}", built.kit, sites, render=render)
        for site, result in zip(sites, results, strict=True):
            got = result["verdict"]
            per_case[site.name][got == site.label] += 1
            if site.label == "error":
                errors[got == "error"] += 1
            else:
                pairs.append((site.label, got))
            if got != site.label:
                wrong.append((f"{seed}/{site.name}", site.label, got, result.get("score")))
    p, r, f = f1(pairs)
    print(f"\n## Synthetic corpus, seeds {','.join(map(str, seeds))}"
          f"{'' if render else ' (static pass: the script-inserted case left out)'}\n")
    print(f"F1 **{f:.3f}** (precision {p:.3f}, recall {r:.3f}) over {len(pairs)} sites; "
          f"error sites reported as `error`: {errors[True]}/{sum(errors.values())}\n")
    bad = {c: n for c, n in per_case.items() if n[False]}
    print("Cases not always right: " + (", ".join(f"{c} {n[True]}/{sum(n.values())}"
                                                 for c, n in sorted(bad.items())) or "none"))
    if verbose and wrong:
        print("\nWrong:", *(f"{n} want {w} got {g} ({s})" for n, w, g, s in wrong), sep="\n- ")


def timing() -> None:
    times = TimedMatcher.times
    if not times:
        return
    print("\n## Time to decide one image (CPU time of the deciding thread)\n")
    print("| image long side | images | median ms | p95 ms | max ms |\n|---|---|---|---|---|")
    buckets = [("< 200 px", 0, 200), ("200–599 px", 200, 600), ("600–999 px", 600, 1000),
               ("≥ 1000 px", 1000, 10**9), ("all", 0, 10**9)]
    for label, low, high in buckets:
        values = sorted(t * 1000 for t, side in times if low <= side < high)
        if not values:
            continue
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(f"| {label} | {len(values)} | {statistics.median(values):.1f} | {p95:.1f} | "
              f"{values[-1]:.1f} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--half", default="held-out",
                        choices=["held-out", "tuning", "fresh", "unseen", "retired", "sealed",
                                 "all"])
    parser.add_argument("--designs", help="comma-separated design names (overrides --half)")
    parser.add_argument("--synthetic-seeds", default="201,202,203,204,205,206,207,208",
                        help="seeds of the synthetic corpus ('' for none)")
    parser.add_argument("--render", action="store_true", help="browser pass on")
    parser.add_argument("--variants", type=int, default=0,
                        help="more draws of every case (tuning and held-out designs only)")
    parser.add_argument("--record", metavar="DIR", help="scan once, keep the images per page")
    parser.add_argument("--replay", metavar="DIR", help="decide the recorded images again")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the wrong sites")
    args = parser.parse_args()
    if args.designs is not None:
        names = [n for n in args.designs.split(",") if n]
    else:
        names = {"held-out": artwork.HELD_OUT, "tuning": artwork.TUNING,
                 "fresh": artwork.FRESH, "unseen": artwork.UNSEEN, "retired": artwork.RETIRED,
                 "sealed": artwork.SEALED,
                 "all": artwork.HELD_OUT + artwork.TUNING}[args.half]
    if args.record or args.replay:
        if args.render:
            raise SystemExit("--record/--replay: static pass only")
        RECORD.update(dir=args.record or args.replay, replay=bool(args.replay))
    started = time.monotonic()
    if names:
        artwork_quality(names, args.render, args.verbose, args.variants)
    if args.synthetic_seeds:
        synthetic_quality([int(s) for s in args.synthetic_seeds.split(",")], args.render,
                          args.verbose)
    timing()
    print(f"\n({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
