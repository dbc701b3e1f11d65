"""How many of the old "significant" 12-month verdicts survive the over-dispersion-aware test (issue 13).

For every ward of every borough in a store (e.g. the Met's London edition), every crime theme of the standard set,
at the latest complete month: the old verdict (exact Poisson test, p < 0.05) against the new one
(desktop/analysis/dispersion.py). Prints the counts and why the rest fall. Run:

    python -m bench.verdicts --data-dir DIR      (a store with the Met edition imported)
"""

from __future__ import annotations

import argparse
import statistics
from collections import Counter
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()

    from desktop.analysis.change import compare_covered
    from desktop.analysis.themes import theme_map
    from desktop.reports.build_context import make_context
    from desktop.reports.options import PackOptions
    from desktop.reports.series import crime_series
    from desktop.settings import Settings
    from desktop.store import open_store

    db = open_store(args.data_dir / "wardbrief.db")
    settings = Settings()
    boroughs = sorted(
        {str(r["borough_name"]) for r in db.query("SELECT DISTINCT borough_name FROM ward WHERE borough_name != ''")}
    )
    themes = [t for t in theme_map().values() if t.is_crime and t.has_categories]
    keys = [t.key for t in themes]
    tally: Counter[str] = Counter()
    phis: list[float] = []
    all_phis: list[float] = []
    by_theme: dict[str, Counter[str]] = {}
    month = ""
    for borough in boroughs:
        ctx = make_context(db, borough, PackOptions(themes=keys, public=False), settings)
        month = ctx.periods.reference
        p = ctx.periods
        for theme in themes:
            series = crime_series(ctx, theme)
            for code in ctx.ward_codes:
                new = series.change(code, p.r12, p.previous)
                if not new.comparable or new.verdict == "too few":
                    continue
                old = compare_covered(new.current, new.previous, 12, 12, 12)
                tally["tested"] += 1
                est = series.dispersion(code)
                if est.estimated:
                    all_phis.append(est.phi)
                    tally["phi estimated"] += 1
                    tally["phi > 1.2: quasi-Poisson test"] += est.phi > 1.2
                row = by_theme.setdefault(theme.label, Counter())
                row["tested"] += 1
                if not old.significant:
                    tally["old not significant"] += 1
                    tally["new significant (should be 0)"] += new.significant
                    continue
                tally["old significant"] += 1
                row["old significant"] += 1
                d = series.dispersion(code)
                if new.strength == "clear":
                    outcome = "clear"
                elif new.significant:
                    outcome = "some evidence"
                else:
                    outcome = "within normal variation"
                    phis.append(new.phi)
                tally[outcome] += 1
                row[outcome] += 1
                tally[f"{outcome} / test {new.method}"] += 1
                if outcome == "within normal variation" and d.estimated and new.method == "exact":
                    tally["fell with phi <= 1.2 (should be 0)"] += 1
    print(f"Reference month {month}; {len(boroughs)} boroughs; themes: {', '.join(keys)}")
    for k in sorted(tally):
        print(f"{k:45s} {tally[k]:6d}")
    if all_phis:
        q = statistics.quantiles(all_phis, n=4)
        print(f"phi where estimated: median {statistics.median(all_phis):.2f}, quartiles {q[0]:.2f}-{q[2]:.2f}")
    if phis:
        q = statistics.quantiles(phis, n=4)
        print(f"phi of the verdicts that fell: median {statistics.median(phis):.2f}, quartiles {q[0]:.2f}-{q[2]:.2f}")
    print()
    print(f"{'theme':40s} {'tested':>7s} {'old sig':>8s} {'clear':>6s} {'some':>6s} {'normal':>7s}")
    for label, row in sorted(by_theme.items()):
        print(
            f"{label:40s} {row['tested']:7d} {row['old significant']:8d} {row['clear']:6d} {row['some evidence']:6d} "
            f"{row['within normal variation']:7d}"
        )


if __name__ == "__main__":
    main()
