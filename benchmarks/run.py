"""National-scale benchmark: whole commands as a user runs them, side by side with DuckDB.

    .venv/bin/python benchmarks/run.py            # generate the inputs, run, write the table
    .venv/bin/python benchmarks/run.py --no-pages # without the page re-render measurement

Each command runs as its own process; its CPU time (user + system) and peak memory (maximum
resident set) come from the operating system's accounting of that process (``os.wait4``). The
machine is shared, so CPU time, not wall time, and the ratios within one run are what count.
The table is written into ``docs/performance.md`` between its two markers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.inputs import write_all  # noqa: E402

DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- benchmark table: begin -->", "<!-- benchmark table: end -->"

# The same shares DuckDB is asked for: people per date, zone, rank, dimension and group, and
# each group's share of those who declared (what `representation` publishes before suppression).
DUCKDB_SHARES = """
import sys, duckdb
con = duckdb.connect()
con.execute("SET threads TO 1")
rows = con.execute('''
WITH people AS (SELECT * FROM read_csv(?, header = true, all_varchar = true)),
long AS (UNPIVOT people ON gender, migration_background, disability
         INTO NAME dimension VALUE grp),
counts AS (SELECT reference_date, zone, rank, dimension, grp, count(*) AS n
           FROM long GROUP BY ALL)
SELECT *, n / sum(n) FILTER (WHERE grp NOT IN ('unknown', 'undisclosed'))
              OVER (PARTITION BY reference_date, zone, rank, dimension) AS share
FROM counts''', [sys.argv[1]]).fetchall()
print(len(rows))
"""


# A command still busy after this much CPU has missed every target by far: it is stopped (the
# table then shows "> 120 s") so that one run of the benchmark stays within minutes.
CPU_LIMIT = 120


@dataclass(frozen=True)
class Run:
    cpu: float  # seconds, user + system
    peak_mb: float
    ok: bool
    stopped: bool = False

    @property
    def cpu_text(self) -> str:
        return f"> {CPU_LIMIT} s (stopped)" if self.stopped else f"{self.cpu:.2f} s"


def _cpu_limit() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT + 5))


def measure(command: list[str]) -> Run:
    """CPU and peak memory of one whole process (and nothing else)."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, preexec_fn=_cpu_limit)
    error = process.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    if process.returncode not in (0, 1):
        print(error[-2000:], file=sys.stderr)
    run = Run(usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode == 0,
              stopped=process.returncode < 0)
    print(f"{run.cpu_text:>20} {run.peak_mb:8.0f} MB  {' '.join(command[-6:])[:120]}", flush=True)
    return run


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "cpwb_stats", *args]


def duckdb(path: Path) -> list[str]:
    return [sys.executable, "-c", DUCKDB_SHARES, str(path)]


def command_rows(paths: dict[str, Path]) -> list[tuple[str, str, Run, Run | None, str]]:
    """(what, input, our run, DuckDB's run or None, target) for every line of the table."""
    rows = []
    baseline = {}
    for size in ("10k", "1m"):
        path = paths[f"workforce_{size}.csv"]
        baseline[size] = measure(duckdb(path))
        rows.append(("representation", f"{size} rows CSV",
                     measure(cli("representation", str(path), "--format", "csv")),
                     baseline[size], "<= 2x DuckDB, <= 500 MB"))
        rows.append(("validate", f"{size} rows CSV", measure(cli("validate", str(path))),
                     baseline[size], "<= 2x DuckDB, <= 500 MB"))
    csv_run = next(r[2] for r in rows if r[:2] == ("validate", "10k rows CSV"))
    rows.append(("validate", "10k rows XLSX",
                 measure(cli("validate", str(paths["workforce_10k.xlsx"]))), csv_run,
                 "<= 3x the same rows as CSV"))
    history = [str(paths["history_workforce.csv"])]
    movements = str(paths["history_movements.csv"])
    rows.append(("funnel", "200,000 applicants, 10 campaigns",
                 measure(cli("funnel", str(paths["applicants_200k.csv"]), "--zone", "Nationaal",
                             "--pool", "--format", "csv")), None, "< 10 s CPU"))
    rows.append(("retention", "47,000 staff, 10 snapshots, movements",
                 measure(cli("retention", "--workforce", *history, "--movements", movements,
                             "--format", "csv")), None, "< 10 s CPU"))
    rows.append(("retention --survival", "47,000 staff, 10 snapshots, movements",
                 measure(cli("retention", "--survival", "--workforce", *history, "--movements",
                             movements, "--format", "csv")), None, "< 10 s CPU"))
    with tempfile.TemporaryDirectory() as folder:
        rows.append(("--help", "", measure(cli("--help")), None, "no pandas"))
        rows.append(("template", "", measure(cli("template", "-o", f"{folder}/t.csv")), None,
                     "no SciPy, SQLAlchemy, Alembic"))
    return rows


def met(name: str, run: Run, reference: Run | None, target: str) -> str:
    if run.stopped:
        return "no"
    if not run.ok:
        return "failed"
    if target.startswith("<= 2x"):
        return "yes" if run.cpu <= 2 * reference.cpu and run.peak_mb <= 500 else "no"
    if target.startswith("<= 3x"):
        return "yes" if run.cpu <= 3 * reference.cpu else "no"
    if target.startswith("< 10 s"):
        return "yes" if run.cpu < 10 else "no"
    return "-"


def table(rows) -> str:
    lines = ["| command | input | CPU | peak memory | reference CPU | ratio | target | met |",
             "|---|---|---|---|---|---|---|---|"]
    for name, source, run, reference, target in rows:
        ref = f"{reference.cpu:.2f} s" if reference else ""
        ratio = f"{run.cpu / reference.cpu:.1f}x" if reference else ""
        ratio = "" if run.stopped else ratio
        lines.append(f"| `{name}` | {source} | {run.cpu_text} | {run.peak_mb:,.0f} MB | {ref} | "
                     f"{ratio} | {target} | {met(name, run, reference, target)} |")
    return "\n".join(lines)


def baselines(rows) -> str:
    seen = {}
    for _, source, _, reference, target in rows:
        if reference is not None and target.startswith("<= 2x"):
            seen[source] = reference
    return "\n".join(f"- DuckDB, same shares from {source}: {run.cpu:.2f} s CPU, "
                     f"{run.peak_mb:,.0f} MB peak (whole process, one thread)"
                     for source, run in seen.items())


def page_lines(rows: list[tuple[str, float]]) -> str:
    lines = ["| page | selector changed | re-render CPU | target | met |", "|---|---|---|---|---|"]
    for label, seconds in rows:
        page, selector = label.split(": ", 1)
        if selector == "first view":  # fills the caches the re-renders below reuse
            lines.append(f"| {page} | (first view) | {seconds:.2f} s | - | - |")
            continue
        lines.append(f"| {page} | {selector} | {seconds:.2f} s | < 0.5 s | "
                     f"{'yes' if seconds < 0.5 else 'no'} |")
    return "\n".join(lines)


def write_doc(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
    DOC.write_text(doc[:start] + "\n" + text + "\n" + doc[end:], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=Path, default=Path(tempfile.gettempdir()) / "cpwb-bench")
    parser.add_argument("--no-pages", action="store_true")
    args = parser.parse_args()
    paths = write_all(args.inputs)
    pages = None if args.no_pages else subprocess.Popen(
        [sys.executable, str(ROOT / "benchmarks" / "pages.py"), "--json"], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    rows = command_rows(paths)
    parts = [f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
             f"{os.cpu_count()} cores (shared).", "", table(rows), "", baselines(rows)]
    if pages is not None:
        measured = [json.loads(line) for line in pages.communicate()[0].decode().splitlines()
                    if line.startswith("[")]
        parts += ["", page_lines([tuple(pair) for pair in measured])]
    text = "\n".join(parts)
    print(text)
    write_doc(text)


if __name__ == "__main__":
    main()
