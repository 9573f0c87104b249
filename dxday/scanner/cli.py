"""``dxday scan``: check URLs for the identity kit, without a database.

    dxday scan --kit DIR [--timeout SECONDS] [--concurrency N] [--allow-private]
               [--no-render] URL...

Prints one JSON object per URL, one per line, in the order given:
``{"url", "verdict", "score", "evidence", "error"}``. Exit status 0 whenever it could run
(2 for bad arguments or an unusable kit folder).
"""

from __future__ import annotations

import argparse
import json
import sys

from dxday.lib.http import Policy


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dxday scan",
        description="Kiểm tra việc hiển thị bộ nhận diện (logo) Ngày Chuyển đổi số quốc gia "
                    "trên các địa chỉ web / Check that the DX Day identity kit is displayed.")
    parser.add_argument("--kit", required=True, metavar="DIR",
                        help="folder of the kit's reference images (.png .jpg .jpeg .webp .gif "
                             ".svg); hard negatives in DIR/negatives/")
    parser.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS",
                        help="total time allowed for one request (default 15)")
    parser.add_argument("--concurrency", type=int, default=16, metavar="N",
                        help="URLs scanned at once (default 16; at most 2 requests per host)")
    parser.add_argument("--allow-private", action="store_true",
                        help="allow loopback and private addresses (tests only)")
    parser.add_argument("--no-render", action="store_true",
                        help="static pass only: no headless browser")
    parser.add_argument("urls", nargs="+", metavar="URL")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.timeout <= 0 or args.concurrency < 1:
        print("dxday scan: --timeout must be > 0 and --concurrency ≥ 1", file=sys.stderr)
        return 2
    from .detect import Matcher
    from .scan import Scanner
    from .workers import default_workers

    try:
        matcher = Matcher.from_directory(args.kit)
    except (FileNotFoundError, ValueError) as exc:
        print(f"dxday scan: --kit: {exc}", file=sys.stderr)
        return 2
    policy = Policy(allow_private=args.allow_private, timeout=args.timeout,
                    connect_timeout=min(5.0, args.timeout))
    scanner = Scanner(matcher, policy=policy, render=not args.no_render,
                      concurrency=args.concurrency, workers=default_workers())
    # Lines are written in the order the URLs were given, each as soon as it and every URL
    # before it are done.
    done: dict[int, dict] = {}
    state = {"next": 0}

    def emit(index: int, result: dict) -> None:
        done[index] = result
        while state["next"] in done:
            sys.stdout.write(json.dumps(done.pop(state["next"]), ensure_ascii=False) + "\n")
            sys.stdout.flush()
            state["next"] += 1

    try:
        scanner.scan(args.urls, on_result=emit)
    finally:
        scanner.close()
    return 0
