"""Names, weights and vocabularies the sample generator draws from (data only)."""

from __future__ import annotations

from typing import NamedTuple

from fusiondesk.core.facts import Integration
from fusiondesk.core.terms import Criticality

# --- Vocabulary and weights --------------------------------------------------------------

def _pick(seq, rnd):
    return seq[int(rnd() * len(seq))]


def bag(weights: dict) -> tuple:
    """Values repeated by weight, so one `rng.random()` index makes a weighted draw."""
    return tuple(value for value, weight in weights.items() for _ in range(weight))


PLATFORMS = bag({"Power Apps": 26, "Power Automate": 24, "Salesforce": 9, "ServiceNow": 8,
                 "OutSystems": 5, "Mendix": 5, "Zapier": 8, "UiPath": 7, "Kissflow": 4, "Appian": 4})
PLATFORM_KIND = {"Power Automate": "flow", "Zapier": "flow", "UiPath": "rpa"}  # others: "app"
PRO_CODE_PLATFORMS = ("OutSystems", "Mendix", "Appian")  # where custom code is routine
# "guid" and "sf" are drawn; anything else is a prefix for a per-platform counter.
ID_PREFIX = {"Power Apps": "guid", "Power Automate": "guid", "Mendix": "guid", "Salesforce": "sf",
             "ServiceNow": "SN-", "OutSystems": "OS-", "Zapier": "ZAP-", "UiPath": "UIP-",
             "Kissflow": "KF-", "Appian": "APN-"}
SUFFIXES = {
    "app": ("Tracker", "App", "Portal", "Register", "Manager", "Dashboard", "Hub", "Log", "Form"),
    "flow": ("Flow", "Approval Flow", "Notifier", "Sync", "Reminder", "Automation", "Alert"),
    "rpa": ("Bot", "Robot", "Reconciliation Bot", "Data Entry Bot", "Automation"),
}
QUALIFIERS = (" v2", " (EMEA)", " (APAC)", " (Americas)", " - UK", " 2.0", " (Pilot)", " Legacy")
DEPARTMENTS = bag({"Operations": 14, "Finance": 12, "Sales": 12, "Customer Service": 10, "HR": 9,
                   "IT": 9, "Supply Chain": 8, "Marketing": 7, "Procurement": 6, "R&D": 5,
                   "Facilities": 4, "Legal": 4})
# Department-flavoured subjects; a trailing "!" marks one that is a whole app name on its own.
SUBJECTS = {d: tuple(s.split("|")) for d, s in {
    "Finance": "Expense Claim|Invoice Approval|Budget Forecast!|Month-End Close|Petty Cash!|"
               "Payment Run|Cost Centre Report!|Travel Advance|Accruals|Credit Check",
    "HR": "Leave Request|Onboarding|Shift Roster!|Training Record|Recruitment Pipeline!|"
          "Exit Interview|Timesheet|Performance Review|Holiday Planner!|Benefits Enrolment",
    "Sales": "Lead|Quote|Opportunity|Commission|Territory Plan!|Price Approval|Deal Desk!|"
             "Customer Visit|Sales Forecast!|Discount Request",
    "Marketing": "Campaign|Event Registration|Brand Asset|Content Calendar!|Social Post|"
                 "Webinar Signup|Newsletter|Sponsorship|Lead Scoring|Press Release",
    "Operations": "Shift Handover|Incident Log!|Equipment Checklist!|Production Schedule!|"
                  "Quality Inspection|Maintenance Request|Site Audit|Safety Observation|Downtime|Work Order",
    "IT": "Asset Inventory!|Access Request|Licence|Change Request|Laptop Refresh|Password Reset|"
          "Service Catalogue!|Patch Compliance|Software Request|On-Call Rota!",
    "Legal": "Contract Review|NDA Request|Matter Intake|Policy Attestation|Litigation Hold|"
             "Trademark Renewal|Legal Spend|Conflict Check",
    "Procurement": "Vendor Onboarding|Purchase Request|Supplier Risk|Tender Evaluation|"
                   "Contract Renewal|Catalogue Request|PO Approval|Supplier Scorecard!",
    "Customer Service": "Complaint|Case Escalation|Callback Request|Returns|Warranty Claim|"
                        "Customer Feedback|Knowledge Article|Refund Approval",
    "Supply Chain": "Stock Level|Delivery Schedule!|Shipment Tracking|Demand Forecast!|"
                    "Inventory Count|Carrier Booking|Goods Receipt|Reorder",
    "R&D": "Lab Sample|Experiment Log!|Clinical Trial Site|Patent Disclosure|Prototype Request|"
           "Test Result|Research Grant|Study Participant",
    "Facilities": "Room Booking|Desk Booking!|Visitor Sign-In|Maintenance Ticket|Parking Permit|"
                  "Cleaning Checklist!|Energy Meter|Fire Drill",
}.items()}
# Chance per department that an app holds each category of data.
DATA_CATEGORY_ODDS = {
    "Finance": (("financial", 0.7), ("payment", 0.12), ("pii", 0.15)),
    "HR": (("pii", 0.6), ("phi", 0.08), ("financial", 0.1)),
    "Sales": (("pii", 0.35), ("payment", 0.06), ("financial", 0.2)),
    "Customer Service": (("pii", 0.5), ("payment", 0.06)),
    "R&D": (("phi", 0.3), ("pii", 0.2)),
    "IT": (("credentials", 0.25), ("pii", 0.15)),
    "Procurement": (("financial", 0.4), ("payment", 0.08)),
    "Marketing": (("pii", 0.3),),
    "Legal": (("pii", 0.4), ("financial", 0.1)),
}
OTHER_DATA_ODDS = (("pii", 0.1), ("financial", 0.08))
COMPLIANCE_BY_CATEGORY = {"phi": (("HIPAA", 0.8),), "payment": (("PCI DSS", 0.7),),
                          "pii": (("GDPR", 0.3),), "financial": (("SOX", 0.3),)}
NOTES = (
    "Built in the 2023 hackathon; never formally handed over.",
    "Connector to SAP runs under the builder's personal account.",
    "Stores bank details in a SharePoint list - check encryption.",
    "Broke twice when the vendor changed its API.",
    "Users asked for a mobile version.",
    "Duplicate customer records after the last sync run.",
    "Forecast logic is in a hidden sheet nobody else understands.",
    "Candidate for rebuild by the pro-dev team.",
    "Owner on extended leave; ask their manager.",
    "Concurrent edits sometimes lose updates.",
    "Migrated from Access in 2021.",
    "Licence renewal due next quarter.",
)
FIRST_NAMES = (
    "James Maria Wei Aisha Oliver Sofia Liam Priya Noah Fatima Lucas Emma Mateo Yuki Ethan Chloe "
    "Arjun Olivia Mohammed Hannah Diego Amara Lars Ingrid Kenji Zara Samuel Leila Tomasz Nadia "
    "Daniel Grace Rafael Mei Ahmed Isabel Kwame Elena Hugo Anika David Sarah Pedro Aaliyah Jonas "
    "Freya Ivan Chen Omar Julia Thomas Ava Carlos Nia Felix Laura Ravi Sanne Michael Rosa Erik "
    "Amelia Hiroshi Lucia Patrick Ama Sean Ines Viktor Eva Joseph Mia Andrei Nora Benjamin Alice "
    "Gabriel Sunita George Helena"
).split()
LAST_NAMES = (
    "Smith Garcia Wang Khan Johnson Müller Rossi Patel Brown Nguyen Silva Kim Martin Novak Ali "
    "Jones Tanaka Lopez Schmidt O'Brien Dubois Kowalski Singh Andersson Okafor Haddad Costa Chen "
    "Williams Fischer Hansen Ivanova Mensah Moreau Yamamoto Hernandez Taylor Cohen Berg Rahman "
    "Jansen Petrov Murphy Sato Gonzalez Wilson Ahmed Larsen Romano Park Davies Nowak Bianchi "
    "Mahmoud Clarke Lindqvist Oliveira Zhang Evans Kaur Thompson Schneider Walsh Adeyemi Ferrari "
    "Kumar Hughes Svensson Laurent Reyes Morgan Fernandes Wright Becker Sharma Lee Campbell "
    "Varga Owusu Stewart"
).split()


class System(NamedTuple):
    """An integration target as a real inventory records it."""

    name: str
    directions: tuple
    approvals: tuple  # what the record says about the connector: True, False or None
    external_api: bool | None = None
    enterprise: bool | None = None


_READS = bag({"read": 76, "write": 16, "bidirectional": 8})
_SENDS = bag({"write": 40, "read": 60})  # mail and chat connectors often post messages
_OFFICE = bag({True: 82, None: 15, False: 3})
_BUSINESS = bag({True: 65, None: 27, False: 8})
_EXTERNAL = bag({True: 20, None: 35, False: 45})
SYSTEMS = tuple(system for system, weight in (
    (System("SharePoint", _READS, _OFFICE), 20), (System("Dataverse", _READS, _OFFICE), 12),
    (System("SQL Server", _READS, _OFFICE), 8), (System("Excel Online", _READS, _OFFICE), 12),
    (System("Outlook", _SENDS, _OFFICE), 12), (System("Teams", _SENDS, _OFFICE), 10),
    (System("Salesforce", _READS, _BUSINESS), 5), (System("ServiceNow", _READS, _BUSINESS), 4),
    (System("SAP", _READS, _BUSINESS, enterprise=True), 5),
    (System("Workday", _READS, _BUSINESS, enterprise=True), 3),
    (System("Dynamics 365", _READS, _BUSINESS, enterprise=True), 3),
    (System("Oracle EBS", _READS, _BUSINESS, enterprise=True), 2),
    (System("NetSuite", _READS, _BUSINESS, enterprise=True), 1),
    (System("Stripe API", _READS, _EXTERNAL, external_api=True), 1),
    (System("Twilio API", _SENDS, _EXTERNAL, external_api=True), 1),
    (System("DocuSign API", _READS, _EXTERNAL, external_api=True), 1),
    (System("Exchange Rates API", _READS, _EXTERNAL, external_api=True), 1),
    (System("Partner REST API", _READS, _EXTERNAL, external_api=True), 2),
) for _ in range(weight))

# Integrations are immutable, so every variant is made once and shared by all apps.
INTEGRATION_VARIANTS = {
    (sys.name, direction, approved, asynchronous): Integration(
        sys.name, direction, approved, sys.external_api, sys.enterprise, asynchronous)
    for sys in dict.fromkeys(SYSTEMS) for direction in set(sys.directions)
    for approved in set(sys.approvals) for asynchronous in (False, True)
}


def _outcomes(events) -> list[tuple[tuple, float]]:
    """Every outcome of independent (label, chance) events, with its probability."""
    outcomes = [((), 1.0)]
    for label, p in events:
        outcomes = [(chosen + (label,), q * p) for chosen, q in outcomes] + \
                   [(chosen, q * (1 - p)) for chosen, q in outcomes]
    return outcomes


def _data_profiles(odds_by_category) -> tuple[tuple[tuple, tuple], ...]:
    """(categories, compliance) pairs repeated by likelihood: one draw per app, not ten."""
    weights = {}
    for categories, p in _outcomes(odds_by_category):
        regimes = [r for c in categories for r in COMPLIANCE_BY_CATEGORY.get(c, ())]
        for compliance, q in _outcomes(regimes):
            weights[categories, compliance] = round(p * q * 1000)
    return bag(weights)


DATA_PROFILES = {d: _data_profiles(DATA_CATEGORY_ODDS.get(d, OTHER_DATA_ODDS)) for d in SUBJECTS}
WRITES = ("write", "bidirectional")
# Facts that may be blank in a real inventory; keys and owners never are.
UNKNOWABLE = (
    "description", "platform", "environment", "lifecycle", "department", "scope", "users",
    "data_sensitivity", "data_categories", "compliance", "integrations", "criticality",
    "calc_complexity", "custom_code", "support", "dr_plan", "doc_functional",
    "doc_data_sources", "doc_logic", "created", "last_modified", "last_used",
    "approved_tier", "last_review", "users_at_last_review", "requested_on", "deployed_on",
)
# Apps at these positions (mod 100) get exactly the tier-threshold user counts.
BOUNDARY_USERS = {7: 49, 19: 50, 31: 499, 43: 500}

LIVE = ("pilot", "production", "retired")  # lifecycles that were deployed
WIDE_SCOPES = ("cross_department", "enterprise", "external")
LIFECYCLE_BAG = bag({"production": 55, "pilot": 12, "development": 13, "idea": 8, "retired": 12})
SCOPE_BAG = bag({"team": 55, "department": 28, "cross_department": 11, "enterprise": 3,
                 "external": 3})
COMPLEXITY_BAG = bag({"simple": 67, "moderate": 28, "complex": 5})
CRITICALITY_BAG = bag(dict(zip(Criticality, (48, 38, 11, 3))))  # low, medium, high, mission-critical
BIG_APP_CRITICALITY_BAG = bag(dict(zip(Criticality, (5, 30, 40, 25))))
UNKNOWN_COUNT_BAG = bag({0: 40, 1: 30, 2: 18, 3: 8, 4: 4})
INTEGRATION_COUNT_BAG = bag({0: 40, 1: 30, 2: 16, 3: 9, 4: 5})
LEAD_WEEKS_BAG = bag({1: 8, 2: 16, 3: 18, 4: 16, 5: 10, 6: 8, 8: 8, 10: 6, 12: 10})
# Days since creation: ideas are recent, retired apps old, the rest span six years.
AGE_BY_LIFECYCLE = {"idea": (2, 120), "development": (10, 365), "retired": (400, 2190)}
# (low, high) user ranges; small-scope apps are mostly tiny, wide-scope ones rarely are.
NARROW_USER_BANDS = bag({(1, 19): 62, (20, 48): 18, (51, 498): 16, (501, 6000): 4})
WIDE_USER_BANDS = bag({(1, 19): 20, (20, 48): 20, (51, 498): 45, (501, 9000): 15})
# Power Platform's shared "Default" environment is where unmanaged apps pile up.
ENVIRONMENTS = {
    ("power", True): bag({"Default": 35, "Production": 55, "Test": 5, "Sandbox": 5}),
    ("power", False): bag({"Default": 40, "Dev": 35, "Test": 10, "Sandbox": 15}),
    ("other", True): bag({"Production": 88, "Test": 6, "Sandbox": 6}),
    ("other", False): bag({"Dev": 55, "Test": 20, "Sandbox": 25}),
}
# What a Power Platform item is; other platforms' inventories do not type their rows.
KIND_BAGS = {
    "Power Apps": bag({"canvas_app": 78, "model_driven_app": 20, "other": 2}),
    "Power Automate": bag({"cloud_flow": 88, "desktop_flow": 12}),
}
# Connectors a Standard licence covers; any other (Dataverse, SQL, SAP, an HTTP API) is premium.
STANDARD_CONNECTORS = frozenset({"SharePoint", "Excel Online", "Outlook", "Teams"})
PREMIUM_KINDS = ("model_driven_app", "desktop_flow")  # Dataverse / RPA: premium by nature
PREMIUM_PLANS = {
    "Power Apps": bag({"Premium": 84, "Per app": 9, "Pay-as-you-go": 7}),
    "Power Automate": bag({"Premium": 85, "Process": 8, "Pay-as-you-go": 7}),
}
# The type behind each environment name the generator draws; a "Sandbox" is now and then
# someone's trial, a "Dev" environment a developer or a sandbox one.
ENVIRONMENT_TYPE_BAGS = {
    "Default": ("default",), "Production": ("production",), "Test": ("sandbox",),
    "Sandbox": bag({"sandbox": 85, "trial": 15}), "Dev": bag({"developer": 70, "sandbox": 30}),
}
CERTIFICATION_BAGS = {
    "citizen_developer": bag({"none": 40, "trained": 38, "certified": 22}),
    "pro_developer": bag({"none": 10, "trained": 30, "certified": 60}),
    "business_owner": bag({"none": 85, "trained": 15}),
    "coe_admin": ("certified",),
}
CAPACITY_RANGES = {"citizen_developer": (3, 8), "pro_developer": (6, 15),
                   "business_owner": (3, 6), "coe_admin": (10, 15)}
