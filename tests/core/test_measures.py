"""The ownership measures' definitions (core.measures), and the warning signs that follow them."""

from __future__ import annotations

from datetime import date, timedelta

from tier_fixtures import POLICY, TODAY, safe_app

from fusiondesk.core.facts import Owner
from fusiondesk.core.measures import (
    LEAVER_HORIZON_DAYS,
    abandonment_rate,
    in_service,
    is_overdue_review,
    is_upcoming_leaver,
    within_abandonment_target,
)
from fusiondesk.core.tiers import classify

GONE = Owner("primary", "cy@corp.example", status="left")
ANA = Owner("primary", "ana@corp.example", status="active")


def _flags(**facts) -> set[str]:
    return {f.name for f in classify(safe_app(**facts), POLICY, TODAY).flags}


def test_a_retired_app_carries_no_ownership_sign_as_it_counts_in_no_ownership_measure():
    assert not in_service("retired") and in_service("production") and in_service(None)
    assert "builder_gone" in _flags(owners=(GONE,), lifecycle="production")
    assert "builder_gone" not in _flags(owners=(GONE,), lifecycle="retired")
    assert "single_owner" in _flags(owners=(ANA,), lifecycle="pilot")
    assert "single_owner" not in _flags(owners=(ANA,), lifecycle="retired")


def test_abandonment_rate_is_over_apps_in_service_and_the_target_is_under_ten_percent():
    assert abandonment_rate(15, 357) == 15 / 357
    assert abandonment_rate(0, 0) == 0.0
    assert within_abandonment_target(0.0999) and not within_abandonment_target(0.10)


def test_an_upcoming_leaver_is_marked_leaving_with_a_date_from_today_to_the_horizon():
    today = date(2026, 11, 1)
    last = today + timedelta(days=LEAVER_HORIZON_DAYS)
    assert is_upcoming_leaver("leaving", today, today)
    assert is_upcoming_leaver("leaving", last, today)
    assert not is_upcoming_leaver("leaving", last + timedelta(days=1), today)
    assert not is_upcoming_leaver("leaving", today - timedelta(days=1), today)  # date passed
    assert not is_upcoming_leaver("leaving", None, today)
    assert not is_upcoming_leaver("left", today + timedelta(days=3), today)  # already gone
    assert not is_upcoming_leaver("left", date(2025, 6, 30), today)
    assert not is_upcoming_leaver("active", today + timedelta(days=3), today)


def test_a_review_is_overdue_while_open_after_its_due_day():
    today = date(2026, 11, 1)
    assert is_overdue_review(today - timedelta(days=1), None, today)
    assert not is_overdue_review(today, None, today)  # due today: not yet
    assert not is_overdue_review(today - timedelta(days=9), today - timedelta(days=2), today)  # done
    assert not is_overdue_review(None, None, today)
