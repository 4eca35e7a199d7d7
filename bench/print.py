"""How fast documents render, and that the fonts are registered once per process.

    python bench/print.py [--receipts 300] [--slips 1000] [--locale zh_CN]

Builds a throw-away demo database (the same data as ``windowdesk print-samples``) and
measures with ``time.perf_counter``:

* one fee receipt (80 mm roll) rendered to PDF bytes: the first call apart (font
  registration, caches), then p50 / p95 over ``--receipts`` calls — target < 30 ms;
* ``--slips`` one-time notification slips (A4) rendered one after another: total
  seconds — target < 20 s for 1,000;
* how many times this process registered the fonts — target exactly 1.

A table goes to stderr; the last stdout line is one JSON object. Exit code 1 when a
target is missed.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ensure_importable, log, percentile

RECEIPT_TARGET_MS = 30.0
SLIPS_TARGET_S = 20.0
SLIPS_FOR_TARGET = 1000


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def run(*, receipts: int, slips: int, locale: str) -> dict:
    ensure_importable()
    from windowdesk import i18n
    from windowdesk.cli.print_samples import demo_documents, open_demo
    from windowdesk.printing import fonts
    from windowdesk.printing.fee_receipt import render_fee_receipt
    from windowdesk.printing.notification import render_notification_slip

    i18n.set_locale(locale)
    with tempfile.TemporaryDirectory(prefix="windowdesk-bench-print-") as scratch:
        db, ctx, calendar = open_demo(Path(scratch))
        try:
            documents = demo_documents(db, ctx, calendar)
        finally:
            db.dispose()
    receipt, slip = documents["fee_receipt"], documents["notification_slip"]
    log(f"registrations before the first document: {fonts.registration_count()}")

    started = time.perf_counter()
    first_pdf = render_fee_receipt(receipt)
    first = time.perf_counter() - started
    timings = []
    for _ in range(receipts):
        started = time.perf_counter()
        render_fee_receipt(receipt)
        timings.append(time.perf_counter() - started)

    started = time.perf_counter()
    total_bytes = 0
    for _ in range(slips):
        total_bytes += len(render_notification_slip(slip))
    slips_total = time.perf_counter() - started

    p50, p95 = percentile(timings, 50), percentile(timings, 95)
    # Scaled to 1,000 when fewer were asked for, so the target compares like with like.
    slips_per_1000 = slips_total * SLIPS_FOR_TARGET / slips if slips else float("nan")
    result = {
        "bench": "print",
        "python": platform.python_version(),
        "locale": locale,
        "receipt_first_ms": _ms(first),
        "receipt_p50_ms": _ms(p50),
        "receipt_p95_ms": _ms(p95),
        "receipt_samples": receipts,
        "receipt_bytes": len(first_pdf),
        "receipt_target_ms": RECEIPT_TARGET_MS,
        "slips": slips,
        "slips_total_s": round(slips_total, 3),
        "slip_mean_ms": _ms(slips_total / slips) if slips else None,
        "slip_mean_bytes": total_bytes // slips if slips else None,
        "slips_target_s_per_1000": SLIPS_TARGET_S,
        "font_registrations": fonts.registration_count(),
    }
    result["ok"] = (
        _ms(p95) < RECEIPT_TARGET_MS and slips_per_1000 < SLIPS_TARGET_S and result["font_registrations"] == 1
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=300, help="receipt renders to time (after the first)")
    parser.add_argument("--slips", type=int, default=SLIPS_FOR_TARGET, help="notification slips to render")
    parser.add_argument("--locale", default="zh_CN", help="zh_CN (default, as printed at the counter) or en")
    args = parser.parse_args(argv)
    result = run(receipts=args.receipts, slips=args.slips, locale=args.locale)
    log(
        f"receipt   first {result['receipt_first_ms']:8.2f} ms   p50 {result['receipt_p50_ms']:6.2f} ms   "
        f"p95 {result['receipt_p95_ms']:6.2f} ms   (target < {RECEIPT_TARGET_MS:.0f} ms)"
    )
    log(
        f"slips     {result['slips']} in {result['slips_total_s']:.2f} s   "
        f"(target < {SLIPS_TARGET_S:.0f} s per {SLIPS_FOR_TARGET})"
    )
    log(f"fonts     registered {result['font_registrations']} time(s) in this process (target 1)")
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
