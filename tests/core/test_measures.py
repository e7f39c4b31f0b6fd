"""The ownership measures' definitions (core.measures), and the warning signs that follow them."""

from __future__ import annotations

from datetime import date, timedelta

from tier_fixtures import POLICY, TODAY, safe_app

from fusiondesk.core.facts import Owner
from fusiondesk.core.measures import (
    LEAVER_HORIZON_DAYS,
    UNDATED,
    DepartedApp,
    abandonment_rate,
    active_keepers,
    in_service,
    is_overdue_review,
    is_upcoming_leaver,
    quarter_of,
    within_abandonment_target,
)
from fusiondesk.core.ownership import AT_RISK, COVERED, ORPHANED, SINGLE_MEMBER, team_standing
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


def test_abandonment_is_departed_builders_apps_without_an_active_owner_per_quarter():
    departed = [DepartedApp("A", date(2026, 2, 1), has_active_owner=False),
                DepartedApp("B", date(2026, 3, 31), has_active_owner=True),
                DepartedApp("C", date(2026, 4, 1), has_active_owner=True),
                DepartedApp("D", date(2026, 5, 9), has_active_owner=True),
                DepartedApp("E", None, has_active_owner=False)]
    found = abandonment_rate(departed)

    assert (found.numerator, found.denominator) == (2, 5)
    assert found.rate == 2 / 5 and not found.within_target
    # quarters in order, the undated (a builder who left with no leave date) last
    assert found.by_quarter == (("2026-Q1", 1, 2), ("2026-Q2", 0, 2), (UNDATED, 1, 1))
    assert "2 of 5 apps of builders who left have no active owner (40.0%" in found.explained()


def test_no_builder_gone_is_a_rate_of_nothing_and_the_target_is_under_ten_percent():
    nothing = abandonment_rate([])
    assert (nothing.numerator, nothing.denominator, nothing.rate, nothing.by_quarter) == (0, 0, 0.0, ())
    assert within_abandonment_target(0.0999) and not within_abandonment_target(0.10)
    assert quarter_of(date(2026, 12, 31)) == "2026-Q4" and quarter_of(date(2027, 1, 1)) == "2027-Q1"


def test_a_team_counts_as_each_of_its_active_members_once():
    duo = Owner("co_owner", team="Ops", members=(("ana@corp.example", "active"),
                                                 ("bo@corp.example", "leaving"),
                                                 ("cy@corp.example", "left")))
    assert active_keepers([duo]) == {"ana@corp.example", "bo@corp.example"}
    assert active_keepers([ANA, duo]) == {"ana@corp.example", "bo@corp.example"}  # Ana once
    assert active_keepers([Owner("primary", team="Ops")]) == set()  # no members: orphaned
    assert active_keepers([GONE, Owner("business_owner", "eve@corp.example", status="active")]) == set()


def test_a_team_is_orphaned_single_at_risk_or_covered_by_its_members():
    assert team_standing([]) == team_standing(["left", None]) == ORPHANED
    assert team_standing(["active", "left"]) == team_standing(["leaving"]) == SINGLE_MEMBER
    assert team_standing(["leaving", "leaving", "left"]) == AT_RISK
    assert team_standing(["active", "leaving"]) == COVERED
    # the standing and the signs on the team's apps say the same
    for statuses in ([], ["left"], ["active"], ["active", "active"], ["leaving", "left"]):
        team = Owner("primary", team="Ops", members=tuple((f"p{n}@x.example", s)
                                                         for n, s in enumerate(statuses)))
        flags = _flags(owners=(team,))
        assert ("builder_gone" in flags) == (team_standing(statuses) == ORPHANED)
        assert ("single_owner" in flags) == (team_standing(statuses) == SINGLE_MEMBER)


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
