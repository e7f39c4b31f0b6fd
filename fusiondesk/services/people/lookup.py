"""Finding the portfolio's people from what another file says of them: an e-mail, else a name.

Used by the imports that name people without creating them (training records, team
memberships): a name matches the one person who has it (case, accents and spacing aside);
a name two people share matches nobody rather than a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from fusiondesk.core.values import name_key
from fusiondesk.db.store import Session
from fusiondesk.db.store.certifications import people_keys
from fusiondesk.sheets.problems import SheetError


@dataclass(frozen=True, slots=True)
class PeopleIndex:
    """Person ids by key (e-mail, or name while they have none), and keys by name."""

    ids: dict[str, int]
    by_name: dict[str, str]

    def key_of(self, email: str | None, name: str | None) -> str | None:
        """The key of the person an e-mail or a name points at, or None."""
        if email and email in self.ids:
            return email
        return self.by_name.get(name_key(name or ""))


def people_index(session: Session) -> PeopleIndex:
    """Everyone in the portfolio, indexed for matching."""
    ids: dict[str, int] = {}
    by_name: dict[str, str | None] = {}
    for person_id, key, name in people_keys(session):
        ids[key] = person_id
        if name:
            name = name_key(name)
            by_name[name] = None if name in by_name and by_name[name] != key else key
    return PeopleIndex(ids, {n: k for n, k in by_name.items() if k})


def refuse_a_list_of_strangers(source: str, named: list[tuple[str | None, str | None]],
                               people: PeopleIndex) -> None:
    """SheetError when a list names people but none of them is in the portfolio.

    The wrong file, or the directory not imported yet: refused before anything is written,
    rather than reported as hundreds of rows of strangers with nothing done. `named` holds
    each row's (e-mail, name).
    """
    if named and all(people.key_of(email, name) is None for email, name in named):
        raise SheetError(f"{source}: none of the {len(named)} people it lists is in the "
                         "portfolio (matched by e-mail or name); import the directory first, "
                         "or check that this is the right file.")
