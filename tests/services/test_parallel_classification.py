"""A policy change classified on two cores stores exactly what one core would."""

import pytest
from sqlalchemy import select

from fusiondesk.core.policy import set_policy_value
from fusiondesk.db.models import App, Review
from fusiondesk.services.classification import parallel as parallel_classification
from fusiondesk.services.classification import reach
from fusiondesk.services.classification import reclassify as classification
from fusiondesk.services.classification.governance import replace_policy
from fusiondesk.services.classification.reclassify import policy_in_force

COLUMNS = (App.app_id, App.tier, App.possible_tier, App.flags, App.drift, App.policy_version)


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

    _reviews_before = len(_reviews(sample_portfolio))
    sample_portfolio.close()
    twin_path = tmp_path / "twin.fdesk"
    shutil.copyfile(sample_portfolio.location.path, twin_path)
    serial, parallel = sample_portfolio, open_portfolio(twin_path)
    # every app reclassified, as when a change cannot be bounded (not the apps in its reach)
    monkeypatch.setattr(reach, "NARROW_SHARE", -1)

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
    # the apps the change put in a higher tier get the same reviews, found while classifying
    assert _reviews(parallel) == _reviews(serial) and len(_reviews(serial)) > _reviews_before
    parallel.close()


def _reviews(portfolio):
    with portfolio.reading() as session:
        return sorted(session.execute(select(App.app_id, Review.type, Review.requested, Review.due)
                                      .join(App, App.id == Review.app_id)).all())


def test_ranges_shared_from_both_ends_are_each_done_once():
    from concurrent.futures import ThreadPoolExecutor

    ranges = [(n * 10, n * 10 + 9) for n in range(9)]
    here, arrived = [], {}

    def there(spans, factor):  # what the second process would run: a result per range
        return [span[0] * factor for span in spans]

    with ThreadPoolExecutor(max_workers=1) as pool:
        parallel_classification.share_ranges(pool, ranges, here.append,
                                             arrived.__setitem__, there, 2)
    assert sorted(here + list(arrived)) == ranges  # every range once, by one side or the other
    assert here == ranges[:len(here)] and here  # this process from the first on
    assert all(result == span[0] * 2 for span, result in arrived.items())



def test_the_second_side_is_never_sent_a_range_ahead_of_its_work():
    """A range queued for the second process is one this process cannot take when it runs
    out: the second is sent its next range only as it hands one back."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    ranges = [(n, n) for n in range(12)]
    lock, counts = threading.Lock(), {"open": 0, "most": 0}

    class Counting(ThreadPoolExecutor):
        def submit(self, fn, *args):
            with lock:
                counts["open"] += 1
                counts["most"] = max(counts["most"], counts["open"])
            return super().submit(fn, *args)

    def there(spans):
        time.sleep(0.01)
        with lock:
            counts["open"] -= 1
        return [spans[0]]

    done = []
    with Counting(max_workers=1) as pool:
        parallel_classification.share_ranges(pool, ranges, lambda span: time.sleep(0.01) or
                                             done.append(span), lambda span, _: done.append(span),
                                             there)
    assert sorted(done) == ranges
    assert counts["most"] == 1


def test_the_last_range_is_halved_and_every_id_is_still_done_once(monkeypatch):
    """The two sides end together: the last range left is cut in halves as it is taken."""
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(parallel_classification, "_LEAST_SPAN", 4)
    ranges = [(1, 40), (41, 80), (81, 120)]
    here, arrived = [], []
    with ThreadPoolExecutor(max_workers=1) as pool:
        parallel_classification.share_ranges(pool, ranges, here.append,
                                             lambda span, result: arrived.append(result),
                                             lambda spans: list(spans))
    done = sorted(here + arrived)
    ids = [i for low, high in done for i in range(low, high + 1)]
    assert ids == list(range(1, 121))  # every id once, in ranges that touch end to end
    assert len(done) > len(ranges)  # the last one was halved
    assert min(high - low + 1 for low, high in done) >= 4
