from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from .common import REVIEWEE, REVIEWER
from .test_statement import SIGNATURE, StatementCase


@tagged("post_install", "-at_install")
class TestStatementSignedWhileLoading(StatementCase, HttpCase):
    """A statement signed while modules load (the demo data) is signed and frozen, but its
    PDF waits for the first print: the report's styles come from the HTTP server, which is
    not up yet. An HttpCase: the real rendering fetches the styles from the test server."""

    def test_pdf_deferred_while_modules_load(self):
        statement = self._to_final().with_context(force_report_rendering=True)
        with patch.object(self.env.registry, "ready", False):
            self.as_role(REVIEWEE, statement).action_sign("Tom Assistant", SIGNATURE)
            self.as_role(REVIEWER, statement).action_sign("Maria Manager", SIGNATURE)
        self.assertEqual(statement.state, "signed")
        self.assertTrue(statement.content_hash)
        self.assertFalse(statement.pdf_attachment_id)
        # The first print renders it (with its styles) and stores it.
        statement._store_signed_pdf()
        statement.invalidate_recordset(["pdf_attachment_id"])
        self.assertTrue(statement.pdf_attachment_id)
