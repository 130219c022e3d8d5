from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import HrSchoolPerformanceCase

ACTIONS = {
    "action_agree_objectives": ("planning", "agreed"),
    "action_start_monitoring": ("agreed", "in_progress"),
    "action_start_final_review": ("in_progress", "final_review"),
    "action_complete": ("final_review", "completed"),
}
STATES = ["planning", "agreed", "in_progress", "final_review", "completed", "cancelled"]


@tagged("post_install", "-at_install")
class TestReviewWorkflow(HrSchoolPerformanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._launch_team()
        cls.achieved = cls.env.ref("hr_school_performance.hr_performance_scale_level_achieved")
        cls.progressing = cls.env.ref(
            "hr_school_performance.hr_performance_scale_level_progressing"
        )

    def _activity_types(self, review):
        return review.activity_ids.activity_type_id.mapped(lambda t: t.get_external_id()[t.id])

    @freeze_time("2026-09-15")
    def test_full_life_cycle_as_reviewer(self):
        # The chatter tells each transition.
        review = self.review.with_user(self.reviewer_user)
        self._prepare_for(self.review, "planning")
        # The review was created (untracked) in this transaction: end that request first.
        self.env.cr.flush()
        review.action_agree_objectives()
        self.env.cr.flush()  # each button is a request: its tracking is posted
        self.assertEqual(review.state, "agreed")
        self.assertEqual(
            self._activity_types(review), ["hr_school_performance.mail_activity_type_statement"]
        )
        # No statement signed yet: monitoring waits for it, or for the headteacher's
        # recorded exception.
        with self.assertRefused(UserError, "before its statement is signed"):
            review.action_start_monitoring()
        self.assertFalse(review.with_user(self.reviewer_user).can_record_statement_exception)
        head_review = self.review.with_user(self.headteacher_user)
        self.assertTrue(head_review.can_record_statement_exception)
        wizard = self.env["hr.performance.statement.exception"].with_user(self.headteacher_user)
        with self.assertRaises(AccessError):
            wizard.with_user(self.reviewer_user).create(
                {"review_id": self.review.id, "reason": "Not mine to excuse."}
            )
        wizard.create(
            {"review_id": self.review.id, "reason": "Long-term absence: signed on return."}
        ).action_confirm()
        self.env.cr.flush()  # each button is a request: its tracking is posted
        self.assertEqual(
            self.review.statement_exception_reason, "Long-term absence: signed on return."
        )
        self.assertFalse(head_review.can_record_statement_exception)
        review.action_start_monitoring()
        self.env.cr.flush()  # each button is a request: its tracking is posted
        self.assertEqual(review.state, "in_progress")
        self.assertEqual(
            self._activity_types(review), ["hr_school_performance.mail_activity_type_midyear"]
        )
        # The mid-year is due 5 months after the period starts, not after the meeting.
        self.assertEqual(review.activity_ids.date_deadline, date(2027, 2, 1))
        review.action_start_final_review()
        self.env.cr.flush()  # each button is a request: its tracking is posted
        self.assertEqual(review.state, "final_review")
        self._prepare_for(self.review, "final_review")
        self.env.cr.flush()  # the assessment is saved before Complete is pressed
        review.action_complete()
        self.env.cr.flush()  # each button is a request: its tracking is posted
        self.assertEqual(review.state, "completed")
        self.assertEqual(review.date_completed, date(2026, 9, 15))
        self.assertTrue(review.pay_progression_eligible)
        self.assertFalse(review.activity_ids, "nothing is owed on a completed review")
        # Each transition is told in the chatter once, by the tracked state with the
        # event's subtype (no second note), the planning meeting activity closed.
        messages = self.env["mail.message"].search(
            [("model", "=", review._name), ("res_id", "=", review.id)]
        )
        for xmlid in ("agreed", "monitoring", "final_review", "completed"):
            subtype = self.env.ref(f"hr_school_performance.mt_review_{xmlid}")
            told = messages.filtered(lambda m, s=subtype: m.subtype_id == s)
            self.assertEqual(len(told), 1, xmlid)
            self.assertEqual(told.tracking_value_ids.field_id.name, "state")
        self.assertFalse(messages.filtered(lambda m: "Review moved to" in str(m.body or "")))
        done = self.env["mail.message"].search(
            [
                ("model", "=", review._name),
                ("res_id", "=", review.id),
                ("mail_activity_type_id", "!=", False),
            ]
        )
        self.assertEqual(len(done), 4, "one done activity per step")

    def test_every_transition_from_every_state(self):
        """Each action is allowed from exactly one state and refused, changing nothing,
        from every other."""
        for action, (source, target) in ACTIONS.items():
            for state in STATES:
                with self.subTest(action=action, state=state), self.cr.savepoint() as sp:
                    self._prepare_for(self.review, "planning")
                    self._prepare_for(self.review, "final_review")
                    self._advance(self.review, state)
                    if state == source:
                        if action == "action_start_monitoring":
                            self._excuse_statement(self.review)
                        getattr(self.review.with_user(self.reviewer_user), action)()
                        self.assertEqual(self.review.state, target)
                    else:
                        # A cancelled review is closed to its reviewer (confidentiality):
                        # the headteacher, who still sees it, is refused the transition.
                        actor = self.reviewer_user
                        if state == "cancelled":
                            with self.assertRaises(AccessError):
                                getattr(self.review.with_user(actor), action)()
                            actor = self.headteacher_user
                        with self.assertRefused(UserError, "is not possible"):
                            getattr(self.review.with_user(actor), action)()
                        self.assertStored(self.review, "state", state)
                    sp.rollback()

    def test_cancel_and_reopen(self):
        for state in STATES:
            with self.subTest(state=state), self.cr.savepoint() as sp:
                self._prepare_for(self.review, "planning")
                self._prepare_for(self.review, "final_review")
                self._advance(self.review, state)
                if state in ("completed", "cancelled"):
                    with self.assertRaises(UserError):
                        self.review.with_user(self.reviewer_user).action_cancel()
                    self.assertEqual(self.review.state, state)
                else:
                    self.review.with_user(self.reviewer_user).action_cancel()
                    self.assertEqual(self.review.state, "cancelled")
                sp.rollback()
        self.review.with_user(self.reviewer_user).action_cancel()
        with self.assertRaises(AccessError):
            self.review.with_user(self.reviewer_user).action_reset_to_planning()
        self.review.with_user(self.hr_officer).action_reset_to_planning()
        self.assertEqual(self.review.state, "planning")

    def test_only_reviewer_headteacher_or_hr_move_a_review_on(self):
        self._prepare_for(self.review, "planning")
        with self.assertRaises(AccessError):
            self.review.with_user(self.reviewee_user).action_agree_objectives()
        self.assertEqual(self.review.state, "planning")
        outsider = self.env["res.users"].create(
            {
                "name": "Ola Outsider",
                "login": "hsp_outsider",
                "company_id": self.school.id,
                "company_ids": [Command.set(self.school.ids)],
            }
        )
        with self.assertRaises(AccessError):
            self.review.with_user(outsider).action_agree_objectives()
        self.review.with_user(self.headteacher_user).action_agree_objectives()
        self.assertEqual(self.review.state, "agreed")

    def test_steps_require_their_content(self):
        review = self.review.with_user(self.reviewer_user)
        with self.assertRefused(UserError, "planning meeting"):
            review.action_agree_objectives()
        review.meeting_date = datetime(2026, 9, 15, 10, 0)
        with self.assertRefused(UserError, "at least one objective"):
            review.action_agree_objectives()
        self.assertEqual(review.state, "planning")
        self._prepare_for(self.review, "planning")
        review.action_agree_objectives()
        self._excuse_statement(self.review)
        review.action_start_monitoring()
        review.action_start_final_review()
        with self.assertRefused(UserError, "overall assessment"):
            review.action_complete()
        review.outcome_level_id = self.progressing
        with self.assertRefused(UserError, "Assess every objective"):
            review.action_complete()
        self.assertEqual(review.state, "final_review")
        review.objective_ids.assessment_level_id = self.progressing
        review.action_complete()
        self.assertFalse(review.pay_progression_eligible, "Progressing earns no CBP point")

    def test_no_pay_progression_when_the_group_has_none(self):
        self.job_group.pay_progression = False
        self.review.outcome_level_id = self.achieved
        self.assertFalse(self.review.pay_progression_eligible)

    def test_planning_meeting_outside_the_cycle_is_refused(self):
        with self.assertRefused(UserError, "outside its cycle"):
            self.review.meeting_date = datetime(2027, 9, 15, 10, 0)
        self.assertStored(self.review, "meeting_date", False)

    def test_abbreviated_process_needs_no_objectives(self):
        self.job_group.process = "abbreviated"
        self.review.meeting_date = datetime(2026, 9, 15, 10, 0)
        self.review.with_user(self.reviewer_user).action_agree_objectives()
        self.assertEqual(self.review.state, "agreed")

    def test_started_review_cannot_be_deleted_or_moved(self):
        self._prepare_for(self.review, "planning")
        self.review.with_user(self.reviewer_user).action_agree_objectives()
        with self.assertRefused(UserError, "cancel it instead"):
            self.review.with_user(self.hr_officer).unlink()
        with self.assertRefused(UserError, "cannot change"):
            self.review.employee_id = self.ta_2
        self.assertStored(self.review, "employee_id", self.ta_1)

    def test_employee_form_shows_reviews_and_current_objectives(self):
        self._prepare_for(self.review, "planning")
        self.assertEqual(self.ta_1.performance_review_ids, self.review)
        self.assertEqual(self.ta_1.performance_review_count, 1)
        self.assertEqual(self.ta_1.performance_objective_ids, self.review.objective_ids)
        # The reviewer, a non-HR user, sees it through the public profile too...
        public = self.env["hr.employee.public"].with_user(self.reviewer_user).browse(self.ta_1.id)
        self.assertEqual(public.performance_review_count, 1)
        action = public.action_view_performance_reviews()
        self.assertEqual(action["domain"], [("employee_id", "=", self.ta_1.id)])
        # ... but a colleague who is neither reviewee nor reviewer sees nothing.
        colleague = (
            self.env["hr.employee.public"].with_user(self.reviewee_user).browse(self.ta_2.id)
        )
        self.assertEqual(colleague.performance_review_count, 0)
