"""Handover planning an import leaves to a second step, recorded so that it always happens.

Planning 4,000 leavers' handovers takes seconds, so an import does not plan them in its
own transaction: it records whose plans are due (in the `setting` table, committed with
the import), and `plan_pending_handovers` plans them right after, in a transaction that
also clears the record. Should the program stop between the two, the record survives,
and the next open or import of the portfolio plans them: what is stored in the end is
what planning inside the import would have stored. Planning again is harmless: stored
plans are merged, never duplicated.
"""

from __future__ import annotations

import json
from typing import Iterable

from fusiondesk.db.store import Session
from fusiondesk.db.store.settings import delete_setting, read_setting, write_setting
from fusiondesk.services.handover.planning import replan

PENDING = "handover.pending"  # setting key: JSON list of e-mails whose plans are due


def defer_planning(session: Session, emails: Iterable[str]) -> None:
    """Record, in the caller's transaction, whose handover plans are to be refreshed."""
    wanted = {e.strip().lower() for e in emails}
    if not wanted:
        return
    write_setting(session, PENDING, json.dumps(sorted(wanted | set(pending(session)))))


def pending(session: Session) -> list[str]:
    """The e-mails whose handover plans are due, oldest record included."""
    value = read_setting(session, PENDING)
    return json.loads(value) if value else []


def plan_pending_handovers(portfolio, who: str | None = None) -> int:
    """Plan what an import (or an interrupted one) left due; how many leavers were planned."""
    with portfolio.reading() as session:
        if not pending(session):  # the usual case: a read, and no write lock taken
            return 0
    with portfolio.transaction() as session:
        emails = pending(session)  # read again under the transaction
        planned = replan(session, emails, who or portfolio.user) if emails else set()
        delete_setting(session, PENDING)
    return len(planned)
