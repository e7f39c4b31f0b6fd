"""Use cases for the governance view of the portfolio: classifications and the policy."""

from __future__ import annotations

from dataclasses import dataclass

from fusiondesk.core import clock
from fusiondesk.core.facts import AppFacts
from fusiondesk.core.policy import Policy, set_policy_value
from fusiondesk.core.terms import Entity
from fusiondesk.core.tiers import Classification, classify_many
from fusiondesk.db.store import Session
from fusiondesk.db.store.apps import load_facts
from fusiondesk.services.changes import ChangeSet, FieldChange
from fusiondesk.services.classification.reclassify import (
    policy_in_force,
    reclassify_for_policy,
    refresh_for_today,
    store_policy,
)
from fusiondesk.services.reviews.milestones import request_milestone_reviews, revert_requested


@dataclass(frozen=True)
class Classified:
    """An app's facts with its classification, computed now under the policy in force."""

    facts: AppFacts
    result: Classification


def classified_apps(session: Session, tier: int | None = None, flag: str | None = None,
                    drift: bool = False) -> list[Classified]:
    """Every app (optionally filtered by tier, flag or drift), sorted by name."""
    policy, today = policy_in_force(session), clock.today()
    every = list(load_facts(session).values())
    found = []
    for facts, result in zip(every, classify_many(every, policy, today)):
        if tier is not None and result.tier != tier:
            continue
        if flag is not None and flag not in {f.name for f in result.flags}:
            continue
        if drift and not result.drift:
            continue
        found.append(Classified(facts, result))
    return sorted(found, key=lambda c: (c.facts.name.lower(), c.facts.app_id))


def classification_json(result: Classification) -> dict:
    """A classification as the CLI prints it."""
    return {
        "tier": result.tier,
        "possible_tier": result.possible_tier,
        "drift": result.drift,
        "reasons": [{"tier": r.tier, "fact": r.fact, "value": r.value,
                     "threshold": r.threshold, "text": r.text} for r in result.reasons],
        "unknowns": list(result.unknowns),
        "flags": [{"name": f.name, "explanation": f.explanation} for f in result.flags],
        "policy_version": result.policy_version,
    }


def change_policy(session: Session, settings: dict[str, str], who: str) -> tuple[Policy, int]:
    """Apply `key=value` changes (validated), store the new version and reclassify the apps
    it can move; apps it moves to a higher tier get the reviews they now need."""
    previous = policy_in_force(session)
    refresh_for_today(session)  # under the policy in force, before the change is compared
    stored = store_policy(session, edited_policy(session, settings), who)
    raised: list[int] = []
    count = reclassify_for_policy(session, previous, stored, raised=raised)
    _request_for_raised(session, raised, stored, who)
    return stored, count


def edited_policy(session: Session, settings: dict[str, str]) -> Policy:
    """The policy in force with `key=value` changes applied (validated, not stored)."""
    policy = policy_in_force(session)
    for key, text in settings.items():
        policy = set_policy_value(policy, key, text)
    return policy


def replace_policy(session: Session, policy: Policy, who: str, progress=None) -> ChangeSet:
    """Put `policy` in force as a new version and reclassify; undoable via `revert_policy`."""
    return _put_in_force(session, policy, who, progress, requesting=True)


def _put_in_force(session: Session, policy: Policy, who: str, progress, requesting: bool):
    previous = policy_in_force(session)
    refresh_for_today(session)  # under the policy in force, before the change is compared
    stored = store_policy(session, policy, who)
    raised: list[int] = []
    reclassify_for_policy(session, previous, stored, progress, raised)
    change = FieldChange(Entity.POLICY, "policy", "version", previous.version, stored.version)
    done = ChangeSet([change], snapshots={"policy": previous})
    if requesting:
        done.extend(_request_for_raised(session, raised, stored, who))
    return done


def _request_for_raised(session: Session, raised: list[int], policy: Policy,
                        who: str) -> ChangeSet:
    """The reviews now needed by the apps the new policy put in a higher tier."""
    return request_milestone_reviews(session, sorted(raised), who, policy=policy)


def revert_policy(session: Session, done: ChangeSet, who: str) -> ChangeSet:
    """Undo a policy change: the earlier settings come back as a newer version, and the
    reviews the change requested go (a redo puts them back; neither requests any)."""
    again = revert_requested(session, done, who, created=True)
    again.extend(_put_in_force(session, done.snapshots["policy"], who, None, requesting=False))
    again.extend(revert_requested(session, done, who, created=False))
    return again
