"""The import's writer thread gets the GIL back promptly, and only while the import writes."""

import sys

import pytest

from fusiondesk.services.importing.apply import prompt_handoffs


def test_the_switch_interval_is_short_while_writing_and_restored_after():
    before = sys.getswitchinterval()
    with prompt_handoffs():
        assert sys.getswitchinterval() <= 0.0005
    assert sys.getswitchinterval() == before


def test_the_switch_interval_is_restored_when_the_import_fails():
    before = sys.getswitchinterval()
    with pytest.raises(RuntimeError):
        with prompt_handoffs():
            raise RuntimeError("cancelled")
    assert sys.getswitchinterval() == before
