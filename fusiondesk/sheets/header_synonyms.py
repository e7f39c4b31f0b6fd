"""The header spellings real inventories use for each canonical field, in `header_key` form.

Data, not logic: `mapping` matches headers against these. Adding a spelling to a field's
`headers` in core.fields is how a new export's column comes to be recognised without a
profile; the headers that mean no field at all are kept here.
"""

from __future__ import annotations

from fusiondesk.core.fields import APP_FIELDS, PERSON_FIELDS

# Header spellings seen in platform exports and hand-kept inventories, in `header_key` form:
# each field declares its own in the registry (core.fields), next to its name and label.
APP_SYNONYMS: dict[str, tuple[str, ...]] = {f.name: f.headers for f in APP_FIELDS if f.headers}
PERSON_SYNONYMS: dict[str, tuple[str, ...]] = {
    f.name: f.headers for f in PERSON_FIELDS if f.headers
}

# Known columns that hold no canonical field, so fuzzy matching must not guess one.
IGNORED_HEADERS = frozenset({
    "modified by", "last modified by", "updated by", "last updated by", "row", "index",
    "number", "s no", "sl no", "owner name", "owner display name", "created by name",
    # ServiceNow APM: how an application was sourced (COTS, SaaS, Homegrown), not its id,
    # name or kind; a weak match once put it on app_id and collapsed 90 apps into 2.
    "application type", "architecture type",
})

# Prefixes of system columns that platform exports hide: never data about the app.
SYSTEM_PREFIXES = ("do not modify",)
