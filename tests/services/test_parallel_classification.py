"""A policy change classified on two cores stores exactly what one core would."""

import pytest
from sqlalchemy import select

from fusiondesk.core.policy import set_policy_value
from fusiondesk.db.models import App
from fusiondesk.services.classification import parallel as parallel_classification
from fusiondesk.services.classification import reclassify as classification
from fusiondesk.services.classification.governance import replace_policy
from fusiondesk.services.classification.reclassify import policy_in_force

COLUMNS = (App.app_id, App.tier, App.possible_tier, App.tier_reasons, App.unknowns, App.flags,
           App.drift, App.policy_version)


def _stored(portfolio):
    with portfolio.reading() as session:
        return sorted(session.execute(select(*COLUMNS)).all())


def _change_policy(portfolio):
    with portfolio.transaction() as session:
        replace_policy(session, set_policy_value(policy_in_force(session), "tier3.users", "5"), "tester")


@pytest.mark.sqlite_only  # compares against a copy of the portfolio file
def test_two_cores_store_the_same_classifications_as_one(sample_portfolio, tmp_path, monkeypatch):
    import shutil

    from fusiondesk.db.engine import open_portfolio

    sample_portfolio.close()
    twin_path = tmp_path / "twin.fdesk"
    shutil.copyfile(sample_portfolio.location.path, twin_path)
    serial, parallel = sample_portfolio, open_portfolio(twin_path)

    monkeypatch.setattr(classification, "PARALLEL_FROM", 10 ** 9)
    _change_policy(serial)

    used = []
    real = parallel_classification.reclassify_on_two_cores
    monkeypatch.setattr(parallel_classification, "reclassify_on_two_cores",
                        lambda *a, **k: used.append(True) or real(*a, **k))
    monkeypatch.setattr(classification, "PARALLEL_FROM", 1)
    monkeypatch.setattr(classification, "_BATCH", 10)  # six ranges: three here, three in the worker
    _change_policy(parallel)

    assert used == [True]
    assert _stored(parallel) == _stored(serial)
    assert {row[-1] for row in _stored(parallel)} == {2}
    parallel.close()
