"""Milestone reviews: requesting, completing, and the queues reviewers work from."""
