"""Home's figures (services.dashboard.home) on both databases: each equals the rows its
Portfolio filter lists, and the leavers are core.measures' upcoming leavers within 30 days."""

from __future__ import annotations

from datetime import timedelta

from fusiondesk.core import clock
from fusiondesk.core.measures import is_upcoming_leaver
from fusiondesk.core.terms import PersonStatus
from fusiondesk.services.apps.table import AppQuery, matching_ids
from fusiondesk.services.dashboard.home import LEAVERS_DAYS, home_figures
from fusiondesk.services.people.edits import list_people, load_person, save_person


def test_each_figure_is_the_number_of_apps_its_filter_lists(sample_portfolio, backend):
    with sample_portfolio.reading() as session:
        figures = home_figures(session, clock.today())
        listed = {f.name: len(matching_ids(session, AppQuery(**f.filter)))
                  for f in (*figures.tiers, *figures.watch) if f.filter}
    counted = {f.name: f.count for f in (*figures.tiers, *figures.watch) if f.filter}
    assert counted == listed
    assert sum(f.count for f in figures.tiers) == figures.apps == 60
    assert all(counted[name] > 0 for name in ("drift", "no_active_owner", "single_owner"))


def test_leavers_are_those_leaving_from_today_to_30_days_on(sample_portfolio, backend):
    today = clock.today()
    with sample_portfolio.transaction() as session:
        people = [p["email"] for p in list_people(session) if p["status"] == PersonStatus.ACTIVE]
        dates = {people[0]: today, people[1]: today + timedelta(days=LEAVERS_DAYS),
                 people[2]: today + timedelta(days=LEAVERS_DAYS + 1),
                 people[3]: today - timedelta(days=1)}  # already gone by their date: not upcoming
        for email, when in dates.items():
            _values, version = load_person(session, email)
            save_person(session, email, {"status": PersonStatus.LEAVING, "leave_date": when},
                        version, "tester")
    with sample_portfolio.reading() as session:
        everyone = list_people(session)
        figures = home_figures(session, today)
    horizon = today + timedelta(days=LEAVERS_DAYS)
    expected = {p["email"] for p in everyone
                if is_upcoming_leaver(p["status"], p["leave_date"], today) and p["leave_date"] <= horizon}
    assert {people[0], people[1]} <= expected and not {people[2], people[3]} & expected
    assert figures.leavers == len(expected)
    assert figures.leaver_apps > 0
