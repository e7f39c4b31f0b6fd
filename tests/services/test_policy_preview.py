"""Before a policy is saved: which apps it would move, and the portfolio's names to fill its lists."""

from collections import Counter

from fusiondesk.core.facts import AppFacts, Integration
from fusiondesk.core.policy import PortfolioNames, set_policy_value
from fusiondesk.services.apps import edits
from fusiondesk.services.classification import reach as reach_module
from fusiondesk.services.classification.governance import classified_apps, replace_policy
from fusiondesk.services.classification.policy_preview import portfolio_names, preview_policy
from fusiondesk.services.classification.reclassify import policy_in_force


def _tiers(session) -> dict[str, tuple[str, int]]:
    return {c.facts.app_id: (c.facts.name, c.result.tier) for c in classified_apps(session)}


def test_the_preview_names_exactly_the_apps_saving_would_move(sample_portfolio):
    with sample_portfolio.reading() as session:
        before = _tiers(session)
        draft = set_policy_value(policy_in_force(session), "tier3.users", "5")
        preview = preview_policy(session, draft)
        assert _tiers(session) == before  # a preview writes nothing
    with sample_portfolio.transaction() as session:
        replace_policy(session, draft, "tester")
    with sample_portfolio.reading() as session:
        after = _tiers(session)
    moved = {app_id: (before[app_id][1], after[app_id][1]) for app_id in after
             if after[app_id][1] != before[app_id][1]}
    assert moved  # the threshold really moves apps in the sample
    assert {m.app_id: (m.tier_before, m.tier_after) for m in preview.tier_changes} == moved
    assert preview.tier_moves() == dict(Counter(moved.values()))
    assert all(m.name == before[m.app_id][0] for m in preview.moved)


def test_the_policy_in_force_moves_nothing(sample_portfolio):
    with sample_portfolio.reading() as session:
        assert preview_policy(session, policy_in_force(session)).moved == ()


def test_portfolio_names_give_each_platform_and_system_once(empty_portfolio):
    apps = [
        AppFacts(app_id="A", name="Rota", platform="Power Apps",
                 integrations=(Integration("SharePoint", "read"), Integration("SAP", "write"))),
        AppFacts(app_id="B", name="Leads", platform="power apps",
                 integrations=(Integration("Sharepoint", "read"),)),
        AppFacts(app_id="C", name="Claims", platform="Mendix"),
    ]
    with empty_portfolio.transaction() as session:
        for app in apps:
            edits.create_app(session, app, "tester")
    with empty_portfolio.reading() as session:
        names = portfolio_names(session)
    assert names[PortfolioNames.PLATFORMS] in (["Mendix", "Power Apps"], ["Mendix", "power apps"])
    assert len(names[PortfolioNames.SYSTEMS]) == 2 and "SAP" in names[PortfolioNames.SYSTEMS]


def test_a_second_process_finds_the_same_moves(sample_portfolio, monkeypatch):
    from fusiondesk.services.classification import what_if

    with sample_portfolio.reading() as session:
        draft = set_policy_value(policy_in_force(session), "tier3.users", "5")
        alone = preview_policy(session, draft)
        monkeypatch.setattr(what_if, "_BATCH", 7)  # 60 apps in 9 ranges
        monkeypatch.setattr(what_if, "PARALLEL_FROM", 20)  # so a second process takes some
        monkeypatch.setattr(reach_module, "NARROW_SHARE", 0)  # every app read, not the few in reach
        seen = []
        shared = preview_policy(session, draft, progress=lambda done, total: seen.append(
            (done, total)))
    assert alone.moved and shared.moved == alone.moved
    assert shared.checked == alone.checked == 60
    assert seen[-1] == (9, 9) and seen == sorted(seen)  # progress only goes forward, to the end


# One setting for each way the narrow what-if finds the apps a change reaches (a band of a
# number, a date, a list of values, the systems connected, the number of integrations).
NARROWED = {"tier3.users": "20", "flags.user_growth_factor": "1.2", "flags.inactivity_days": "400",
            "environments.production": "Production; Default", "platforms.approved": "Power Apps",
            "connectors.blocked": "Twilio API; Salesforce", "connectors.unlisted": "blocked",
            "flags.complex_integration_systems": "2", "connectors.external_apis": "SharePoint"}


def test_the_apps_a_change_reaches_are_found_on_either_database(sample_portfolio, monkeypatch):
    from fusiondesk.services.classification import what_if

    monkeypatch.setattr(reach_module, "NARROW_SHARE", 1.0)  # the narrow read, however many it reaches
    with sample_portfolio.reading() as session:
        for key, value in NARROWED.items():
            draft = set_policy_value(policy_in_force(session), key, value)
            narrow = preview_policy(session, draft)
            every = what_if.what_if(session, draft, exhaustive=True)
            assert every.moved and narrow == every, key
