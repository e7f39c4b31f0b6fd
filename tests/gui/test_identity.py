"""Who the change log names: the configured name, else the OS account."""

from sqlalchemy import select

from fusiondesk.db.models import ChangeLogEntry
from fusiondesk.gui import settings
from fusiondesk.gui.identity_dialog import IdentityDialog
from fusiondesk.gui.main_window import MainWindow
from fusiondesk.services.apps import edits as app_edits


def test_configured_name_is_written_to_the_change_log(qtbot, sample_portfolio, run_change):
    dialog = IdentityDialog("tester")
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("Dana Lead")
    dialog.email_edit.setText("Dana.Lead@Contoso.example")
    dialog.save()
    assert (settings.user_name(), settings.user_email()) == ("Dana Lead", "dana.lead@contoso.example")

    window = MainWindow()
    qtbot.addWidget(window)
    window.workspace.set_portfolio(sample_portfolio)
    app_id = window.portfolio_view.model.app_id(0)
    with sample_portfolio.reading() as session:
        version = app_edits.load_app(session, app_id).version
    run_change(window.workspace, "edit",
               lambda s, who: app_edits.save_app(s, app_id, {"notes": "x"}, version, who), app_edits.revert)
    with sample_portfolio.reading() as session:
        assert session.scalar(select(ChangeLogEntry.who).order_by(ChangeLogEntry.id.desc()).limit(1)) == "Dana Lead"


def test_a_bad_email_is_refused(qtbot):
    dialog = IdentityDialog("tester")
    qtbot.addWidget(dialog)
    dialog.email_edit.setText("not-an-email")
    dialog.save()
    assert "not an e-mail" in dialog.error.text() and settings.user_email() is None
