"""The production gate: an app in production runs where production belongs, passed its
production-readiness review, is documented and was deployed by whom its tier's deployment
path says (DOMAIN.md's tier table), as its tier asks (issue 17).

An environment's stage comes from the policy: Power Platform's environment types
(Production, Sandbox, Default, Developer, Trial, Teams) or the lead's own environment
names, each listed under production, test or development. The type decides when known,
else the name; an environment in no list has no known stage and raises nothing here
(warning signs are raised on evidence).
"""

from __future__ import annotations

from fusiondesk.core.facts import AppFacts
from fusiondesk.core.policy import Policy, name_key
from fusiondesk.core.terms import EnvironmentStage, FlagName, Lifecycle, OwnerRole, PersonRole

_PRODUCTION = EnvironmentStage.PRODUCTION.value
_IN_PRODUCTION = Lifecycle.PRODUCTION.value
GATED_FROM_TIER = 2  # Tier 1 self-certifies and deploys directly (DOMAIN.md's tier table)
GATE_SIGNS = (FlagName.OUTSIDE_PRODUCTION, FlagName.NO_READINESS_REVIEW,
              FlagName.DEPLOYED_UNDOCUMENTED, FlagName.OFF_DEPLOYMENT_PATH)


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
        off_path = deployment_path_problem(facts, tier)
        if off_path:
            found.append((FlagName.OFF_DEPLOYMENT_PATH.value, off_path))
    return tuple(found)


# Who may deploy above Tier 1 (DOMAIN.md's tier table): Tier 2 "pro-dev promotes to
# production" and Tier 4 "pro-dev deploys" take a pro-dev; the CoE's admins run the
# platform's pipelines, so their deployment counts as one. A business owner does not build
# and is no pro-dev: their deployment is off the path like a citizen's.
_PRO_DEPLOYERS = frozenset((PersonRole.PRO_DEVELOPER.value, PersonRole.COE_ADMIN.value))
_BUILDER_ROLES = frozenset((OwnerRole.PRIMARY.value, OwnerRole.CO_OWNER.value))
_PARTNER = OwnerRole.PRODEV_PARTNER.value
_JOINT_TIER = 3


def deployment_path_problem(facts: AppFacts, tier: int) -> str | None:
    """Why the recorded deployer is off the tier's deployment path; None when on it or unknown.

    What counts (the rule): at Tier 2 and 4 the deployer must be a pro-dev or CoE admin.
    Tier 3 is a joint deployment: a pro-dev or CoE admin deployed it, or the app has a
    pro-dev partner on record and the deployer is one of its builders (primary owner or
    co-owner), the partner sharing the release. The partner counts whatever their status
    today: the check is about how the app went live, not who maintains it now.
    "Where known": a blank deployer, one who names nobody (or several people), and a
    person whose role is not recorded raise nothing.
    """
    role = facts.deployer_role
    if tier < GATED_FROM_TIER or role is None or role in _PRO_DEPLOYERS:
        return None
    who = f"deployed by {facts.deployed_by or facts.deployer}, a {role.replace('_', ' ')}"
    if tier != _JOINT_TIER:
        path = "promotes it to production" if tier == GATED_FROM_TIER else "deploys it"
        return f"Tier {tier} {who}: a pro-dev {path}"
    roles = {o.role for o in facts.owners if o.key == facts.deployer}
    has_partner = any(o.role == _PARTNER for o in facts.owners)
    if has_partner and roles & _BUILDER_ROLES:
        return None
    if not has_partner:
        return f"Tier 3 {who}, with no pro-dev partner: the deployment must be joint"
    return f"Tier 3 {who} who does not build it: its builder and pro-dev partner deploy it together"


def gate_status(facts: AppFacts, signs) -> str:
    """One word for lists, from the app's warning-sign names: 'passed', 'failed' or
    'not gated' (not in production)."""
    if facts.lifecycle != _IN_PRODUCTION:
        return "not gated"
    return "failed" if any(name in _GATE_SIGN_NAMES for name in signs) else "passed"


_GATE_SIGN_NAMES = frozenset(sign.value for sign in GATE_SIGNS)
