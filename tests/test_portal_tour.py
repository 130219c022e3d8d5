import re
from datetime import datetime

from odoo.tests import HttpCase, tagged

from .common import HrSchoolPerformanceCase
from .test_statement import SIGNATURE


@tagged("post_install", "-at_install")
class TestPortalTour(HrSchoolPerformanceCase, HttpCase):
    """On a phone-sized screen, in a real browser: a member of staff without a back-office
    login signs up from her invitation and completes her job chat."""

    browser_size = "375x667"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.job_group.process = "abbreviated"
        cls._launch_team()

    def _sign_up_and_complete_the_job_chat(self):
        self.ta_2.with_user(self.hr_officer).action_performance_portal_invite()
        mail = self.env["mail.mail"].search(
            [("model", "=", "hr.performance.portal.invitation")], order="id desc", limit=1
        )
        url = re.search(r'href="[^"]*(/performance/join\?code=[A-Z2-9-]+)"', str(mail.body_html))
        self.start_tour(url.group(1), "hr_school_performance_portal_tour")

    def test_portal_tour(self):
        self._sign_up_and_complete_the_job_chat()
        review = self.review_tina
        self.assertEqual(review.chat_likes, "Helping the children at lunchtime")
        self.assertEqual(review.chat_service_needs, "A radio to reach the office")
        self.assertEqual(review.chat_team_ideas, "Play leaders from Year 6")
        self.assertTrue(review.date_self_evaluation)
        invitation = self.ta_2.sudo().performance_invitation_ids
        self.assertEqual(invitation.state, "used")
        # Written by Tina herself, through the portal.
        self.assertEqual(review.write_uid, self.ta_2.user_id)

    def test_whole_journey(self):
        """One journey on the phone: Tina signs up from her invitation and completes her
        job chat; her reviewer drafts and sends the statement; she comments on it; once
        final and signed by the reviewer, she signs it and downloads the signed copy. The
        reviewer's steps run between the tours, as they happen at the reviewer's desk."""
        self._sign_up_and_complete_the_job_chat()
        review = self.review_tina
        tina = self.ta_2.user_id
        self.assertTrue(tina.share, "Tina has a portal login, not a back-office one")
        self.assertEqual(review.chat_training, "Paediatric first aid")
        # The next tours sign her in again (the test browser's password is the login).
        tina.sudo().password = tina.login
        # The planning meeting was held; the reviewer drafts the statement and sends it.
        review.sudo().meeting_date = datetime(2026, 9, 15, 10, 0)
        as_reviewer = review.with_user(self.reviewer_user)
        as_reviewer.action_draft_statement()
        statement = review.statement_id.with_user(self.reviewer_user)
        statement.action_send()
        self.start_tour(
            f"/my/performance/{review.id}",
            "hr_school_performance_portal_statement_comment_tour",
            login=tina.login,
        )
        self.assertEqual(statement.state, "commented")
        self.assertEqual(statement.reviewee_comments, "Please add the first-aid refresher.")
        statement.action_finalise()
        statement.action_sign("Maria Manager", SIGNATURE)
        url = f"/my/performance/statement/{statement.id}"
        self.start_tour(url, "hr_school_performance_portal_statement_sign_tour", login=tina.login)
        self.assertEqual(statement.state, "signed")
        signature = statement.sudo().signature_ids.filtered(lambda s: s.signer_role == "reviewee")
        self.assertEqual((signature.route, signature.signer_user_id), ("portal", tina))
        # The test server renders HTML instead of PDF: store the signed original with
        # wkhtmltopdf, as signing does outside tests.
        statement.sudo().with_context(force_report_rendering=True)._store_signed_pdf()
        self.start_tour(
            url, "hr_school_performance_portal_statement_download_tour", login=tina.login
        )
