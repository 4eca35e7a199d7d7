"""What keeping the figures' day sums adds to working out cases' report figures.

    python bench/figure_days_cost.py --url URL [--cases 2000] [--rounds 5]

On an existing hub database (e.g. the one ``bench/console.py --postgres-database NAME``
keeps), ``case_figures.refresh`` of ``--cases`` random cases, as a push or a hub decision
runs it, in a transaction rolled back at the end; each round twice, interleaved: with the
day sums (as the hub runs) and with ``figure_days``' three steps made no-ops (as before
issue 26's sums). Wall and CPU time (this process; on PostgreSQL the server's work shows
in the wall time only) per case. Then the push's other hook, ``figure_days.add_ratings``,
on ``--cases`` random ratings: per rating. Last stdout line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ensure_importable, log

ensure_importable()


def _run(url: str, cases: int, rounds: int) -> dict:
    from sqlalchemy import select

    from windowdesk.hub.services import case_figures, figure_days
    from windowdesk.hub.storage.database import HubDatabase
    from windowdesk.hub.storage.models import Case
    from windowdesk.hub.storage.models_quality import Rating

    db = HubDatabase(url)
    real = (figure_days.rows_of, figure_days.add_case, figure_days.apply)
    rng = random.Random(26)
    try:
        with db.read() as session:
            ids = list(session.scalars(select(Case.id)))
        times: dict[str, list[tuple[float, float]]] = {"with_sums": [], "without_sums": []}
        for _ in range(rounds):
            for variant in ("with_sums", "without_sums") if rng.random() < 0.5 else ("without_sums", "with_sums"):
                chosen = rng.sample(ids, cases)
                if variant == "without_sums":
                    figure_days.rows_of = lambda session, ids: []
                    figure_days.add_case = lambda changes, row, sign: None
                    figure_days.apply = lambda session, changes: 0
                try:
                    with db.write() as session:
                        terms = case_figures.Terms.read(session)
                        began, began_cpu = time.perf_counter(), time.process_time()
                        case_figures.refresh(session, chosen, terms)
                        session.flush()
                        times[variant].append((time.perf_counter() - began, time.process_time() - began_cpu))
                        session.rollback()
                finally:
                    figure_days.rows_of, figure_days.add_case, figure_days.apply = real
        with db.read() as session:
            ratings = list(session.scalars(select(Rating.id)))
        rated: list[tuple[float, float]] = []
        for _ in range(rounds):  # the push's second hook: the ratings it stored, counted by day
            chosen = rng.sample(ratings, min(cases, len(ratings)))
            with db.write() as session:
                began, began_cpu = time.perf_counter(), time.process_time()
                figure_days.add_ratings(session, chosen)
                session.flush()
                rated.append((time.perf_counter() - began, time.process_time() - began_cpu))
                session.rollback()
        result = {
            "add_ratings_ms_per_rating": round(statistics.median(w for w, _ in rated) * 1000 / len(chosen), 3),
            "add_ratings_cpu_ms_per_rating": round(statistics.median(c for _, c in rated) * 1000 / len(chosen), 3),
        }
        for variant, found in times.items():
            result[f"{variant}_ms_per_case"] = round(statistics.median(w for w, _ in found) * 1000 / cases, 3)
            result[f"{variant}_cpu_ms_per_case"] = round(statistics.median(c for _, c in found) * 1000 / cases, 3)
        log(json.dumps(result))
        return {"cases": cases, "rounds": rounds, **result}
    finally:
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the hub database (SQLAlchemy URL)")
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    print(json.dumps(_run(args.url, args.cases, args.rounds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
