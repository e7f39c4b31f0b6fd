"""A password in a server URL is never printed, logged or written to the change log."""

from __future__ import annotations

import json
import logging

SECRET = "S3cret-horse-battery"


def test_info_json_and_the_change_log_never_show_the_password(run, postgres_server, postgres_url, caplog):
    plain = postgres_url()
    # The test server trusts loopback connections, so any password is accepted: what matters
    # is where FusionDesk repeats it.
    with_password = plain.replace("fusiondesk@", f"fusiondesk:{SECRET}@", 1)
    caplog.set_level(logging.DEBUG)

    code, out, err = run("--db", with_password, "sample", "--apps", "5", "--seed", "1")
    assert code == 0, err
    code, out, err = run("--db", with_password, "info", "--json")
    assert code == 0, err
    info = json.loads(out)

    assert SECRET not in out + err and SECRET not in caplog.text
    assert "***" in info["url"] and info["counts"]["apps"] == 5
    code, log_out, err = run("--db", with_password, "log", "--json")
    assert SECRET not in log_out + err
