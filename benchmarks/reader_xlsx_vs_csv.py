"""Goal: a 5,300-row XLSX validates in about the time of the same table as CSV.

Run: ``.venv/bin/python -m benchmarks.reader_xlsx_vs_csv`` (from the project root). Prints the
median of five runs for each format and their ratio; the goal is a ratio under 1.5. The same
table is written once as CSV and once as XLSX (openpyxl), then each is validated end to end
(read, checks, counts), as an upload is.
"""

from __future__ import annotations

import io
import random
import statistics
import time

import openpyxl

from cpwb_stats.contract.extracts import validate_file

ROWS = 5300
GOAL_RATIO = 1.5


def table(rows: int = ROWS, seed: int = 1) -> list[list[str]]:
    pick = random.Random(seed)
    ranks = ["agent", "inspector", "chief-inspector", "commissioner", "calog-c", "calog-b"]
    header = ["reference_date", "zone", "rank", "gender", "migration_background", "entry_year"]
    return [header] + [["2024-12-31", pick.choice(["Gent", "Brugge", "Liège"]),
                        pick.choice(ranks), pick.choice(["woman", "man", "x", "undisclosed"]),
                        pick.choice(["yes", "no", "undisclosed"]), str(pick.randint(1985, 2024))]
                       for _ in range(rows)]


def as_csv(rows: list[list[str]]) -> bytes:
    return "\n".join(";".join(row) for row in rows).encode()


def as_xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def median_seconds(content: bytes, name: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        report = validate_file(content, name)
        times.append(time.perf_counter() - start)
        assert report.valid, [p.code for p in report.errors]
    return statistics.median(times)


def main() -> None:
    rows = table()
    csv_seconds = median_seconds(as_csv(rows), "extract.csv")
    xlsx_seconds = median_seconds(as_xlsx(rows), "extract.xlsx")
    ratio = xlsx_seconds / csv_seconds
    print(f"{ROWS} rows: CSV {csv_seconds:.2f} s, XLSX {xlsx_seconds:.2f} s, "
          f"ratio {ratio:.2f} (goal < {GOAL_RATIO})")


if __name__ == "__main__":
    main()
