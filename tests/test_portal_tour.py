import re

from odoo.tests import HttpCase, tagged

from .common import HrSchoolPerformanceCase


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

    def test_portal_tour(self):
        self.ta_2.with_user(self.hr_officer).action_performance_portal_invite()
        mail = self.env["mail.mail"].search(
            [("model", "=", "hr.performance.portal.invitation")], order="id desc", limit=1
        )
        url = re.search(r'href="[^"]*(/performance/join\?code=[A-Z2-9-]+)"', str(mail.body_html))
        self.start_tour(url.group(1), "hr_school_performance_portal_tour")

        review = self.review_tina
        self.assertEqual(review.chat_likes, "Helping the children at lunchtime")
        self.assertEqual(review.chat_service_needs, "A radio to reach the office")
        self.assertEqual(review.chat_team_ideas, "Play leaders from Year 6")
        self.assertTrue(review.date_self_evaluation)
        invitation = self.ta_2.sudo().performance_invitation_ids
        self.assertEqual(invitation.state, "used")
        # Written by Tina herself, through the portal.
        self.assertEqual(review.write_uid, self.ta_2.user_id)
