"""The production gate: an app in production runs where production belongs, passed its
production-readiness review and is documented, as its tier asks (issue 17).

An environment's stage comes from the policy: Power Platform's environment types
(Production, Sandbox, Default, Developer, Trial, Teams) or the lead's own environment
names, each listed under production, test or development. The type decides when known,
else the name; an environment in no list has no known stage and raises nothing here
(warning signs are raised on evidence).
"""

from __future__ import annotations

from fusiondesk.core.facts import AppFacts
from fusiondesk.core.policy import Policy, name_key
from fusiondesk.core.terms import EnvironmentStage, FlagName, Lifecycle

_PRODUCTION = EnvironmentStage.PRODUCTION.value
_IN_PRODUCTION = Lifecycle.PRODUCTION.value
GATED_FROM_TIER = 2  # Tier 1 self-certifies and deploys directly (DOMAIN.md's tier table)
GATE_SIGNS = (FlagName.OUTSIDE_PRODUCTION, FlagName.NO_READINESS_REVIEW,
              FlagName.DEPLOYED_UNDOCUMENTED)


def environment_stage(facts: AppFacts, policy: Policy) -> str | None:
    """development, test or production, as the policy maps the app's environment; None: unknown."""
    stages = policy.environment_stages
    for known in (facts.environment_type, facts.environment):
        if known:
            stage = stages.get(name_key(known))
            if stage is not None:
                return stage
    return None


def gate_problems(facts: AppFacts, tier: int, policy: Policy) -> tuple[tuple[str, str], ...]:
    """(warning sign, why) for each way an app in production fails the gate; () when it passes.

    Only apps in production use are gated: building and piloting happen elsewhere by design.
    """
    if facts.lifecycle != _IN_PRODUCTION:
        return ()
    found = []
    stage = environment_stage(facts, policy)
    if stage is not None and stage != _PRODUCTION:
        where = facts.environment or facts.environment_type
        found.append((FlagName.OUTSIDE_PRODUCTION.value,
                      f"in production use in {where}, a {stage} environment"))
    if tier >= GATED_FROM_TIER:
        if not facts.readiness_passed:
            found.append((FlagName.NO_READINESS_REVIEW.value,
                          f"Tier {tier} in production with no passed production-readiness review"))
        missing = [label for label, present in (("functional description", facts.doc_functional),
                                                ("data sources", facts.doc_data_sources),
                                                ("logic summary", facts.doc_logic))
                   if present is not True]
        if missing:
            found.append((FlagName.DEPLOYED_UNDOCUMENTED.value,
                          f"Tier {tier} in production without its " + ", ".join(missing)))
    return tuple(found)


def gate_status(facts: AppFacts, signs) -> str:
    """One word for lists, from the app's warning-sign names: 'passed', 'failed' or
    'not gated' (not in production)."""
    if facts.lifecycle != _IN_PRODUCTION:
        return "not gated"
    return "failed" if any(name in _GATE_SIGN_NAMES for name in signs) else "passed"


_GATE_SIGN_NAMES = frozenset(sign.value for sign in GATE_SIGNS)
