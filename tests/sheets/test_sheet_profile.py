"""Saved mapping profiles: written as TOML by hand, read back with tomllib."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fusiondesk.sheets.normalise import normalise_table
from fusiondesk.sheets.problems import ProfileError, SheetError
from fusiondesk.sheets.profile import Profile, load_profile, profile_text, save_profile
from fusiondesk.sheets.reader import read_table

from sheet_files import write_xlsx


def power_platform_profile() -> Profile:
    return Profile(
        name="Power Platform admin export",
        columns={"App Display Name": "name", "Owner": "primary_owner",
                 "Shared Users": "users", "State": "lifecycle", "Created On": "created"},
        values={"lifecycle": {"Published": "production", "Draft \"v2\"": "development"}},
        entity="apps", date_order="mdy", sheet="Apps")


def test_round_trip(tmp_path):
    path = tmp_path / "power-platform.toml"
    profile = power_platform_profile()

    save_profile(profile, path)

    assert load_profile(path) == profile


def test_the_file_is_plain_readable_toml(tmp_path):
    path = tmp_path / "p.toml"
    save_profile(power_platform_profile(), path)

    assert tomllib.loads(path.read_text(encoding="utf-8")) == {
        "name": "Power Platform admin export",
        "options": {"entity": "apps", "date_order": "mdy", "sheet": "Apps"},
        "columns": {"App Display Name": "name", "Owner": "primary_owner",
                    "Shared Users": "users", "State": "lifecycle", "Created On": "created"},
        "values": {"lifecycle": {"Published": "production", 'Draft "v2"': "development"}},
    }


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(name=_TEXT, headers=st.lists(_TEXT, min_size=1, max_size=4, unique=True),
       originals=st.lists(_TEXT, max_size=4, unique=True), sheet=st.none() | _TEXT)
def test_any_text_survives_the_round_trip(tmp_path, name, headers, originals, sheet):
    fields = ["name", "notes", "description", "platform"]
    profile = Profile(name=name, columns=dict(zip(headers, fields)),
                      values={"notes": {original: original[::-1] for original in originals}},
                      sheet=sheet)
    path = tmp_path / "any.toml"

    save_profile(profile, path)

    assert load_profile(path) == profile


def test_a_minimal_profile_takes_defaults(tmp_path):
    path = tmp_path / "minimal.toml"
    path.write_text('[columns]\n"App" = "name"\n', encoding="utf-8")

    assert load_profile(path) == Profile(name="minimal", columns={"App": "name"})


def test_a_people_profile(tmp_path):
    path = tmp_path / "hr.toml"
    path.write_text('[options]\nentity = "people"\n[columns]\n"Mail" = "email"\n'
                    '[values.status]\n"On leave" = "active"\n', encoding="utf-8")

    profile = load_profile(path)

    assert (profile.entity, profile.columns, profile.values) == (
        "people", {"Mail": "email"}, {"status": {"On leave": "active"}})


@pytest.mark.parametrize("text, message", [
    ("[columns\n", r"^The profile bad.toml is not valid TOML \(.*\); fix the file or save "
                   r"the mapping again.$"),
    ('[columns]\n"App" = "colour"\n', "^bad.toml: column “App” is mapped to “colour”, which "
                                      "is not a field of apps; use one of: app_id, name,"),
    ('[columns]\n"A" = "name"\n"B" = "name"\n', "^bad.toml: columns “A” and “B” are both "
                                                "mapped to name; map only one column"),
    ('[values.colour]\n"x" = "y"\n', r"^bad.toml: \[values.colour\] names no field of apps"),
    ('[values.lifecycle]\n"Live-ish" = "zombie"\n',
     r"^bad.toml: \[values.lifecycle\] maps “Live-ish” to “zombie”, which lifecycle does not "
     "accept; use a canonical value.$"),
    ('[options]\ndate_order = "ymd"\n', "^bad.toml: date_order is “ymd”; use \"dmy\""),
    ('[options]\nentity = "robots"\n', "^bad.toml: entity is “robots”; use \"apps\""),
    ('[options]\ncolour = "blue"\n', r"^bad.toml: \[options\] has unknown key “colour”"),
    ('colour = "blue"\n', "^bad.toml: the top level has unknown key “colour”"),
    ('[columns]\n"App" = 3\n', r'^bad.toml: every entry of \[columns\] must be "text" = '),
    ('columns = "name"\n', r"^bad.toml: “columns” must be a table such as \[columns\].$"),
    ('[options]\nsheet = 1\n', "^bad.toml: sheet must be text in quotes.$"),
])
def test_bad_profiles_say_what_is_wrong(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ProfileError, match=message):
        load_profile(path)


def test_profile_errors_are_sheet_errors_and_a_missing_file_is_one(tmp_path):
    with pytest.raises(SheetError, match="^The profile gone.toml could not be opened"):
        load_profile(tmp_path / "gone.toml")


def test_an_invalid_profile_is_never_written(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text("# the old profile\n", encoding="utf-8")

    with pytest.raises(ProfileError, match="is not a field of apps"):
        save_profile(Profile("x", columns={"App": "colour"}), path)

    assert path.read_text(encoding="utf-8") == "# the old profile\n"
    assert [p.name for p in tmp_path.iterdir() if p.name != "home"] == ["p.toml"]


def test_control_characters_and_backslashes_are_escaped():
    text = profile_text(Profile("a\\b\t\"c\"\x01", columns={"Line\nbreak": "name"}))

    assert 'name = "a\\\\b\\t\\"c\\"\\u0001"' in text
    assert '"Line\\nbreak" = "name"' in text


def test_a_loaded_profile_maps_a_new_export(tmp_path):
    profile_path = tmp_path / "p.toml"
    save_profile(power_platform_profile(), profile_path)
    export = write_xlsx(tmp_path / "export.xlsx", {"Apps": [
        ["app display name", "OWNER", "Shared Users", "State", "Created On"],
        ["Budget", "ann@example.com", "1,200", "Published", "04/03/2025"]]})
    profile, raw = load_profile(profile_path), read_table(export, sheet="Apps")

    result = normalise_table(raw, profile.mapping(raw.headers), profile.values,
                             profile.options(), entity=profile.entity)

    assert profile.mapping(raw.headers) == {
        "app display name": "name", "OWNER": "primary_owner", "Shared Users": "users",
        "State": "lifecycle", "Created On": "created"}
    assert result.records[0].values == {
        "name": "Budget", "primary_owner": ("ann@example.com",), "users": 1200,
        "lifecycle": "production", "created": date(2025, 4, 3)}  # month first, as profiled
