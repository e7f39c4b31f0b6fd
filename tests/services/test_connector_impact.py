"""Which apps, tiers, owners and departments a connector touches, and what blocking it would move."""

from fusiondesk.core.facts import AppFacts, Integration, Owner
from fusiondesk.services.apps import edits
from fusiondesk.services.classification.connector_impact import connector_impact, connector_summary

ANA = Owner("primary", "ana@corp.example", status="active")
BEN = Owner("co_owner", "ben@corp.example", status="active")
APPS = [
    AppFacts(app_id="A", name="Rota", platform="Power Apps", department="Operations",
             owners=(ANA,), integrations=(Integration("Dropbox", "read"),
                                          Integration("SharePoint", "read"))),
    AppFacts(app_id="B", name="Leads", platform="Salesforce", department="Sales", users=80,
             owners=(BEN,), integrations=(Integration("dropbox", "write", approved=True),)),
    AppFacts(app_id="C", name="Claims", platform="Mendix", department="Finance",
             integrations=(Integration("SharePoint", "read"),)),
]


def _filled(portfolio):
    with portfolio.transaction() as session:
        for app in APPS:
            edits.create_app(session, app, "tester")
    return portfolio


def test_the_summary_gives_each_system_its_group_and_apps_by_tier(empty_portfolio):
    with _filled(empty_portfolio).reading() as session:
        uses = {use.system: use for use in connector_summary(session)}
    assert set(uses) == {"Dropbox", "SharePoint"}
    dropbox = uses["Dropbox"].as_dict()
    assert (dropbox["group"], dropbox["listed"], dropbox["apps"]) == ("non_business", False, 2)
    # Leads' record says approved: Dropbox is business there, in the default group elsewhere
    assert dropbox["by_group"] == {"business": 1, "non_business": 1}
    assert sum(dropbox["by_tier"].values()) == 2 and dropbox["by_tier"]["3"] == 2
    assert uses["SharePoint"].group == "business" and uses["SharePoint"].listed


def test_the_impact_lists_owners_departments_and_what_blocking_moves(empty_portfolio):
    with _filled(empty_portfolio).reading() as session:
        impact = connector_impact(session, "DROPBOX")
    assert [app.app_id for app in impact.apps] == ["B", "A"]  # the higher tier first
    assert impact.departments() == {"Sales": 1, "Operations": 1}
    assert impact.owners() == {"ben@corp.example": 1, "ana@corp.example": 1}
    moved = {m.app_id: m for m in impact.if_blocked.moved}
    assert set(moved) == {"A", "B"}
    assert "blocked_connector" in moved["B"].flags_added
    assert moved["B"].owners == ("ben@corp.example",) and moved["B"].department == "Sales"
    # Rota mixed SharePoint with Dropbox (non-business by default); blocked, it no longer mixes
    assert moved["A"].flags_removed == ("mixed_connectors",)
    assert impact.cannot_block is None


def test_a_connector_that_cannot_be_blocked_says_so(empty_portfolio):
    with _filled(empty_portfolio).reading() as session:
        impact = connector_impact(session, "SharePoint")
    assert impact.if_blocked is None and "SharePoint" in impact.cannot_block
    assert {app.app_id for app in impact.apps} == {"A", "C"}
