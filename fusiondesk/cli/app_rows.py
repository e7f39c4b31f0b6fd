"""An app and its classification as the rows `apps --json` and `classify --json` print.

The values are the ones `core.values.json_value` gives field by field (a test holds
the two equal); here the decision per field is taken once for the whole listing,
not once per value: at 100,000 apps asking each of 3.9 million values what kind
it is took 10 s. Dates repeat across a portfolio and are written as text once each.
A classification is written as the governance service writes it, for the CLI and others.
"""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from typing import NamedTuple

from fusiondesk.core.facts import AppFacts, Integration, Owner
from fusiondesk.core.fields import APP_FIELDS, DATE, INTEGRATIONS, OWNER_COLUMNS
from fusiondesk.core.flags import Interned
from fusiondesk.core.gate import gate_status
from fusiondesk.core.tiers import Classification
from fusiondesk.core.values import TEAM_COLUMN
from fusiondesk.services.classification.governance import classification_json

OWNER_NAMES = (*OWNER_COLUMNS, TEAM_COLUMN)  # from the owners, not from a fact each
_NAMES = tuple(f.name for f in APP_FIELDS)
KIND = {f.name: f.kind for f in APP_FIELDS}  # each canonical field's kind, by name
# The owner columns sit together in the template: the facts before them and after them
# are read with one attrgetter call each, already in the order they are printed (the
# row texts of cli.row_text read them alike).
_FIRST_OWNER = _NAMES.index(OWNER_NAMES[0])
BEFORE_OWNERS, AFTER_OWNERS = _NAMES[:_FIRST_OWNER], _NAMES[_FIRST_OWNER + len(OWNER_NAMES):]
assert set(_NAMES[_FIRST_OWNER:_FIRST_OWNER + len(OWNER_NAMES)]) == set(OWNER_NAMES)
_LIST_OF_ROLE = {role: OWNER_NAMES.index(column) for column, role in OWNER_COLUMNS.items()}
_TEAM_LIST = OWNER_NAMES.index(TEAM_COLUMN)
# The keys of an app row: every canonical field in template order, then the classification.
APP_KEYS = (*_NAMES, "tier", "flags", "drift", "gate")


class _Segment:
    """Facts read in one call, with the few that JSON writes differently converted."""

    def __init__(self, names: tuple[str, ...]):
        self.read = attrgetter(*names)
        self.dates = tuple(i for i, n in enumerate(names) if KIND[n] == DATE)
        self.links = tuple(i for i, n in enumerate(names) if KIND[n] == INTEGRATIONS)

    def __call__(self, facts: AppFacts) -> list:
        values = list(self.read(facts))
        for at in self.dates:
            if values[at] is not None:
                values[at] = _ISO[values[at]]
        for at in self.links:
            if values[at] is not None:
                values[at] = [_integration(link) for link in values[at]]
        return values


_ISO: Interned = Interned(date.isoformat, limit=100_000)


def _integration(link: Integration) -> dict:
    return {"system": link.system, "direction": link.direction, "approved": link.approved,
            "external_api": link.external_api, "enterprise": link.enterprise,
            "asynchronous": link.asynchronous}


_JSON_BEFORE, _JSON_AFTER = _Segment(BEFORE_OWNERS), _Segment(AFTER_OWNERS)


def owner_lists(owners: tuple[Owner, ...]) -> list[list[str]]:
    """The flat owner columns (as `core.values.owner_columns`), in OWNER_NAMES order."""
    lists: list[list[str]] = [[] for _ in OWNER_NAMES]
    for owner in owners:
        if owner.team:
            lists[_TEAM_LIST].append(owner.team)
        else:  # Owner.key, without a property call per owner: 250,000 of them at 100,000 apps
            key = owner.email or owner.name
            if key:
                lists[_LIST_OF_ROLE[owner.role]].append(key)
    return lists


class Signs(NamedTuple):
    """What an app row says of the app's classification: its tier, its warning signs'
    names and its drift (from a classification made now, or as stored on the app row)."""

    tier: int
    names: tuple[str, ...]
    drift: bool


def signs_of(result: Classification) -> Signs:
    """What an app row says of a classification."""
    return Signs(result.tier, tuple([flag.name for flag in result.flags]), result.drift)


def app_row(facts: AppFacts, signs: Signs) -> dict:
    """One app as `apps --json` prints it: every canonical field, its tier, flags, drift and
    production gate (core.gate: passed, failed or not gated)."""
    return dict(zip(APP_KEYS, (*_JSON_BEFORE(facts), *owner_lists(facts.owners),
                               *_JSON_AFTER(facts), signs.tier, list(signs.names), signs.drift,
                               gate_status(facts, signs.names))))


def classification_row(facts: AppFacts, result: Classification) -> dict:
    """One app as `classify --json` prints it: its tier, reasons, unknowns and flags."""
    return {"app_id": facts.app_id, "name": facts.name, "approved_tier": facts.approved_tier,
            **classification_json(result)}
