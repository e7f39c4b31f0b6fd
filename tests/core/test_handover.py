"""Planning a handover: covered apps, triage, actions, ranked successors within capacity."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from fusiondesk.core.facts import AppFacts, Owner, PersonFacts
from fusiondesk.core.handover import (
    ARCHIVE_CANDIDATE,
    NORMAL,
    URGENT,
    due_date,
    plan_handover,
)
from fusiondesk.core.ownership import BELOW, NO_PRODEV, WITHIN, ownership_measures
from fusiondesk.core.policy import default_policy
from fusiondesk.core.successors import (
    ACTIONS,
    MAX_CANDIDATES,
    MIGRATE_TO_PRODEV,
    NAME_BUSINESS_OWNER,
    REASSIGN_TO_CITIZEN,
    Need,
    SuccessorPool,
    can_take_over,
)

TODAY = date(2026, 11, 1)
LEAVE = date(2026, 11, 30)


def person(name: str, role: str = "citizen_developer", department: str = "Finance",
           capacity: int | None = 5, **more) -> PersonFacts:
    """Someone at contoso; citizens are trained unless told otherwise."""
    more.setdefault("certification", "trained")
    return PersonFacts(f"{name}@contoso.example", name.title(), department, role,
                       capacity=capacity, **more)


def leaver(name: str = "ann", **more) -> PersonFacts:
    more.setdefault("status", "leaving")
    more.setdefault("leave_date", LEAVE)
    return person(name, **more)


# Teams' members as (e-mail, status); plan() takes their statuses from its people.
TEAMS = {"Finance Automation Team": (("c1@contoso.example", "active"),
                                     ("c2@contoso.example", "active"))}


def app(app_id: str, *owners: tuple[str, str], **facts) -> AppFacts:
    """An app in use, Tier 1 unless facts say more; owners as (role, name) or ("team", name)."""
    facts.setdefault("last_used", TODAY - timedelta(days=3))
    facts.setdefault("department", "Finance")
    facts.setdefault("platform", "Power Apps")
    made = tuple(Owner("co_owner", team=name, members=TEAMS.get(name, ())) if role == "team"
                 else Owner(role, f"{name}@contoso.example") for role, name in owners)
    return AppFacts(app_id, f"App {app_id}", owners=made, **facts)


def plan(leavers, apps, people, **kwargs):
    """Plan with each owner's status taken from `people`, as the portfolio stores it."""
    apps = [with_statuses(a, people) for a in apps]
    return plan_handover(leavers, apps, people, default_policy(), TODAY, **kwargs)


def with_statuses(made: AppFacts, people) -> AppFacts:
    """An app whose owners (and teams' members) carry their people's statuses."""
    status = {p.email: p.status for p in people}

    def owner(o: Owner) -> Owner:
        if o.team:
            return replace(o, members=tuple((key, status.get(key, was)) for key, was in o.members))
        return replace(o, status=status.get(o.email))
    return made.with_changes(owners=tuple(owner(o) for o in made.owners))


def item(result, app_id, leaver_email="ann@contoso.example"):
    return next(i for i in result.items_of(leaver_email) if i.app_id == app_id)


def test_apps_with_an_active_co_owner_are_covered_not_orphaned():
    ann, bob, cat = leaver("ann"), person("bob"), person("cat")
    apps = [app("A1", ("primary", "ann"), ("co_owner", "bob")), app("A2", ("primary", "ann")),
            app("A3", ("primary", "ann"), ("team", "Finance Automation Team"))]
    result = plan([ann], apps, [ann, bob, cat])

    covered = item(result, "A1")
    assert (covered.covered_by, covered.successor) == ("bob@contoso.example",) * 2
    assert covered.candidates[0].email == "bob@contoso.example"
    assert "existing co-owner" in covered.candidates[0].reasons
    assert item(result, "A3").covered_by == "Finance Automation Team"
    assert item(result, "A3").successor is None
    orphan = item(result, "A2")
    assert orphan.covered_by is None and orphan.successor in {"bob@contoso.example", "cat@contoso.example"}
    assert result.uncovered == ()


def test_tier_4_and_complex_apps_migrate_to_a_pro_developer():
    ann = leaver("ann")
    citizen = person("cid", certification="certified", certified_platforms=("Power Apps",))
    prodev = person("pat", role="pro_developer", department="IT", capacity=10)
    apps = [app("BIG", ("primary", "ann"), users=600), app("CALC", ("primary", "ann"),
                                                          calc_complexity="complex"),
            app("SMALL", ("primary", "ann"))]
    result = plan([ann], apps, [ann, citizen, prodev])

    for app_id in ("BIG", "CALC"):
        migrated = item(result, app_id)
        assert migrated.action == MIGRATE_TO_PRODEV
        assert migrated.successor == "pat@contoso.example"
        assert all(c.email != "cid@contoso.example" for c in migrated.candidates)
    assert "Tier 4" in item(result, "BIG").action_why
    assert "complex calculations" in item(result, "CALC").action_why
    small = item(result, "SMALL")
    assert small.action == REASSIGN_TO_CITIZEN and small.successor == "cid@contoso.example"
    assert small.candidates[0].reasons[:2] == ("same department (Finance)", "certified on Power Apps")


def test_a_successor_at_capacity_is_passed_over():
    ann = leaver("ann")
    full = person("fay", certification="certified", certified_platforms=("Power Apps",), capacity=2)
    room = person("rob", department="HR", capacity=4)
    apps = [app("A1", ("primary", "ann")), app("F1", ("primary", "fay")), app("F2", ("primary", "fay"))]
    result = plan([ann], apps, [ann, full, room])

    chosen = item(result, "A1")
    assert chosen.successor == "rob@contoso.example"
    assert "fay@contoso.example" not in [c.email for c in chosen.candidates]
    assert "4 of 4 places free" in chosen.candidates[0].reasons


def test_two_leavers_in_one_department_never_overload_a_successor():
    ann, ben = leaver("ann"), leaver("ben", leave_date=LEAVE + timedelta(days=7))
    kim = person("kim", capacity=3)  # owns one app already: room for two more
    lee = person("lee", capacity=1)
    boss = person("boss", role="business_owner", capacity=1)
    ann, ben = replace(ann, manager_email=boss.email), replace(ben, manager_email=boss.email)
    apps = [app("K0", ("primary", "kim")),
            *(app(f"A{n}", ("primary", "ann")) for n in range(3)),
            *(app(f"B{n}", ("primary", "ben")) for n in range(3))]
    result = plan([ann, ben], apps, [ann, ben, kim, lee, boss])

    proposed = [i.successor for i in result.items if i.successor]
    assert proposed.count("kim@contoso.example") == 2
    assert proposed.count("lee@contoso.example") == 1
    assert proposed.count("boss@contoso.example") == 1  # the managers' fallback, once
    assert len(result.uncovered) == 6 - 4
    assert all("no free capacity" in u.why for u in result.uncovered)
    # the earlier leave date is served first
    assert {i.app_id for i in result.items if i.successor} >= {"A0", "A1", "A2"}


def test_apps_shared_by_two_leavers_get_one_successor():
    ann, ben, kim = leaver("ann"), leaver("ben"), person("kim", capacity=1)
    shared = app("S", ("primary", "ann"), ("co_owner", "ben"))
    result = plan([ann, ben], [shared], [ann, ben, kim])
    assert item(result, "S").successor == "kim@contoso.example"
    from_ben = item(result, "S", "ben@contoso.example")
    # the same proposal in Ben's plan; it covers nothing until accepted (DOMAIN.md, step 4)
    assert from_ben.successor == "kim@contoso.example" and from_ben.covered_by is None
    assert result.uncovered == ()


def test_only_an_owner_already_on_the_app_covers_it():
    ann, kim = leaver("ann"), person("kim", capacity=5)
    kept = app("K", ("primary", "ann"), ("co_owner", "kim"))
    proposed = app("P", ("primary", "ann"))
    result = plan([ann], [kept, proposed], [ann, kim])
    assert item(result, "K").covered_by == item(result, "K").successor == "kim@contoso.example"
    assert item(result, "P").successor == "kim@contoso.example"
    assert item(result, "P").covered_by is None


def test_critical_apps_are_urgent_even_when_idle():
    ann = leaver("ann")
    idle = TODAY - timedelta(days=400)
    apps = [app("IDLE-MC", ("primary", "ann"), criticality="mission_critical", last_used=idle),
            app("IDLE-HIGH", ("primary", "ann"), criticality="high", last_used=idle),
            app("IDLE-LOW", ("primary", "ann"), criticality="low", last_used=idle)]
    result = plan([ann], apps, [ann, person("kim", capacity=10)])
    for app_id in ("IDLE-MC", "IDLE-HIGH"):
        urgent = item(result, app_id)
        assert urgent.triage == URGENT and "confirm" in urgent.triage_why
    assert item(result, "IDLE-LOW").triage == ARCHIVE_CANDIDATE


def test_an_unknown_last_use_is_never_archived():
    ann = leaver("ann")
    result = plan([ann], [app("NEVER", ("primary", "ann"), last_used=None)],
                  [ann, person("kim")])
    assert item(result, "NEVER").triage == NORMAL


@pytest.mark.parametrize("status", ["leaving", "left"])
def test_someone_leaving_or_gone_never_covers_nor_succeeds(status):
    ann = leaver("ann")
    bob = person("bob", capacity=50, status=status,
                 leave_date=LEAVE if status == "leaving" else date(2026, 8, 1))
    kim = person("kim", capacity=1)
    apps = [app("CO", ("primary", "ann"), ("co_owner", "bob")), app("SOLO", ("primary", "ann"))]
    result = plan([ann], apps, [ann, bob, kim])
    for found in result.items:
        assert found.covered_by != bob.email and found.successor != bob.email
        assert bob.email not in {c.email for c in found.candidates}
    assert item(result, "CO").covered_by is None


def test_a_person_already_left_is_planned_due_today_and_urgent():
    gone = leaver("ann", status="left", leave_date=date(2026, 9, 1))
    kim = person("kim")
    apps = [app("USED", ("primary", "ann")),
            app("IDLE", ("primary", "ann"), last_used=TODAY - timedelta(days=400))]
    result = plan([gone], apps, [gone, kim])

    used, idle = item(result, "USED"), item(result, "IDLE")
    assert used.triage == URGENT and "already left" in used.triage_why
    assert idle.triage == ARCHIVE_CANDIDATE and "400 days ago" in idle.triage_why
    assert used.due == idle.due == TODAY


def test_triage_and_due_dates():
    ann = leaver("ann")
    apps = [app("CRIT", ("primary", "ann"), criticality="mission_critical"),
            app("HIGH", ("primary", "ann"), criticality="high"),
            app("PLAIN", ("primary", "ann")),
            app("NEVER", ("primary", "ann"), last_used=None),
            app("RETIRED", ("primary", "ann"), lifecycle="retired")]
    result = plan([ann], apps, [ann, person("kim", capacity=10)])

    assert item(result, "CRIT").triage == item(result, "HIGH").triage == URGENT
    assert item(result, "PLAIN").triage == NORMAL
    assert "not assumed idle" in item(result, "NEVER").triage_why
    assert item(result, "RETIRED").triage == ARCHIVE_CANDIDATE
    assert all(i.due == LEAVE - timedelta(days=5) for i in result.items)
    assert [i.app_id for i in result.items][:2] == ["CRIT", "HIGH"]  # urgent first
    assert due_date(replace(ann, leave_date=TODAY + timedelta(days=2)), TODAY) == TODAY


def test_the_managers_fallback_when_no_one_fits():
    boss = person("boss", role="business_owner", capacity=3)
    ann = leaver("ann", manager_email=boss.email)
    citizen = person("cid")  # a citizen cannot take over a Tier 4 app
    result = plan([ann], [app("BIG", ("primary", "ann"), users=600)], [ann, boss, citizen])

    chosen = item(result, "BIG")
    assert chosen.successor == boss.email
    assert chosen.candidates[0].reasons[0] == "leaver's manager (fallback)"


def test_the_coe_is_the_last_resort_and_the_why_when_even_it_is_full():
    boss = person("boss", role="business_owner", capacity=0)
    coe = person("coe", role="coe_admin", department="IT", capacity=1)
    ann = leaver("ann", manager_email=boss.email)
    apps = [app("BIG1", ("primary", "ann"), users=600), app("BIG2", ("primary", "ann"), users=700)]
    result = plan([ann], apps, [ann, boss, coe])

    assert [i.successor for i in result.items] == ["coe@contoso.example", None]
    assert "the CoE (last resort)" in result.items[0].candidates[0].reasons
    (nobody,) = result.uncovered
    assert nobody.app_id == "BIG2"  # same tier and triage: served in app id order
    assert "no pro-developer with free capacity" in nobody.why
    assert "manager boss@contoso.example has no free capacity" in nobody.why
    assert "no CoE admin with free capacity" in nobody.why


def test_business_owner_only_needs_a_new_business_owner():
    ann = leaver("ann", role="business_owner")
    sue = person("sue", role="business_owner")
    result = plan([ann], [app("A", ("primary", "bob"), ("business_owner", "ann"))],
                  [ann, sue, person("bob")])
    named = item(result, "A")
    assert named.action == NAME_BUSINESS_OWNER and named.successor == sue.email


def test_unknown_capacity_is_not_taken_as_room():
    ann = leaver("ann")
    result = plan([ann], [app("A", ("primary", "ann"))], [ann, person("kim", capacity=None)])
    assert item(result, "A").successor is None and len(result.uncovered) == 1


def test_documented_apps_start_with_documentation_ticked():
    ann = leaver("ann")
    documented = app("DOC", ("primary", "ann"), doc_functional=True, doc_data_sources=True,
                     doc_logic=True)
    result = plan([ann], [documented, app("BARE", ("primary", "ann"))], [ann, person("kim")])
    assert item(result, "DOC").checklist["documentation_complete"] is True
    assert not any(item(result, "BARE").checklist.values())


def test_the_plan_is_deterministic():
    people = [leaver("ann"), leaver("ben"), *(person(f"p{n}", capacity=2) for n in range(6)),
              person("pro", role="pro_developer", capacity=4)]
    apps = [app(f"X{n}", ("primary", "ann" if n % 2 else "ben"), users=60 * n) for n in range(12)]
    first = plan(people[:2], apps, people)
    for seed in range(5):
        rng = random.Random(seed)
        shuffled = [apps[:], people[:], people[:2]]
        for values in shuffled:
            rng.shuffle(values)
        assert plan(shuffled[2], shuffled[0], shuffled[1]) == first


def test_apps_owned_can_be_given_instead_of_counted():
    ann, kim = leaver("ann"), person("kim", capacity=3)
    result = plan([ann], [app("A", ("primary", "ann"))], [ann, kim],
                  apps_owned={"kim@contoso.example": 3})
    assert item(result, "A").successor is None


# --- portfolio measures -----------------------------------------------------------

def test_ownership_measures():
    people = [person("ann", capacity=1), leaver("lea", status="left"),
              *(person(f"c{n}") for n in range(5)), person("pro", role="pro_developer"),
              person("hrc", department="HR"),
              person("itp", role="pro_developer", department="IT")]
    apps = [app("SOLO", ("primary", "ann")),
            app("PAIR", ("primary", "ann"), ("co_owner", "c1")),
            app("TEAM", ("primary", "ann"), ("team", "Finance Automation Team")),
            app("GONE", ("primary", "lea")),
            app("BIZ", ("business_owner", "ann")),
            app("OLD", ("primary", "lea"), lifecycle="retired")]
    apps = [with_statuses(a, people) for a in apps]
    measures = ownership_measures(apps, people)

    assert measures.apps_counted == 5  # the retired app is out of service
    assert [a.app_id for a in measures.single_person_dependency] == ["SOLO"]
    assert [a.app_id for a in measures.no_active_owner] == ["BIZ", "GONE"]
    top = measures.people[0]
    assert (top.email, top.apps_owned, top.capacity, top.over_capacity) == (
        "ann@contoso.example", 4, 1, True)
    ratios = {d.department: d for d in measures.departments}
    assert (ratios["Finance"].citizen_developers, ratios["Finance"].pro_developers) == (6, 1)
    assert ratios["Finance"].verdict == WITHIN
    assert ratios["HR"].verdict == NO_PRODEV and ratios["IT"].verdict == BELOW


@pytest.mark.parametrize("seed", range(8))
def test_ranking_finds_the_same_best_candidates_as_scoring_everyone(seed):
    rng = random.Random(seed)
    departments, platforms = ("Finance", "HR", "Sales", None), ("Power Apps", "Mendix", "UiPath")
    people = [PersonFacts(f"p{n:03}@contoso.example", department=rng.choice(departments),
                          role=rng.choice(("citizen_developer", "pro_developer", "business_owner")),
                          certification=rng.choice(("none", "trained", "certified")),
                          certified_platforms=tuple(rng.sample(platforms, rng.randint(0, 2))),
                          capacity=rng.choice((None, 0, 2, 6, 14)))
              for n in range(120)]
    load = {p.email: rng.randint(0, 5) for p in people}
    pool = SuccessorPool(people, set(), load)
    someone = leaver("ann")
    for _round in range(40):
        need = Need(rng.choice(ACTIONS), rng.choice(departments), rng.choice((*platforms, None)),
                    someone)
        ranked = [c.email for c in pool.rank(need, ()) if c.score >= 100]  # fits, not fallbacks
        brute = sorted((-pool._fit_score(e, need), e) for e in pool.free
                       if pool.has_room(e) and can_take_over(pool.people[e], need.action))
        assert ranked == [e for _s, e in brute[:MAX_CANDIDATES]][:len(ranked)]
        assert len(ranked) == min(MAX_CANDIDATES, len(brute))
        if ranked:
            pool.take(ranked[0])


# --- teams: a team covers only while someone staying is in it ---------------------------

def team_app(app_id: str, *members: str, **facts) -> AppFacts:
    """An app owned by the team 'Ops' alone (as primary), members by name."""
    team = Owner("primary", team="Ops", members=tuple((f"{m}@contoso.example", "active")
                                                      for m in members))
    return app(app_id, **facts).with_changes(owners=(team,))


def test_the_last_active_member_of_a_team_hands_over_its_apps():
    ann, bob = leaver("ann"), person("bob")
    result = plan([ann], [team_app("T1", "ann")], [ann, bob])

    handed = item(result, "T1")
    assert handed.role == "primary" and handed.covered_by is None
    assert handed.successor == "bob@contoso.example"  # a proposal until accepted
    assert "last active member of team Ops" in handed.action_why
    assert "needs a new member, or the app a new owner" in handed.action_why


def test_a_team_with_a_member_staying_covers_itself_and_the_leaver_has_nothing_to_hand_over():
    ann, bob = leaver("ann"), person("bob")
    result = plan([ann], [team_app("T1", "ann", "bob")], [ann, bob])
    assert result.items_of("ann@contoso.example") == ()

    owned = app("T2", ("primary", "ann")).with_changes(owners=(
        Owner("primary", "ann@contoso.example"), *team_app("x", "ann", "bob").owners))
    covered = item(plan([ann], [owned], [ann, bob]), "T2")
    assert covered.covered_by == "Ops" and covered.successor is None


def test_a_leaving_member_never_covers_a_team_for_another_leaver():
    ann, cat = leaver("ann"), leaver("cat", leave_date=LEAVE + timedelta(days=30))
    staying = person("bob")
    # Cat is still in the team but leaving too: the team's app falls to Ann's plan all the same
    result = plan([ann], [team_app("T1", "ann", "cat")], [ann, cat, staying])
    handed = item(result, "T1")
    assert handed.covered_by is None and handed.successor == "bob@contoso.example"
    assert all(c.email != "cat@contoso.example" for c in handed.candidates)


def test_both_last_members_leaving_get_the_same_proposal_for_the_team_app():
    ann, cat, bob = leaver("ann"), leaver("cat"), person("bob")
    result = plan([ann, cat], [team_app("T1", "ann", "cat")], [ann, cat, bob])
    assert item(result, "T1").successor == item(result, "T1", "cat@contoso.example").successor \
        == "bob@contoso.example"
