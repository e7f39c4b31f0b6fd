"""Who an app's `deployed_by` text names: a person found by e-mail, or by a name only one has.

The deployment-path check (core.gate) compares the deployer's role with the path the tier
calls for; a deployer nobody in the portfolio matches is unknown, never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fusiondesk.core.values import name_key
from fusiondesk.db.models import App, Person
from fusiondesk.db.store.chunks import chunks


def read_deployers(session: Session, texts: Iterable[str | None]) -> dict[str, tuple[str, str | None]]:
    """Who each `deployed_by` text names: (the person's owner key, their role).

    An e-mail names the person with it; a display name the one person whose name matches
    (case, accents, spacing and word order ignored, as owners' names are matched). A text
    naming nobody, or a name several people share, is left out: the deployer is unknown.
    Only the people these texts can name are read, so most chunks of a portfolio cost one
    small statement or none.
    """
    texts = {t for t in texts if t}
    emails: dict[str, list[str]] = defaultdict(list)
    for text in texts:
        if "@" in text:
            emails[text.strip().lower()].append(text)
    names = {t for t in texts if "@" not in t}
    found: dict[str, tuple[str, str | None]] = {}
    for group in chunks(sorted(emails)):
        for email, role in session.execute(select(Person.email, Person.role)
                                           .where(Person.email.in_(group))):
            found.update(dict.fromkeys(emails[email], (email, role)))
    if names:
        found.update(_deployers_by_name(session, names))
    return found


def apps_deployed_by(session: Session, keys: Iterable[str | None]) -> list[int]:
    """Database ids of the apps whose `deployed_by` names one of these e-mails or names
    (names matched as `read_deployers` matches them)."""
    keys = {k.strip() for k in keys if k and k.strip()}
    emails = sorted(k.lower() for k in keys if "@" in k)
    found = set(session.scalars(select(App.id).where(func.lower(App.deployed_by).in_(emails))))
    names = {name_key(k) for k in keys if "@" not in k}
    words = sorted({w for k in keys if "@" not in k for w in k.casefold().split()})
    if words:  # pre-selected by a word in SQL, matched on the name key here
        query = select(App.id, App.deployed_by).where(
            or_(*(func.lower(App.deployed_by).like(f"%{w}%") for w in words)))
        found.update(db_id for db_id, text in session.execute(query) if name_key(text) in names)
    return sorted(found)


def _deployers_by_name(session: Session, names: set[str]) -> dict[str, tuple[str, str | None]]:
    # Most registers spell a name as the directory does: those are found by their lower-case
    # form, in SQL (the People table, ~30,000 at scale, is never read whole for them). Only
    # the rest (other accents, "Family, Given") are looked for by their words.
    keys = {name_key(n): n for n in names}
    matches: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    query = select(Person.email, Person.name, Person.role)
    for group in chunks(sorted(lower_spellings(names))):
        _match_names(session.execute(query.where(func.lower(Person.name).in_(group))), keys, matches)
    return named_once(session, keys, matches)


def lower_spellings(names: Iterable[str]) -> set[str]:
    """The lower-case forms, single-spaced, that `read_deployers` looks names up by."""
    return {" ".join(n.split()).lower() for n in names}


def named_once(session: Session, keys: dict[str, str], matches: dict) -> dict[str, tuple[str, str | None]]:
    """The names (by name key in `keys`) that name exactly one person, once the people found
    by their lower-case spelling are in `matches`; the names none matched are looked for
    by their words."""
    rest = [n for key, n in keys.items() if key not in matches]
    words = {w for n in rest for w in n.casefold().replace(",", " ").split()}
    if words:
        query = select(Person.email, Person.name, Person.role)
        if len(words) <= 200:  # beyond that, one read of every named person costs less
            query = query.where(or_(*(func.lower(Person.name).like(f"%{w}%") for w in sorted(words))))
        _match_names(session.execute(query.where(Person.name.is_not(None))),
                     {name_key(n): n for n in rest}, matches)
    return {keys[key]: found[0] for key, found in matches.items() if len(found) == 1}


def _match_names(rows, keys: dict[str, str], matches: dict) -> None:
    """Add the people among `rows` (e-mail, name, role) whose name key is one of `keys`
    (each person once)."""
    for email, name, role in rows:
        key = name_key(name)
        if key in keys and (email or name, role) not in matches[key]:
            matches[key].append((email or name, role))
