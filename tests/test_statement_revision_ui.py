from contextlib import closing
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import GOVERNOR, HEAD_A, HR_TRUST, PAYROLL, REVIEWEE, REVIEWER
from .test_statement import ESCAPED, PAYLOAD, SIGNATURE, STATEMENT_REPORT, StatementCase

MIDYEAR_REPORT = "hr_school_performance.report_midyear"
REVISE = "hr.performance.statement.revise"
# How the form prints a signature image (the letterhead's logo is an image too).
SIGNED_IMAGE = 'style="max-height: 20mm; max-width: 60mm;"'


@tagged("post_install", "-at_install")
class TestStatementRevisionWizard(StatementCase):
    """The "Request a Revision" button of the signed statement and of the review: a
    wizard asking the reason, calling ``_request_statement_revision``."""

    def _wizard(self, role, reason):
        return self.as_role(role, self.env[REVISE]).create(
            {"review_id": self.review.id, "reason": reason}
        )

    def test_allowed_roles_revise_through_the_wizard(self):
        statement = self._signed()
        for role in (REVIEWER, HEAD_A, HR_TRUST):
            with self.subTest(role=role), closing(self.env.cr.savepoint()):
                self.assertTrue(self.as_role(role, statement).can_request_revision)
                self.assertTrue(self.as_role(role, self.review).can_request_statement_revision)
                opened = self.as_role(role, statement).action_open_revision()
                self.assertEqual(
                    (opened["res_model"], opened["context"]["default_review_id"]),
                    (REVISE, self.review.id),
                )
                wizard = self._wizard(role, f"Revision meeting ({role}): objective moved.")
                action = wizard.action_confirm()
                self.env.invalidate_all()
                revision = self.review.statement_id
                self.assertEqual(
                    (action["res_model"], action["res_id"]), (revision._name, revision.id)
                )
                self.assertEqual((revision.version, revision.state), (2, "draft"))
                self.assertEqual(
                    revision.revision_reason, f"Revision meeting ({role}): objective moved."
                )
                self.assertTrue(statement.superseded)
                # The superseded version offers no second revision.
                self.assertFalse(self.as_role(role, statement).can_request_revision)
            self.env.invalidate_all()
        self.assertEqual(self.review.statement_ids, statement)

    def test_other_roles_are_refused(self):
        statement = self._signed()
        for role in (REVIEWEE, PAYROLL, GOVERNOR):
            with self.subTest(role=role):
                if role == REVIEWEE:
                    self.assertFalse(self.as_role(role, statement).can_request_revision)
                    self.assertFalse(self.as_role(role, self.review).can_request_statement_revision)
                    with self.assertRefused(AccessError, "your own review"):
                        self.as_role(role, statement).action_open_revision()
                with self.assertRaises(AccessError):
                    self._wizard(role, "I want it changed.")
                # Nor straight to the entry point, over RPC.
                with self.assertRaises(AccessError):
                    self.as_role(role, self.review)._request_statement_revision("Changed.")
        self.env.invalidate_all()
        self.assertEqual(self.review.statement_ids, statement)
        self.assertFalse(statement.superseded)

    def test_empty_reason_changes_nothing(self):
        statement = self._signed()
        wizard = self._wizard(REVIEWER, "   ")
        with self.assertRefused(ValidationError, "Give the reason"):
            wizard.action_confirm()
        self.env.invalidate_all()
        self.assertEqual(self.review.statement_ids, statement)
        self.assertFalse(statement.superseded)
        self.assertFalse([m for m in self.review.message_ids if "opened version" in str(m.body)])
        self.assertTrue(self.as_role(REVIEWER, statement).can_request_revision)

    def test_no_button_before_signing(self):
        statement = self._to_final()
        self.assertFalse(self.as_role(REVIEWER, statement).can_request_revision)
        self.assertFalse(self.as_role(HEAD_A, self.review).can_request_statement_revision)
        # Nor does the wizard revise a statement not signed yet: it is changed as a draft.
        wizard = self._wizard(HEAD_A, "Typo in an objective.")
        with self.assertRefused(UserError, "Only a signed statement"):
            wizard.action_confirm()
        self.env.invalidate_all()
        self.assertEqual(self.review.statement_ids, statement)
        self.assertEqual(statement.state, "final")


@tagged("post_install", "-at_install")
class TestStatementPrintedRecord(StatementCase):
    """The printed mid-year signatures, and the statement's title printed once."""

    def _render(self, report, records, role=REVIEWER):
        html, __ = self.as_role(role, self.env["ir.actions.report"])._render_qweb_html(
            report, records.ids
        )
        return html.decode()

    def test_midyear_pdf_shows_the_signatures(self):
        self.review.midyear_meeting_date = date(2026, 1, 12)
        html = self._render(MIDYEAR_REPORT, self.review)
        self.assertNotIn(SIGNED_IMAGE, html)
        self.assertIn("Reviewee Signature", html)
        reviewee_sig = self.as_role(REVIEWEE, self.review).action_sign_midyear(PAYLOAD, SIGNATURE)
        reviewer_sig = self.as_role(REVIEWER, self.review).action_sign_midyear(
            "Maria Manager", SIGNATURE
        )
        self.env.invalidate_all()
        for role in (REVIEWEE, REVIEWER, HEAD_A):
            with self.subTest(role=role):
                html = self._render(MIDYEAR_REPORT, self.review, role)
                self.assertIn("Maria Manager", html)
                # Europe/London is on UTC in January.
                for sig in (reviewee_sig, reviewer_sig):
                    self.assertIn(sig.signed_on.strftime("%d/%m/%Y %H:%M"), html)
                self.assertIn("signed in the back office", html)
                self.assertEqual(html.count(SIGNED_IMAGE), 2)
                self.assertIn(ESCAPED, html)
                self.assertNotIn(PAYLOAD, html)

    def test_statement_title_printed_once(self):
        statement = self._signed()
        html = self._render(STATEMENT_REPORT, statement)
        self.assertEqual(html.count("Planning and Review Statement"), 1)
        self.assertIn("Version 1", html)
