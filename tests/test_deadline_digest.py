from freezegun import freeze_time

from odoo.tests import tagged

from .common import HrSchoolPerformanceCase

DIGEST_SUBJECTS = ("Performance deadlines%", "Overdue performance deadlines%")


@tagged("post_install", "-at_install")
class TestDeadlineDigest(HrSchoolPerformanceCase):
    """The daily job sends each person one e-mail a day of what is due or overdue, with a
    link to each review, never one e-mail per deadline."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-09-01 08:00"):
            cls.cycle = cls._group_with_staff("Digest team", 6)
            cls._launch(cls.cycle)
        cls.reviews = cls.cycle.review_ids
        cls.planning = cls.reviews.deadline_ids.filtered(lambda d: d.kind == "planning_meeting")

    def _digests(self):
        Mail = self.env["mail.mail"]
        return Mail.search(
            ["|", *(("subject", "=like", subject) for subject in DIGEST_SUBJECTS)]
        ).filtered(lambda mail: mail.id not in self.before)

    def _run_on(self, day):
        with freeze_time(f"{day} 06:00"):
            self._run_cron()
        return self._digests()

    def _names(self, mail):
        return {
            review.employee_id.name
            for review in self.reviews
            if review.employee_id.name in mail.body_html
        }

    def setUp(self):
        super().setUp()
        self.before = set(self.env["mail.mail"].search([]).ids)

    def test_one_reminder_digest_per_person_with_every_item_and_link(self):
        self.assertEqual(len(self.planning), 6)
        day = self.planning[0].date_reminder
        self.assertEqual(set(self.planning.mapped("date_reminder")), {day})
        # Run twice on the day: the second run adds nothing.
        for _run in range(2):
            digests = self._run_on(day)
            recipients = digests.recipient_ids
            self.assertEqual(len(digests), len(recipients), "one e-mail per person")
        reviewers = self.reviews.reviewer_user_id
        self.assertLessEqual(reviewers.partner_id, recipients)
        for user in reviewers:
            mail = digests.filtered(lambda m, u=user: m.recipient_ids == u.partner_id)
            own = self.reviews.filtered(lambda r, u=user: r.reviewer_user_id == u)
            self.assertEqual(mail.subject, f"Performance deadlines due soon: {len(own)}")
            self.assertEqual(self._names(mail), set(own.employee_id.mapped("name")))
            for review in own:
                self.assertIn(f"res_id={review.id}", mail.body_html, "a link to each review")
        self.assertFalse(self.planning.filtered("reminder_digest_pending"))

    def test_one_escalation_digest_per_headteacher_listing_everything_overdue(self):
        escalation_day = self.planning[0].date_escalation
        self._run_on(self.planning[0].date_reminder)
        self.before = set(self.env["mail.mail"].search([]).ids)
        for _run in range(2):
            digests = self._run_on(escalation_day)
            self.assertEqual(len(digests), len(digests.recipient_ids), "one e-mail per person")
        self.assertTrue(digests)
        # Every overdue planning meeting is in exactly one e-mail.
        listed = [name for mail in digests for name in self._names(mail)]
        self.assertCountEqual(listed, self.reviews.employee_id.mapped("name"))
        self.assertTrue(all(self.planning.mapped("escalation_digest_sent")))
        self.assertIn(self.headteacher_user.partner_id, digests.recipient_ids)
