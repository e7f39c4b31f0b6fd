"""Who deployed each live sample app: known for about half, as hand-kept registers know it.

Platform exports do not say who deployed an app; a CoE's own register often does. The
sample has both kinds of record: the pro-dev partner or a pro-dev who promoted it (on the
tier's deployment path), and the builder who pushed it out alone (off it, from Tier 2 up),
written now by e-mail and now by display name, as registers write people.
"""

from __future__ import annotations

import random

from fusiondesk.core.facts import AppFacts, PersonFacts
from fusiondesk.core.terms import OwnerRole, PersonRole

_KNOWN = 0.55  # registers that record the deployer at all
_BY_NAME = 0.2  # of those, written as a display name rather than an e-mail


def with_deployers(apps: list[AppFacts], people: list[PersonFacts], seed: int) -> list[AppFacts]:
    """The apps, each deployed one with `deployed_by` filled in for about half of them.

    Drawn from a stream of its own, so every other fact of the sample stays as it was.
    """
    rnd = random.Random(f"{seed}/deployed-by").random
    names = {p.email: p.name for p in people if p.email and p.name}
    prodevs = sorted(p.email for p in people if p.role == PersonRole.PRO_DEVELOPER and p.email)
    return [_deployed(app, rnd, names, prodevs) for app in apps]


def _deployed(app: AppFacts, rnd, names: dict[str, str], prodevs: list[str]) -> AppFacts:
    if app.deployed_on is None or rnd() >= _KNOWN:
        return app
    by_role = {o.role: o.email for o in app.owners if o.email}
    partner, builder = by_role.get(OwnerRole.PRODEV_PARTNER), by_role.get(OwnerRole.PRIMARY)
    r = rnd()
    if partner and r < 0.6:
        who = partner
    elif r < 0.7 and builder:
        who = builder  # the maker pushed it out: on the path at Tier 1 only
    else:
        who = prodevs[int(rnd() * len(prodevs))] if prodevs else builder
    if who and who in names and rnd() < _BY_NAME:
        who = names[who]
    return app.with_changes(deployed_by=who) if who else app
