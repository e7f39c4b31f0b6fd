"""What a policy change would do before it is made: the apps whose tier or warning signs move.

The question the CoE Starter Kit's DLP impact tool answers ("if we block X, which apps,
tiers and owners are hit?"), asked of any setting. Both policies classify the same
facts on the same day, so what the list shows is the setting's effect alone, not a
classification gone stale since it was stored. Nothing is written.

Most settings read few facts, so only the apps whose facts the two policies read
differently are classified (core.policy_reach); at 100,000 apps a user threshold
classifies a few thousand, not 200,000 (issue 17's budget: a what-if in under 2 s).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fusiondesk.core import clock
from fusiondesk.core.facts import AppFacts
from fusiondesk.core.memory import paused_gc
from fusiondesk.core.policy import Policy
from fusiondesk.core.policy_reach import Reach, policy_reach
from fusiondesk.core.tiers import classify_many
from fusiondesk.db.store import Session
from fusiondesk.db.store.apps import count_apps, id_ranges, load_facts
from fusiondesk.db.store.chunks import Scope
from fusiondesk.db.store.driver import database_url, separate_session
from fusiondesk.services.classification.governance import edited_policy
from fusiondesk.services.classification.parallel import second_process, share_ranges
from fusiondesk.services.classification.reach import narrowed
from fusiondesk.services.classification.reclassify import PARALLEL_FROM, policy_in_force

_BATCH = 5000  # apps read and classified at a time: bounded memory at 100,000


@dataclass(frozen=True)
class Moved:
    """One app the change would move: its tier and the warning signs it gains or loses."""

    app_id: str
    name: str
    department: str | None
    owners: tuple[str, ...]  # e-mails (or names) of the people and teams on it
    tier_before: int
    tier_after: int
    flags_added: tuple[str, ...]
    flags_removed: tuple[str, ...]

    def as_dict(self) -> dict:
        """The CLI contract's fields, in its order."""
        return {"app_id": self.app_id, "name": self.name, "tier_before": self.tier_before,
                "tier_after": self.tier_after, "flags_added": list(self.flags_added),
                "flags_removed": list(self.flags_removed), "department": self.department,
                "owners": list(self.owners)}


@dataclass(frozen=True)
class WhatIf:
    """The apps a policy change would move, out of how many were checked."""

    before: Policy
    after: Policy
    checked: int
    moved: tuple[Moved, ...]

    @property
    def tier_changes(self) -> list[Moved]:
        """The apps whose tier moves (the others only gain or lose warning signs)."""
        return [app for app in self.moved if app.tier_before != app.tier_after]

    def tier_moves(self) -> dict[tuple[int, int], int]:
        """How many apps go from each tier to each other tier."""
        counts: dict[tuple[int, int], int] = {}
        for app in self.moved:
            if app.tier_before != app.tier_after:
                key = (app.tier_before, app.tier_after)
                counts[key] = counts.get(key, 0) + 1
        return counts


def what_if_settings(session: Session, settings: dict[str, str]) -> WhatIf:
    """`key=value` changes to the policy in force (validated as a save would be), tried out."""
    return what_if(session, edited_policy(session, settings))


def what_if(session: Session, after: Policy, progress=None, exhaustive: bool = False) -> WhatIf:
    """Classify the apps under the policy in force and under `after`; list what differs.

    Only the apps the change can move are read and classified (core.policy_reach: a
    user threshold reads users alone), unless they are most of the portfolio or the
    change cannot be bounded; then every app is, on two cores for a big portfolio (see
    `parallel`), about four seconds of CPU at 100,000 apps. `exhaustive` classifies
    every app whatever the change: the reference the narrow read is tested against.
    `progress(done, total)` is called after each batch; raising from it cancels.
    """
    before, today = policy_in_force(session), clock.today()
    with paused_gc():  # facts and classifications of 100,000 apps hold no cycles
        reach = None if exhaustive else policy_reach(before, after, today)
        in_reach = None if reach is None else _narrow(session, reach, before, after, today,
                                                      progress)
        differ, checked, described = (in_reach
                                      or _everywhere(session, before, after, today, progress))
    moved = [_moved(described[db_id], *found) for db_id, found in differ.items()]
    moved.sort(key=lambda m: (-(m.tier_after - m.tier_before), m.name.casefold(), m.app_id))
    return WhatIf(before, after, checked, tuple(moved))


def _narrow(session: Session, reach: Reach, before: Policy, after: Policy, today: date,
            progress) -> tuple[dict, int, dict] | None:
    """The differences among the apps in reach, how many apps were checked and the facts of
    those that differ; None when the reach is most of the portfolio.

    An app out of reach is classified alike by both policies: it counts as checked, unread.
    """
    reached = narrowed(session, reach)
    if reached is None:
        return None
    differ, described = {}, {}
    batches = [reached[at:at + _BATCH] for at in range(0, len(reached), _BATCH)]
    for number, batch in enumerate(batches, 1):
        # read whole, not just what classification reads: the apps that move are listed
        # from these facts, so they are not read a second time
        facts = load_facts(session, batch)
        found = compared(facts, before, after, today)
        differ.update(found)
        described.update((db_id, facts[db_id]) for db_id in found)
        if progress is not None:
            progress(number, len(batches))
    return differ, count_apps(session), described


def _everywhere(session: Session, before: Policy, after: Policy, today: date,
                progress) -> tuple[dict, int, dict]:
    """The differences among every app (`_narrow`'s answer), on two cores for a big portfolio."""
    ranges = id_ranges(session, _BATCH)
    if len(ranges) * _BATCH > PARALLEL_FROM:
        differ, checked = _on_two_cores(session, ranges, before, after, today, progress)
    else:
        differ, checked = _differ_in(session, ranges, before, after, today, progress)
    return differ, checked, load_facts(session, list(differ)) if differ else {}


def _differ_in(session: Session, ranges: list[tuple[int, int]], before: Policy, after: Policy,
               today: date, progress=None) -> tuple[dict, int]:
    """The differences in these ranges, and how many apps were read."""
    checked, differ = 0, {}
    for number, (low, high) in enumerate(ranges, 1):
        found, count = differences(session, Scope(low=low, high=high), before, after, today)
        differ.update(found)
        checked += count
        if progress is not None:
            progress(number, len(ranges))
    return differ, checked


def _on_two_cores(session: Session, ranges: list[tuple[int, int]], before: Policy,
                  after: Policy, today: date, progress) -> tuple[dict, int]:
    """`_differ_in`, with a second process taking ranges from the other end."""
    differ: dict[int, tuple] = {}
    counts: list[int] = []

    def arrived(_span, found_and_count: tuple[dict, int]) -> None:
        differ.update(found_and_count[0])
        counts.append(found_and_count[1])
        if progress is not None:
            progress(len(counts), len(ranges))

    def here(span: tuple[int, int]) -> None:
        arrived(span, differences(session, Scope(low=span[0], high=span[1]), before, after,
                                  today))

    with second_process() as pool:
        share_ranges(pool, ranges, here, arrived, differences_apart, database_url(session),
                     before, after, today)
    return differ, sum(counts)


def differences_apart(ranges: list[tuple[int, int]], url: str, before: Policy, after: Policy,
                      today: date) -> list[tuple[dict, int]]:
    """In the second process: `differences` of each range, read from the committed portfolio."""
    with separate_session(url) as session, paused_gc():
        return [differences(session, Scope(low=low, high=high), before, after, today)
                for low, high in ranges]


def differences(session: Session, scope: Scope, before: Policy, after: Policy,
                today: date) -> tuple[dict[int, tuple], int]:
    """The apps in `scope` the two policies classify differently, and how many were read."""
    facts = load_facts(session, scope=scope, for_classification=True)
    return compared(facts, before, after, today), len(facts)


def compared(facts: dict[int, AppFacts], before: Policy, after: Policy,
             today: date) -> dict[int, tuple]:
    """(tier before, tier after, signs before, signs after) of each app the policies part on."""
    old = classify_many(facts.values(), before, today)
    new = classify_many(facts.values(), after, today)
    differ = {}
    for db_id, was, will in zip(facts, old, new):
        # an explanation may change with a threshold ("30 users ≥ 20") while the sign stays
        was_flags, will_flags = _names(was.flags), _names(will.flags)
        if was.tier != will.tier or was_flags != will_flags:
            differ[db_id] = (was.tier, will.tier, was_flags, will_flags)
    return differ


def _names(flags) -> tuple[str, ...]:
    return tuple(flag.name for flag in flags)


def _moved(facts, tier_before, tier_after, was_flags, will_flags) -> Moved:
    owners = tuple(dict.fromkeys(o.email or o.team or o.name or "" for o in facts.owners))
    return Moved(facts.app_id, facts.name, facts.department, tuple(o for o in owners if o),
                 tier_before, tier_after,
                 tuple(f for f in will_flags if f not in was_flags),
                 tuple(f for f in was_flags if f not in will_flags))
