"""Which source column holds which canonical field: synonyms first, then fuzzy matching."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

from fusiondesk.core.fields import APP_FIELDS, PERSON_FIELDS, Field
from fusiondesk.sheets import refusals
from fusiondesk.sheets.header_synonyms import (
    APP_SYNONYMS,
    IGNORED_HEADERS,
    PERSON_SYNONYMS,
    SYSTEM_PREFIXES,
)

APPS, PEOPLE = "apps", "people"

# Confidence of each kind of match; fuzzy matches always rank below known synonyms.
CANONICAL, SYNONYM, CONTAINS, FUZZY_CEILING = 1.0, 0.9, 0.75, 0.85
MIN_CONFIDENCE = 0.6
# A record's identity is never guessed: a column feeds app_id, name or email only on a
# known spelling, or when it contains a known one of two words or more ("App Name (EN)").
IDENTITY_FIELDS = frozenset({"app_id", "name", "email"})
IDENTITY_CONFIDENCE = CONTAINS + 0.04
_FUZZY_RATIO = 0.8


_SHEET_ENTITIES = {
    "people": PEOPLE, "person": PEOPLE, "persons": PEOPLE, "makers": PEOPLE,
    "staff": PEOPLE, "employees": PEOPLE, "owners": PEOPLE, "users": PEOPLE,
    "apps": APPS, "app": APPS, "applications": APPS, "inventory": APPS,
    "app inventory": APPS, "solutions": APPS, "portfolio": APPS,
}

_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True, slots=True)
class ColumnSuggestion:
    """The field a source column most likely holds, how sure we are, and why."""

    header: str
    field: str | None
    confidence: float
    reason: str


_CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def header_key(text: str) -> str:
    """A header reduced to lower-case words: "Department/BU" → "department bu".

    camelCase and PascalCase split into words, as PowerShell and Graph exports write
    them: "DisplayName" → "display name", "userPrincipalName" → "user principal name".
    """
    text = _CAMEL_CASE.sub(" ", str(text)).casefold().replace("#", " number ").replace("&", " and ")
    return _NOT_ALPHANUMERIC.sub(" ", text).strip()


def fields_for(entity: str) -> tuple[Field, ...]:
    """The canonical fields of "apps" or "people"."""
    return PERSON_FIELDS if entity == PEOPLE else APP_FIELDS


def synonyms_for(fields: Sequence[Field]) -> dict[str, tuple[str, ...]]:
    """The header synonyms table that goes with a field list."""
    if fields is PERSON_FIELDS or fields is APP_FIELDS:
        return PERSON_SYNONYMS if fields is PERSON_FIELDS else APP_SYNONYMS
    # another source's own fields (a training-records export) bring their own spellings
    return {f.name: f.headers for f in fields if f.headers}


def _canonical_keys(field: Field) -> set[str]:
    return {header_key(field.name), header_key(field.label)}


def _exact_index(fields: Sequence[Field]) -> dict[str, tuple[str, float, str]]:
    table = synonyms_for(fields)
    index: dict[str, tuple[str, float, str]] = {}
    for field in fields:
        for key in table.get(field.name, ()):
            index.setdefault(key, (field.name, SYNONYM, f"known synonym for {field.label}"))
    for field in fields:  # canonical names win over any synonym
        for key in _canonical_keys(field):
            index[key] = (field.name, CANONICAL, "canonical field name")
    return index


def is_known_header(text: object) -> bool:
    """True when a cell reads exactly like a header of some app or person field."""
    if not isinstance(text, str):
        return False
    key = header_key(text)
    return key in _KNOWN_HEADER_KEYS


# What a column of platform ids (see sheets/identity.py) may feed, whatever its header.
ID_FIELDS = frozenset({"app_id", "environment", "email", "manager_email"})
_ID_REASON = "holds a distinct platform id (GUID or record number) on every row"


def suggest_mapping(headers: Sequence[str], fields: Sequence[Field] = APP_FIELDS,
                    ids: Mapping[str, bool] | None = None,
                    emails: Iterable[str] = ()) -> list[ColumnSuggestion]:
    """Suggest a field for each header; each field goes to at most one header (best wins).

    `ids` names the columns whose values are platform ids, and whether the header says
    they are the row's own: such a column is never a name, and may be the app's id.
    `emails` names the columns that hold addresses: where an "Owner" column of display
    names and an "Owner email" column compete, the addresses win.
    """
    candidates = [_candidates(header, fields) for header in headers]
    if ids:
        candidates = [_as_id_column(options, ids[header], fields) if header in ids else options
                      for header, options in zip(headers, candidates)]
    addressed = set(emails)
    if addressed:
        candidates = [_prefer_addresses(options) if header in addressed else options
                      for header, options in zip(headers, candidates)]
    chosen = _assign(candidates)
    return [_suggestion(header, candidates[i], chosen.get(i), fields)
            for i, header in enumerate(headers)]


_ADDRESS_FIELDS = frozenset({"primary_owner", "co_owners", "business_owner", "prodev_partner",
                             "email", "manager_email"})


def _prefer_addresses(options: dict[str, tuple[float, str]]) -> dict[str, tuple[float, str]]:
    return {f: (round(min(score + 0.04, CANONICAL), 2), why) if f in _ADDRESS_FIELDS else (score, why)
            for f, (score, why) in options.items()}


def _as_id_column(options: dict[str, tuple[float, str]], own: bool,
                  fields: Sequence[Field]) -> dict[str, tuple[float, str]]:
    kept = {f: score for f, score in options.items() if f in ID_FIELDS}
    if own and "app_id" not in kept and any(f.name == "app_id" for f in fields):
        kept["app_id"] = (SYNONYM, _ID_REASON)
    return kept


def mapping_for(headers: Sequence[str], fields: Sequence[Field] | None = None,
                min_confidence: float = MIN_CONFIDENCE, sheet: str | None = None,
                ) -> dict[str, str]:
    """The suggested mapping as {header: field}, leaving out unsure and unmatched columns."""
    fields = fields or fields_for(detect_entity(headers, sheet))
    return {s.header: s.field for s in suggest_mapping(headers, fields)
            if s.field and s.confidence >= min_confidence}


def detect_entity(headers: Iterable[str], sheet: str | None = None) -> str:
    """"people" or "apps": a sheet named People or Apps decides, else the headers do."""
    by_sheet = _SHEET_ENTITIES.get(header_key(sheet or ""))
    if by_sheet:
        return by_sheet
    keys = {header_key(h) for h in headers}
    people = sum(1 for k in keys if _PERSON_INDEX.get(k, ("name",))[0] in _PERSON_ONLY)
    apps = sum(1 for k in keys if _APP_INDEX.get(k, ("name",))[0] in _APP_ONLY)
    return PEOPLE if people > apps else APPS


# A list of people (members, training records) has at most an id or a notes column that
# happens to share an app field's name; an inventory has many columns only apps have.
_INVENTORY_COLUMNS = 4


def refuse_an_inventory(source: str, headers: Sequence[str], wanted: str, instead: str) -> None:
    """SheetError when a list of people is an app inventory, whose Name and Owner columns
    would otherwise be read as the people it lists."""
    apps_only = [h for h in headers if _APP_INDEX.get(header_key(h), ("name",))[0] in _APP_ONLY]
    if len(apps_only) >= _INVENTORY_COLUMNS:
        raise refusals.an_inventory(source, apps_only, wanted, instead)


def _candidates(header: str, fields: Sequence[Field]) -> dict[str, tuple[float, str]]:
    """Every field this header could mean, with the confidence and reason of the best match.

    Exact keys first, then the synonyms the header contains (its runs of words looked
    up, not every synonym scanned), then fuzzy matching against the few synonyms that
    begin like the header: linear in the number of headers, so a sheet of 16,384
    columns maps in well under a second.
    """
    key = header_key(header)
    if not key or key in IGNORED_HEADERS or key.startswith(SYSTEM_PREFIXES):
        return {}
    index = _index_for(fields)
    exact = index.get(key)
    if exact:
        field, confidence, reason = exact
        return {field: (confidence, reason)}
    found: dict[str, tuple[float, str]] = {}
    for synonym, score in (*_contained(key, index), *_similar(key, index)):
        field = index[synonym][0]
        if score[0] > found.get(field, (0.0, ""))[0]:
            found[field] = score
    return {field: score for field, score in found.items()
            if field not in IDENTITY_FIELDS or score[0] >= IDENTITY_CONFIDENCE}


_LONGEST_SYNONYM = 6  # words: longer runs of a header are never a synonym


def _contained(key: str, index: dict) -> list[tuple[str, tuple[float, str]]]:
    """Synonyms that stand inside the header as whole words: "owner email" in "app owner email"."""
    words = key.split()
    runs = {" ".join(words[i:j]) for i in range(len(words))
            for j in range(i + 1, min(len(words), i + _LONGEST_SYNONYM) + 1)
            if j - i < len(words)}
    # Longer contained synonyms are more telling: "owner email" beats "owner".
    return [(run, (CONTAINS + min(len(run.split()), 3) * 0.02, f"contains “{run}”"))
            for run in runs if run in index and len(run) > 3]


def _similar(key: str, index: dict) -> list[tuple[str, tuple[float, str]]]:
    """Misspellings: synonyms that begin like the header and are nearly the same text."""
    found = []
    for synonym in _stems_of(index).get(key[:_STEM], ()):
        shorter, longer = sorted((len(key), len(synonym)))
        if 2 * shorter < _FUZZY_RATIO * (shorter + longer):
            continue  # lengths this far apart cannot be similar enough (real_quick_ratio)
        matcher = _matcher(synonym)
        matcher.set_seq1(key)
        if matcher.quick_ratio() >= _FUZZY_RATIO and (ratio := matcher.ratio()) >= _FUZZY_RATIO:
            found.append((synonym, (round(ratio * FUZZY_CEILING, 2), f"similar to “{synonym}”")))
    return found


@lru_cache(maxsize=None)
def _matcher(synonym: str) -> SequenceMatcher:
    # difflib indexes the second sequence; a synonym's index is built once, not per header.
    return SequenceMatcher(None, "", synonym)


_STEM = 3


def _stems_of(index: dict[str, tuple[str, float, str]]) -> dict[str, tuple[str, ...]]:
    if index is _APP_INDEX or index is _PERSON_INDEX:  # the two built once, at import
        if id(index) not in _STEMS:
            _STEMS[id(index)] = _grouped_by_stem(index)
        return _STEMS[id(index)]
    return _grouped_by_stem(index)


def _grouped_by_stem(index: dict[str, tuple[str, float, str]]) -> dict[str, tuple[str, ...]]:
    # Indexed by how each synonym begins: a misspelt header nearly always keeps its
    # first three letters ("Enviroment", "Ownr Emial", "Last Modifed On").
    grouped: dict[str, set[str]] = {}
    for synonym in index:
        grouped.setdefault(synonym[:_STEM], set()).add(synonym)
    return {stem: tuple(sorted(found)) for stem, found in grouped.items()}


_STEMS: dict[int, dict[str, tuple[str, ...]]] = {}


def _assign(candidates: list[dict[str, tuple[float, str]]]) -> dict[int, str]:
    """Give each field to the header that matches it best; earlier headers win ties."""
    ranked = sorted(((score, -i, field) for i, options in enumerate(candidates)
                     for field, (score, _) in options.items()
                     if score >= MIN_CONFIDENCE), reverse=True)
    chosen: dict[int, str] = {}
    used: set[str] = set()
    for _, negative_index, field in ranked:
        index = -negative_index
        if index not in chosen and field not in used:
            chosen[index] = field
            used.add(field)
    return chosen


def _suggestion(header: str, options: dict[str, tuple[float, str]], field: str | None,
                fields: Sequence[Field]) -> ColumnSuggestion:
    if field:
        confidence, reason = options[field]
        return ColumnSuggestion(header, field, confidence, reason)
    if options:
        best = max(options, key=lambda name: options[name][0])
        if options[best][0] >= MIN_CONFIDENCE:
            return ColumnSuggestion(header, None, 0.0,
                                    f"best match {best} is already used by another column")
        return ColumnSuggestion(header, None, 0.0, f"no field is close enough (nearest: {best})")
    if header_key(header).startswith(SYSTEM_PREFIXES):
        return ColumnSuggestion(header, None, 0.0, "a system column of the platform's export")
    if header_key(header) in IGNORED_HEADERS:
        return ColumnSuggestion(header, None, 0.0, "known column with no canonical field")
    return ColumnSuggestion(header, None, 0.0, "no matching field")


_APP_INDEX = _exact_index(APP_FIELDS)
_PERSON_INDEX = _exact_index(PERSON_FIELDS)
_KNOWN_HEADER_KEYS = frozenset(_APP_INDEX) | frozenset(_PERSON_INDEX)
_APP_ONLY = {f.name for f in APP_FIELDS} - {f.name for f in PERSON_FIELDS}
_PERSON_ONLY = {f.name for f in PERSON_FIELDS} - {f.name for f in APP_FIELDS}


def _index_for(fields: Sequence[Field]) -> dict[str, tuple[str, float, str]]:
    if fields is APP_FIELDS:
        return _APP_INDEX
    if fields is PERSON_FIELDS:
        return _PERSON_INDEX
    return _exact_index(fields)
