"""List cells: `;`-separated items, owner emails and `System:direction` integrations."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Mapping

from fusiondesk.core.facts import Integration, split_qualifiers
from fusiondesk.core.fields import EMAILS, INTEGRATIONS, Field
from fusiondesk.sheets import vocabulary as vocab
from fusiondesk.sheets.cells import MAP_HINT, CellIssue, cell_text, email_address
from fusiondesk.sheets.problems import ERROR

Converter = Callable[[object], object]


_LIST_SEPARATORS = re.compile(r"\s*(?:;|,|\r?\n|\r)\s*")


def split_items(text: str) -> list[str]:
    """The items of a list cell: separated by `;`, `,` or new lines, blanks dropped."""
    if "," not in text and "\n" not in text and "\r" not in text:
        return [item for item in map(str.strip, text.split(";")) if item]
    return [item for item in _LIST_SEPARATORS.split(text) if item]


def list_converter(field: Field, item_map: Mapping[str, str], kind: str) -> Converter:
    """The converter of a list, emails or integrations field; unknown items make it unknown."""
    item_value = _item_converter(field, kind, item_map)
    noun = _item_noun(field, kind)
    split = split_owners if kind == EMAILS else split_items
    cache: dict[str, object] = {}  # items repeat across cells: "a; b" and "b; a" share them

    def convert(raw: object) -> object:
        text = raw if raw.__class__ is str else cell_text(raw).strip()
        if len(text) < 12 and text.casefold() in vocab.NONE_WORDS:
            return ()
        found: dict = {}  # insertion-ordered, so duplicates drop and order stays
        unknown: list[str] = []
        for item in split(text):
            value = cache.get(item, _MISSING)
            if value is _MISSING:
                value = cache[item] = item_value(item_map.get(item.casefold(), item))
            if value is None:
                unknown.append(item)
            else:
                found[value] = None
        if unknown:
            return _unknown_items(unknown, noun)
        return tuple(found)
    return convert


_MISSING = object()


_OWNER_SEPARATORS = re.compile(r"\s*(?:;|\r?\n|\r)\s*")
# PowerShell's Export-Csv writes a nested object such as an app's Owner as
# "@{id=…; displayName=Jane Doe; email=jane@contoso.com; …}".
_POWERSHELL_OBJECT = re.compile(r"@\{([^{}]*)\}")


def split_owners(text: str) -> list[str]:
    """The people an owner cell names: e-mails, display names or PowerShell owner objects."""
    objects = _POWERSHELL_OBJECT.findall(text)
    if objects:
        return [who for who in map(_powershell_owner, objects) if who]
    # Spaces separate addresses only when every part is one; "John Smith" stays one item.
    parts = text.replace(";", " ").replace(",", " ").split()
    if "<" not in text and text.count("@") == len(parts):
        return parts
    items = []
    for item in _OWNER_SEPARATORS.split(text):
        if item:
            items += _comma_separated(item)
    return items


def _comma_separated(item: str) -> list[str]:
    # A comma separates people when each side is a whole name or address; "Vance, Adele"
    # (family name first) is one person.
    pieces = [piece.strip() for piece in item.split(",") if piece.strip()]
    if len(pieces) > 1 and all("@" in p or len(p.split()) > 1 for p in pieces):
        return pieces
    return [item.strip()]


def _powershell_owner(body: str) -> str | None:
    fields = dict(part.partition("=")[::2] for part in body.split(";"))
    fields = {key.strip().casefold(): value.strip() for key, value in fields.items()}
    for key in ("email", "userprincipalname", "mail", "displayname"):
        if fields.get(key):
            return fields[key]
    return None


def _unknown_items(unknown: list[str], noun: str) -> CellIssue:
    quoted = ", ".join(f"“{item}”" for item in unknown)
    verb = "is not a known" if len(unknown) == 1 else "are not known"
    plural = noun if len(unknown) == 1 else _plural(noun)
    return CellIssue(None, f"{quoted} {verb} {plural}; {_ITEM_HINTS.get(noun, '')}{MAP_HINT}",
                     ERROR, tuple(unknown))


def _plural(noun: str) -> str:
    if noun == "email address":
        return "email addresses"
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


_ITEM_HINTS = {
    "data category": "use pii, phi, payment, financial or credentials, ",
    "email address": "write an owner's e-mail (name@example.com) or their full name, ",
    "integration": "write System:direction with read, write or bidirectional, e.g. SAP:write, ",
}


def _item_noun(field: Field, kind: str) -> str:
    if kind == EMAILS:
        return "email address"
    if kind == INTEGRATIONS:
        return "integration"
    return "data category" if field.name == "data_categories" else "item"


_NAME_LETTERS = re.compile(r"[^\W\d_]")


def owner_reference(item: str) -> str | None:
    """An owner as an e-mail (lower-cased) or, where an export gives one, a display name.

    Names are matched to people when the import is planned; text that is neither an
    address nor reads as a name (digits, a lone "@") is not an owner.
    """
    address = email_address(item)
    if address:
        return address
    name = " ".join(item.strip().strip("'\"").split())
    if "@" in name or len(name) > 200 or not _NAME_LETTERS.search(name):
        return None
    if "." in name and " " not in name:  # "ann.example.com": an address gone wrong
        return None
    return name


def _item_converter(field: Field, kind: str, item_map: Mapping[str, str],
                    ) -> Callable[[str], object]:
    if kind == EMAILS:
        return owner_reference
    if kind == INTEGRATIONS:
        return lambda item: _renamed(parse_integration(item), item_map)
    if field.name == "compliance":
        return lambda item: vocab.COMPLIANCE_SPELLINGS.get(vocab.value_key(item), item)
    if field.choices:
        table = {vocab.value_key(c): c for c in field.choices}
        table.update({k: v for k, v in vocab.DATA_CATEGORY_SYNONYMS.items()
                      if v in field.choices and k not in table})
        return lambda item: table.get(vocab.value_key(item))
    return lambda item: item


def parse_integration(item: str) -> Integration | None:
    """`System:direction[:qualifiers]` or `System (direction)` as an Integration; None if unreadable.

    Qualifiers are what FusionDesk's own exports write: approved/unapproved,
    external/internal, enterprise/non-enterprise, async (see core.facts).
    """
    head, known = split_qualifiers(item)
    found = _parse_system_direction(head)
    return replace(found, **known) if found is not None and known else found


def _parse_system_direction(item: str) -> Integration | None:
    system, asynchronous = item.strip(), False
    bracketed = re.fullmatch(r"(.+?)\s*\(\s*([^()]+?)\s*\)", system)
    if bracketed and vocab.value_key(bracketed[2]) in vocab.DIRECTION_SYNONYMS:
        system = f"{bracketed[1]}:{bracketed[2]}"
    head, colon, tail = system.rpartition(":")
    if colon and vocab.value_key(tail) in vocab.ASYNC_WORDS:
        system, asynchronous = head, True
        head, colon, tail = system.rpartition(":")
    direction = None
    if colon:
        key = vocab.value_key(tail)
        if not key or key in vocab.DIRECTION_SYNONYMS:
            system, direction = head, vocab.DIRECTION_SYNONYMS.get(key)
        elif not (tail.startswith("//") or key.isdigit()):  # a URL or port stays in the name
            return None
    system = system.strip()
    if not system:
        return None
    return Integration(system=system, direction=direction, asynchronous=asynchronous)


def _renamed(integration: Integration | None, item_map: Mapping[str, str],
             ) -> Integration | None:
    """A value map may rename just the system: "SFDC" → "Salesforce" keeps the direction."""
    if integration is None or not item_map:
        return integration
    system = item_map.get(integration.system.casefold())
    return replace(integration, system=system.strip()) if system else integration
