"""Benchmark of the identity-kit display check (`dxday scan`) on labelled synthetic sites.

    .venv/bin/python bench/scanner.py [--seeds 201,...,208] [--speed-sites 300]
                                      [--concurrency 16] [--only quality|speed]

1. Quality: for each seed a new logo design, its kit and one site per case
   (tests/scanner/corpus/synthetic.py), served on loopback; `dxday scan --allow-private`
   (static + browser pass) over all of them; per-case results, precision/recall/F1 on
   present/absent, errors reported as errors.
   Two naive methods run on the same sites for comparison: exact file hash, and whole-image
   perceptual hash (any image on the page within 10 bits of a kit image).
2. Speed: `--speed-sites` portal-like sites, each on its own loopback address answering with
   150 ms latency per response; one third show their kit's logo in a banner photo, two thirds do
   not (so they are the ones the browser pass may render). Each site belongs to one of
   `--speed-kits` kits and is checked against its own kit: one `dxday scan` per kit, one after
   the other, the wall times added (each run's start-up included). Every page carries what real
   portals carry: a stylesheet with a web font, and (`--scripted`, default all) scripts — a
   menu, an analytics beacon, a news box that fetches a JSON list and inserts a thumbnail the
   static pass cannot see. Measured: sites per minute with the static pass only (`--no-render`)
   and with the browser pass on; peak memory of `dxday scan` with its matcher processes and
   its browser, as resident memory summed over the processes (pages Chromium's processes share
   counted once per process) and as proportional set size (shared pages counted once); the CPU
   of the scan process, of the matcher processes and of the browser processes (Playwright's
   driver and Chromium; also by kind of process: renderers, main process, compositor …),
   sampled from /proc; the browser's CPU per render, and each render's
   wall time (from the evidence).
3. Memory: peak resident memory of `dxday scan` and its Chromium processes during the quality
   run (the browser pass included).
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import imagehash
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dxday.lib.http import FetchError, Policy, SafeFetcher  # noqa: E402
from dxday.scanner.images import ImageError, decode, decode_data_uri  # noqa: E402
from dxday.scanner.page import css_images, extract  # noqa: E402
from tests.scanner.corpus import synthetic as corpus  # noqa: E402
from tests.scanner.corpus.server import Site  # noqa: E402

DXDAY = str(Path(sys.executable).with_name("dxday"))


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = collections.defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
                children[parent].append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return children


def _descendants(pid: int) -> list[int]:
    children, out, stack = _children(), [], [pid]
    while stack:
        current = stack.pop()
        out.append(current)
        stack += children.get(current, [])
    return out


def tree_cpu(pid: int) -> dict[int, float]:
    """CPU seconds (user + system) of each process of the tree, by pid (pid first)."""
    ticks = os.sysconf("SC_CLK_TCK")
    out = {}
    for current in _descendants(pid):
        try:
            with open(f"/proc/{current}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            out[current] = (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, ValueError, IndexError):
            continue
    return out


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    children = _children()
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
        stack += children.get(current, [])
    return total


def tree_pss(pid: int) -> int:
    """Proportional set size of a process and all its descendants, in bytes: pages shared by
    several processes (Chromium's) are counted once in all, not once per process."""
    total = 0
    for current in _descendants(pid):
        try:
            with open(f"/proc/{current}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
    return total


def _is_matcher_worker(pid: int) -> bool:
    """A process of the scanner's matcher pool (Python, started by multiprocessing)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return b"multiprocessing" in handle.read()
    except OSError:
        return False


def _browser_kind(pid: int) -> str:
    """Which of the browser's processes ``pid`` is: Chromium's ``--type`` (renderer,
    gpu-process, zygote, or the utility's service: network, storage …), "browser" for its main
    process, "driver" for Playwright's."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            # (Chromium rewrites its children's titles: the arguments may be one string)
            args = handle.read().replace(b"\0", b" ").decode(errors="replace").split()
    except OSError:
        return "gone"
    if not args:
        return "gone"
    options = dict(a[2:].split("=", 1) for a in args if a.startswith("--") and "=" in a)
    if "type" in options:
        service = options.get("utility-sub-type", "").rsplit(".", 1)[-1]
        return f"{options['type']}: {service}" if service else options["type"]
    program = os.path.basename(args[0])
    return "browser" if "chrom" in program or "headless" in program else "driver"


def run_scan(kit: Path, urls: list[str], *, render: bool, timeout: float = 4.0,
             concurrency: int = 8):
    args = [DXDAY, "scan", "--kit", str(kit), "--allow-private", "--timeout", str(timeout),
            "--concurrency", str(concurrency)]
    if not render:
        args.append("--no-render")
    started = time.monotonic()
    process = subprocess.Popen(args + urls, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    peak = {"rss": 0, "pss": 0}
    cpu: dict[int, float] = {}  # last CPU seen of every process of the tree (gone ones kept)
    workers: set[int] = set()
    kinds: dict[int, str] = {}  # the browser's processes, by kind
    ticks = {"n": 0}
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            peak["rss"] = max(peak["rss"], tree_rss(process.pid))
            ticks["n"] += 1
            if ticks["n"] % 5 == 0:  # smaps_rollup walks the page tables: every 0.5 s
                peak["pss"] = max(peak["pss"], tree_pss(process.pid))
            for pid, seconds in tree_cpu(process.pid).items():
                # (looked at again each time: a process just forked takes its own title a
                # moment later, a matcher worker's and a Chromium child's alike)
                if pid != process.pid and pid not in workers:
                    if _is_matcher_worker(pid):
                        workers.add(pid)
                        kinds.pop(pid, None)
                    elif (kind := _browser_kind(pid)) != "gone":
                        kinds[pid] = kind
                cpu[pid] = max(cpu.get(pid, 0.0), seconds)
            stop.wait(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out, err = process.communicate()
    stop.set()
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"dxday scan failed: {err[-2000:]}")
    results = [json.loads(line) for line in out.splitlines()]
    run_scan.cpu = {"scan": cpu.pop(process.pid, 0.0),
                    "matchers": sum(cpu.pop(pid, 0.0) for pid in workers),
                    "browser": sum(cpu.values())}
    run_scan.kinds = collections.Counter()
    for pid, seconds in cpu.items():
        run_scan.kinds[kinds.get(pid, "other")] += seconds
    run_scan.pss = peak["pss"]
    return results, time.monotonic() - started, peak["rss"]


def naive(site_url: str, kit: dict[str, bytes], fetcher: SafeFetcher) -> tuple[str, str]:
    """The two naive methods on one site: (exact-hash verdict, whole-image pHash verdict)."""
    hashes = {hashlib.sha256(d).hexdigest() for n, d in kit.items() if not n.startswith("neg")}
    phashes = []
    for name, data in kit.items():
        if not name.startswith("neg"):
            try:
                phashes.append(imagehash.phash(Image.fromarray(decode(data)).convert("RGB")))
            except ImageError:
                continue
    try:
        page = fetcher.fetch(site_url)
    except FetchError:
        return "error", "error"
    if page.status >= 400:
        return "error", "error"
    refs, tree = extract(page.text, page.url)
    images = list(refs.images)
    for css_url in refs.stylesheets:
        try:
            css = fetcher.fetch(css_url)
            images += css_images(css.text, css.url, tree)[0]
        except FetchError:
            continue
    exact = perceptual = "absent"
    for url in images:
        try:
            data = decode_data_uri(url) if url.startswith("data:") else fetcher.fetch(url).content
        except (FetchError, ImageError):
            continue
        if hashlib.sha256(data).hexdigest() in hashes:
            exact = "present"
        try:
            value = imagehash.phash(Image.fromarray(decode(data)).convert("RGB"))
        except ImageError:
            continue
        if any(value - ref <= 10 for ref in phashes):
            perceptual = "present"
    return exact, perceptual


def f1(pairs):
    tp = sum(1 for want, got in pairs if want == "present" and got == "present")
    fp = sum(1 for want, got in pairs if want == "absent" and got == "present")
    fn = sum(1 for want, got in pairs if want == "present" and got != "present")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, score


def quality(seeds: list[int]) -> None:
    per_case = collections.defaultdict(lambda: collections.Counter())
    pairs = {"dxday scan": [], "exact hash": [], "whole-image pHash": []}
    errors_ok = errors_total = 0
    peak_rss = 0
    seconds = 0.0
    for seed in seeds:
        built = corpus.build(seed)
        with tempfile.TemporaryDirectory() as tmp, \
                corpus.CorpusServer(built.sites, latency=0.0) as server:
            kit = built.write_kit(Path(tmp) / "kit")
            results, took, rss = run_scan(kit, server.urls, render=True)
            seconds += took
            peak_rss = max(peak_rss, rss)
            with SafeFetcher(Policy(allow_private=True, timeout=4.0)) as fetcher:
                for site, url, result in zip(built.sites, server.urls, results, strict=True):
                    got = result["verdict"]
                    per_case[(site.label, site.name)][got == site.label] += 1
                    if site.label == "error":
                        errors_total += 1
                        errors_ok += got == "error"
                        continue
                    pairs["dxday scan"].append((site.label, got))
                    exact, perceptual = naive(url, built.kit, fetcher)
                    pairs["exact hash"].append((site.label, exact))
                    pairs["whole-image pHash"].append((site.label, perceptual))
    print(f"\n## Quality: {len(seeds)} logo designs × {len(per_case)} cases "
          f"= {len(seeds) * len(per_case)} sites (seeds {','.join(map(str, seeds))})\n")
    print("| method | precision | recall | F1 |\n|---|---|---|---|")
    for name, values in pairs.items():
        p, r, f = f1(values)
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} |")
    print(f"\nError sites reported as `error`: {errors_ok}/{errors_total}. "
          f"`dxday scan` wall time for all quality runs: {seconds:.1f} s; "
          f"peak memory (scan + Chromium): {peak_rss / 2**20:.0f} MB.\n")
    print("| expected | case | correct |\n|---|---|---|")
    for (label, name), counter in sorted(per_case.items()):
        print(f"| {label} | {name} | {counter[True]}/{sum(counter.values())} |")


SITE_JS = """
document.documentElement.classList.add('js');
for (const b of document.querySelectorAll('.menu button')) {
  b.addEventListener('click', () => b.parentElement.classList.toggle('open'));
}
try { navigator.sendBeacon('/thong-ke/collect', JSON.stringify({p: location.pathname})); }
catch (e) {}
fetch('/api/tin-moi.json').then(r => r.json()).then(items => {
  const box = document.getElementById('tin-moi');
  for (const item of items) {
    const img = document.createElement('img');
    img.src = item.anh; img.alt = item.tieu_de; img.width = 200;
    box.appendChild(img);
  }
}).catch(() => {});
"""
SITE_CSS = """@font-face{font-family:Roboto;src:url(/fonts/roboto.woff2) format("woff2")}
body{font-family:Roboto,sans-serif;margin:0}.menu{display:flex;gap:1rem}
.hero img{width:100%;height:auto}#tin-moi img{margin:4px}"""


def speed_sites(seed: int, count: int, scripted: float) -> tuple[corpus.Corpus, list[Site]]:
    """``count`` portal-like sites for the kit of ``seed``: every third shows the logo in its
    banner photo; the rest do not."""
    built = corpus.build(seed)
    rng = random.Random(seed * 31)
    logo = Image.open(io.BytesIO(built.kit["logo-mau.png"])).convert("RGBA")
    sites = []
    for j in range(count):
        present = j % 3 == 0
        hero = corpus.photo(rng, (1200, 360)).convert("RGBA")
        if present:
            small = corpus.resized(logo, rng.randint(120, 200))
            hero = corpus.place(hero, small, (rng.randint(500, 1180 - small.width),
                                              rng.randint(10, 350 - small.height)))
        files = {"/img/hero.jpg": corpus.encode(hero, "JPEG", quality=82),
                 "/img/tin-1.jpg": corpus.encode(corpus.photo(rng, (800, 450)).convert("RGBA"),
                                                 "JPEG", quality=80),
                 "/css/site.css": SITE_CSS, "/fonts/roboto.woff2": b"wOF2" + bytes(30000)}
        head = '<link rel="stylesheet" href="/css/site.css">'
        if rng.random() < scripted:
            head += '<script src="/js/site.js" defer></script>'
            files["/js/site.js"] = SITE_JS
            files["/api/tin-moi.json"] = json.dumps(
                [{"anh": "/img/thumb-1.jpg", "tieu_de": "Tin mới"}])
            files["/img/thumb-1.jpg"] = corpus.encode(
                corpus.photo(rng, (400, 225)).convert("RGBA"), "JPEG", quality=78)
        body = ('<nav class="menu"><button>Giới thiệu</button><button>Tin tức</button></nav>'
                '<div class="hero"><img src="/img/hero.jpg" alt="Ảnh bìa"></div>'
                '<article><h2>Hoạt động chuyển đổi số</h2><img src="/img/tin-1.jpg" alt="" '
                'width="400"></article><aside id="tin-moi"></aside>')
        sites.append(Site(name="present" if present else "absent",
                          label="present" if present else "absent",
                          files={**files, "/": corpus.page(body, head=head)}))
    return built, sites


def speed(count: int, concurrency: int, kits: int, scripted: float, passes: list[str]) -> None:
    groups, per_kit = [], -(-count // kits)
    for k in range(kits):
        n = min(per_kit, count - k * per_kit)
        if n > 0:
            groups.append(speed_sites(100 + k, n, scripted))
    sites = [site for _, group in groups for site in group]
    print(f"\n## Speed: {len(sites)} sites ({sum(s.label == 'present' for s in sites)} showing "
          f"the logo in a banner), {len(groups)} kits, each site against its own kit, "
          f"150 ms per response, --concurrency {concurrency}, scripts on "
          f"{scripted:.0%} of pages\n")
    print("| pass | wall time | sites/min | rendered | verdicts right | peak memory (RSS) | "
          "peak memory (PSS) | CPU: scan process | CPU: matcher processes | "
          "CPU: browser processes | browser CPU per render | "
          "wall per render (median, p90) | screenshots |")
    print("|---" * 13 + "|")
    # One server for all sites: each site has its own address; each kit's URLs are scanned by a
    # `dxday scan` of their own.
    with tempfile.TemporaryDirectory() as tmp, \
            corpus.CorpusServer(sites, latency=0.150) as server:
        first = 0
        runs = []
        for k, (built, group) in enumerate(groups):
            kit = built.write_kit(Path(tmp) / f"kit-{k}")
            runs.append((kit, group, server.urls[first:first + len(group)]))
            first += len(group)
        by_kind = []
        for name in passes:
            took = rss = pss = scan_cpu = matcher_cpu = browser_cpu = 0.0
            right = rendered = screenshots = 0
            walls = []
            kinds = collections.Counter()
            for kit, group, urls in runs:
                results, seconds, peak = run_scan(kit, urls, render=name == "browser",
                                                  timeout=10.0, concurrency=concurrency)
                took += seconds
                rss = max(rss, peak)
                pss = max(pss, run_scan.pss)
                scan_cpu += run_scan.cpu["scan"]
                matcher_cpu += run_scan.cpu["matchers"]
                browser_cpu += run_scan.cpu["browser"]
                kinds.update(run_scan.kinds)
                for site, result in zip(group, results, strict=True):
                    right += result["verdict"] == site.label
                    done = (result["evidence"] or {}).get("rendered")
                    if done:
                        rendered += 1
                        walls.append(done.get("seconds", 0.0))
                        screenshots += bool(done.get("screenshot"))
            walls.sort()
            per_render = f"{browser_cpu / rendered:.3f} s" if rendered else "—"
            wall = (f"{walls[len(walls) // 2]:.2f} s, {walls[int(len(walls) * 0.9)]:.2f} s"
                    if walls else "—")
            print(f"| {'static only (--no-render)' if name == 'static' else 'browser pass on'} "
                  f"| {took:.1f} s | **{len(sites) / took * 60:.0f}** | {rendered} | "
                  f"{right}/{len(sites)} | {rss / 2**20:.0f} MB | {pss / 2**20:.0f} MB | "
                  f"{scan_cpu:.1f} s | {matcher_cpu:.1f} s | "
                  f"{browser_cpu:.1f} s | {per_render} | {wall} | {screenshots} |", flush=True)
            if kinds:
                by_kind.append(f"{'static only' if name == 'static' else 'browser pass on'}: "
                               + ", ".join(f"{kind} {seconds:.1f} s"
                                           for kind, seconds in kinds.most_common()))
    if by_kind:
        print("\nCPU of the browser's processes, by kind (sampled every 0.1 s):\n- "
              + "\n- ".join(by_kind))
    print(f"\n{server.requests} requests answered by the corpus server in all.")


def main():
    parser = argparse.ArgumentParser()
    # Seeds never used while tuning the detector (tuning used 1–13, 21, 33, 44 and 100).
    parser.add_argument("--seeds", default="201,202,203,204,205,206,207,208")
    parser.add_argument("--speed-sites", type=int, default=300)
    parser.add_argument("--speed-kits", type=int, default=1)
    parser.add_argument("--scripted", type=float, default=1.0,
                        help="share of the speed sites whose pages carry scripts")
    parser.add_argument("--passes", default="static,browser")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--only", choices=["quality", "speed"])
    args = parser.parse_args()
    if args.only != "speed":
        quality([int(s) for s in args.seeds.split(",")])
    if args.only != "quality":
        speed(args.speed_sites, args.concurrency, args.speed_kits, args.scripted,
              args.passes.split(","))


if __name__ == "__main__":
    main()
