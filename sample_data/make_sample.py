"""Make the shipped sample files again: `python sample_data/make_sample.py` (or `make sample`).

Writes sample_portfolio.fdesk and sample_inventory.xlsx beside this script from the
deterministic generator (fusiondesk.sample_generator, 400 apps, seed 7), so the committed
files can be made again alike in content. The work is in fusiondesk.shipped_sample.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Everything dated in the sample (generation, classification, handover due dates) is as of
# this day; set before FusionDesk reads its clock.
os.environ.setdefault("FUSIONDESK_TODAY", "2026-11-01")
sys.path.insert(0, str(HERE.parent))  # runs from a checkout without installing

from fusiondesk.shipped_sample import write_shipped_sample  # noqa: E402


def main() -> int:
    """Write both files and say how much they hold."""
    sample = write_shipped_sample(HERE)
    print(f"Wrote {len(sample.apps)} apps and {len(sample.people)} people to {HERE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
