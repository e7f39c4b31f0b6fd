"""The sample's escalation cases and duplicate decisions, written through the use cases (so
the sample's change log reads as a lead's would), dated in the past."""

from __future__ import annotations

from fusiondesk.core import clock
from fusiondesk.core.terms import PersonRole, Source
from fusiondesk.db.store import Session
from fusiondesk.db.store import escalations as store
from fusiondesk.sample_generator.escalations import plan_cases, plan_decisions
from fusiondesk.services import duplicates as dups
from fusiondesk.services.escalations import actions

# Finding duplicates reads every app: seconds at 100,000. The benchmarks' big samples
# skip the decisions; the shipped sample (400 apps) has them.
DECIDE_UP_TO = 5000


def add_sample_escalations(session: Session, people, who: str, seed: int) -> int:
    """Write the sample's cases and decisions; how many cases."""
    prodevs = sorted(p.email for p in people
                     if p.role == PersonRole.PRO_DEVELOPER and p.email and p.status == "active")
    leads = sorted(p.email for p in people if p.role == PersonRole.COE_ADMIN and p.email)
    lead = leads[0] if leads else who
    apps = [(app_id, (flags or "").split(";")) for app_id, flags in store.flagged_apps(session)]
    planned = plan_cases(apps, prodevs, clock.today(), seed)
    for case in planned:
        _write_case(session, case, lead, who)
    candidates = dups.candidates(session)
    if len(candidates) <= DECIDE_UP_TO:
        report = dups.find_groups(session)
        groups = {g.key: g for g in report.undecided}
        for key, verdict, note in plan_decisions(sorted(groups), seed):
            dups.decide(session, groups[key], verdict, lead, note, Source.SAMPLE)
    return len(planned)


def _write_case(session: Session, case, owner: str, who: str) -> None:
    done = actions.open_case(session, case.app_id, case.trigger, who, owner, case.reason,
                             on=case.days[0], source=Source.SAMPLE)
    case_id = int(done.changes[0].key.rpartition("#")[2])
    if len(case.days) > 1:
        actions.assign_partner(session, case_id, case.partner, who, case.days[1], Source.SAMPLE)
    if len(case.days) > 2:
        actions.decide_rebuild(session, case_id, case.rebuild, who, case.days[2], Source.SAMPLE)
    if len(case.days) > 3:
        actions.close_case(session, case_id, case.outcome, case.lesson, who, on=case.days[3],
                           source=Source.SAMPLE)
