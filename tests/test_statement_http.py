import io

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from .common import COLLEAGUE, REVIEWEE, REVIEWER, HrSchoolPerformanceCase
from .test_statement import SIGNATURE, STATEMENT_REPORT

REVIEW_URL = "/odoo/action-hr_school_performance.hr_performance_review_action/%s"
STATEMENT_URL = "/odoo/action-hr_school_performance.hr_performance_statement_action/%s"


@tagged("post_install", "-at_install")
class TestStatementBrowser(HrSchoolPerformanceCase, HttpCase):
    """The statement in a browser, and the signed PDF rendered once by wkhtmltopdf."""

    review_world = True

    def _signed(self):
        self.as_role(REVIEWER, self.review).action_draft_statement()
        statement = self.review.statement_id
        self.as_role(REVIEWER, statement).action_send()
        self.as_role(REVIEWEE, statement).action_return_comments()
        self.as_role(REVIEWER, statement).action_finalise()
        self.as_role(REVIEWEE, statement).action_sign("Tom Assistant", SIGNATURE)
        self.as_role(REVIEWER, statement).action_sign("Maria Manager", SIGNATURE)
        self.env.invalidate_all()
        return statement.with_env(self.env)

    def test_statement_tour(self):
        reviewer, reviewee = self.reviewer_user.login, self.reviewee_user.login
        self.start_tour(
            REVIEW_URL % self.review.id,
            "hr_school_performance_statement_draft_tour",
            login=reviewer,
        )
        statement = self.review.statement_id
        self.assertEqual(statement.state, "sent")
        self.assertEqual(statement.overall_assessment, "A year of steady progress in phonics.")
        url = STATEMENT_URL % statement.id
        self.start_tour(url, "hr_school_performance_statement_comment_tour", login=reviewee)
        self.assertEqual(statement.state, "commented")
        self.assertEqual(statement.reviewee_comments, "I agree; please add the Makaton course.")
        self.start_tour(url, "hr_school_performance_statement_finalise_tour", login=reviewer)
        self.assertEqual(statement.signature_ids.signer_user_id, self.reviewer_user)
        self.start_tour(url, "hr_school_performance_statement_sign_tour", login=reviewee)
        self.assertEqual(statement.state, "signed")
        self.assertEqual(
            statement.signature_ids.mapped("signed_name"), ["Maria Manager", "Tom Assistant"]
        )
        self.assertTrue(all(statement.signature_ids.mapped("signature")))
        self.assertEqual(self.review.date_statement_signed, statement.date_signed.date())
        # The test server renders HTML instead of PDF: store the signed original with
        # wkhtmltopdf, as signing does outside tests.
        statement.with_context(force_report_rendering=True)._store_signed_pdf()
        self.assertTrue(statement.pdf_attachment_id)
        self.start_tour(url, "hr_school_performance_statement_download_tour", login=reviewee)

    @mute_logger("odoo.http")
    def test_signed_pdf_rendered_once(self):
        statement = self._signed()
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, report_type = self.as_role(REVIEWEE, Report)._render_qweb_pdf(
            STATEMENT_REPORT, statement.ids
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreaterEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), 1)
        attachment = statement.pdf_attachment_id
        self.assertEqual(attachment.raw, pdf)
        self.assertEqual(attachment.res_model, "hr.performance.statement")
        again, __ = self.as_role(REVIEWER, Report)._render_qweb_pdf(STATEMENT_REPORT, statement.ids)
        self.assertEqual(again, pdf, "Printing again returns the stored file, byte for byte")
        # The stored copy is not a door: a colleague gets neither the report nor the file.
        with self.assertRaises(AccessError):
            self.as_role(COLLEAGUE, Report)._render_qweb_pdf(STATEMENT_REPORT, statement.ids)
        self._login(COLLEAGUE)
        response = self.url_open(f"/report/pdf/{STATEMENT_REPORT}/{statement.id}")
        self.assertNotEqual(response.status_code, 200)
        response = self.url_open(f"/web/content/{attachment.id}")
        self.assertNotEqual(response.content, pdf)
        self._login(REVIEWEE)
        response = self.url_open(f"/web/content/{attachment.id}?download=true")
        self.assertEqual(response.content, pdf)
