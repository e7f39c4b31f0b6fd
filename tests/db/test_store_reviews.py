"""The review table's store: rows with their app, the queues' filters and order, writes and restores."""

from datetime import date

from fusiondesk.core.facts import AppFacts
from fusiondesk.core.terms import ReviewOutcome, ReviewType
from fusiondesk.db.store import reviews
from fusiondesk.db.store.chunks import CHUNK
from fusiondesk.services.apps import bulk

DAY = date(2026, 11, 1)


def _apps(portfolio, *app_ids):
    with portfolio.transaction() as session:
        return bulk.insert_apps(session, [AppFacts(a, f"App {a}") for a in app_ids])


def _review(db_id, kind=ReviewType.SECURITY, due=None, reviewer=None, completed=None):
    return {"app_id": db_id, "type": kind, "requested": DAY, "due": due,
            "reviewer_email": reviewer, "completed": completed}


def test_new_reviews_get_their_ids_in_order_and_read_back_with_their_app(empty_portfolio):
    ids = _apps(empty_portfolio, "A")
    with empty_portfolio.transaction() as session:
        first, second = reviews.insert_reviews(session, [
            _review(ids["A"], due=date(2026, 11, 9)), _review(ids["A"], ReviewType.PERIODIC)])
    with empty_portfolio.reading() as session:
        (row,) = reviews.review_rows(session, second)
        assert row == (second, "A", "App A", ReviewType.PERIODIC, DAY, None, None, None, None, None)
        assert len(row) == 3 + len(reviews.REVIEW_FIELDS)
        assert reviews.review_rows(session, second + 1) == []
        assert [r[0] for r in reviews.app_review_rows(session, ids["A"])] == [second, first]


def test_open_reviews_filter_by_reviewer_and_due_day_and_put_the_undated_last(empty_portfolio):
    ids = _apps(empty_portfolio, "A")
    with empty_portfolio.transaction() as session:
        undated, late, soon, done = reviews.insert_reviews(session, [
            _review(ids["A"], reviewer="rev@example.com"),
            _review(ids["A"], due=date(2026, 10, 30), reviewer="rev@example.com"),
            _review(ids["A"], due=date(2026, 11, 3)),
            _review(ids["A"], due=date(2026, 10, 1), completed=DAY)])
    with empty_portfolio.reading() as session:
        def open_ids(**filters):
            return [r[0] for r in reviews.open_review_rows(session, **filters)]

        assert open_ids() == [late, soon, undated]
        assert open_ids(reviewer="rev@example.com") == [late, undated]
        assert open_ids(due_before=DAY) == [late]
        assert open_ids(due_between=(DAY, date(2026, 11, 7))) == [soon]
        assert reviews.first_open_review(session, ids["A"], ReviewType.SECURITY) == late
        assert reviews.has_open_review(session, ids["A"], ReviewType.SECURITY)
        assert not reviews.has_open_review(session, ids["A"], ReviewType.PERIODIC)
        assert reviews.first_open_review(session, ids["A"], ReviewType.PERIODIC) is None
        assert (ids["A"], ReviewType.SECURITY, None, DAY) in reviews.review_states(session)
        assert done not in open_ids()


def test_an_undone_deletion_restores_the_old_id_while_it_is_free(empty_portfolio):
    ids = _apps(empty_portfolio, "A")
    with empty_portfolio.transaction() as session:
        (kept,) = reviews.insert_reviews(session, [_review(ids["A"])])
        reviews.update_review(session, kept, {"outcome": ReviewOutcome.APPROVED})
        values = {name: value for name, value in zip(
            ("app_id", *reviews.REVIEW_FIELDS), (ids["A"], *reviews.review_rows(session, kept)[0][3:]))}
        reviews.delete_review(session, kept)
        assert reviews.review_rows(session, kept) == []
        assert reviews.restore_review(session, values, kept) == kept
        again = reviews.restore_review(session, values, kept)  # taken now: a new id
        assert again != kept
        assert reviews.review_rows(session, again)[0][3:] == reviews.review_rows(session, kept)[0][3:]
        assert reviews.review_rows(session, kept)[0][7] == ReviewOutcome.APPROVED


def test_review_states_of_more_apps_than_one_statement_can_name(empty_portfolio):
    ids = _apps(empty_portfolio, *(f"A-{n}" for n in range(CHUNK + 50)))
    with empty_portfolio.transaction() as session:
        reviews.insert_reviews(session, [_review(db_id) for db_id in ids.values()])
    with empty_portfolio.reading() as session:
        states = reviews.review_states(session, sorted(ids.values()))
        assert sorted(s[0] for s in states) == sorted(ids.values())
