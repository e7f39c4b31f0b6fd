"""Portfolio-wide use cases: what is in it, and filling an empty one with a sample."""

from __future__ import annotations

from fusiondesk import sample_generator
from fusiondesk.core import clock
from fusiondesk.core.errors import PortfolioError
from fusiondesk.core.terms import LEAVER_STATUSES, Entity, Source
from fusiondesk.db import migrate
from fusiondesk.db.store import Session
from fusiondesk.db.store.apps import count_apps
from fusiondesk.db.store.certifications import insert_certificates
from fusiondesk.db.store.people import ids_by_email, insert_people
from fusiondesk.db.store.portfolio import row_counts
from fusiondesk.db.store.reviews import REVIEW_FIELDS, insert_sample_reviews
from fusiondesk.db.store.teams import write_members
from fusiondesk.sample_generator import SamplePortfolio
from fusiondesk.services.apps.bulk import insert_apps, insert_teams
from fusiondesk.services.changes import FieldChange, log_changes
from fusiondesk.services.classification.reclassify import reclassify
from fusiondesk.services.escalations.sample import add_sample_escalations
from fusiondesk.services.handover.planning import refresh_plans_for


def counts(session: Session) -> dict[str, int]:
    """How many of each thing the portfolio holds."""
    return row_counts(session)


def info(portfolio) -> dict:
    """Where the portfolio is, its schema revision and its counts."""
    with portfolio.reading() as session:
        found = counts(session)
    return {
        "path": portfolio.location.display,
        "url": portfolio.location.display if not portfolio.is_sqlite else None,  # never the password
        "schema_revision": migrate.current_revision(portfolio.engine),
        "counts": found,
    }


def fill_with_sample(session: Session, who: str, apps: int = 400, seed: int = 7,
                     progress=None) -> dict[str, int]:
    """Fill an empty portfolio with a generated, realistic sample."""
    existing = count_apps(session)
    if existing:
        raise PortfolioError(
            f"The portfolio already holds {existing} apps; a sample only fills an empty one. "
            "Create a new portfolio (fusiondesk --db NEW.fdesk sample) instead."
        )
    sample = sample_generator.generate(apps=apps, seed=seed, today=clock.today())
    # Logged before the sample's handover plans, so the log reads as it always has.
    log_changes(session, [FieldChange(Entity.PORTFOLIO, "sample", "(apps)", None, str(apps))],
                who, Source.SAMPLE, f"seed {seed}")
    add_sample(session, sample, who, progress)
    return {"apps": len(sample.apps), "people": len(sample.people), "teams": len(sample.teams)}


def _review_values(review) -> dict:
    return {name: getattr(review, name) for name in REVIEW_FIELDS}


def add_sample(session: Session, sample: SamplePortfolio, who: str, progress=None) -> None:
    """Write a generated sample's people, teams, apps and review history, classified, with
    handover plans."""
    person_ids = insert_people(session, sample.people)
    insert_certificates(session, [(person_ids[email], cert) for email, certs
                                  in sample.certifications.items() for cert in certs])
    teams = insert_teams(session, [(t.name, t.department) for t in sample.teams])
    people = ids_by_email(session)
    write_members(session, [(teams[t.name], people[email], role)
                            for t in sample.teams for email, role in t.members])
    ids = insert_apps(session, sample.apps)
    insert_sample_reviews(session, [{"app_id": ids[r.app_id], **_review_values(r)}
                                    for r in sample.reviews])
    reclassify(session, progress=progress)  # after the reviews: some are overdue
    # a real portfolio has plans for the people already leaving; so should the sample
    leavers = [p.email for p in sample.people if p.status in LEAVER_STATUSES]
    refresh_plans_for(session, leavers, who, read_back=False)
    add_sample_escalations(session, sample.people, who, len(sample.apps))
