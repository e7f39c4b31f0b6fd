"""The JSON text of `apps` and `classify` rows, assembled from texts made once per value.

`encode_row(app_row(...))` builds a dict of 53 values per app and has the JSON encoder
walk it: at 100,000 apps that was a third of the listing's CPU. Most values repeat
across a portfolio (a lifecycle, a day, a tier, a list of regimes, a classification's
reasons), so here each distinct value is written as JSON once (by `core.values.json_value`
and the same encoder, so the text is the one the encoder would give) and a row is its
keys and those texts put into one template. Texts nobody shares (ids, names,
descriptions) are quoted by the encoder's own string function.

The bytes are those of `encode_row(app_row(...))` and `encode_row(classification_row(...))`,
key order included: tests/cli/test_row_text.py holds them equal app by app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from json.encoder import encode_basestring as _quote  # the encoder's own, in C
from operator import attrgetter, call
from typing import Any

from fusiondesk.cli.app_rows import (
    AFTER_OWNERS,
    BEFORE_OWNERS,
    KIND,
    OWNER_NAMES,
    Signs,
    owner_lists,
)
from fusiondesk.cli.output import encode_row
from fusiondesk.core.facts import AppFacts
from fusiondesk.core.fields import TEXT
from fusiondesk.core.flags import Interned
from fusiondesk.core.gate import gate_status
from fusiondesk.core.tiers import Classification
from fusiondesk.core.values import json_value

# Distinct values remembered per table before it starts again: a portfolio's user counts,
# days and reason lists are a few thousand each; only ids and names never repeat.
_DISTINCT = 100_000


def _text(value: Any) -> str:
    """A free-text value (an id, a name, a description) as JSON: rarely repeated, not kept."""
    if value is None:
        return "null"
    return _quote(value) if type(value) is str else encode_row(value)


def _values_of(name: str) -> Callable[[Any], str]:
    """How a field's values become JSON: free text quoted each time, other kinds once per
    distinct value. A field's values are all of one type as the store reads them (ints,
    bools, days, tuples), so values equal as keys are the same JSON."""
    if KIND[name] == TEXT:
        return _text
    return Interned(lambda value: encode_row(json_value(name, value)), _DISTINCT).__getitem__


def _template(names: Iterable[str]) -> str:
    """`"a":%s,"b":%s` for the keys `names` (a `%` in a key kept literal)."""
    return ",".join(_quote(name).replace("%", "%%") + ":%s" for name in names)


class _Facts:
    """A run of consecutive fields: read in one call, each written by its field's table."""

    def __init__(self, names: tuple[str, ...]):
        self.read = attrgetter(*names)
        self.write = tuple(map(_values_of, names))
        self.template = _template(names)

    def __call__(self, facts: AppFacts) -> map:
        return map(call, self.write, self.read(facts))


_BEFORE_OWNERS, _AFTER_OWNERS = _Facts(BEFORE_OWNERS), _Facts(AFTER_OWNERS)
_OWNERS = _template(OWNER_NAMES)
_APP = "{%s}" % ",".join((_BEFORE_OWNERS.template, "%s", _AFTER_OWNERS.template,
                          _template(("tier", "flags", "drift", "gate"))))
_NUMBER = Interned(encode_row, 1000)  # tiers, policy versions: small ints
_BOOLEAN = {True: "true", False: "false"}
_SIGNS = Interned(lambda names: encode_row(list(names)), _DISTINCT)
_GATE = Interned(_quote)


def _string_list(items: list[str]) -> str:
    return "[" + ",".join(map(_quote, items)) + "]" if items else "[]"


def app_text(facts: AppFacts, signs: Signs) -> str:
    """`encode_row(app_row(facts, signs))`, assembled from shared texts."""
    names = signs.names
    return _APP % (*_BEFORE_OWNERS(facts),
                   _OWNERS % tuple(map(_string_list, owner_lists(facts.owners))),
                   *_AFTER_OWNERS(facts), _NUMBER[signs.tier], _SIGNS[names],
                   _BOOLEAN[signs.drift], _GATE[gate_status(facts, names)])


# classification_row's keys: the app's, then services.classification.governance's
# classification_json's, in their order.
_CLASSIFICATION = "{%s}" % _template(("app_id", "name", "approved_tier", "tier", "possible_tier",
                                      "drift", "reasons", "unknowns", "flags", "policy_version"))
_APPROVED = _values_of("approved_tier")
_UNKNOWNS = Interned(lambda unknowns: encode_row(list(unknowns)), _DISTINCT)
_FLAG = '{"name":%s,"explanation":%s}'


def _reasons_text(reasons) -> str:
    """A classification's reasons as JSON, each reason written once.

    Reasons are objects core.tiers shares between apps (a few thousand at 100,000 apps,
    where lists of them are tens of thousands): each is found by its identity, which
    skips hashing its five fields. The entry keeps the reason, so its identity cannot
    pass to another object while remembered.
    """
    texts = []
    for reason in reasons:
        seen = _REASON_TEXTS.get(id(reason))
        if seen is None or seen[0] is not reason:
            if len(_REASON_TEXTS) >= _DISTINCT:
                _REASON_TEXTS.clear()
            seen = _REASON_TEXTS[id(reason)] = (reason, encode_row({
                "tier": reason.tier, "fact": reason.fact, "value": reason.value,
                "threshold": reason.threshold, "text": reason.text}))
        texts.append(seen[1])
    return "[" + ",".join(texts) + "]"


_REASON_TEXTS: dict[int, tuple[object, str]] = {}


def _flags_text(flags) -> str:
    # Explanations name the app's own days, people and systems: written each time. A
    # sign's name and explanation are always text.
    return "[" + ",".join([_FLAG % (_quote(f.name), _quote(f.explanation)) for f in flags]) + "]"


def classification_text(facts: AppFacts, result: Classification) -> str:
    """`encode_row(classification_row(facts, result))`, assembled from shared texts."""
    return _CLASSIFICATION % (
        _text(facts.app_id), _text(facts.name), _APPROVED(facts.approved_tier),
        _NUMBER[result.tier], _NUMBER[result.possible_tier], _BOOLEAN[result.drift],
        _reasons_text(result.reasons), _UNKNOWNS[result.unknowns], _flags_text(result.flags),
        _NUMBER[result.policy_version])
