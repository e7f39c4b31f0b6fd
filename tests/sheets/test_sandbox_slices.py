"""The parser child's slices: equal texts arrive as one object, every other value as it was."""

from __future__ import annotations

from openpyxl import Workbook

from fusiondesk.sheets.sandbox import Budget, ParserProcess, Source


def test_equal_texts_arrive_shared_and_numbers_and_booleans_unmerged(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Apps"
    for row in (["Platform", "Users", "Custom"], ["Zapier", 1, True], ["Zapier", 1.5, 1],
                ["UiPath", True, 1.0]):
        sheet.append(row)
    path = tmp_path / "shared.xlsx"
    workbook.save(path)

    parser = ParserProcess(Source(str(path), None, False), Budget(1024 ** 3, 30))
    try:
        rows, _ = parser.read("Apps", 100)
    finally:
        parser.close()

    assert rows[1][0] == rows[2][0] == "Zapier" and rows[1][0] is rows[2][0]
    # 1.0 and True are equal as keys: each still arrives as what its cell holds
    assert rows[1:] == [["Zapier", 1.0, True], ["Zapier", 1.5, 1.0], ["UiPath", True, 1.0]]
    assert [[type(v) for v in row[1:]] for row in rows[1:]] == \
           [[float, bool], [float, float], [bool, float]]
