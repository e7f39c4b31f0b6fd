"""Background jobs: what a job does when the window that started it is gone."""


def test_a_job_run_after_its_signals_are_gone_tells_nobody_and_raises_nothing(qtbot):
    """A job still queued when the application quits runs while Qt is torn down."""
    from shiboken6 import delete

    from fusiondesk.gui.tasks import _Job

    ran = []
    job = _Job(lambda progress: ran.append(1) or "done")
    delete(job.signals)  # as teardown leaves it
    job.run()
    failing = _Job(lambda progress: 1 / 0)
    delete(failing.signals)
    failing.run()
    assert ran == [1]
