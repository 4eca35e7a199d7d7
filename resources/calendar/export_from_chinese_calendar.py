"""Write cn_working_calendar.json (beside this script) from the chinese-calendar package.

    pip install chinesecalendar        # a dev dependency; the app itself never imports it
    python resources/calendar/export_from_chinese_calendar.py

The output is sorted and stable, so re-running with the same package version changes
nothing; a new package version shows up as a readable diff of added days.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import chinese_calendar
from chinese_calendar import constants

OUTPUT = Path(__file__).resolve().parent / "cn_working_calendar.json"


def _name(value: object) -> str:
    # Values are plain English names ("National Day") in current versions, Holiday
    # members in some older ones.
    return str(getattr(value, "value", value))


def build() -> dict[str, object]:
    holidays = {day: _name(name) for day, name in constants.holidays.items()}
    workdays = {day: _name(name) for day, name in constants.workdays.items()}
    both = holidays.keys() & workdays.keys()
    if both:
        raise SystemExit(f"days listed as both holiday and workday: {sorted(both)}")
    years = [day.year for day in (*holidays, *workdays)]
    return {
        "source": f"chinese-calendar {chinese_calendar.__version__} (State Council holiday notices)",
        "first_year": min(years),
        "last_year": max(years),
        "holidays": {day.isoformat(): holidays[day] for day in sorted(holidays)},
        "makeup_workdays": {day.isoformat(): workdays[day] for day in sorted(workdays)},
    }


def main(output: Path = OUTPUT) -> int:
    data = build()
    output.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        f"wrote {output}: {len(data['holidays'])} holidays, "
        f"{len(data['makeup_workdays'])} make-up working days, "
        f"{data['first_year']}-{data['last_year']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT))
