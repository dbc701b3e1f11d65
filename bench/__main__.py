"""Run every bench/bench_*.py and print one table: case, seconds, floor, ratio (and the goal where there is one).

Usage: python -m bench [--full] [--only NAME]. Each module has `run(full: bool) -> list[dict]` with keys case,
seconds, floor, ratio and optionally goal and note. --full runs the big cases at full size (minutes).
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--full", action="store_true", help="full-size cases (e.g. 36 London files)")
    parser.add_argument("--only", help="run only bench_NAME.py")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if args.only:
        names = [n for n in names if n in (args.only, f"bench_{args.only}")]
    print(f"machine: {machine()}")
    rows = []
    failed = 0
    for name in names:
        start = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.{name}")
            cases = module.run(full=args.full)
        except Exception as exc:  # one broken benchmark must not hide the others
            print(f"{name}: FAILED ({type(exc).__name__}: {exc})", file=sys.stderr)
            failed += 1
            continue
        for c in cases:
            rows.append((name, c))
        print(f"{name}: {len(cases)} case(s) in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    width = max((len(c["case"]) for _, c in rows), default=10)
    print(f"{'case':<{width}}  {'seconds':>9}  {'floor':>9}  {'ratio':>6}  {'goal':>6}  note")
    for _, c in rows:
        goal = c.get("goal")
        verdict = "" if goal is None else ("ok" if c["ratio"] <= goal else "OVER")
        goal_text = f"<={goal:g}" if goal is not None else ""
        print(
            f"{c['case']:<{width}}  {c['seconds']:>9.2f}  {c['floor']:>9.2f}  {c['ratio']:>6.2f}  {goal_text:>6}  "
            f"{verdict} {c.get('note', '')}".rstrip()
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
