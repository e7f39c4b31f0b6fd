"""Delivery (core.delivery): quarters as sponsors write them, medians from counts, the target."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from fusiondesk.core.delivery import Delivery, median, parse_quarter, quarter_name, quarter_of


@pytest.mark.parametrize(("text", "first", "last"), [
    ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
    ("2024q1", date(2024, 1, 1), date(2024, 3, 31)),
    (" 2026 - q4 ", date(2026, 10, 1), date(2026, 12, 31)),
    ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
])
def test_a_quarter_spans_its_three_months(text, first, last):
    assert parse_quarter(text) == (first, last)
    assert quarter_of(first) == quarter_of(last) == quarter_name(text)


@pytest.mark.parametrize("text", ["2026-Q5", "2026-Q0", "26-Q1", "Q1 2026", "", "2026-03"])
def test_a_bad_quarter_says_how_to_write_one(text):
    with pytest.raises(ValueError, match="YYYY-Qn"):
        parse_quarter(text)


def test_median_of_counted_values():
    assert median(Counter({10: 1, 20: 1, 30: 1})) == 20
    assert median(Counter({10: 2, 30: 2})) == 20  # the two middles' mean
    assert median(Counter({7: 5})) == 7
    with pytest.raises(ValueError):
        median(Counter())


def test_lead_times_per_tier_and_the_tier_1_2_target():
    delivery = Delivery()
    delivery.add_delivered("2026-Q1", 3, backlog_items=1)
    delivery.add_delivered("2026-Q2", 2)
    for tier, days, n in ((1, 10, 2), (2, 28, 1), (2, 29, 1), (3, 60, 1), (None, 5, 1),
                          (1, -3, 4)):  # deployed before requested: not a lead time
        delivery.add_lead_time(tier, days, n)
    assert delivery.solutions_delivered == 5 and delivery.backlog_items == 1
    assert delivery.median_lead_days() == {1: 10, 2: 28.5, 3: 60, None: 5}
    assert delivery.within_target() == (3, 4)  # 28 days is within 4 weeks, 29 is not
