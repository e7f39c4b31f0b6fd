"""The facts of a whole portfolio read range by range, with what the ranges share read once.

A listing or a policy change reads 100,000 apps in ranges of a few thousand (so that two
processes can share them). Each range's owners and deployers name a third of the 30,000
people, so `load_facts` per range read and built most people again and again. A reader
reads the people, teams and builders' records once for the whole job, makes each owner
and integration once, and looks deployers up in memory; the facts are the ones
`load_facts` gives, field by field (tests/db/test_facts_reader.py holds them equal).

Only for a job during which people do not change: a reader keeps what it read for as
long as it lives (one listing, one reclassification).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fusiondesk.core.facts import AppFacts
from fusiondesk.core.values import name_key
from fusiondesk.db.models import Person
from fusiondesk.db.store.apps import read_facts
from fusiondesk.db.store.chunks import Scope
from fusiondesk.db.store.deployers import lower_spellings, named_once
from fusiondesk.db.store.driver import raw_rows
from fusiondesk.db.store.ownership import OwnersOnFile


class FactsReader:
    """`load_facts` for the ranges of one job, the people they name read at the first."""

    def __init__(self, for_classification: bool = False, derived: bool = True):
        self.for_classification = for_classification
        self.derived = derived  # as read_facts': without it, no reviews or deployers are read
        self._owners: OwnersOnFile | None = None
        self._deployers: DeployersOnFile | None = None
        self._links: dict = {}

    def read(self, session: Session, scope: Scope) -> dict[int, AppFacts]:
        """As `load_facts(session, scope=scope, for_classification=...)`."""
        if self._owners is None:
            self._owners = OwnersOnFile(session)
            self._deployers = DeployersOnFile(session)
        return read_facts(session, scope, self.for_classification,
                          self._owners.owners(session, scope), self._deployers, self._links,
                          self.derived)


class DeployersOnFile:
    """`read_deployers` with every person's e-mail, role and lower-case name read once
    (most deployers are named by e-mail: a name's match key is made only when asked).

    The lower-case form is the database's own (`lower()`), so a name is found here
    exactly when read_deployers' SQL would find it; names no one spells alike (other
    accents, "Family, Given") are still looked for by their words in SQL, as there.
    """

    def __init__(self, session: Session):
        self.roles: dict[str, str | None] = {}
        self.named: dict[str, list[tuple]] = defaultdict(list)
        query = select(Person.email, Person.name, Person.role, func.lower(Person.name))
        for email, name, role, lower in raw_rows(session, query):
            if email is not None:
                self.roles[email] = role
            if lower is not None:  # their name_key is made when a deployer's spelling is theirs
                self.named[lower].append((email or name, role, name))

    def __call__(self, session: Session, texts: Iterable[str | None]) -> dict[str, tuple[str, str | None]]:
        """As `read_deployers(session, texts)`."""
        texts = {t for t in texts if t}
        found: dict[str, tuple[str, str | None]] = {}
        for text in texts:
            if "@" in text:
                email = text.strip().lower()
                if email in self.roles:
                    found[text] = (email, self.roles[email])
        names = {t for t in texts if "@" not in t}
        if names:
            found.update(self._by_name(session, names))
        return found

    def _by_name(self, session: Session, names: set[str]) -> dict[str, tuple[str, str | None]]:
        keys = {name_key(n): n for n in names}
        matches: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
        for spelling in lower_spellings(names):
            for who, role, name in self.named.get(spelling, ()):
                key = name_key(name)
                if key in keys and (who, role) not in matches[key]:
                    matches[key].append((who, role))
        return named_once(session, keys, matches)
