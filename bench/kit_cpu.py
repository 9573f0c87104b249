"""The matcher's CPU on a set of images: this working tree's detector against a revision's.

    .venv/bin/python bench/kit_cpu.py --replay DIR [--designs a,b] [--against REV]
                                      [--rounds N]
    .venv/bin/python bench/kit_cpu.py --speed-sites N [--against REV] [--rounds N]

Decides every image that ``bench/kit_quality.py --record DIR`` kept for the given designs (their
first draws), in one process, with the working tree's ``dxday/scanner/detect.py`` and with
``REV``'s (``git show REV:dxday/scanner/detect.py``), and prints the CPU time of the deciding
thread, per design and in all. The two run in turn, ``--rounds`` times each, the order
alternating (the second run in a process can be slower). Nothing is served or fetched: only the
matcher is timed.

With ``--speed-sites N``: the images the pages of the speed bench's first N sites carry
(``bench/scanner.py --only speed``: banner photographs, a third of them showing the logo, news
photographs and the thumbnails a script inserts), each decided once as a whole image, against
that bench's first kit. The scan itself decides fewer (it stops at a match, and the static pass
does not see the thumbnails) and also searches screenshots; this is the matcher's work on the
images alone, without the browser and the network.
"""

from __future__ import annotations

import argparse
import pickle
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dxday.scanner import detect  # noqa: E402
from dxday.scanner.images import decode  # noqa: E402
from tests.scanner.corpus import artwork  # noqa: E402

DESIGNS = ("word-dejavu,mono-debian,mono-rust,line-heart,word-liberation,mono-apple,"
           "multi-kubernetes,grad-firefox,lock-python,seal-astronaut,line-lightbulb")


def detector_at(revision: str) -> types.ModuleType:
    """``dxday.scanner.detect`` as it was at ``revision`` (a module of its own)."""
    source = subprocess.run(["git", "show", f"{revision}:dxday/scanner/detect.py"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    module = types.ModuleType("dxday.scanner._detect_at_revision")
    module.__package__ = "dxday.scanner"
    sys.modules[module.__name__] = module  # (dataclasses look their module up)
    exec(compile(source, f"{revision}:dxday/scanner/detect.py", "exec"), module.__dict__)  # noqa: S102
    return module


def work(replay: Path, names: list[str]) -> list[tuple[str, dict, list]]:
    """Per design: its kit and the images its sites asked about, as the matcher is asked."""
    out = []
    for name in names:
        built = artwork.build_design(artwork.design_by_name(name))
        with (replay / f"artwork-{name}-0.pickle").open("rb") as source:
            record = pickle.load(source)  # noqa: S301 - a file bench/kit_quality.py wrote
        calls = [(decode(payload) if kind == "bytes" else payload, min_logo)
                 for _, _, site_calls in record for kind, payload, min_logo in site_calls]
        out.append((name, built.kit, calls))
    return out


def speed_work(count: int) -> list[tuple[str, dict, list]]:
    """The speed bench's first kit and the images of its first ``count`` sites (one group)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import scanner as speed_bench  # bench/scanner.py

    built, sites = speed_bench.speed_sites(100, count, 1.0)
    calls = [(decode(data), None) for site in sites for path, data in site.files.items()
             if path.endswith(".jpg")]
    return [("speed-sites", built.kit, calls)]


def cpu(module: types.ModuleType, designs) -> dict[str, float]:
    """CPU seconds of the deciding thread per design."""
    out = {}
    for name, kit, calls in designs:
        with tempfile.TemporaryDirectory() as tmp:
            for path, data in kit.items():
                target = Path(tmp) / "kit" / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            matcher = module.Matcher.from_directory(Path(tmp) / "kit")
        started = time.thread_time()
        for rgba, min_logo in calls:
            matcher.match_image(rgba, min_logo=min_logo)
        out[name] = time.thread_time() - started
    return out


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--replay", metavar="DIR",
                        help="a folder bench/kit_quality.py --record wrote")
    source.add_argument("--speed-sites", type=positive, metavar="N",
                        help="the images of the speed bench's first N sites")
    parser.add_argument("--designs", default=DESIGNS, help="comma-separated design names")
    parser.add_argument("--against", default="HEAD", help="the revision to compare with")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if args.speed_sites is not None:
        designs = speed_work(args.speed_sites)
        names = ["speed-sites"]
    else:
        names = args.designs.split(",")
        designs = work(Path(args.replay), names)
    detectors = {"this tree": detect, args.against: detector_at(args.against)}
    runs = []
    for r in range(args.rounds):
        for label in (list(detectors) if r % 2 == 0 else list(detectors)[::-1]):
            runs.append((label, cpu(detectors[label], designs)))
    images = sum(len(calls) for _, _, calls in designs)
    what = f"the speed bench's first {args.speed_sites} sites" \
        if args.speed_sites is not None else f"{len(names)} designs (first draws)"
    print(f"\n## The matcher's CPU: {what}, {images} images\n")
    print("| detector | run | all (s) | " + " | ".join(names) + " |")
    print("|---" * (3 + len(names)) + "|")
    for k, (label, times) in enumerate(runs, 1):
        print(f"| {label} | {k} | {sum(times.values()):.1f} | "
              + " | ".join(f"{times[n]:.1f}" for n in names) + " |")


if __name__ == "__main__":
    main()
