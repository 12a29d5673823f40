"""How many cells each demo table hides: run it to refresh the table in docs/disclosure.md.

    python scripts/disclosure_report.py

Counts, per demo zone and dimension, the group counts hidden (all periods, every rank,
category and the whole zone), the whole-zone shares hidden, and how the whole-zone
declaration rate is shown (exactly, as a band, or not at all), under the default policy.
A test checks that docs/disclosure.md shows exactly these lines.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cpwb_stats.disclosure.control import DisclosurePolicy  # noqa: E402
from cpwb_stats.pipeline import RepresentationRequest, protected_representation, validate_file  # noqa: E402,E501


def table_lines() -> list[str]:
    lines = ["| zone | dimension | counts hidden | whole-zone shares hidden "
             "| declaration rates: exact, band, hidden |",
             "|---|---|---|---|---|"]
    for path in sorted((ROOT / "sample_data").glob("workforce_*.csv")):
        extract = validate_file(path.read_bytes(), path.name).extract
        table = protected_representation(extract, RepresentationRequest(
            policy=DisclosurePolicy()))
        for dimension, part in table.groupby("dimension"):
            whole = part[(part["staff_category"] == "all") & part["declared_group"]]
            rates = part[(part["staff_category"] == "all") & (part["rank"] == "all")]
            rates = rates.drop_duplicates("period")
            exact = int(rates["declaration_rate"].notna().sum())
            band = int((rates["declaration_rate"].isna()
                        & rates["declaration_rate_band"].notna()).sum())
            lines.append(f"| {path.stem.removeprefix('workforce_')} | {dimension} | "
                         f"{part['count'].isna().sum()} of {len(part)} | "
                         f"{whole['share'].isna().sum()} of {len(whole)} | "
                         f"{exact}, {band}, {len(rates) - exact - band} |")
    return lines


def main() -> None:
    print("\n".join(table_lines()))


if __name__ == "__main__":
    main()
