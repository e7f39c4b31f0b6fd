"""People: listing and editing the builders, owners and reviewers."""
