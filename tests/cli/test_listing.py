"""`apps` and `classify` at scale: the same rows as the one definition of each value,
--jsonl equal to --json, the two-process path equal to the one-process path, aligned
tables, and a reader that closes the pipe early."""

import json
import subprocess
import sys

import pytest
from sqlalchemy import select

from fusiondesk.cli import listing, listing_command
from fusiondesk.cli.app_rows import app_row, signs_of
from fusiondesk.cli.output import display_width, print_table
from fusiondesk.core import clock
from fusiondesk.core.gate import gate_problems
from fusiondesk.core.policy import default_policy
from fusiondesk.core.tiers import classify_many
from fusiondesk.core.values import app_values, json_value
from fusiondesk.db.store.apps import load_facts
from fusiondesk.services.classification import rules
from fusiondesk.services.classification.reclassify import policy_in_force


@pytest.fixture
def db(sample_db):
    return sample_db(60, 5)


def _classified(portfolio):
    with portfolio.reading() as session:
        facts = list(load_facts(session).values())
        results = classify_many(facts, policy_in_force(session), clock.today())
    return list(zip(facts, results))


def _json(value):
    return json.loads(json.dumps(value))  # tuples read back as lists, as a script sees them


def test_app_rows_say_what_json_value_says_field_by_field(sample_portfolio):
    for facts, result in _classified(sample_portfolio):
        expected = {name: json_value(name, value) for name, value in app_values(facts).items()}
        expected.update(tier=result.tier, flags=[f.name for f in result.flags], drift=result.drift)
        gated = dict(gate_problems(facts, result.tier, default_policy()))
        expected["gate"] = ("not gated" if facts.lifecycle != "production"
                            else "failed" if gated else "passed")
        row = app_row(facts, signs_of(result))
        assert list(row) == list(expected)  # the same keys, in template order
        assert _json(row) == _json(expected)


@pytest.mark.parametrize("command", ["apps", "classify"])
def test_jsonl_is_the_json_list_one_line_each(db, run, command):
    code, listed, _ = run("--db", db, command, "--json")
    streamed = run("--db", db, command, "--jsonl")[1]
    assert code == 0
    rows = json.loads(listed)
    assert len(rows) == 60
    assert [json.loads(line) for line in streamed.splitlines()] == rows
    assert listed.count("\n") == 62  # compact when piped: "[", one app per line, "]"


def test_apps_are_listed_in_name_order(db, run):
    rows = json.loads(run("--db", db, "apps", "--json")[1])
    keys = [(r["name"].lower(), r["app_id"]) for r in rows]
    assert keys == sorted(keys)


@pytest.mark.parametrize("argv", [["--tier", "3"], ["--flag", "single_owner"], ["--drift"]])
def test_filters_pick_the_same_apps_from_the_full_list(db, run, argv):
    every = json.loads(run("--db", db, "apps", "--json")[1])
    picked = [json.loads(line) for line in run("--db", db, "apps", "--jsonl", *argv)[1].splitlines()]
    if argv[0] == "--tier":
        expected = [r for r in every if r["tier"] == 3]
    elif argv[0] == "--flag":
        expected = [r for r in every if "single_owner" in r["flags"]]
    else:
        expected = [r for r in every if r["drift"]]
    assert picked == expected and expected  # the sample has apps of each kind


@pytest.mark.parametrize("command", ["apps", "classify"])
def test_a_second_process_gives_the_same_listing(db, run, monkeypatch, command):
    alone = run("--db", db, command, "--json")[1]
    monkeypatch.setattr(listing, "_RANGE", 7)  # 60 apps in 9 ranges: two halves, two processes
    halves = run("--db", db, command, "--json")
    assert halves[0] == 0 and halves[2] == ""
    assert halves[1] == alone


def test_a_second_process_started_before_opening_gives_the_same_listing(db, run, monkeypatch):
    alone = run("--db", db, "apps", "--json")[1]
    started = []
    monkeypatch.setattr(listing_command.SecondProcess, "start",
                        lambda self, real=listing_command.SecondProcess.start: (
                            started.append(1), real(self)))
    monkeypatch.setattr(listing_command, "_BIG_FILE", 0)  # the sample's file counts as big
    monkeypatch.setattr(listing, "_RANGE", 7)
    early = run("--db", db, "apps", "--json")
    assert early[0] == 0 and early[1] == alone
    assert started  # before opening, as a big file asks


def test_a_small_portfolio_in_a_big_file_starts_the_second_process_for_nothing(db, run,
                                                                             monkeypatch):
    alone = run("--db", db, "classify", "--json")[1]
    monkeypatch.setattr(listing_command, "_BIG_FILE", 0)  # started early, then not needed: let go
    assert run("--db", db, "classify", "--json")[1] == alone


def test_only_a_file_can_be_big():
    assert not listing_command._is_big_file("postgresql+psycopg://someone@server/portfolio")
    assert not listing_command._is_big_file("/nowhere/at/all.fdesk")


def test_json_and_jsonl_cannot_be_asked_together(db, run):
    code, _, err = run("--db", db, "apps", "--json", "--jsonl")
    assert code == 2 and "not allowed with" in err


def test_a_table_aligns_wide_and_unequal_values(capsys):
    rows = [{"name": "営業管理アプリ", "users": 5, "owner": "Zoë"},
            {"name": "Café", "users": 12345, "owner": "e\u0301mile"},  # a combining accent
            {"name": "A very long name " * 4, "users": None, "owner": "x"},
            {"name": "x", "users": 7, "owner": "中文"}]
    print_table(rows, ["name", "users", "owner"])
    lines = capsys.readouterr().out.splitlines()
    owner_at = display_width(lines[0][:lines[0].index("owner")])
    for line, row in zip(lines[1:], rows):
        # the owner column starts at the same terminal column on every line
        assert display_width(line[:line.rindex(row["owner"][-1]) + 1]) == owner_at + display_width(
            row["owner"])
    users_end = display_width(lines[0][:lines[0].index("users") + len("users")])
    for line, row in zip(lines[1:], rows):
        if row["users"] is not None:  # numbers end where the header ends: right-aligned
            text = str(row["users"])
            assert display_width(line[:line.index(text) + len(text)]) == users_end
    assert "…" in lines[3] and display_width(lines[3].split("  ")[0]) == 40


def _piped_into_a_reader_that_stops(argv: list[str]) -> tuple[str, int, str]:
    process = subprocess.Popen([sys.executable, "-m", "fusiondesk", *argv],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = process.stdout.readline().decode()
    process.stdout.close()  # as `| head -1` does
    err = process.stderr.read().decode()
    return first, process.wait(timeout=60), err


@pytest.mark.sqlite_only  # about the process and its pipe, not the database
def test_a_reader_closing_the_pipe_early_gets_no_broken_pipe(sample_db):
    # a table of 1,000 apps is twice a pipe's buffer: writing goes on after the close
    db = sample_db(1000, 5)
    for shown in ([], ["--jsonl"], ["--json"]):
        first, code, err = _piped_into_a_reader_that_stops(["--db", db, "apps", *shown])
        assert first.strip()
        assert err == ""
        assert code == 1  # as Python itself exits on a closed stdout


def _apps_listed(portfolio, encoded=True, wanted=None):
    with portfolio.reading() as session:
        return list(listing.listed(session, "apps", wanted or listing.Wanted(), encoded))


@pytest.mark.parametrize("encoded", [True, False])
def test_apps_print_the_stored_signs_and_they_are_the_ones_classified_now(sample_portfolio,
                                                                           monkeypatch, encoded):
    with sample_portfolio.reading() as session:
        assert rules.stored_signs_current(session)  # kept so by every change and open
    wanted = [listing.Wanted(), listing.Wanted(tier=3), listing.Wanted(flag="single_owner"),
              listing.Wanted(drift=True)]
    stored = [_apps_listed(sample_portfolio, encoded, w) for w in wanted]
    monkeypatch.setattr(listing, "stored_signs_current", lambda session: False)
    fresh = [_apps_listed(sample_portfolio, encoded, w) for w in wanted]
    assert stored == fresh and all(fresh)  # classified afresh: the same rows, filters alike


def _set_stored(portfolio, **columns):
    from sqlalchemy import update

    from fusiondesk.db.models import App

    with portfolio.transaction() as session:
        first = session.scalar(select(App.app_id).order_by(App.name).limit(1))
        session.execute(update(App).where(App.app_id == first).values(**columns))
    return first


def test_apps_classify_afresh_when_the_stored_signs_are_not_current(sample_portfolio):
    from fusiondesk.core.tiers import RULES_SETTING
    from fusiondesk.db.store.settings import write_setting

    fresh = json.loads(_apps_listed(sample_portfolio)[0])
    app_id = _set_stored(sample_portfolio, tier=1 if fresh["tier"] > 1 else 4, flags="inactive",
                         drift=not fresh["drift"])
    shown = json.loads(_apps_listed(sample_portfolio)[0])
    assert shown["app_id"] == app_id and shown["flags"] == ["inactive"]  # the stored ones, shown
    with sample_portfolio.transaction() as session:
        write_setting(session, RULES_SETTING, "0")  # stored under older rules: not current
    assert json.loads(_apps_listed(sample_portfolio)[0]) == fresh


def test_an_app_never_classified_is_classified_for_the_listing(sample_portfolio):
    fresh = _apps_listed(sample_portfolio)
    _set_stored(sample_portfolio, tier=None, flags=None, drift=None)
    assert _apps_listed(sample_portfolio) == fresh


def test_the_sort_key_orders_as_name_then_id_even_with_nuls_in_names():
    import itertools

    names = ["a", "A", "a\x00", "a\x00b", "a\x00\x00", "ab", "a b", "é", "", "\x00", "Zed", "a\x01"]
    ids = ["", "1", "\x00", "x", "\uffff", "Ω"]
    pairs = list(itertools.product(names, ids))
    by_tuple = sorted(pairs, key=lambda pair: (pair[0].lower(), pair[1]))
    by_key = sorted(pairs, key=lambda pair: listing.sort_key(*pair))
    assert [(n.lower(), i) for n, i in by_key] == [(n.lower(), i) for n, i in by_tuple]
