from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged, users, warmup

from .common import HrSchoolPerformanceCase, london


@tagged("post_install", "-at_install")
class TestDeadlineQueries(HrSchoolPerformanceCase):
    """Query budgets of the deadline hot paths: one run of the daily job, and moving a
    planning meeting (which moves every deadline counted from it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._launch_team(meeting=date(2026, 10, 22))

    def _assert_cron_queries(self, expected):
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(expected):
            self._run_cron()

    def test_cron_batch_with_nothing_due_costs_the_same_for_5_and_50_reviews(self):
        # 30 September: nothing of the fixture review is due before its meeting notice.
        with freeze_time("2026-09-30 06:00"):
            self._run_cron()  # the fixture review's to-dos and reminders, if any
            # Five reviews launched for January: nothing of theirs is due in October.
            cycle = self._group_with_staff("Midday Supervisors", 5, start=date(2027, 1, 4))
            self._launch(cycle)
            self.assertEqual(len(cycle.review_ids), 5)
            self._run_cron()
            # Three of them take, trade and release the run lock that lets the last of two
            # workers send the digests.
            self._assert_cron_queries(20)
            self._add_staff(cycle.job_group_id, 45)
            cycle.with_user(self.hr_officer).action_add_eligible()
            self.assertEqual(len(cycle.review_ids), 50)
            self._assert_cron_queries(20)

    def test_cron_batch_of_due_items_has_a_fixed_budget(self):
        # 13 October: the self-evaluation and meeting notice of two reviews become
        # to-dos; nothing is reminded or escalated yet.
        with freeze_time("2026-09-03 08:00"):
            other = self._launched_review(self.ta_2)
        with freeze_time("2026-10-01 09:00"):
            self._book(other, london(date(2026, 10, 22)))
        with freeze_time("2026-09-30 06:00"):
            self._run_cron()
        with freeze_time("2026-10-13 06:00"):
            # One of them reads whether the pending items' reviews are suspended.
            self._assert_cron_queries(124)
        todos = (self.review | other).activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("hr_school_performance.mail_activity_type_deadline")
            )
        )
        self.assertTrue(todos)

    @users("hsp.reviewer")
    @warmup
    def test_moving_the_planning_meeting_as_the_reviewer(self):
        event = self.event.with_user(self.env.user)
        # 124 since 2 December 2026 (was 121): the school's days are read by the loader of
        # many schools (res.company._performance_load_days), whose attendances and public
        # holidays are two searches of their own, a fixed cost shared by a whole trust; and
        # the review's first open due date (the "Overdue" filter) is counted again.
        with freeze_time("2026-10-14 09:00"), self.assertQueryCount(124):
            event.write({"start": london(date(2026, 11, 5)), "stop": london(date(2026, 11, 5), 11)})
        self.assertEqual(self._deadline(self.review, "self_evaluation").date_due, date(2026, 11, 3))
