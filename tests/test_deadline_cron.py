from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL, format_date

from ..models.hr_performance_deadline import DEADLINE_RUN_LOCK
from .common import COLLEAGUE, HEAD_B, HrSchoolPerformanceCase, london

DEADLINE_TYPE = "hr_school_performance.mail_activity_type_deadline"
OVERDUE_TYPE = "hr_school_performance.mail_activity_type_deadline_overdue"


@tagged("post_install", "-at_install")
class TestDeadlineCron(HrSchoolPerformanceCase):
    """The daily scheduled action: to-dos for whoever must act, reminders before the due
    date, escalation to the headteacher the working day after, never twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._launch_team(meeting=date(2026, 10, 22))

    def _activities(self, record, xmlid, user=None, active=True):
        return (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("res_model", "=", record._name),
                    ("res_id", "=", record.id),
                    ("activity_type_id", "=", self.env.ref(xmlid).id),
                    ("active", "=", active),
                    *([("user_id", "=", user.id)] if user else []),
                ]
            )
        )

    def _digests(self, partner):
        return self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", partner.ids),
                ("subject", "=like", "Overdue performance deadlines:%"),
            ]
        )

    def _reminders(self, partner):
        """The daily digests of what ``partner`` must do soon (their reminders)."""
        return self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", partner.ids),
                ("subject", "=like", "Performance deadlines due soon:%"),
            ]
        )

    def test_todo_reminder_escalation_and_no_duplicates(self):
        self_evaluation = self._deadline(self.review, "self_evaluation")
        self.assertEqual(self_evaluation.date_due, date(2026, 10, 20))
        self.assertEqual(self_evaluation.date_activity, date(2026, 10, 13))
        self.assertEqual(self_evaluation.date_reminder, date(2026, 10, 16))
        self.assertEqual(self_evaluation.date_escalation, date(2026, 10, 21))
        tom, helen = self.reviewee_user.partner_id, self.headteacher_user.partner_id

        # 13 October: Tom's self-evaluation becomes a to-do; Tina's planning meeting,
        # due on 29 September and never held, goes to the headteacher.
        for _run in range(2):
            with freeze_time("2026-10-13 06:00"):
                self._run_cron()
            todo = self._activities(self.review, DEADLINE_TYPE)
            self.assertEqual(len(todo), 1)
            self.assertEqual(todo.user_id, self.reviewee_user)
            self.assertEqual(todo.date_deadline, date(2026, 10, 20))
            self.assertEqual(todo.summary, "Return the self-evaluation")
            # No to-do for the headteacher on the review (the reviewee reads it): one
            # digest e-mail, once.
            self.assertFalse(self._activities(self.review_tina, OVERDUE_TYPE))
            self.assertEqual(len(self._digests(helen)), 1)
            self.assertFalse(self._reminders(tom))
        planning = self._deadline(self.review_tina, "planning_meeting")
        self.assertEqual(planning.escalation_user_id, self.headteacher_user)
        self.assertTrue(planning.reminder_done)
        self.assertFalse(planning.date_reminder_sent, "no reminder after the due date")
        digest = self._digests(helen)
        self.assertIn("Tina Assistant", digest.body_html)
        self.assertIn(f"res_id={self.review_tina.id}", digest.body_html, "a link to the review")

        # 16 October: two working days before, the reminder in Tom's digest, once.
        for _run in range(2):
            with freeze_time("2026-10-16 06:00"):
                self._run_cron()
            mails = self._reminders(tom)
            self.assertEqual(len(mails), 1)
        self.assertEqual(mails.subject, "Performance deadlines due soon: 1")
        self.assertIn("Self-evaluation returned", mails.body_html)
        self.assertIn(format_date(self.env, date(2026, 10, 20)), mails.body_html)
        self.assertIn(f"res_id={self.review.id}", mails.body_html, "a link to the review")
        self.assertEqual(self_evaluation.date_reminder_sent, date(2026, 10, 16))

        # 21 October: not returned: escalated to the headteacher, once.
        for _run in range(2):
            with freeze_time("2026-10-21 06:00"):
                self._run_cron()
            self.assertFalse(self._activities(self.review, OVERDUE_TYPE))
            self.assertEqual(len(self._digests(helen)), 2, "one digest a day")
        self.assertEqual(self_evaluation.escalation_user_id, self.headteacher_user)
        latest = self._digests(helen).sorted("id")[-1]
        self.assertIn("Tom", latest.body_html)
        self.assertIn("Self-evaluation returned", latest.body_html)
        self.assertFalse(self_evaluation.date_next_action)
        # Tom sees one to-do for his self-evaluation, nothing addressed to the headteacher.
        self.assertEqual(
            self.review.activity_ids.filtered(lambda a: a.user_id == self.reviewee_user).mapped(
                "summary"
            ),
            ["Return the self-evaluation"],
        )
        self.assertFalse(
            self.review.activity_ids.filtered(lambda a: a.user_id == self.headteacher_user)
        )

        # Returned late: the to-dos are closed, the deadline shows it was late.
        with freeze_time("2026-10-21 14:00"):
            self.review.with_user(self.reviewee_user).date_self_evaluation = date(2026, 10, 21)
            self.assertEqual(self_evaluation.status, "late")
        self.assertFalse(self._activities(self.review, DEADLINE_TYPE))
        self.assertFalse(self._activities(self.review, OVERDUE_TYPE))
        self.assertTrue(self._activities(self.review, DEADLINE_TYPE, active=False))

    def test_a_todo_its_assignee_cannot_open_does_not_stop_the_run(self):
        """Whoever must act can no longer open the review (a colleague, here named by
        hand): the to-do goes to the headteacher, who escalations go to, and the rest of
        the day's run goes on."""
        self_evaluation = self._deadline(self.review, "self_evaluation")
        self_evaluation.sudo().responsible_user_id = self.users[COLLEAGUE]
        with freeze_time("2026-10-13 06:00"):
            self._run_cron()
        todo = self._activities(self.review, DEADLINE_TYPE)
        self.assertEqual(todo.user_id, self.headteacher_user)
        self.assertEqual(self_evaluation.activity_id, todo)
        # The other deadlines of the run were handled: Tina's missed planning meeting.
        planning = self._deadline(self.review_tina, "planning_meeting")
        self.assertEqual(planning.escalation_user_id, self.headteacher_user)
        self.assertTrue(planning.reminder_done)

    def test_a_todo_nobody_may_receive_is_tried_again_the_next_day(self):
        """Neither whoever must act nor whoever it escalates to may open the review: the
        to-do waits, out of the runs of the day, and is given the next day to the
        headteacher who can open it again."""
        self_evaluation = self._deadline(self.review, "self_evaluation")
        self_evaluation.sudo().responsible_user_id = self.users[COLLEAGUE]
        school = self.review.company_id
        headteacher = school.performance_headteacher_id
        # Escalations go to another school's headteacher, who cannot open the review.
        school.sudo().performance_headteacher_id = self.users[HEAD_B]
        with freeze_time("2026-10-13 06:00"):
            self._run_cron()
            self.assertFalse(self._activities(self.review, DEADLINE_TYPE))
            self.assertEqual(self_evaluation.date_todo_waiting, date(2026, 10, 13))
            self.assertEqual(self_evaluation.date_next_action, date(2026, 10, 14))
            self.assertNotIn(
                self_evaluation,
                self.env["hr.performance.deadline"].search(
                    [("date_next_action", "<=", date(2026, 10, 13))]
                ),
                "not handled again at every run of the day",
            )
        school.sudo().performance_headteacher_id = headteacher
        with freeze_time("2026-10-14 06:00"):
            self._run_cron()
        todo = self._activities(self.review, DEADLINE_TYPE)
        self.assertEqual(todo.user_id, self.headteacher_user)
        self.assertEqual(self_evaluation.activity_id, todo)

    def test_the_digests_wait_for_the_last_worker(self):
        """Another worker still at work on the day's deadlines (it holds the run lock
        shared): this run leaves the digests to it, so nobody gets two e-mails; once no
        other worker is at work, the next run sends them, once."""
        helen = self.headteacher_user.partner_id
        other = self.registry.cursor()  # a connection of its own: another worker
        try:
            other.execute(SQL("SELECT pg_advisory_lock_shared(%s)", DEADLINE_RUN_LOCK))
            with freeze_time("2026-10-13 06:00"):
                self._run_cron()
            planning = self._deadline(self.review_tina, "planning_meeting")
            self.assertEqual(planning.escalation_user_id, self.headteacher_user)
            self.assertFalse(planning.escalation_digest_sent)
            self.assertFalse(self._digests(helen))
        finally:
            other.execute(SQL("SELECT pg_advisory_unlock_shared(%s)", DEADLINE_RUN_LOCK))
            other.close()
        for _run in range(2):
            with freeze_time("2026-10-13 07:00"):
                self._run_cron()
            self.assertEqual(len(self._digests(helen)), 1)
        self.assertTrue(planning.escalation_digest_sent)

    def test_moved_meeting_moves_the_todo_and_restarts_follow_up(self):
        with freeze_time("2026-10-13 06:00"):
            self._run_cron()
        todo = self._activities(self.review, DEADLINE_TYPE)
        self.assertEqual(todo.date_deadline, date(2026, 10, 20))
        event = self.review.meeting_ids
        with freeze_time("2026-10-14 09:00"):
            event.with_user(self.reviewer_user).write(
                {"start": london(date(2026, 11, 5)), "stop": london(date(2026, 11, 5), 11)}
            )
        self_evaluation = self._deadline(self.review, "self_evaluation")
        self.assertEqual(self_evaluation.date_due, date(2026, 11, 3))
        self.assertEqual(todo.date_deadline, date(2026, 11, 3))
        self.assertFalse(self_evaluation.reminder_done)

    def test_reviewer_change_hands_the_todo_over(self):
        with freeze_time("2026-10-22 06:00"):
            self._run_cron()
        todo = self._activities(self.review, DEADLINE_TYPE).filtered(
            lambda a: a.summary == "Send the draft statement"
        )
        self.assertEqual(todo.user_id, self.reviewer_user)
        new_reviewer_user = self._make_user("hsp_new_reviewer")
        self.deputy.user_id = new_reviewer_user
        self.review.with_user(self.headteacher_user)._reassign_reviewer(
            self.deputy, "Maria is on long-term leave"
        )
        self.assertEqual(todo.user_id, new_reviewer_user)

    # ------------------------------------------------------------------
    # Cost: what is due, not how many reviews exist
    # ------------------------------------------------------------------
    def _due_review(self, name):
        """A review whose planning meeting is on Friday 16 October, booked on 13 October
        with short notice: its self-evaluation (due 14 October) must become a to-do and be
        reminded, and the invitation memo, which could not be e-mailed, is a to-do."""
        employee = self.env["hr.employee"].create(
            {
                "name": name,
                "company_id": self.school.id,
                "job_id": self.job_ta.id,
                "parent_id": self.manager.id,
            }
        )
        review = self.env["hr.performance.review"].create(
            {
                "cycle_id": self.review.cycle_id.id,
                "employee_id": employee.id,
                "reviewer_id": self.manager.id,
            }
        )
        self._book(review, london(date(2026, 10, 16)))
        return review

    def _count_cron(self):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        self._run_cron()
        return self.cr.sql_log_count - before

    @freeze_time("2026-10-13 06:00")
    def test_cron_cost_depends_on_what_is_due_not_on_how_many_reviews_exist(self):
        cycle = self._group_with_staff("Midday Supervisors", 5, start=date(2027, 1, 4))
        self._launch(cycle)
        self.assertEqual(len(cycle.review_ids), 5)
        self.assertFalse(
            cycle.review_ids.deadline_ids.filtered("date_next_action").filtered(
                lambda d: d.date_next_action <= date(2026, 10, 13)
            )
        )
        # Warm-up: the fixture's overdue deadlines and a first due review.
        self._due_review("Warm Up")
        self._count_cron()

        first = self._due_review("First Due")
        with_5 = self._count_cron()
        self._add_staff(cycle.job_group_id, 45)
        cycle.with_user(self.hr_officer).action_add_eligible()
        self.assertEqual(len(cycle.review_ids), 50)
        second = self._due_review("Second Due")
        with_50 = self._count_cron()

        for review in first | second:
            # Without an e-mail address the memo is handed over in person: until the
            # reviewer records it, the notice is a to-do too.
            todos = self._activities(review, DEADLINE_TYPE)
            self.assertEqual(
                sorted(todos.mapped("summary")),
                ["Return the self-evaluation", "Send the meeting invitation"],
            )
            self.assertTrue(self._deadline(review, "self_evaluation").date_reminder_sent)
        # No more with 50 reviews than with 5 (the run with 5 may fill a cache or two the
        # run with 50 then finds warm).
        self.assertLessEqual(
            with_50, with_5, f"the cron took {with_5} queries with 5 reviews, {with_50} with 50"
        )


@tagged("post_install", "-at_install")
class TestCycleRollover(HrSchoolPerformanceCase):
    """The next cycle of each job group is prepared before the current one ends."""

    cron_xmlid = "hr_school_performance.ir_cron_performance_prepare_cycles"

    def setUp(self):
        super().setUp()
        self.job_group.cycle_prepare_days = 45
        Cycle = self.env["hr.performance.cycle"]
        self.cycles = lambda start: Cycle.search(
            [("job_group_id", "=", self.job_group.id), ("date_start", "=", start)]
        )

    def test_next_cycle_prepared_as_draft_once(self):
        with freeze_time("2027-07-01 05:00"):
            self._run_cron()
        # 1 July + 45 days is still in the 2026–27 cycle: that one is prepared (it was
        # missing), not the next.
        self.assertEqual(len(self.cycles(date(2026, 9, 1))), 2)
        self.assertFalse(self.cycles(date(2027, 9, 1)))
        for _run in range(2):
            with freeze_time("2027-07-20 05:00"):
                self._run_cron()
            next_cycles = self.cycles(date(2027, 9, 1))
            # The group is set on the trust: one cycle per school.
            self.assertEqual(next_cycles.company_id, self.school | self.other_school)
            self.assertEqual(len(next_cycles), 2)
        self.assertEqual(set(next_cycles.mapped("state")), {"draft"})
        self.assertEqual(next_cycles[0].date_end, date(2028, 8, 31))
        self.assertIn("Teaching Assistants 2027–28", self.job_group.message_ids[0].body)

    def test_auto_launch_on_the_first_day(self):
        self.job_group.cycle_auto_launch = True
        with freeze_time("2027-08-01 05:00"):
            self._run_cron()
        cycle = self.cycles(date(2027, 9, 1)).filtered(lambda c: c.company_id == self.school)
        self.assertEqual(cycle.state, "draft")
        with freeze_time("2027-09-01 05:00"):
            self._run_cron()
        self.assertEqual(cycle.state, "open")
        self.assertEqual(cycle.review_ids.employee_id, self.ta_1 | self.ta_2)
        self.assertTrue(cycle.review_ids.deadline_ids)

    def test_manual_launch_stays_with_hr(self):
        with freeze_time("2027-09-01 05:00"):
            self._run_cron()
        self.assertEqual(set(self.cycles(date(2027, 9, 1)).mapped("state")), {"draft"})
