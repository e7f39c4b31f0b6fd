"""Keeping every app's stored tier and warning signs current.

The computed classification is cached on the app row so the big table can sort and
filter by tier and flag in SQL. It is rewritten for the apps an edit or import touches;
after a policy change, for the apps the change can move (core.policy_reach: a user
threshold moves the apps between the old and the new one, not 100,000); and once a day,
for the apps the passing days can move (a review falling due, an app going idle, a
certificate lapsing). Each app records the policy version its classification follows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime

from fusiondesk.core import clock
from fusiondesk.core.facts import AppFacts
from fusiondesk.core.policy import Policy, default_policy, policy_from_dict, policy_to_dict
from fusiondesk.core.policy_reach import days_reach, policy_reach
from fusiondesk.core.terms import Entity, Source
from fusiondesk.core.tiers import (
    DAY_SETTING,
    RULES_SETTING,
    RULES_VERSION,
    Classification,
    classify_many,
)
from fusiondesk.db.store import Session
from fusiondesk.db.store.apps import count_apps, id_ranges, load_facts
from fusiondesk.db.store.certifications import owner_standings
from fusiondesk.db.store.chunks import Scope, chunks
from fusiondesk.db.store.classification import (
    CACHED,
    cached_classifications,
    stamp_policy_version,
    store_classifications,
)
from fusiondesk.db.store.deployers import read_deployers
from fusiondesk.db.store.facts_reader import FactsReader
from fusiondesk.db.store.people import statuses_by_email
from fusiondesk.db.store.policy_records import add_policy, newest_policy
from fusiondesk.db.store.settings import read_setting, write_setting
from fusiondesk.db.store.teams import members_by_team
from fusiondesk.services.changes import FieldChange, log_changes
from fusiondesk.services.classification.reach import narrowed

_BATCH = 5000


def policy_in_force(session: Session) -> Policy:
    """The newest stored policy, or the defaults for a new portfolio."""
    record = newest_policy(session)
    if record is None:
        return default_policy()
    version, text = record
    body = json.loads(text)
    body["version"] = version
    return policy_from_dict(body)


def store_policy(session: Session, policy: Policy, who: str) -> Policy:
    """Save a new policy version (logged field by field) and return it as stored."""
    current = policy_in_force(session)
    new_version = current.version + 1
    body = policy_to_dict(policy)
    body["version"] = new_version
    add_policy(session, new_version, json.dumps(body, sort_keys=True), datetime.now(), who)
    log_changes(session, _policy_changes(current, policy), who, Source.POLICY,
                f"policy version {new_version}")
    return policy_from_dict(body)


def _policy_changes(old: Policy, new: Policy) -> list[FieldChange]:
    before, after = _flatten(policy_to_dict(old)), _flatten(policy_to_dict(new))
    return [
        FieldChange(Entity.POLICY, "policy", key, before.get(key), after.get(key))
        for key in sorted(set(before) | set(after))
        if key != "version" and before.get(key) != after.get(key)
    ]


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = json.dumps(value, sort_keys=True, default=str)
    return flat


def with_owner_statuses(session: Session, facts: AppFacts) -> AppFacts:
    """Facts whose owners carry their people's current status, role and certifications and
    their teams' members, and whose deployer is resolved (for unsaved edits)."""
    emails = [o.email for o in facts.owners if o.email]
    found = statuses_by_email(session, emails)
    standings = owner_standings(session, emails)  # the builder's certifications (qualification)
    teams = members_by_team(session) if any(o.team for o in facts.owners) else {}
    owners = tuple(replace(o, status=found.get(o.email), **standings.get(o.email, {})) if o.email
                   else replace(o, members=teams.get(o.team, ())) if o.team else o
                   for o in facts.owners)
    # who the form's "Deployed by" names now, for the production gate's deployment path
    deployer, role = read_deployers(session, [facts.deployed_by]).get(facts.deployed_by, (None, None))
    return facts.with_changes(owners=owners, deployer=deployer, deployer_role=role)


def classification_columns(result: Classification) -> dict:
    """The cached columns of one classification."""
    return dict(zip(CACHED, classification_values(result)))


def classification_values(result: Classification) -> tuple:
    """The cached columns of one classification, in the store's CACHED order."""
    return (result.tier, result.possible_tier,
            ";".join([flag.name for flag in result.flags]) or None,
            result.drift)


def reclassify(session: Session, ids: list[int] | None = None, policy: Policy | None = None,
               today: date | None = None, progress=None, parallel: bool = False,
               raised: list[int] | None = None) -> int:
    """Classify the given apps (all when None) and store the results; returns how many.

    `parallel` lets a policy change use a second core (see parallel_classification);
    only callers whose transaction has changed no facts may ask for it. `raised`, when
    given, receives the ids of the apps whose stored tier went up (a policy change
    requests their reviews): read while classifying, it spares reading every tier twice.
    """
    policy = policy or policy_in_force(session)
    today = today or clock.today()
    total = len(ids) if ids is not None else count_apps(session)
    raised = raised if raised is not None else []
    if ids is None:
        ranges = id_ranges(session, _BATCH)
        if parallel and total >= PARALLEL_FROM:
            # imported here: that module builds on this one's helpers
            from fusiondesk.services.classification.parallel import reclassify_on_two_cores

            done = reclassify_on_two_cores(session, ranges, policy, today, total, progress,
                                           raised)
            _record_rules(session, today)
            return done
        scopes = [Scope(low=lo, high=hi) for lo, hi in ranges]
        reader = FactsReader(for_classification=True)  # the people every range names, read once
    else:
        scopes = [Scope(group) for group in chunks(ids, _BATCH)]
        reader = None  # a few apps (an edit, an import): only their owners' people are read
    done = 0
    for scope in scopes:
        batch = changed_rows(session, scope, policy, today, reader)
        store_rows(session, scope, batch, policy.version, raised)
        done += batch.count
        if progress is not None:
            progress(done, total)
    if ids is None:
        _record_rules(session, today)
    return done


def _record_rules(session: Session, today: date) -> None:
    """Every app now follows this FusionDesk's rules (see services.classification.rules),
    as of `today`."""
    write_setting(session, RULES_SETTING, str(RULES_VERSION))
    write_setting(session, DAY_SETTING, today.isoformat())


def reclassify_for_policy(session: Session, before: Policy, after: Policy, progress=None,
                          raised: list[int] | None = None) -> int:
    """After `after` (stored) replaced `before`: reclassify the apps the change can move,
    or every app when the change cannot be bounded or reaches most of the portfolio.
    Every app records the new version. Returns how many apps were classified.

    The stored signs must be of today first (`refresh_for_today`, under `before`): an
    app the change cannot move keeps what is stored.
    """
    today = clock.today()
    ids = narrowed(session, policy_reach(before, after, today))
    if ids is None:
        # no fact changed: the second core may help
        return reclassify(session, policy=after, today=today, progress=progress,
                          parallel=True, raised=raised)
    done = reclassify(session, ids, policy=after, today=today, progress=progress, raised=raised)
    stamp_policy_version(session, Scope(), after.version)
    return done


def refresh_for_today(session: Session, progress=None) -> int:
    """Bring the stored warning signs to today: reclassify the apps the days since they
    were classified can move (core.policy_reach.days_reach), or every app when that day
    is not recorded or the days reach most of the portfolio. Returns how many apps were
    classified (none when the signs are of today already: one read)."""
    today = clock.today()
    recorded = read_setting(session, DAY_SETTING)
    if recorded == today.isoformat():
        return 0
    policy = policy_in_force(session)
    # a portfolio made before days were recorded does not say (a new one does): every app, once
    since = date.fromisoformat(recorded) if recorded else None
    ids = None if since is None else narrowed(session, days_reach(since, today, policy))
    if ids is None:
        # no fact changed: the second core may help; a full reclassify records the day
        return reclassify(session, policy=policy, today=today, progress=progress, parallel=True)
    done = reclassify(session, ids, policy=policy, today=today, progress=progress)
    write_setting(session, DAY_SETTING, today.isoformat())
    return done


# Below this many apps a second process costs more to start than it saves.
PARALLEL_FROM = 20_000


@dataclass(frozen=True)
class Reclassified:
    """One batch classified: the rows whose cached classification must change (as
    `store_classifications` takes them), how many apps were read, and the ids of those
    whose tier went up."""

    rows: list[tuple]
    count: int
    raised: list[int]


def changed_rows(session: Session, scope: Scope, policy: Policy, today: date,
                 reader: FactsReader | None = None) -> Reclassified:
    """Classify the apps in `scope` and compare with what is cached; `reader`: the job's
    (see db.store.facts_reader), when it reads many ranges."""
    if reader is None:
        facts = load_facts(session, scope=scope, for_classification=True)
    else:
        facts = reader.read(session, scope)
    cached = cached_classifications(session, scope)
    rows, raised = [], []
    # classify_many pauses the cyclic GC for the batch: about twice as fast at scale
    for app_id, result in zip(facts, classify_many(facts.values(), policy, today)):
        values = classification_values(result)
        was = cached.get(app_id)
        if was != values:
            rows.append((*values, app_id))
            if result.tier is not None and result.tier > ((was and was[0]) or 0):
                raised.append(app_id)
    return Reclassified(rows, len(facts), raised)


def store_rows(session: Session, scope: Scope, batch: Reclassified, version: int,
               raised: list[int]) -> None:
    """Write changed classifications and stamp the policy version on every app in `scope`;
    the ids of apps whose tier went up join `raised`."""
    # the policy version is stamped apart, so a policy change that moves few apps
    # rewrites few rows
    store_classifications(session, batch.rows)
    stamp_policy_version(session, scope, version)
    raised.extend(batch.raised)
