"""Rows that are not records are the same whether the leading columns' texts are given or gathered."""

from fusiondesk.sheets.rows import LABEL_COLUMNS, column_texts, non_records

HEADERS = ["App ID", "App name", "Department", "Users", "Owner"]
ROWS = [
    (2, ("APP-1", "Expenses", "Finance", 12, "a@contoso.example")),
    (3, ("APP-2", "Total Rewards Portal", "HR", 40, "b@contoso.example")),  # an app
    (4, ("Subtotal Finance", "", "", 52, "")),
    (5, ("App ID", "App name", "Department", "Users", "Owner")),  # the header again
    (6, ("APP-3", "Leave planner", "HR", 7, "c@contoso.example")),
    (7, ("", "Total", "", 59, "")),
    (8, ("Source: the admin centre export", "", "", "", "")),
]


def test_non_records_from_given_texts_equal_those_gathered_from_the_rows():
    texts = [column_texts([values[c] for _, values in ROWS])
             for c in range(min(LABEL_COLUMNS, len(HEADERS)))]
    gathered = non_records(ROWS, HEADERS)
    assert sorted(gathered) == [4, 5, 7, 8]
    assert "a total row" in gathered[4] and "repeat of the header" in gathered[5]
    assert non_records(ROWS, HEADERS, texts) == gathered


def test_given_texts_without_a_suspect_look_at_no_row():
    texts = [column_texts([values[c] for _, values in ROWS[:2]]) for c in range(LABEL_COLUMNS)]
    assert non_records(ROWS[:2], HEADERS, texts) == non_records(ROWS[:2], HEADERS) == {}
