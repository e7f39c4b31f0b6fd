"""The warning signs' names are one vocabulary: the enum callers name them by is the flags' own list."""

from fusiondesk.core.flags import FLAG_DESCRIPTIONS, FLAG_LABELS, FLAG_NAMES
from fusiondesk.core.terms import FlagName


def test_the_enum_is_the_list_of_warning_signs_in_order():
    assert tuple(m.value for m in FlagName) == FLAG_NAMES


def test_every_warning_sign_is_labelled_and_described_by_its_enum_member():
    assert all(FLAG_LABELS[m] and FLAG_DESCRIPTIONS[m] for m in FlagName)
