from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import HrSchoolPerformanceCase, london


@tagged("post_install", "-at_install")
class TestDeadlines(HrSchoolPerformanceCase):
    """Every deadline of the policies, counted by the school's calendar, tracked per review.

    The planning meeting of Tom's review is on Thursday 22 October 2026, the week before
    the autumn half-term (26–30 October, closed) and the INSET day of Monday 2 November
    (a working day without pupils)."""

    MEETING = date(2026, 10, 22)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._launch_team(meeting=cls.MEETING)

    def _due(self, kind, review=None):
        deadline = self._deadline(review or self.review, kind)
        self.assertEqual(len(deadline), 1, f"one {kind} deadline expected")
        return deadline.date_due

    def test_planning_meeting_due_in_working_days_from_the_cycle_start(self):
        # 20 working days after Tuesday 1 September 2026 (INSET days are working days).
        self.assertEqual(self.review.date_planning_due, date(2026, 9, 29))
        self.assertEqual(self._due("planning_meeting"), date(2026, 9, 29))

    def test_notice_and_self_evaluation_before_the_meeting(self):
        # 5 and 2 working days before Thursday 22 October, across a weekend.
        self.assertEqual(self._due("notice"), date(2026, 10, 15))
        self.assertEqual(self._due("self_evaluation"), date(2026, 10, 20))

    def test_statement_deadlines_cross_the_half_term(self):
        # Draft: 23 Oct, then half-term closed, INSET Monday 2 Nov counts: 2, 3, 4, 5 Nov.
        self.assertEqual(self._due("draft_statement"), date(2026, 11, 5))
        # Final statement: 10 working days after the meeting; moderation: 10 working days
        # after the statement is signed (Thursday 12 November), by the headteacher.
        self.assertEqual(self._due("final_statement"), date(2026, 11, 12))
        self.assertEqual(self.review.date_statement_due, date(2026, 11, 12))
        self.assertFalse(self._deadline(self.review, "moderation"))
        self._sign_statement()
        self.assertEqual(self._due("moderation"), date(2026, 11, 26))
        deadline = self._deadline(self.review, "draft_statement")
        self.assertEqual(deadline.rule, "5 working days after 10/22/2026")
        self.assertEqual(deadline.responsible_user_id, self.reviewer_user)
        self.assertEqual(
            self._deadline(self.review, "moderation").responsible_user_id, self.headteacher_user
        )

    def test_comments_counted_from_the_draft(self):
        self.assertFalse(self._deadline(self.review, "comments"))
        with freeze_time("2026-10-23 16:00"):
            # Stamped when the reviewer sends the draft statement.
            self.review.date_draft_sent = date(2026, 10, 23)
        self.assertEqual(self._due("comments"), date(2026, 11, 6))
        self.assertEqual(
            self._deadline(self.review, "comments").responsible_user_id, self.reviewee_user
        )

    def test_midyear_counted_from_the_period_start(self):
        # The fixture group sets the mid-year review 5 months after the period starts
        # (1 September), not after the meeting of 22 October.
        self.assertEqual(self.review.date_midyear, date(2027, 2, 1))
        self.assertEqual(self._due("midyear"), date(2027, 2, 1))

    def test_midyear_falling_in_a_closure_moves_to_the_next_working_day(self):
        with freeze_time("2026-09-03 09:00"):
            review = self._launched_review(self.ta_2)
            self._book(review, london(date(2026, 9, 14)))
        # HR moves the cycle's mid-year to Monday 15 February 2027, the first day of the
        # February half-term.
        review.cycle_id.date_midyear = date(2027, 2, 15)
        self.assertEqual(review.date_midyear, date(2027, 2, 22))
        # Without a login, the reviewee's own deadlines fall to the reviewer.
        self.assertEqual(
            self._deadline(review, "self_evaluation").responsible_user_id, self.reviewer_user
        )

    def test_support_period_review(self):
        # The support period agreed at the concerns meeting is reviewed on Monday 1 March
        # (the concern record keeps these dates on the review: see test_concerns).
        with freeze_time("2027-01-11 15:00"):
            self.review.sudo().write(
                {
                    "date_concern_meeting": date(2027, 1, 11),
                    "date_support_review_due": date(2027, 3, 1),
                }
            )
        self.assertEqual(self._due("support_review"), date(2027, 3, 1))

    def test_statuses_met_late_missed_due_upcoming(self):
        with freeze_time("2026-10-20 12:00"):
            self.review.date_self_evaluation = date(2026, 10, 19)
        with freeze_time("2026-10-23 12:00"):
            self.review.date_draft_sent = date(2026, 10, 23)
        with freeze_time("2026-11-09 12:00"):
            self.env.invalidate_all()
            status = {d.kind: d.status for d in self.review.deadline_ids}
            self.assertEqual(status["notice"], "met")  # the memo went on 1 October
            self.assertEqual(status["planning_meeting"], "late")  # meeting after 29 Sept
            self.assertEqual(status["self_evaluation"], "met")
            self.assertEqual(status["draft_statement"], "met")
            self.assertEqual(status["comments"], "missed")  # due 6 Nov
            self.assertEqual(status["final_statement"], "due")  # due 12 Nov
            self.assertEqual(status["midyear"], "upcoming")
            self.assertEqual(self.review.deadline_missed_count, 1)
            Review = self.env["hr.performance.review"]
            overdue = Review.search([("has_overdue_deadline", "=", True)])
            self.assertIn(self.review, overdue)
            self.assertNotIn(self.review, Review.search([("has_overdue_deadline", "=", False)]))
            Deadline = self.env["hr.performance.deadline"]
            self.assertEqual(
                Deadline.search([("review_id", "=", self.review.id), ("status", "in", ["missed"])]),
                self._deadline(self.review, "comments"),
            )
            self.assertEqual(
                Deadline.search([("review_id", "=", self.review.id), ("status", "in", ["late"])]),
                self._deadline(self.review, "planning_meeting"),
            )
            self.assertEqual(
                Deadline.search_count(
                    [("review_id", "=", self.review.id), ("status", "not in", ["missed", "late"])]
                ),
                len(self.review.deadline_ids) - 2,
            )
        with freeze_time("2026-11-10 12:00"):
            self.review.date_comments = date(2026, 11, 10)
            self.assertEqual(self._deadline(self.review, "comments").status, "late")
            self.assertFalse(self.review.has_overdue_deadline)

    def test_overdue_filter_is_the_same_for_every_reader(self):
        """Headteachers and HR filter on the review's first open due date, others through
        the deadlines they read: the same answer, day after day and once the deadline is
        met (the comments are due on 6 November)."""
        Review = self.env["hr.performance.review"]
        readers = (self.hr_officer, self.headteacher_user, self.reviewer_user)

        def overdue(user, wanted=True):
            return Review.with_user(user).search(
                [("has_overdue_deadline", "=", wanted), ("id", "=", self.review.id)]
            )

        with freeze_time("2026-10-20 12:00"):
            self.review.date_self_evaluation = date(2026, 10, 19)
        with freeze_time("2026-10-23 12:00"):
            self.review.date_draft_sent = date(2026, 10, 23)
        for day, late in (("2026-11-06", False), ("2026-11-09", True)):
            with freeze_time(f"{day} 12:00"):
                for user in readers:
                    self.assertEqual(bool(overdue(user)), late, f"{user.login} on {day}")
                    self.assertEqual(bool(overdue(user, False)), not late, user.login)
        with freeze_time("2026-11-10 12:00"):
            self.review.date_comments = date(2026, 11, 10)
            self.env.flush_all()
            for user in readers:
                self.assertFalse(overdue(user), user.login)
                self.assertTrue(overdue(user, False), user.login)

    def test_observation_deadlines(self):
        with freeze_time("2026-12-01 09:00"):
            observations = (
                self.env["hr.performance.observation"]
                .with_user(self.reviewer_user)
                .create(
                    [
                        {
                            "review_id": self.review.id,
                            "observer_id": self.manager.id,
                            "date_observation": london(date(2026, 12, 18), 9),
                            "duration_hours": 1,
                        },
                        {
                            "review_id": self.review.id,
                            "observer_id": self.manager.id,
                            "date_observation": london(date(2027, 4, 30), 9),
                            "duration_hours": 1,
                        },
                    ]
                )
            )
        christmas, may = observations
        # Verbal feedback by the end of the next school day: the Christmas closure (with
        # its bank holidays) and the INSET day of 4 January are no school days.
        self.assertEqual(christmas.date_feedback_due, date(2027, 1, 5))
        # Written record in 5 working days: the INSET day counts.
        self.assertEqual(christmas.date_record_due, date(2027, 1, 8))
        # Friday 30 April 2027: the weekend and the May bank holiday.
        self.assertEqual(may.date_feedback_due, date(2027, 5, 4))
        self.assertEqual(may.date_record_due, date(2027, 5, 10))
        feedback = self._deadline(self.review, "observation_feedback", christmas)
        self.assertEqual(feedback.date_due, date(2027, 1, 5))
        self.assertEqual(feedback.day_kind, "school")
        self.assertEqual(feedback.responsible_user_id, self.reviewer_user)

    def test_settings_closures_and_holidays_move_open_deadlines(self):
        draft = self._deadline(self.review, "draft_statement")
        rule = self.job_group._deadline_rule("draft_statement")
        rule.days = 3
        self.assertEqual(draft.date_due, date(2026, 11, 3))
        rule.days = 5
        self.assertEqual(draft.date_due, date(2026, 11, 5))
        closure = self.env["hr.performance.school.closure"].create(
            {
                "name": "Boiler failure",
                "company_id": self.school.id,
                "date_from": date(2026, 11, 3),
                "date_to": date(2026, 11, 4),
            }
        )
        self.assertEqual(draft.date_due, date(2026, 11, 9))
        self.assertEqual(self.review.date_statement_due, date(2026, 11, 16))
        closure.unlink()
        self.assertEqual(draft.date_due, date(2026, 11, 5))
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Extra bank holiday",
                "calendar_id": self.calendar.id,
                "date_from": london(date(2026, 11, 4), 0, 0),
                "date_to": london(date(2026, 11, 4), 23, 59),
            }
        )
        self.assertEqual(draft.date_due, date(2026, 11, 6))

    def test_zero_or_negative_deadline_setting_is_refused(self):
        for code, value, default in (
            ("notice", 0, 5),
            ("draft_statement", -5, 5),
            ("planning_meeting", 0, 20),
            ("observation_notice", -1, 7),
        ):
            rule = self.job_group._deadline_rule(code)
            with self.assertRefused(ValidationError, "must be a positive number of days"):
                rule.write({"days": value})
            self.assertStored(rule, "days", default)
        form = Form(self.job_group)
        with form.deadline_rule_ids.edit(
            self.job_group.deadline_rule_ids.ids.index(self.job_group._deadline_rule("comments").id)
        ) as line:
            line.days = 0
        with self.assertRefused(ValidationError, "Reviewee's comments returned"):
            form.save()
        self.assertStored(self.job_group._deadline_rule("comments"), "days", 5)
        self.assertEqual(self._due("draft_statement"), date(2026, 11, 5))
        with self.assertRefused(ValidationError, "positive number of working days"):
            self.school.performance_reminder_days = 0
        self.assertStored(self.school, "performance_reminder_days", 2)

    def test_recorded_events_cannot_be_in_the_future(self):
        with freeze_time("2026-10-23 12:00"):
            with self.assertRefused(ValidationError, "cannot be in the future"):
                self.review.date_draft_sent = date(2026, 10, 26)
            self.assertStored(self.review, "date_draft_sent", False)
            self.review.date_draft_sent = date(2026, 10, 23)
            with self.assertRefused(ValidationError, "cannot come before the draft"):
                self.review.date_comments = date(2026, 10, 22)
            self.assertStored(self.review, "date_comments", False)

    def _sign_statement(self):
        # Stamped by the statement when both have signed (test_statement.py drives that
        # path); here the system records the event the deadlines count from.
        with freeze_time("2026-11-12 16:00"):
            self.review.sudo().date_statement_signed = date(2026, 11, 12)

    def test_waive_a_deadline(self):
        self._sign_statement()
        moderation = self._deadline(self.review, "moderation")
        with self.assertRaises(AccessError):
            moderation.with_user(self.reviewer_user)._waive("Not in the sample")
        self.assertStored(moderation, "waived", False)
        wizard = Form(
            self.env["hr.performance.deadline.waive"]
            .with_user(self.headteacher_user)
            .with_context(default_deadline_id=moderation.id)
        )
        wizard.reason = "Not in this term's moderation sample"
        wizard.save().action_confirm()
        self.assertEqual(moderation.status, "waived")
        self.assertFalse(moderation.date_next_action)
        self.assertIn("moderation sample", self.review.message_ids[0].body)
        with self.assertRefused(UserError, "Give the reason"):
            self._deadline(self.review, "draft_statement").with_user(self.headteacher_user)._waive(
                " "
            )

    def test_no_moderation_means_no_moderation_deadline(self):
        self._sign_statement()
        self.assertTrue(self._deadline(self.review, "moderation"))
        self.job_group.moderation = "none"
        self.assertFalse(self._deadline(self.review, "moderation"))

    def test_cancelled_meeting_and_review_drop_their_deadlines(self):
        self.event.with_user(self.reviewer_user).unlink()
        self.assertFalse(self.review.meeting_date)
        self.assertEqual(self.review.deadline_ids.mapped("kind"), ["planning_meeting"])
        self.review.with_user(self.reviewer_user).action_cancel()
        # Kept as a record, closed with the review: nothing is owed any more.
        self.assertEqual(self.review.deadline_ids.mapped("status"), ["closed"])
