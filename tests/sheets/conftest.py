"""What the reading tests share: a guard that the parser never sees a refused file."""

import pytest

from fusiondesk.sheets import reader


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if the parser process is ever started for the file."""
    def refuse(*args, **kwargs):
        raise AssertionError("the parser must not see this file")
    monkeypatch.setattr(reader, "ParserProcess", refuse)
