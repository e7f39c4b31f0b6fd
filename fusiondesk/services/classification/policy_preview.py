"""What a policy being edited would do, before it is saved, and the names to fill it in with.

The policy form asks both on the worker thread; nothing here writes.
"""

from __future__ import annotations

from fusiondesk.core.policy import Policy, PortfolioNames, name_key
from fusiondesk.core.terms import EnvironmentType
from fusiondesk.db.store import Session
from fusiondesk.db.store.integrations import integration_systems
from fusiondesk.services.apps.table import distinct_values
from fusiondesk.services.classification.what_if import WhatIf, what_if


def preview_policy(session: Session, policy: Policy, progress=None) -> WhatIf:
    """The apps whose tier or warning signs `policy` would change (nothing is written).

    The same comparison as `policy --what-if` (see `what_if`): both policies classify
    today's facts, so the preview shows the edit's effect alone.
    """
    return what_if(session, policy, progress)


def portfolio_names(session: Session) -> dict[PortfolioNames, list[str]]:
    """The platforms and connected systems the portfolio holds, to complete the policy's lists."""
    environments = [*ENVIRONMENT_TYPE_NAMES, *distinct_values(session, "environment")]
    return {PortfolioNames.PLATFORMS: _one_spelling_each(distinct_values(session, "platform")),
            PortfolioNames.SYSTEMS: _one_spelling_each(integration_systems(session)),
            PortfolioNames.ENVIRONMENTS: _one_spelling_each(environments)}


# Power Platform's environment types, as the admin center writes them (the policy's
# environment stages are usually these; the portfolio's own environment names follow).
ENVIRONMENT_TYPE_NAMES = tuple(t.value.title() for t in EnvironmentType)


def _one_spelling_each(names: list[str]) -> list[str]:
    # The policy matches names ignoring case, so "SharePoint" and "Sharepoint" are one entry.
    seen: dict[str, str] = {}
    for name in names:
        if name and name.strip():
            seen.setdefault(name_key(name), name.strip())
    return sorted(seen.values(), key=str.casefold)
