"""A what-if that classifies only the apps a change can reach finds what classifying every
app finds, for every policy key and a spread of values, on the shipped sample (400 apps).

This is what lets the narrow what-if exist (core.policy_reach): were a key's reach drawn too
tight, some app the full comparison moves would be missing here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fusiondesk.core import clock
from fusiondesk.core.policy import (
    BOOL,
    CHOICE,
    FLOAT,
    INT,
    PolicyError,
    PortfolioNames,
    get_policy_value,
    policy_key,
    policy_keys,
    set_policy_value,
)
from fusiondesk.core.policy_reach import UNREAD, policy_reach
from fusiondesk.db.engine import open_portfolio
from fusiondesk.db.store.apps import load_facts
from fusiondesk.services.classification import reach as reach_module
from fusiondesk.services.classification.policy_preview import portfolio_names
from fusiondesk.services.classification.reach import reached_apps
from fusiondesk.services.classification.reclassify import policy_in_force
from fusiondesk.services.classification.what_if import what_if

from tests.conftest import TODAY

SHIPPED = Path(__file__).resolve().parents[2] / "sample_data" / "sample_portfolio.fdesk"
# Which of the portfolio's names each list key is tried with.
NAMES_FROM = {
    "platforms.approved": PortfolioNames.PLATFORMS,
    "environments.production": PortfolioNames.ENVIRONMENTS,
    "environments.test": PortfolioNames.ENVIRONMENTS,
    "environments.development": PortfolioNames.ENVIRONMENTS,
}


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The shipped sample, copied (a what-if writes nothing, but the file is the repo's)."""
    with pytest.MonkeyPatch.context() as patch:
        home = tmp_path_factory.mktemp("home")
        patch.setenv("FUSIONDESK_HOME", str(home))
        patch.setenv("FUSIONDESK_TODAY", TODAY)
        copy = home / "sample.fdesk"
        shutil.copy(SHIPPED, copy)
        portfolio = open_portfolio(copy, daily_backup=False)
        with portfolio.reading() as session:
            names = portfolio_names(session)
        yield portfolio, names
        portfolio.close()


def _tried_values(key: str, current, names: dict) -> list[str]:
    """Values to try for `key`, as typed: either side of the current one, the edges, lists
    emptied, shortened, grown and respelled."""
    kind = policy_key(key).kind
    if kind == BOOL:
        return ["false" if current else "true"]
    if kind == CHOICE:
        return [choice for choice in policy_key(key).choices if choice != current]
    if kind in (INT, FLOAT):
        low = policy_key(key).minimum
        spread = {low, low + 1, current / 4, current / 2, current - 1, current + 1, current * 2,
                  current * 10}
        if kind == INT:
            return [str(int(v)) for v in sorted(spread) if v == int(v)]
        return [f"{v:g}" for v in sorted(spread | {current * 0.99, current * 1.25})]
    return _tried_lists(key, list(current), names)


def _tried_lists(key: str, current: list[str], names: dict) -> list[str]:
    source = names[NAMES_FROM.get(key, PortfolioNames.SYSTEMS)]
    unlisted = [name for name in source if name.casefold() not in {c.casefold() for c in current}]
    tried = [[], current[1:], current + unlisted[:3], current + unlisted[3:12],
             [f"  {name.upper()} " for name in current]]
    if key.startswith("connectors.") and unlisted:
        # an entry for one platform only (core.connectors): 'Platform: Connector'
        platform = names[PortfolioNames.PLATFORMS][0]
        listed = current[0] if current else unlisted[-1]
        tried.append(current + [f"{platform}: {unlisted[0]}", f"{platform}: {listed}"])
    return ["; ".join(values) for values in tried]


def _compared(portfolio, settings: dict[str, str]):
    """(the narrow what-if, the what-if of every app), or None when the settings are refused."""
    with portfolio.reading() as session:
        policy = policy_in_force(session)
        try:
            for key, text in settings.items():
                policy = set_policy_value(policy, key, text)
        except PolicyError:
            return None
        return what_if(session, policy), what_if(session, policy, exhaustive=True)


@pytest.mark.parametrize("key", policy_keys())
def test_the_narrow_what_if_equals_classifying_every_app(shipped, key, monkeypatch):
    portfolio, names = shipped
    monkeypatch.setattr(reach_module, "NARROW_SHARE", 1.0)  # never the full path's fallback
    with portfolio.reading() as session:
        current = get_policy_value(policy_in_force(session), key)
    tried = moved = 0
    for value in _tried_values(key, current, names):
        compared = _compared(portfolio, {key: value})
        if compared is None:
            continue
        narrow, every = compared
        assert narrow == every, f"{key}={value!r}"
        tried += 1
        moved += bool(every.moved)
    assert tried >= 1, key
    read_by_rules = policy_key(key).attr not in UNREAD
    # a key the rules read moves some app in the sample (else this test proves nothing of it);
    # a key they do not read moves none
    assert bool(moved) == read_by_rules, key


@pytest.mark.parametrize("settings", [
    {"tier3.users": "20", "tier4.users": "200"},
    {"tier3.users": "80", "connectors.blocked": "Dropbox; Twitter", "flags.inactivity_days": "30"},
    {"environments.production": "Default", "environments.development": "Developer; Trial",
     "connectors.unlisted": "business"},
    {"flags.user_growth_factor": "1.2", "flags.critical_needs_it_support": "false",
     "value.hourly_rate": "90", "platforms.approved": "Power Apps"},
])
def test_several_keys_changed_at_once_reach_what_each_would(shipped, settings, monkeypatch):
    portfolio, _names = shipped
    monkeypatch.setattr(reach_module, "NARROW_SHARE", 1.0)
    narrow, every = _compared(portfolio, settings)
    assert every.moved and narrow == every


def test_a_threshold_reaches_only_the_apps_between_old_and_new(shipped):
    portfolio, _names = shipped
    with portfolio.reading() as session:
        before = policy_in_force(session)
        after = set_policy_value(before, "tier3.users", "40")
        reached = reached_apps(session, policy_reach(before, after, clock.today()))
        users = {db_id: facts.users for db_id, facts in load_facts(session).items()}
    assert reached == {db_id for db_id, n in users.items() if n is not None and 40 <= n < 50}
    assert 0 < len(reached) < len(users) / 4  # a few apps read, not the portfolio
