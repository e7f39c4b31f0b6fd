"""One raw cell to one canonical value, for every field kind."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from fusiondesk.core.facts import Integration
from fusiondesk.sheets.dates import date_from_serial
from fusiondesk.sheets.normalise import NormaliseOptions, Normaliser
from fusiondesk.sheets.values import CellIssue, parse_count


def value_of(field: str, raw, **options):
    """The canonical value, failing the test if the cell raised any issue."""
    result = Normaliser(field, options=NormaliseOptions(**options))(raw)
    assert not isinstance(result, CellIssue), result
    return result


def read(field: str, raw, **options):
    """The value a cell gives, allowing a warning but not an error."""
    result = Normaliser(field, options=NormaliseOptions(**options))(raw)
    if isinstance(result, CellIssue):
        assert result.severity == "warning", result
        return result.value
    return result


def issue_of(field: str, raw, value_map=None, **options) -> CellIssue:
    result = Normaliser(field, value_map, NormaliseOptions(**options))(raw)
    assert isinstance(result, CellIssue), result
    return result


# --- yes / no ------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["Yes", "YES", "y", "Y", "TRUE", "true", "1", 1, 1.0, True,
                                 "x", "X", "✓", "✔", " yes "])
def test_yes_spellings(raw):
    assert value_of("custom_code", raw) is True


@pytest.mark.parametrize("raw", ["No", "NO", "n", "N", "FALSE", "false", "0", 0, 0.0, False,
                                 "-", "None"])
def test_no_spellings(raw):
    assert value_of("dr_plan", raw) is False


@pytest.mark.parametrize("raw", ["", "   ", None, "n/a", "N/A", "unknown", "?", "TBD"])
def test_unknown_yes_no_is_none(raw):
    assert value_of("doc_logic", raw) is None


def test_other_yes_no_text_is_an_error_naming_the_fix():
    issue = issue_of("custom_code", "sometimes")

    assert issue.value is None and issue.severity == "error"
    assert issue.message == ("“sometimes” is not yes or no; write Yes or No, or map it in the "
                             "value mapping step")


# --- counts --------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    (120, 120), (120.0, 120), ("120", 120), ("1,200", 1200), ("1 200", 1200),
    ("1\u00a0200", 1200), ("1.200", 1200), ("1'200", 1200), ("1,200,000", 1_200_000),
    ("1.200.000", 1_200_000), ("1,200.00", 1200), ("1.200,00", 1200), ("2.5k", 2500),
    ("0", 0), (" 35 ", 35),
])
def test_counts(raw, expected):
    assert value_of("users", raw) == expected


@pytest.mark.parametrize("raw", ["", "n/a", "N/A", "unknown", "-", None, "  "])
def test_unknown_counts_are_none(raw):
    assert value_of("users", raw) is None


@pytest.mark.parametrize("raw, message", [
    ("1.5", "“1.5” is not a whole number; write a count such as 120, or map it in the value "
            "mapping step"),
    (12.5, "“12.5” is not a whole number; write a count such as 120"),
    ("1,2", "“1,2” is not a whole number; write a count such as 120, or map it in the value "
            "mapping step"),
    ("-4", "“-4” is negative; a count cannot be below zero, or map it in the value mapping step"),
    ("lots", "“lots” is not a number; write a whole number such as 1200, or map it in the "
             "value mapping step"),
    (True, "“TRUE” is not a number; write a whole number such as 1200"),
    (date(2025, 1, 1), "“2025-01-01” is not a number; write a whole number such as 1200"),
])
def test_bad_counts_are_errors(raw, message):
    issue = issue_of("users", raw)

    assert (issue.value, issue.severity, issue.message) == (None, "error", message)


@pytest.mark.parametrize("raw, expected", [("500+", 500), ("~50", 50), ("approx. 80", 80),
                                           (">1,000", 1000)])
def test_approximate_counts_are_read_with_a_warning(raw, expected):
    issue = issue_of("users", raw)

    assert (issue.value, issue.severity) == (expected, "warning")
    assert issue.message == f"read “{raw}” as {expected}; the exact number is not known"


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([",", " ", ".", "'"]))
def test_grouped_thousands_read_back_as_the_number(number, separator):
    text = f"{number:,}".replace(",", separator)

    assert parse_count(text) == (number, None)


@pytest.mark.parametrize("raw, expected", [(3, 3), (3.0, 3), ("3", 3), ("Tier 3", 3),
                                           ("tier-2", 2), ("T4", 4), ("Level 1", 1)])
def test_tiers(raw, expected):
    assert value_of("approved_tier", raw) == expected


@pytest.mark.parametrize("raw", [0, 5, "Tier 5", "high", 2.5])
def test_out_of_range_tiers_are_errors(raw):
    assert issue_of("approved_tier", raw).message.endswith(
        "is not a tier; use 1, 2, 3 or 4, or map it in the value mapping step")


# --- dates ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    date(2025, 4, 3), datetime(2025, 4, 3, 17, 45), "2025-04-03", "2025/04/03",
    "2025-04-03T10:15:00Z", "2025-04-03 10:15", "3 Apr 2025", "3 April 2025", "03-Apr-2025",
    "03-Apr-25", "April 3, 2025", "Apr 3 2025", "3rd of April, 2025", "Thu, 3 Apr 2025",
    "20250403", 45750, 45750.6, "45750", "3.4.2025", "03/04/2025",
])
def test_date_forms(raw):
    assert read("created", raw) == date(2025, 4, 3)


def test_excel_serials_in_the_1900_system_include_the_leap_year_bug():
    assert read("created", 1) == date(1900, 1, 1)
    assert read("created", 59) == date(1900, 2, 28)
    assert read("created", 61) == date(1900, 3, 1)
    assert issue_of("created", 60).message == (
        "“60” is Excel's non-existent 29 February 1900; write the date as 2025-04-03")


def test_excel_serials_in_the_1904_system():
    assert read("created", 0, date1904=True) == date(1904, 1, 1)
    assert value_of("created", 44288, date1904=True) == date(2025, 4, 3)
    assert value_of("created", "44288", date1904=True) == date(2025, 4, 3)


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
       st.booleans())
def test_serials_agree_with_openpyxl(day, date1904):
    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    if date1904 and day < date(1904, 1, 1):
        return
    base = date(1904, 1, 1) if date1904 else date(1899, 12, 30)
    serial = (day - base).days

    assert date_from_serial(serial, date1904) == from_excel(serial, epoch).date() == day


def test_early_serial_dates_warn_that_the_column_may_not_hold_dates():
    issue = issue_of("created", 1200)

    assert (issue.value, issue.severity) == (date(1903, 4, 14), "warning")
    assert issue.message == ("read the number 1200 as the Excel date 14 April 1903; check that "
                             "this column holds dates")


def test_ambiguous_day_month_is_read_in_the_date_order_with_a_warning():
    dmy = issue_of("created", "03/04/2025")
    mdy = issue_of("created", "03/04/2025", date_order="mdy")

    assert (dmy.value, dmy.severity) == (date(2025, 4, 3), "warning")
    assert dmy.message == ("ambiguous date, read as 3 April 2025 (day/month); set the date "
                           "order if wrong")
    assert mdy.value == date(2025, 3, 4)
    assert mdy.message == ("ambiguous date, read as 4 March 2025 (month/day); set the date "
                           "order if wrong")


@pytest.mark.parametrize("raw, order, expected", [
    ("25/03/2025", "dmy", date(2025, 3, 25)), ("03/25/2025", "dmy", date(2025, 3, 25)),
    ("03/25/2025", "mdy", date(2025, 3, 25)), ("25/03/2025", "mdy", date(2025, 3, 25)),
    ("04/04/2025", "dmy", date(2025, 4, 4)), ("31.12.99", "dmy", date(1999, 12, 31)),
    ("13/1/25", "mdy", date(2025, 1, 13)),
])
def test_unambiguous_day_month_text_needs_no_warning(raw, order, expected):
    assert value_of("created", raw, date_order=order) == expected


@given(st.dates(min_value=date(1970, 1, 1), max_value=date(2069, 12, 31)),
       st.sampled_from(["%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%B %d, %Y", "%b %d %Y",
                        "%d-%b-%y", "%d/%m/%Y", "%d.%m.%Y"]))
def test_written_dates_read_back_as_the_same_day(day, pattern):
    assert read("last_used", day.strftime(pattern)) == day


@given(st.dates(min_value=date(1970, 1, 1), max_value=date(2069, 12, 31)))
def test_month_first_dates_read_back_with_the_mdy_order(day):
    assert read("last_used", day.strftime("%m/%d/%Y"), date_order="mdy") == day


@pytest.mark.parametrize("raw, message", [
    ("Q1 2025", "“Q1 2025” is not a date FusionDesk can read; write it as 2025-04-03, or map "
                "it in the value mapping step"),
    ("31/02/2025", "“31/02/2025” is not a real calendar date; check the day and month, or map "
                   "it in the value mapping step"),
    (time(9, 30), "“09:30:00” is not a date; write it as 2025-04-03"),
    (True, "“TRUE” is not a date; write it as 2025-04-03"),
])
def test_unreadable_dates_are_errors(raw, message):
    issue = issue_of("created", raw)

    assert (issue.value, issue.severity, issue.message) == (None, "error", message)


# --- enumerations --------------------------------------------------------------------

@pytest.mark.parametrize("field, raw, expected", [
    ("data_sensitivity", "Highly confidential", "regulated"),
    ("data_sensitivity", "Restricted", "regulated"),
    ("data_sensitivity", "HIPAA data", "regulated"),
    ("data_sensitivity", "CONFIDENTIAL", "confidential"),
    ("data_sensitivity", "Internal only", "internal"),
    ("data_sensitivity", "Public", "public"),
    ("criticality", "Critical", "mission_critical"),
    ("criticality", "Business critical", "mission_critical"),
    ("criticality", "Tier 1 critical", "mission_critical"),
    ("criticality", "mission_critical", "mission_critical"),
    ("criticality", "High", "high"), ("criticality", "med", "medium"),
    ("lifecycle", "Prod", "production"), ("lifecycle", "Live", "production"),
    ("lifecycle", "Dev", "development"), ("lifecycle", "Retired", "retired"),
    ("lifecycle", "Decommissioned", "retired"), ("lifecycle", "UAT", "pilot"),
    ("lifecycle", "Proposed", "idea"),
    ("scope", "Cross-department", "cross_department"),
    ("scope", "Cross department", "cross_department"),
    ("scope", "cross_department", "cross_department"),
    ("scope", "Org-wide", "enterprise"), ("scope", "Public", "external"),
    ("scope", "Team", "team"), ("scope", "Personal", "team"),
    ("scope", "Departmental", "department"),
    ("support", "IT", "it"), ("support", "Central IT", "it"), ("support", "None", "none"),
    ("support", "Team", "team"),
    ("calc_complexity", "Low", "simple"), ("calc_complexity", "Medium", "moderate"),
    ("calc_complexity", "High", "complex"),
])
def test_app_enumeration_synonyms(field, raw, expected):
    assert value_of(field, raw) == expected


@pytest.mark.parametrize("field, raw, expected", [
    ("status", "Left", "left"), ("status", "Departed", "left"),
    ("status", "Terminated", "left"), ("status", "Leaving", "leaving"),
    ("status", "Notice period", "leaving"), ("status", "Active", "active"),
    ("role", "Citizen developer", "citizen_developer"), ("role", "Pro dev", "pro_developer"),
    ("role", "CoE admin", "coe_admin"), ("role", "Business owner", "business_owner"),
    ("certification", "Certified", "certified"), ("certification", "Trained", "trained"),
    ("certification", "None", "none"),
])
def test_person_enumeration_synonyms(field, raw, expected):
    assert Normaliser(field, entity="people")(raw) == expected


def test_unknown_enumeration_value_lists_the_allowed_values():
    issue = issue_of("criticality", "Kinda important")

    assert (issue.value, issue.severity) == (None, "error")
    assert issue.message == ("“Kinda important” is not a known criticality; use one of low, "
                             "medium, high, mission_critical, or map it in the value mapping "
                             "step")
    assert issue.unrecognised == ("Kinda important",)


def test_value_map_takes_precedence_and_ignores_case():
    normaliser = Normaliser("criticality", {"HIGH": "mission_critical", "Kinda": "low"})

    assert normaliser("high") == "mission_critical"
    assert normaliser(" kinda ") == "low"
    assert normaliser("Critical") == "mission_critical"  # the built-in table still applies


def test_value_map_applies_to_numbers_and_other_kinds():
    assert Normaliser("users", {"a handful": "5"})("A Handful") == 5
    assert Normaliser("dr_plan", {"partial": "no"})("Partial") is False
    assert Normaliser("created", {"q1 2025": "2025-01-01"})("Q1 2025") == date(2025, 1, 1)
    assert Normaliser("approved_tier", {"4": "3"})(4.0) == 3


# --- lists, emails, integrations ----------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("PII; Payment", ("pii", "payment")), ("PHI", ("phi",)), ("Health", ("phi",)),
    ("Card data", ("payment",)), ("pii, financial\ncredentials", ("pii", "financial",
                                                                  "credentials")),
    ("PII; pii", ("pii",)), ("None", ()), ("", None), ("n/a", None),
])
def test_data_categories(raw, expected):
    assert value_of("data_categories", raw) == expected


def test_unknown_data_category_makes_the_cell_unknown():
    issue = issue_of("data_categories", "PII; Trade secrets")

    assert (issue.value, issue.unrecognised) == (None, ("Trade secrets",))
    assert issue.message == ("“Trade secrets” is not a known data category; use pii, phi, "
                             "payment, financial or credentials, or map it in the value "
                             "mapping step")


@pytest.mark.parametrize("raw, expected", [
    ("HIPAA; GDPR", ("HIPAA", "GDPR")), ("hipaa", ("HIPAA",)), ("PCI", ("PCI DSS",)),
    ("PCI-DSS", ("PCI DSS",)), ("pci dss", ("PCI DSS",)), ("Sarbanes-Oxley", ("SOX",)),
    ("SOX, ISO 27001", ("SOX", "ISO 27001")), ("None", ()),
])
def test_compliance_regimes_get_their_canonical_spelling(raw, expected):
    assert value_of("compliance", raw) == expected


def test_value_map_applies_to_a_whole_list_cell_and_to_each_item():
    normaliser = Normaliser("compliance", {"HIPAA and GDPR": "HIPAA; GDPR",
                                           "Sarbox-ish": "SOX"})

    assert normaliser("hipaa and gdpr") == ("HIPAA", "GDPR")
    assert normaliser("Sarbox-ish; ISO 27001") == ("SOX", "ISO 27001")


def test_plain_lists_keep_items_as_written():
    assert value_of("owner_team", "Finance apps; HR squad") == ("Finance apps", "HR squad")
    assert Normaliser("certified_platforms", entity="people")(
        "Power Apps, Power Automate") == ("Power Apps", "Power Automate")


@pytest.mark.parametrize("raw, expected", [
    ("Ann@Example.com", ("ann@example.com",)),
    (" ann@example.com ; BOB@example.com ", ("ann@example.com", "bob@example.com")),
    ("ann@example.com, bob@example.com", ("ann@example.com", "bob@example.com")),
    ("ann@example.com bob@example.com", ("ann@example.com", "bob@example.com")),
    ("Ann Lee <Ann@Example.com>; Bob <bob@example.com>", ("ann@example.com",
                                                          "bob@example.com")),
    ("None", ()),
])
def test_owner_emails(raw, expected):
    assert value_of("co_owners", raw) == expected


@pytest.mark.parametrize("raw", ["ann@example", "ann.example.com", "@example.com", "12345"])
def test_bad_owner_emails_are_errors(raw):
    issue = issue_of("primary_owner", raw)

    assert (issue.value, issue.unrecognised) == (None, (raw,))
    assert issue.message == (f"“{raw}” is not a known email address; write an owner's e-mail "
                             "(name@example.com) or their full name, or map it in the value "
                             "mapping step")


@pytest.mark.parametrize("raw, expected", [
    ("Ann Lee", ("Ann Lee",)),
    ("  José   Álvarez ", ("José Álvarez",)),
    ("Vance, Adele", ("Vance, Adele",)),  # family name first: one person
    ("Adele Vance, Alex Wilber", ("Adele Vance", "Alex Wilber")),
    ("Adele Vance; alexw@contoso.com", ("Adele Vance", "alexw@contoso.com")),
    ("Adele Vance\nAlex Wilber", ("Adele Vance", "Alex Wilber")),
])
def test_owners_given_as_display_names_are_kept_as_names(raw, expected):
    assert value_of("primary_owner", raw) == expected


def test_powershell_owner_objects_give_the_owners_address():
    cell = ("@{id=6f1c2b1e-0000-4000-8000-000000000001; displayName=Adele Vance; "
            "email=AdeleV@contoso.onmicrosoft.com; type=User; "
            "tenantId=0f5a0000-0000-4000-8000-00000000abcd}")
    nameless = "@{id=6f1c; displayName=Lee Gu; type=User}"

    assert value_of("primary_owner", cell) == ("adelev@contoso.onmicrosoft.com",)
    assert value_of("primary_owner", nameless) == ("Lee Gu",)


def test_person_email_is_one_lower_case_address():
    assert Normaliser("email", entity="people")(" Ann@Example.COM ") == "ann@example.com"
    assert Normaliser("manager_email", entity="people")("Boss <Boss@x.org>") == "boss@x.org"
    issue = Normaliser("email", entity="people")("Ann")
    assert isinstance(issue, CellIssue) and issue.value is None


@pytest.mark.parametrize("raw, expected", [
    ("SAP:write; SharePoint:read", (Integration("SAP", "write"),
                                    Integration("SharePoint", "read"))),
    ("Dataverse:rw", (Integration("Dataverse", "bidirectional"),)),
    ("Salesforce:both; SAP:w; HR:in; Bank:out", (
        Integration("Salesforce", "bidirectional"), Integration("SAP", "write"),
        Integration("HR", "read"), Integration("Bank", "write"))),
    ("CRM:bi, ERP:Bidirectional\nGL:sync", (
        Integration("CRM", "bidirectional"), Integration("ERP", "bidirectional"),
        Integration("GL", "bidirectional"))),
    ("Outlook", (Integration("Outlook", None),)),
    ("Outlook:", (Integration("Outlook", None),)),
    ("SAP (write)", (Integration("SAP", "write"),)),
    ("Kafka:write:async", (Integration("Kafka", "write", asynchronous=True),)),
    ("https://api.example.com", (Integration("https://api.example.com", None),)),
    ("SAP:R; SAP:r", (Integration("SAP", "read"),)),
    ("None", ()),
])
def test_integrations(raw, expected):
    assert value_of("integrations", raw) == expected


def test_integration_with_an_unknown_direction_is_an_error():
    issue = issue_of("integrations", "SAP:write; Teams:sometimes")

    assert (issue.value, issue.unrecognised) == (None, ("Teams:sometimes",))
    assert issue.message == ("“Teams:sometimes” is not a known integration; write "
                             "System:direction with read, write or bidirectional, e.g. "
                             "SAP:write, or map it in the value mapping step")


def test_value_map_renames_an_integration_system_and_keeps_its_direction():
    normaliser = Normaliser("integrations", {"SFDC": "Salesforce",
                                             "Teams:sometimes": "Teams:read"})

    assert normaliser("SFDC:write; Teams:sometimes") == (
        Integration("Salesforce", "write"), Integration("Teams", "read"))


# --- text ----------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("  Budget tracker ", "Budget tracker"), (12345.0, "12345"), (12, "12"), (1.5, "1.5"),
    (date(2025, 4, 3), "2025-04-03"), (True, "TRUE"), ("", None), ("n/a", None), ("-", None),
])
def test_text(raw, expected):
    assert value_of("app_id", raw) == expected


@pytest.mark.parametrize("raw", ["#N/A", "#REF!", "#VALUE!", "#DIV/0!"])
def test_excel_error_text_is_unknown_with_a_warning(raw):
    issue = issue_of("users", raw)

    assert (issue.value, issue.severity) == (None, "warning")
    assert issue.message == f"the cell holds the Excel error {raw}; read as unknown"


# --- memoising -----------------------------------------------------------------------

_CELLS = st.one_of(
    st.sampled_from(["Yes", "no", "1", "0", "-", "", "n/a", "1,200", "x", "03/04/2025"]),
    st.booleans(), st.integers(-2, 3), st.sampled_from([0.0, 1.0, 2.0, 2.5]),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
)


@given(st.sampled_from(["custom_code", "users", "created", "approved_tier", "notes"]),
       st.lists(_CELLS, max_size=40))
def test_a_memoised_column_equals_converting_each_cell_afresh(field, cells):
    expected = [Normaliser(field)(cell) for cell in cells]

    assert Normaliser(field).column(cells) == expected


def test_true_and_one_are_not_confused_by_the_memo():
    normaliser = Normaliser("users")

    column = normaliser.column([1, True, 1.0, "1"])

    assert column[0] == 1 and column[2] == 1 and column[3] == 1
    assert isinstance(column[1], CellIssue)
