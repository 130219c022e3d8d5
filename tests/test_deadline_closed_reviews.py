from datetime import date

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from .common import HrSchoolPerformanceCase


@tagged("post_install", "-at_install")
class TestDeadlinesOfClosedReviews(HrSchoolPerformanceCase):
    """A review that is completed or cancelled closes its open deadlines with it: they say
    so, stop counting as missed and leave the *Overdue* filter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.achieved = cls.env.ref("hr_school_performance.hr_performance_scale_level_achieved")
        cls._launch_team(meeting=date(2026, 10, 22))

    def _overdue_reviews(self):
        return self.env["hr.performance.review"].search(
            [("has_overdue_deadline", "=", True), ("id", "in", self.review.ids)]
        )

    def _missed_deadlines(self, review):
        return self.env["hr.performance.deadline"].search(
            [("review_id", "=", review.id), ("status", "in", ["missed"])]
        )

    @freeze_time("2026-11-20 10:00")
    def test_completed_review_closes_its_missed_deadlines(self):
        # The self-evaluation (due 20 Oct) and draft statement (due 5 Nov) were never
        # recorded: both missed while the review is open.
        self_evaluation = self._deadline(self.review, "self_evaluation")
        self.assertEqual(self_evaluation.status, "missed")
        self.assertTrue(self.review.deadline_missed_count)
        self.assertEqual(self._overdue_reviews(), self.review)

        self.review.objective_ids = [Command.create({"name": "Run the phonics group"})]
        review = self.review.with_user(self.reviewer_user)
        review.action_agree_objectives()
        self._excuse_statement(self.review)
        review.action_start_monitoring()
        review.action_start_final_review()
        self.review.objective_ids.assessment_level_id = self.achieved
        self.review.outcome_level_id = self.achieved
        review.action_complete()

        self.assertEqual(self.review.state, "completed")
        self.assertEqual(self_evaluation.status, "closed")
        self.assertEqual(
            dict(self_evaluation._fields["status"]._description_selection(self.env))["closed"],
            "Closed with the Review",
        )
        self.assertFalse(self.review.deadline_missed_count)
        self.assertFalse(self._overdue_reviews(), "a completed review is not overdue")
        self.assertFalse(self._missed_deadlines(self.review))
        closed = self.env["hr.performance.deadline"].search(
            [("review_id", "=", self.review.id), ("status", "in", ["closed"])]
        )
        self.assertIn(self_evaluation, closed)
        # Met deadlines keep their outcome; the planning meeting was held late.
        self.assertEqual(self._deadline(self.review, "planning_meeting").status, "late")
        self.assertFalse(closed.filtered("date_next_action"), "the cron has nothing to do")

    def test_cancelled_review_closes_its_deadlines_and_reopening_restores_them(self):
        with freeze_time("2026-10-05 10:00"):
            planning = self._deadline(self.review_tina, "planning_meeting")
            self.assertEqual(planning.status, "missed")
            self.review_tina.with_user(self.headteacher_user).action_cancel()
            self.assertEqual(planning.status, "closed")
            self.assertFalse(planning.date_next_action)
            self.assertFalse(self.review_tina.has_overdue_deadline)
            self.assertFalse(self._missed_deadlines(self.review_tina))
            self.review_tina.with_user(self.hr_officer).action_reset_to_planning()
            self.assertEqual(planning.status, "missed", "the reopened review owes it again")
            self.assertTrue(planning.date_next_action)
