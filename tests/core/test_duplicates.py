"""Duplicate detection in the core: names normalised, groups scored and explained, no chains."""

from __future__ import annotations

import random

from fusiondesk.core import duplicates as d
from fusiondesk.core.duplicates import Candidate, find_duplicates, group_key, name_tokens


def test_copies_and_new_versions_normalise_to_the_same_words():
    assert name_tokens("Expense Tracker v2") == name_tokens("Expenses tracker (copy)") == {
        "expense", "tracker"}
    assert name_tokens("Access Process 2.0") == {"access", "process"}  # -ss keeps its s
    assert name_tokens("App") == {"app"}  # a name of noise only is still a name


def test_a_copy_in_the_same_department_is_grouped_with_its_reasons():
    apps = [Candidate("A1", "Expense Tracker v2", "Finance", "Power Apps", frozenset({"sap"})),
            Candidate("A2", "Expenses tracker (copy)", "Finance", "Power Apps", frozenset({"sap"})),
            Candidate("A3", "Leave Request", "HR", "Power Apps")]
    [group] = find_duplicates(apps)
    assert group.app_ids == ("A1", "A2") and group.score == 0.9
    assert group.key == group_key(["A2", "A1"])
    assert group.reasons[0].startswith("names alike: 'Expense Tracker v2' ≈ 'Expenses tracker")
    assert group.reasons[1:] == ("same department: Finance", "same integrations: sap",
                                 "same platform: Power Apps")


def test_alike_names_alone_in_unrelated_places_are_not_duplicates():
    apps = [Candidate("A1", "Leave Request", "HR", "Power Apps"),
            Candidate("A2", "Leave Request", "Finance", "Mendix")]
    assert find_duplicates(apps) == []
    assert d.pair_score(apps[0], apps[1]) == 0.55  # the name only: under the threshold


def test_alike_to_alike_is_not_enough_every_member_is_alike_to_the_groups_leader():
    # A ≈ B and B ≈ C, but A and C share only half their words: plain transitive grouping
    # put all three (at 100,000 apps, 2,500 apps) in one group.
    made = [("A", "Payroll Export"), ("B", "Payroll Export Summary"),
            ("C", "Payroll Export Summary Builder")]
    apps = [Candidate(key, name, "Finance", None, frozenset({"sap"})) for key, name in made]
    a, b, c = apps
    assert d.pair_score(a, b) >= d.THRESHOLD and d.pair_score(b, c) >= d.THRESHOLD
    assert d.pair_score(a, c) < d.THRESHOLD
    groups = find_duplicates(apps)
    assert groups and all({"A", "C"} - set(g.app_ids) for g in groups)


def test_a_block_of_one_name_costs_a_window_per_app_not_every_pair(monkeypatch):
    calls = []
    real = d.pair_score
    monkeypatch.setattr(d, "pair_score", lambda *a: calls.append(1) or real(*a))
    rng = random.Random(4)
    apps = [Candidate(f"A{i}", "Timesheet", rng.choice(("HR", "IT", "Sales")), None)
            for i in range(3000)]
    groups = find_duplicates(apps)
    assert len(calls) <= 3000 * d.WINDOW  # all pairs would be 4,498,500
    assert sum(len(g.app_ids) for g in groups) > 2900  # and still nearly all are grouped
    assert {len({apps[int(a[1:])].department for a in g.app_ids}) for g in groups} == {1}


def test_finding_twice_gives_the_same_groups():
    apps = [Candidate("B1", "Expense Tracker", "Finance"), Candidate("B2", "Expense Tracker v2", "Finance")]
    assert find_duplicates(apps) == find_duplicates(list(apps))
