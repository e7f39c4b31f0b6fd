"""The audit workbook's Escalations and Duplicates sheets: every case and decision, as stored."""

from __future__ import annotations

from datetime import datetime

import openpyxl

from fusiondesk.services import duplicates
from fusiondesk.services import escalations as cases
from fusiondesk.services.audit.workbook import export_audit


def test_every_case_with_its_lesson_and_every_decision_reach_the_auditor(sample_portfolio, tmp_path):
    with sample_portfolio.transaction() as session:
        report = duplicates.find_groups(session)
        group = [*report.undecided, *(g for g, _ in report.decided)][0]
        duplicates.decide(session, group, "merge", "lead@contoso.example", "=1+1 is not a formula")
    with sample_portfolio.reading() as session:
        stored = cases.list_cases(session)
        decisions = duplicates.list_decisions(session)
        made = export_audit(session, tmp_path / "audit.xlsx", datetime(2026, 11, 1), "auditor", "s")
    book = openpyxl.load_workbook(made.path)
    sheet = book["Escalations"]
    headers = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert stored and len(rows) == len(stored)
    by_case = {row[0]: dict(zip(headers, row)) for row in rows}
    for case in stored:
        assert by_case[case.id]["stage"] == case.stage and by_case[case.id]["lesson"] == case.lesson
    assert any(row["lesson"] for row in by_case.values())  # the sample closes some with a lesson
    [*_, last] = book["Duplicates"].iter_rows(min_row=2, values_only=True)
    assert len(list(book["Duplicates"].iter_rows(min_row=2))) == len(decisions)
    assert last[1] == "; ".join(group.app_ids) and last[3] == "merge"
    assert last[6] == "=1+1 is not a formula"  # stored as text, never a live formula
