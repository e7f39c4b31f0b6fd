#!/bin/sh
# `make test` runs the service, CLI and migration tests on a real PostgreSQL server too
# (tests/postgres/server.py starts a throw-away one on 127.0.0.1). This makes sure its
# binaries are here: found, or installed from Debian's package when we may (root with
# apt-get, as in CI). A developer without root is never failed: those tests are skipped
# with the reason. Prints the variable the test run gets, so CI fails instead of skipping.
set -eu
have_server() {
    command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}
if ! have_server && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing PostgreSQL (Debian package) for the tests..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq postgresql >/dev/null \
        || { apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; }
    # The package may start its own cluster; the tests use their own server and port.
fi
if have_server && [ "$(id -u)" = 0 ]; then
    echo "FUSIONDESK_REQUIRE_POSTGRES=1"  # installed where we could: its tests must run
elif have_server; then
    echo "FUSIONDESK_REQUIRE_POSTGRES="
else
    echo "PostgreSQL is not installed and this is not root: its tests will be skipped." >&2
    echo "FUSIONDESK_REQUIRE_POSTGRES="
fi
