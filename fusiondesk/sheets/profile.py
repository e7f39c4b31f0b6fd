"""Saved mappings ("profiles") as TOML, so the same export maps the same way next time.

    name = "Power Platform admin export"

    [options]
    entity = "apps"        # or "people"
    date_order = "dmy"     # or "mdy"
    sheet = "Apps"

    [columns]
    "App Display Name" = "name"

    [values.lifecycle]
    "Live-ish" = "production"

    [detect]               # built-in profiles: the header row's signature
    headers = ["Item name", "Item type", "Item ID"]

    [ignore]               # columns deliberately not imported, and why
    "Location" = "the data-centre region"

    [defaults]             # a value for every row where the source has no column
    kind = "cloud_flow"

tomllib reads the file; it is written by hand here (the standard library has no writer).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from os import PathLike
from pathlib import Path
from typing import Mapping, Sequence

from fusiondesk.core.atomic import write_bytes
from fusiondesk.core.errors import FileNotWritten
from fusiondesk.core.resources import resource_dirs
from fusiondesk.sheets.cells import CellIssue
from fusiondesk.sheets.dates import DATE_ORDERS, DMY
from fusiondesk.sheets.mapping import APPS, PEOPLE, fields_for, header_key
from fusiondesk.sheets.normalise import NormaliseOptions
from fusiondesk.sheets.problems import ERROR, ProfileError
from fusiondesk.sheets.values import converter_for

_TOP_LEVEL = ("name", "options", "columns", "values", "detect", "ignore", "defaults")
_OPTIONS = ("entity", "date_order", "sheet")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}


@dataclass(slots=True)
class Profile:
    """A named mapping: source header → field, per-field value maps, and reading options."""

    name: str
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    entity: str = APPS
    date_order: str = DMY
    sheet: str | None = None
    detect: tuple[str, ...] = ()  # headers that must all be present to recognise the format
    ignore: dict[str, str] = field(default_factory=dict)  # header → why it is not imported
    defaults: dict[str, str] = field(default_factory=dict)  # field → value for every row
    builtin: bool = False  # shipped in resources/profiles: read-only, save a copy to change

    def options(self) -> NormaliseOptions:
        """The reading options the profile asks for."""
        return NormaliseOptions(date_order=self.date_order)

    def mapping(self, headers: Sequence[str]) -> dict[str, str]:
        """The profile's column mapping for a sheet's headers, matching them loosely."""
        by_key = {header_key(source): name for source, name in self.columns.items()}
        return {header: self.columns.get(header) or by_key[header_key(header)]
                for header in headers
                if header in self.columns or header_key(header) in by_key}

    def ignored(self, headers: Sequence[str]) -> dict[str, str]:
        """The headers the profile leaves out on purpose, with why."""
        by_key = {header_key(source): why for source, why in self.ignore.items()}
        return {header: by_key[header_key(header)] for header in headers
                if header_key(header) in by_key}

    def recognises(self, headers: Sequence[str]) -> bool:
        """True when every header of the profile's signature is in the header row."""
        keys = {header_key(header) for header in headers}
        return bool(self.detect) and all(header_key(h) in keys for h in self.detect)


def load_profile(path: str | PathLike, builtin: bool = False) -> Profile:
    """Read and check a profile; ProfileError says what is wrong in it."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise ProfileError(f"The profile {path.name} could not be opened; check that it "
                           "exists and choose it again.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ProfileError(f"The profile {path.name} is not valid TOML ({error}); fix the "
                           "file or save the mapping again.") from None
    profile = _profile_from(data, path.name, default_name=path.stem)
    profile.builtin = builtin
    return profile


def builtin_profiles() -> list[Profile]:
    """The read-only profiles FusionDesk ships for the exports CoE leads really have."""
    return list(_builtin_profiles())


@cache
def _builtin_profiles() -> tuple[Profile, ...]:
    found: dict[str, Path] = {}
    for folder in reversed(resource_dirs()):  # the first folder wins, as for every resource
        for path in sorted((folder / "profiles").glob("*.toml")):
            found[path.name] = path
    return tuple(load_profile(path, builtin=True) for _, path in sorted(found.items()))


def recognised_profile(headers: Sequence[str], entity: str | None = None) -> Profile | None:
    """The built-in profile whose signature the header row has (the most specific one)."""
    matches = [p for p in _builtin_profiles()
               if p.recognises(headers) and entity in (None, p.entity)]
    if not matches:
        return None
    return max(matches, key=lambda p: (len(p.detect), len(p.mapping(headers))))


def save_profile(profile: Profile, path: str | PathLike) -> None:
    """Check a profile and write it as TOML, replacing any file at `path` in one step."""
    path = Path(path)
    check_profile(profile, path.name)
    text = profile_text(profile)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ProfileError(f"The profile {path.name} could not be saved ({error}); fix the "
                           "column names and try again.") from None
    try:
        write_bytes(path, data)
    except FileNotWritten as error:
        raise ProfileError(str(error)) from None


def profile_text(profile: Profile) -> str:
    """The profile as TOML text."""
    lines = ["# FusionDesk mapping profile", f"name = {toml_string(profile.name)}", "",
             "[options]", f"entity = {toml_string(profile.entity)}",
             f"date_order = {toml_string(profile.date_order)}"]
    if profile.sheet is not None:
        lines.append(f"sheet = {toml_string(profile.sheet)}")
    if profile.detect:
        lines += ["", "[detect]",
                  f"headers = [{', '.join(toml_string(h) for h in profile.detect)}]"]
    lines += ["", "[columns]"]
    lines += [f"{toml_string(k)} = {toml_string(v)}" for k, v in profile.columns.items()]
    for table, entries in (("ignore", profile.ignore), ("defaults", profile.defaults)):
        if entries:
            lines += ["", f"[{table}]"]
            lines += [f"{toml_string(k)} = {toml_string(v)}" for k, v in entries.items()]
    for name, value_map in profile.values.items():
        lines += ["", f"[values.{toml_string(name)}]"]
        lines += [f"{toml_string(k)} = {toml_string(v)}" for k, v in value_map.items()]
    return "\n".join(lines) + "\n"


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise ProfileError("A profile cannot hold unpaired surrogate characters; retype the "
                           "header or value and save again.")
    return '"' + "".join(_ESCAPES.get(ch) or (f"\\u{ord(ch):04X}" if _is_control(ch) else ch)
                         for ch in text) + '"'


def _is_control(ch: str) -> bool:
    return ord(ch) < 0x20 or ord(ch) == 0x7F


# --- checking ------------------------------------------------------------------------

def _profile_from(data: dict, source: str, default_name: str) -> Profile:
    _only_keys(data, _TOP_LEVEL, source, "the top level")
    options = _table(data, "options", source)
    _only_keys(options, _OPTIONS, source, "[options]")
    profile = Profile(
        name=_text(data.get("name", default_name), source, "name"),
        columns=_string_table(_table(data, "columns", source), source, "[columns]"),
        values={name: _string_table(table, source, f"[values.{name}]")
                for name, table in _table(data, "values", source).items()},
        entity=_text(options.get("entity", APPS), source, "entity"),
        date_order=_text(options.get("date_order", DMY), source, "date_order"),
        sheet=_text(options["sheet"], source, "sheet") if "sheet" in options else None,
        detect=_detect_headers(_table(data, "detect", source), source),
        ignore=_string_table(_table(data, "ignore", source), source, "[ignore]"),
        defaults=_string_table(_table(data, "defaults", source), source, "[defaults]"),
    )
    check_profile(profile, source)
    return profile


def check_profile(profile: Profile, source: str = "profile") -> None:
    """ProfileError if the profile names an unknown field, option or value."""
    if profile.entity not in (APPS, PEOPLE):
        raise ProfileError(f"{source}: entity is “{profile.entity}”; use \"apps\" or "
                           "\"people\".")
    if profile.date_order not in DATE_ORDERS:
        raise ProfileError(f"{source}: date_order is “{profile.date_order}”; use \"dmy\" "
                           "(day first) or \"mdy\" (month first).")
    fields = {f.name: f for f in fields_for(profile.entity)}
    _check_columns(profile.columns, fields, profile.entity, source)
    for name, value_map in profile.values.items():
        if name not in fields:
            raise ProfileError(f"{source}: [values.{name}] names no field of "
                               f"{profile.entity}; use one of: {', '.join(fields)}.")
        _check_targets(value_map, fields[name], source)
    for name, value in profile.defaults.items():
        if name not in fields:
            raise ProfileError(f"{source}: [defaults] names “{name}”, which is not a field of "
                               f"{profile.entity}; use one of: {', '.join(fields)}.")
        _check_targets({value: value}, fields[name], source)


def _check_columns(columns: Mapping[str, str], fields: Mapping, entity: str,
                   source: str) -> None:
    used: dict[str, str] = {}
    for header, name in columns.items():
        if name not in fields:
            raise ProfileError(f"{source}: column “{header}” is mapped to “{name}”, which is "
                               f"not a field of {entity}; use one of: {', '.join(fields)}.")
        if name in used:
            raise ProfileError(f"{source}: columns “{used[name]}” and “{header}” are both "
                               f"mapped to {name}; map only one column to each field.")
        used[name] = header


def _check_targets(value_map: Mapping[str, str], target_field, source: str) -> None:
    """Every value a map produces must itself be a value the field accepts."""
    convert = converter_for(target_field)
    for original, target in value_map.items():
        result = convert(target)
        if result.__class__ is CellIssue and result.severity == ERROR:
            raise ProfileError(f"{source}: [values.{target_field.name}] maps “{original}” to "
                               f"“{target}”, which {target_field.label.lower()} does not "
                               "accept; use a canonical value.")


def _detect_headers(table: Mapping, source: str) -> tuple[str, ...]:
    _only_keys(table, ("headers",), source, "[detect]")
    headers = table.get("headers", [])
    if not isinstance(headers, list) or not all(isinstance(h, str) for h in headers):
        raise ProfileError(f"{source}: [detect] headers must be a list of \"text\".")
    return tuple(headers)


def _only_keys(table: Mapping, allowed: Sequence[str], source: str, where: str) -> None:
    unknown = [key for key in table if key not in allowed]
    if unknown:
        raise ProfileError(f"{source}: {where} has unknown key “{unknown[0]}”; the known "
                           f"keys are {', '.join(allowed)}.")


def _table(data: Mapping, key: str, source: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ProfileError(f"{source}: “{key}” must be a table such as [{key}].")
    return value


def _string_table(table: object, source: str, where: str) -> dict[str, str]:
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise ProfileError(f"{source}: every entry of {where} must be \"text\" = \"text\".")
    return dict(table)


def _text(value: object, source: str, key: str) -> str:
    if not isinstance(value, str):
        raise ProfileError(f"{source}: {key} must be text in quotes.")
    return value
