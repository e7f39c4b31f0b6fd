"""The audit workbook shows each integration's connector group and the connector warning signs."""

from datetime import datetime

import openpyxl

from fusiondesk.core.facts import AppFacts, Integration, Owner
from fusiondesk.core.policy import set_policy_value
from fusiondesk.services.apps import edits
from fusiondesk.services.audit.workbook import export_audit
from fusiondesk.services.classification.governance import replace_policy
from fusiondesk.services.classification.reclassify import policy_in_force

ANA = Owner("primary", "ana@corp.example", status="active")


def test_groups_per_integration_and_the_connector_signs_are_in_the_workbook(empty_portfolio, tmp_path):
    with empty_portfolio.transaction() as session:
        edits.create_app(session, AppFacts(
            app_id="A", name="Rota", platform="Power Automate", owners=(ANA,),
            integrations=(Integration("SharePoint", "read"), Integration("Dropbox", "read"),
                          Integration("Twitter", "write"))), "tester")
        edits.create_app(session, AppFacts(app_id="B", name="Leads", platform="Salesforce",
                                           integrations=(Integration("Twitter", "read"),)), "tester")
        policy = set_policy_value(policy_in_force(session), "connectors.non_business", "Dropbox")
        policy = set_policy_value(policy, "connectors.blocked", "Power Automate: Twitter")
        replace_policy(session, policy, "tester")
    path = tmp_path / "audit.xlsx"
    with empty_portfolio.reading() as session:
        export_audit(session, path, datetime(2026, 11, 1), "auditor", "test")
    book = openpyxl.load_workbook(path)
    rows = list(book["Apps"].iter_rows(values_only=True))
    column = rows[0].index("connector_groups")
    groups = {row[0]: row[column] for row in rows[1:]}
    assert groups == {"A": "SharePoint: business; Dropbox: non_business; Twitter: blocked",
                      "B": "Twitter: non_business"}  # blocked on Power Automate only
    findings = {(r[0], r[4]): r[5] for r in book["Findings"].iter_rows(min_row=2, values_only=True)}
    assert findings["A", "blocked_connector"] == "blocked: Twitter"
    assert findings["A", "mixed_connectors"] == "business: SharePoint; non-business: Dropbox"
    assert ("B", "blocked_connector") not in findings
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r and r[0]}
    assert summary["Blocked connector"] == 1 and summary["Business and non-business connectors"] == 1
