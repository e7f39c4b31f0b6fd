"""Owners an import names: e-mails as they are, display names matched to people.

Platform exports give owners as display names ("Adele Vance"). Each name is matched
to the one person with that name (case, accents and spacing ignored), whether the
portfolio has them already or the file's own People sheet adds them. A name nobody
has becomes a person without an e-mail, flagged for completion; a name two people
share is reported with both and left out, never guessed.
"""

from __future__ import annotations

from fusiondesk.core.fields import OWNER_COLUMNS
from fusiondesk.services.importing.people import KnownPeople
from fusiondesk.services.importing.plan import ImportPlan
from fusiondesk.sheets.normalise import NormalisedTable
from fusiondesk.sheets.problems import WARNING, Problem

_PERSON_OWNER_FIELDS = tuple(OWNER_COLUMNS)


class OwnerNames:
    """Resolves owner cells to owner keys (an e-mail, or the name of someone without one)."""

    def __init__(self, plan: ImportPlan, known: KnownPeople, problems: list[Problem]) -> None:
        self.plan, self.known, self.problems = plan, known, problems
        self._cells: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._where: tuple[str, int, str] = ("", 0, "")

    def resolve(self, tables: list[NormalisedTable], labels: dict[str, dict[str, str]]) -> None:
        """Rewrite every owner cell of the app sheets in place."""
        for table in tables:
            mapped = [f for f in _PERSON_OWNER_FIELDS if f in labels[table.sheet]]
            if not _emails_only(table, mapped):  # names to match: row by row, to report each
                self._resolve_rows(table, mapped, labels)
                table.values_changed()

    def _resolve_rows(self, table: NormalisedTable, mapped: list[str],
                      labels: dict[str, dict[str, str]]) -> None:
        for record in table.records:
            values = record.values
            for field in mapped:
                cell = values.get(field)
                if cell:
                    self._where = (table.sheet, record.row, labels[table.sheet][field])
                    values[field] = self._cell(cell)

    def _cell(self, cell: tuple[str, ...]) -> tuple[str, ...] | None:
        found = self._cells.get(cell)
        if found is None:
            keys = (self._owner(item) for item in cell)
            found = self._cells[cell] = tuple(dict.fromkeys(k for k in keys if k))
        return found or None

    def _owner(self, item: str) -> str | None:
        if "@" in item:
            return item
        matches = self.known.owners_named(item)
        if len(matches) == 1:
            return matches[0]
        if matches:
            self._report(item, f"“{item}” could be any of {len(matches)} people "
                               f"({', '.join(matches[:4])}); this owner was left out — write "
                               "their e-mail in the file to say which")
            return None
        self.known.by_name[self.known.key_of[item]].append(item)
        self.plan.new_named_owners.append(item)
        self._report(item, f"owner “{item}” is not in the portfolio; added as a person without "
                           "an e-mail — import the directory (e.g. Entra ID users) or add the "
                           "e-mail on the People page")
        return item

    def _report(self, item: str, message: str) -> None:
        sheet, row, column = self._where
        self.problems.append(Problem(sheet, row, column, item, message, WARNING))



def _emails_only(table: NormalisedTable, mapped: list[str]) -> bool:
    """True if every owner cell names people by e-mail only, each once: then each cell is
    its own resolution, nothing is reported, and no row needs rewriting.

    Judged per distinct cell (100,000 rows name some 50,000 owner combinations), the
    cells gathered in C.
    """
    for field in mapped:
        for cell in set(table.column(field)):
            if cell and not (all("@" in item for item in cell) and len(set(cell)) == len(cell)):
                return False
    return True
