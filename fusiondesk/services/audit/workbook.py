"""The audit workbook: one xlsx an auditor or IT leadership can read without FusionDesk.

Sheets: Summary, Programme (services.audit.programme_sheet), Apps (re-imports unchanged),
Findings, Production gate, Reviews, Review throughput, Ownership, Change log, Policy, Citizen
developers. Apps are classified range by range and streamed out, so memory
stays bounded at 100,000 apps; the same portfolio and timestamp give the same cells.
On a big portfolio a second process writes the Reviews, Ownership and Citizen developers
rows meanwhile (services.audit.record_sheets): issue 15's budget, 30 s at 100,000 apps.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path

from fusiondesk.core import clock
from fusiondesk.core.connectors import groups_text
from fusiondesk.core.fields import APP_FIELDS, BOOL, DATE, ENUM, INT, INTEGRATIONS, LIST, TEXT, TIER
from fusiondesk.core.flags import FLAG_LABELS
from fusiondesk.core.governance import TIER_COLOURS
from fusiondesk.core.measures import Abandonment, in_service
from fusiondesk.core.memory import paused_gc
from fusiondesk.core.policy import describe_policy_key, policy_keys, policy_value
from fusiondesk.core.terms import FlagName
from fusiondesk.core.tiers import classify_many
from fusiondesk.core.values import app_values, format_value
from fusiondesk.db.store import Session
from fusiondesk.db.store import audit as store
from fusiondesk.db.store.apps import id_ranges, load_facts
from fusiondesk.db.store.chunks import Scope
from fusiondesk.services.audit.cases_sheets import CASE_SHEETS, write_case_sheets
from fusiondesk.services.audit.developers_sheet import SHEET as DEVELOPERS_SHEET
from fusiondesk.services.audit.governance_sheets import (
    GATE_SHEET,
    THROUGHPUT_SHEET,
    GateSheet,
    GateTotals,
    write_review_throughput,
)
from fusiondesk.services.audit.programme_sheet import write_programme_sheet
from fusiondesk.services.audit.record_sheets import OWNERSHIP_SHEET, REVIEWS_SHEET, RecordSheets
from fusiondesk.services.audit.summary import write_summary
from fusiondesk.services.audit.teams_sheet import TEAMS_SHEET, team_standings, write_teams_sheet
from fusiondesk.services.classification.reclassify import policy_in_force
from fusiondesk.services.people.teams import list_teams
from fusiondesk.sheets.writer import SheetWriter, new_workbook, save_workbook

COMPUTED_COLUMNS = ("computed_tier", "tier_reasons", "warning_signs", "tier_drift",
                    "unknown_facts", "possible_tier", "policy_version", "production_gate",
                    "connector_groups")  # each integration's DLP group on the app
SHEETS = ("Summary", "Programme", "Apps", "Findings", GATE_SHEET, REVIEWS_SHEET, THROUGHPUT_SHEET,
          OWNERSHIP_SHEET, TEAMS_SHEET, "Change log", "Policy", DEVELOPERS_SHEET, *CASE_SHEETS)
_BATCH = 5000
# Wide enough that a 36-character id or a long e-mail is read whole, not cut.
_WIDE = {"app_id": 38, "name": 34, "description": 40, "notes": 40, "integrations": 34, "tier_reasons": 60,
         "warning_signs": 40, "primary_owner": 30, "co_owners": 30, "business_owner": 30,
         "prodev_partner": 30, "owner_team": 24, "environment": 24, "connector_groups": 40}


@dataclass
class PortfolioTotals:
    """What the Summary sheet counts while the apps stream past."""

    apps: int = 0
    drift: int = 0
    with_unknowns: int = 0
    in_service: int = 0  # the apps the ownership measures count (core.measures)
    no_active_owner: int = 0
    single_owner: int = 0
    findings: int = 0
    by_tier: Counter = field(default_factory=Counter)
    by_department: Counter = field(default_factory=Counter)
    by_platform: Counter = field(default_factory=Counter)
    by_flag: Counter = field(default_factory=Counter)
    overdue_reviews: int = 0
    gate: GateTotals = field(default_factory=GateTotals)
    abandonment: Abandonment = Abandonment(0, 0)  # departed builders' apps (core.measures)


@dataclass(frozen=True)
class AuditExport:
    """What was written."""

    path: Path
    sheets: tuple[str, ...]
    apps: int
    findings: int


def export_audit(session: Session, path: Path, generated_at: datetime, who: str,
                 portfolio_name: str, progress=None) -> AuditExport:
    """Write the audit workbook of the portfolio to `path`."""
    policy = policy_in_force(session)
    today = clock.today()
    workbook = new_workbook()
    summary = workbook.add_sheet("Summary")  # first tab, written last from the totals
    write_programme_sheet(session, workbook, policy)  # second: the sponsor's page (issue 18)
    totals = PortfolioTotals()
    ranges = id_ranges(session, _BATCH)
    apps = _AppSheets(workbook, totals)  # numbers the date styles the other sheets' rows use
    # A big portfolio's Reviews, Ownership and Citizen developers rows are written by a
    # second process meanwhile (record_sheets); the apps take the rest of the time.
    with RecordSheets(session, workbook, today, len(ranges) * _BATCH) as records:
        with paused_gc():  # facts, classifications and rows hold no cycles: 1 CPU s of collections
            _write_apps_and_findings(session, apps, ranges, policy, today, totals, progress)
        records.add_reviews()
        write_review_throughput(session, workbook, records.review_throughput())
        totals.abandonment = records.abandonment()
        teams = list_teams(session)
        records.add_ownership(team_standings(teams))
        write_teams_sheet(session, workbook, teams)
        _write_change_log(session, workbook)
        _write_policy(workbook, policy)
        records.add_developers()
        write_case_sheets(session, workbook)
        totals.overdue_reviews = records.finish()
        write_summary(workbook, summary, totals, {
            "Generated at": generated_at, "Generated by": who, "Portfolio": portfolio_name,
            "Policy version": policy.version,
        })
        save_workbook(workbook, path)
    return AuditExport(Path(path), SHEETS, totals.apps, totals.findings)


def apps_columns() -> list[tuple[str, float]]:
    """Headers and widths of the Apps sheet: the canonical columns, then the computed ones."""
    names = [f.name for f in APP_FIELDS] + list(COMPUTED_COLUMNS)
    return [(name, _WIDE.get(name, 16)) for name in names]


class _AppSheets:
    """The Apps, Findings and Production gate sheets, headers written, rows to come."""

    def __init__(self, workbook, totals: PortfolioTotals):
        self.apps = SheetWriter(workbook, "Apps", apps_columns(), repeat_columns="A:B")  # id and name on every page
        self.findings = SheetWriter(workbook, "Findings", [
            ("app_id", 38), ("name", 34), ("computed_tier", 14), ("warning_sign", 26),
            ("flag", 24), ("explanation", 80)], repeat_columns="A:B")
        self.gate = GateSheet(workbook)
        self.gate.totals = totals.gate


def _write_apps_and_findings(session, sheets: _AppSheets, ranges, policy, today, totals,
                             progress) -> None:
    apps, findings, gate = sheets.apps, sheets.findings, sheets.gate
    for number, (low, high) in enumerate(ranges, start=1):
        facts = sorted(load_facts(session, scope=Scope(low=low, high=high)).values(),
                       key=lambda f: f.app_id)
        for app, result in zip(facts, classify_many(facts, policy, today)):
            apps.append([*_app_row(app, result, gate.add(app, result)),
                         groups_text(app.integrations, app.platform, policy)])
            for flag in result.flags:
                findings.append((app.app_id, app.name, result.tier, FLAG_LABELS[flag.name],
                                 flag.name, flag.explanation))
            _count(totals, app, result)
        if progress is not None:
            progress(number, len(ranges))
    _colour_tiers(apps)
    apps.finish()
    findings.finish()
    gate.finish()


def _app_row(app, result, gate_status: str) -> list:
    # A value of a type its column keeps as it is goes in without a call: 5 million cells.
    row = [v if v is None or type(v) in keep else write(v)
           for keep, write, v in zip(_KEPT_TYPES, _CELL_WRITERS, app_values(app).values())]
    row += [result.tier, "; ".join(r.text for r in result.reasons),
            "; ".join(f.name for f in result.flags), "yes" if result.drift else "no",
            "; ".join(result.unknowns), result.possible_tier, result.policy_version, gate_status]
    return row


# A blank cell re-imports as "unknown"; a list known to be empty is written as the word the
# reader takes for known-empty, so "no compliance regime" survives the round trip.
KNOWN_NONE = "none"


def _cell_writer(spec):
    """How a known value of `spec` goes in its cell: dates stay dates and numbers numbers,
    everything else as the import template writes it (None, unknown, stays blank)."""
    if spec.kind in (DATE, INT, TIER):
        return _as_it_is
    if spec.kind == BOOL:
        return _yes_no
    if spec.kind in (LIST, INTEGRATIONS) and spec.name != "owner_team":
        return partial(_list_cell, spec.name)
    return partial(format_value, spec.name)


def _as_it_is(value):
    return value


def _yes_no(value) -> str:
    return "yes" if value else "no"


def _list_cell(name: str, value) -> str:
    return KNOWN_NONE if value == () else format_value(name, value)


def _kept_types(spec) -> frozenset[type]:
    """The types of value `spec`'s cell writer returns unchanged (no call needed)."""
    if spec.kind in (DATE, INT, TIER):
        return frozenset((date, datetime, int, float, str))  # written as they are anyway
    if spec.kind in (TEXT, ENUM):
        return frozenset((str,))  # format_value gives a plain str back as it is
    return frozenset()


# Chosen once per column, not per cell: 50 columns x 100,000 apps.
_CELL_WRITERS = tuple(_cell_writer(spec) for spec in APP_FIELDS)
_KEPT_TYPES = tuple(_kept_types(spec) for spec in APP_FIELDS)


def _count(totals: PortfolioTotals, app, result) -> None:
    totals.apps += 1
    totals.by_tier[result.tier] += 1
    totals.by_department[app.department or "(unknown)"] += 1
    totals.by_platform[app.platform or "(unknown)"] += 1
    totals.drift += result.drift
    totals.with_unknowns += bool(result.unknowns)
    totals.findings += len(result.flags)
    for flag in result.flags:
        totals.by_flag[flag.name] += 1
    if in_service(app.lifecycle):  # the ownership measures, as the Ownership page counts them
        totals.in_service += 1
        names = {flag.name for flag in result.flags}
        totals.no_active_owner += FlagName.BUILDER_GONE in names
        totals.single_owner += FlagName.SINGLE_OWNER in names


def _colour_tiers(apps: SheetWriter) -> None:
    # conditional formatting colours 100,000 cells for the cost of four rules
    if not apps.rows:
        return  # an empty portfolio has no tier cells
    column = [name for name, _w in apps_columns()].index("computed_tier")
    for tier, colour in TIER_COLOURS.items():
        style = apps.workbook.style({"bg_color": colour, "font_color": "#FFFFFF", "bold": True})
        apps.sheet.conditional_format(1, column, apps.rows, column, {
            "type": "cell", "criteria": "==", "value": tier, "format": style})


def _write_change_log(session, workbook) -> None:
    sheet = SheetWriter(workbook, "Change log", [
        ("at", 20), ("who", 20), ("entity", 10), ("key", 30), ("field", 22), ("old", 30),
        ("new", 30), ("source", 10), ("detail", 30)])
    sheet.extend(store.change_log_sheet_rows(session))
    sheet.finish()


def _write_policy(workbook, policy) -> None:
    sheet = SheetWriter(workbook, "Policy", [("setting", 34), ("value", 60), ("meaning", 80)])
    sheet.append(("version", policy.version, "Goes up on every change of the policy."))
    for key in policy_keys():
        sheet.append((key, policy_value(policy, key), describe_policy_key(key)))
    sheet.finish()

