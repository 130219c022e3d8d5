from lxml import etree
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import (
    COLLEAGUE,
    GRANTEE,
    HEAD_A,
    HR_MANAGER,
    HR_TRUST,
    OBSERVER,
    REVIEWEE,
    REVIEWER,
    TODAY,
    HrSchoolPerformanceCase,
)

TRANSITION_FLAGS = (
    "can_agree",
    "can_start_monitoring",
    "can_start_final_review",
    "can_complete",
    "can_cancel",
    "can_reopen",
)


@tagged("post_install", "-at_install")
class TestRightsEngine(HrSchoolPerformanceCase):
    """One rights engine (hr.performance.confidential.mixin) for the review, its objectives,
    observations and training needs, run as the real users of each role."""

    freeze_today = TODAY
    review_world = True

    def _flags(self, role, review):
        record = self.as_role(role, review)
        return {name: record[name] for name in TRANSITION_FLAGS}

    def _own_review(self, role, reviewer_role=REVIEWER):
        """A review of ``role``'s own employee, in planning, ready to be agreed."""
        review = self.env["hr.performance.review"].create(
            {
                "cycle_id": self.cycle_a.id,
                "employee_id": self.employees[role].id,
                "reviewer_id": self.employees[reviewer_role].id,
                "meeting_date": "2025-09-22 09:00:00",
            }
        )
        self.env["hr.performance.objective"].create({"review_id": review.id, "name": "Lead"})
        return review

    # ------------------------------------------------------------------
    # Buttons and the predicate behind them
    # ------------------------------------------------------------------
    def test_buttons_are_the_transition_predicate(self):
        """The reviewee sees no workflow button, no "Add a line" nor delete on objectives;
        the reviewer sees exactly the next step; a direct write of the state meets the same
        predicate."""
        self.assertEqual(set(self._flags(REVIEWEE, self.review).values()), {False})
        as_reviewee = self.as_role(REVIEWEE, self.review)
        self.assertFalse(as_reviewee.can_add_objectives or as_reviewee.can_remove_objectives)
        self.assertFalse(as_reviewee.can_change_reviewer or as_reviewee.can_grant_access)
        # Meetings are booked by the reviewer (or the headteacher, HR), and only by them.
        self.assertFalse(as_reviewee.can_book_meeting)
        with self.assertRefused(AccessError, "ask the"):
            as_reviewee.with_context(performance_meeting_kind="planning").action_book_meeting()
        self.assertTrue(self.as_role(REVIEWER, self.review).can_book_meeting)
        with self.assertRefused(AccessError, "ask the"):
            as_reviewee.write({"state": "agreed"})
        with self.assertRaises(AccessError):
            self.as_role(REVIEWEE, self.review).action_cancel()
        flags = self._flags(REVIEWER, self.review)
        self.assertEqual({k for k, v in flags.items() if v}, {"can_agree", "can_cancel"})
        as_reviewer = self.as_role(REVIEWER, self.review)
        self.assertTrue(as_reviewer.can_add_objectives and as_reviewer.can_remove_objectives)
        self.assertFalse(as_reviewer.can_change_reviewer)
        self.assertTrue(self.as_role(HEAD_A, self.review).can_change_reviewer)
        # Reopening a cancelled review is HR's.
        self.as_role(REVIEWER, self.review).action_cancel()
        self.assertEqual(self.review.state, "cancelled")
        self.assertFalse(self.as_role(HEAD_A, self.review).can_reopen)
        self.assertTrue(self.as_role(HR_TRUST, self.review).can_reopen)
        with self.assertRaises(AccessError):
            self.as_role(HEAD_A, self.review).action_reset_to_planning()
        self.as_role(HR_TRUST, self.review).action_reset_to_planning()
        self.assertEqual(self.review.state, "planning")

    def test_form_buttons_use_the_flags(self):
        arch = etree.fromstring(
            self.env["hr.performance.review"].get_view(
                self.env.ref("hr_school_performance.hr_performance_review_view_form").id
            )["arch"]
        )
        expected = {
            "action_agree_objectives": "can_agree",
            "action_start_monitoring": "can_start_monitoring",
            "action_start_final_review": "can_start_final_review",
            "action_complete": "can_complete",
            "action_cancel": "can_cancel",
            "action_reset_to_planning": "can_reopen",
            "action_open_reassign": "can_change_reviewer",
        }
        for name, flag in expected.items():
            with self.subTest(button=name):
                (button,) = arch.xpath(f"//header/button[@name='{name}']")
                self.assertIn(flag, button.get("invisible"))
        (objectives,) = arch.xpath("//field[@name='objective_ids']")
        self.assertIn("can_add_objectives", objectives.get("options"))
        self.assertIn("can_remove_objectives", objectives.get("options"))

    def test_transitions_are_checked_in_write(self):
        """A direct write of the state (RPC) meets the same checks as the button."""
        review = self._own_review(GRANTEE)
        with self.assertRefused(UserError, "is not possible"):
            self.as_role(REVIEWER, review).write({"state": "completed"})
        self.as_role(REVIEWER, review).write({"state": "agreed"})
        with self.assertRefused(UserError, "before its statement is signed"):
            self.as_role(REVIEWER, review).write({"state": "in_progress"})
        self._excuse_statement(review)
        self.as_role(REVIEWER, review).write({"state": "in_progress"})
        self.as_role(REVIEWER, review).write({"state": "final_review"})
        with self.assertRefused(UserError, "overall assessment"):
            self.as_role(REVIEWER, review).write({"state": "completed"})
        self.assertEqual(review.state, "final_review")

    def test_observation_buttons_and_rights(self):
        observation = self.observation
        self.assertFalse(self.as_role(REVIEWEE, observation).can_cancel)
        self.assertTrue(self.as_role(OBSERVER, observation).can_cancel)
        with self.assertRaises(AccessError):
            self.as_role(REVIEWEE, observation).action_cancel()
        with self.assertRefused(AccessError, "On your own review"):
            self.as_role(REVIEWEE, observation).write({"summary": "Forged"})
        self.as_role(REVIEWEE, observation).write({"reviewee_comments": "Fair."})
        self.as_role(OBSERVER, observation).write({"summary": "Good pace."})
        self.as_role(OBSERVER, observation).action_cancel()
        self.assertEqual(observation.state, "cancelled")

    # ------------------------------------------------------------------
    # Reviewer changes: only through the record
    # ------------------------------------------------------------------
    def test_no_context_key_door(self):
        before = self.review.reviewer_change_ids
        for context in ({}, {"hsp_reviewer_reassign": True}):
            with self.subTest(context=context):
                with self.assertRefused(UserError, "Change Reviewer"):
                    self.as_role(HEAD_A, self.review).with_context(**context).write(
                        {"reviewer_id": self.employees[GRANTEE].id}
                    )
        self.env.invalidate_all()
        self.assertEqual(self.review.reviewer_id, self.employees[REVIEWER])
        change = (
            self.env["hr.performance.reviewer.change"]
            .with_user(self.users[HEAD_A])
            .create(
                {
                    "review_id": self.review.id,
                    "new_reviewer_id": self.employees[GRANTEE].id,
                    # Forged: the previous reviewer is the review's.
                    "old_reviewer_id": self.employees[COLLEAGUE].id,
                    "reason": "The reviewer is on long-term sick leave.",
                }
            )
        )
        self.assertEqual(self.review.reviewer_id, self.employees[GRANTEE])
        self.assertEqual(change.old_reviewer_id, self.employees[REVIEWER])
        self.assertEqual(change.changed_by_id, self.users[HEAD_A])
        self.assertEqual(self.review.reviewer_change_ids, before | change)

    def test_first_appointment_is_a_plain_write(self):
        review = self.env["hr.performance.review"].create(
            {"cycle_id": self.cycle_a.id, "employee_id": self.employees[GRANTEE].id}
        )
        with self.assertRaises(AccessError):
            self.as_role(REVIEWEE, review).write({"reviewer_id": self.employees[REVIEWER].id})
        self.as_role(HEAD_A, review).write({"reviewer_id": self.employees[REVIEWER].id})
        self.assertEqual(review.reviewer_id, self.employees[REVIEWER])
        self.assertFalse(review.reviewer_change_ids)

    # ------------------------------------------------------------------
    # Nobody manages their own review
    # ------------------------------------------------------------------
    def test_headteacher_does_not_manage_own_review(self):
        review = self._own_review(HEAD_A)
        as_head = self.as_role(HEAD_A, review)
        self.assertEqual(set(self._flags(HEAD_A, review).values()), {False})
        self.assertFalse(as_head.can_grant_access or as_head.can_change_reviewer)
        for action in ("action_agree_objectives", "action_cancel", "action_grant_access"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(self.as_role(HEAD_A, review), action)()
        with self.assertRefused(AccessError, "On your own review"):
            self.as_role(HEAD_A, review).write({"date_moderated": "2026-01-10"})
        with self.assertRefused(AccessError, "your own review"):
            self.env["hr.performance.reviewer.change"].with_user(self.users[HEAD_A]).create(
                {
                    "review_id": review.id,
                    "new_reviewer_id": self.employees[GRANTEE].id,
                    "reason": "I prefer someone else",
                }
            )
        with self.assertRaises(AccessError):
            self.env["hr.performance.access.grant"].with_user(self.users[HEAD_A]).create(
                {
                    "review_id": review.id,
                    "user_id": self.users[COLLEAGUE].id,
                    "purpose": "appeal",
                    "date_from": "2026-01-14",
                }
            )
        # The next level up acts: HR.
        self.assertTrue(self.as_role(HR_TRUST, review).can_agree)
        self.as_role(HR_TRUST, review).action_agree_objectives()
        self.assertEqual(review.state, "agreed")
        self.as_role(HR_TRUST, review).action_cancel()
        self.assertEqual(review.state, "cancelled")

    def test_hr_officer_does_not_manage_own_review(self):
        review = self._own_review(HR_TRUST)
        self.assertEqual(set(self._flags(HR_TRUST, review).values()), {False})
        with self.assertRaises(AccessError):
            self.as_role(HR_TRUST, review).action_cancel()
        with self.assertRaises(AccessError):
            self.as_role(HR_TRUST, review).write({"outcome_level_id": self.level_exceeded.id})
        self.as_role(HR_MANAGER, review).action_cancel()
        self.assertEqual(review.state, "cancelled")

    # ------------------------------------------------------------------
    # Links between confidential records
    # ------------------------------------------------------------------
    def test_links_to_a_review_are_checked_both_ways(self):
        colleague_review = self.env["hr.performance.review"].create(
            {
                "cycle_id": self.cycle_a.id,
                "employee_id": self.employees[COLLEAGUE].id,
                "reviewer_id": self.employees[REVIEWER].id,
            }
        )
        need = self.training_need
        # The reviewee re-points her need at a colleague's review she cannot write.
        with self.assertRaises(AccessError):
            self.as_role(REVIEWEE, need).write({"review_id": colleague_review.id})
        # The reviewer of both cannot move one person's records to the other's review.
        with self.assertRefused(AccessError, "review of someone else"):
            self.as_role(REVIEWER, need).write({"review_id": colleague_review.id})
        with self.assertRefused(AccessError, "review of someone else"):
            self.as_role(REVIEWER, colleague_review).write(
                {"training_need_ids": [Command.link(need.id)]}
            )
        with self.assertRefused(AccessError, "review of someone else"):
            self.as_role(HR_TRUST, self.objective).write({"review_id": colleague_review.id})
        with self.assertRaises(AccessError):
            self.env["hr.performance.training.need"].with_user(self.users[REVIEWEE]).create(
                {"name": "Forged", "review_id": colleague_review.id}
            )
        self.env.invalidate_all()
        self.assertEqual(need.review_id, self.review_done)
        self.assertEqual(need.employee_id, self.employees[REVIEWEE])
        self.assertEqual(self.objective.review_id, self.review)
        # Within the same member of staff's reviews, a need may move.
        self.as_role(REVIEWER, need).write({"review_id": self.review.id})
        self.assertEqual(need.review_id, self.review)


@tagged("post_install", "-at_install")
class TestReviewDefects(HrSchoolPerformanceCase):
    """Defects found by reading the code, each with the test that failed before its fix."""

    freeze_today = TODAY
    review_world = True

    def test_reviewer_access_months_cannot_be_negative(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError) as caught:
            self.school.performance_reviewer_access_months = -1
            self.env.flush_all()
        self.assertIn("performance_reviewer_access_months", str(caught.exception))
        self.school.performance_reviewer_access_months = 0
        self.env.flush_all()

    def test_pay_recommendation_against_the_assessment_needs_a_reason(self):
        as_reviewer = self.as_role(REVIEWER, self.review)
        with self.assertRefused(ValidationError, "Record the reason"):
            as_reviewer.write(
                {"outcome_level_id": self.level_progressing.id, "pay_criteria_met": "met"}
            )
        with self.assertRefused(ValidationError, "Record the reason"):
            as_reviewer.write(
                {"outcome_level_id": self.level_exceeded.id, "pay_criteria_met": "not_met"}
            )
        self.env.invalidate_all()
        self.assertFalse(self.review.pay_criteria_met)
        as_reviewer.write(
            {
                "outcome_level_id": self.level_exceeded.id,
                "pay_criteria_met": "not_met",
                "pay_mismatch_reason": "Already at the top of the grade.",
            }
        )
        self.assertEqual(self.review.pay_criteria_met, "not_met")
        # Consistent recommendations need no reason.
        as_reviewer.write({"pay_criteria_met": "met", "pay_mismatch_reason": False})

    def test_new_review_after_a_cancelled_one(self):
        Review = self.env["hr.performance.review"].with_user(self.users[HEAD_A])
        vals = {"cycle_id": self.cycle_a.id, "employee_id": self.employees[REVIEWEE].id}
        with self.assertRefused(ValidationError, "already has a review"):
            Review.create(vals)
        self.as_role(HEAD_A, self.review).action_cancel()
        restarted = Review.create(vals)
        self.assertEqual(restarted.state, "planning")
        with self.assertRefused(ValidationError, "already has a review"):
            Review.create(vals)
        with self.assertRefused(ValidationError, "already has a review"):
            self.as_role(HR_TRUST, self.review).action_reset_to_planning()
        self.assertEqual(self.review.state, "cancelled")

    def test_review_with_content_is_kept(self):
        Review = self.env["hr.performance.review"]
        with self.assertRefused(UserError, "six years"):
            self.as_role(HR_TRUST, self.review).unlink()
        self.as_role(HEAD_A, self.review).action_cancel()
        with self.assertRefused(UserError, "six years"):
            self.as_role(HR_TRUST, self.review).unlink()
        self.assertTrue(self.review.exists())
        mistake = Review.create(
            {"cycle_id": self.cycle_a.id, "employee_id": self.employees[GRANTEE].id}
        )
        self.as_role(HR_TRUST, mistake).unlink()
        self.assertFalse(mistake.exists())
        written = Review.create(
            {
                "cycle_id": self.cycle_a.id,
                "employee_id": self.employees[GRANTEE].id,
                "pre_successes": "Phonics",
            }
        )
        with self.assertRefused(UserError, "six years"):
            self.as_role(HR_TRUST, written).unlink()

    def test_free_text_training_needs_become_records(self):
        Review = self.env["hr.performance.review"]
        self.assertNotIn("training_needs", Review._fields)
        self.assertNotIn("training_actions", Review._fields)
        Need = self.env["hr.performance.training.need"]
        needs = Need._create_from_review_text(
            [
                (self.review.id, "Team Teach\n  refresher ", "Half-day course in the spring"),
                (self.review_b.id, "  ", ""),
                (self.review_done.id, "", "Shadow the SENCo"),
            ]
        )
        self.assertEqual(len(needs), 2)
        first = needs.filtered(lambda n: n.review_id == self.review)
        self.assertEqual(first.name, "Team Teach refresher")
        self.assertEqual(first.action, "Half-day course in the spring")
        self.assertEqual(first.employee_id, self.employees[REVIEWEE])
        self.assertEqual(first.company_id, self.school)
        self.assertEqual(first.user_id, self.users[REVIEWER])
        self.assertEqual(str(first.date_identified), "2025-09-20")
        second = needs - first
        self.assertEqual(second.action, "Shadow the SENCo")
        self.assertTrue(second.name)
        # The CPD leader receives them.
        self.assertEqual(self.as_role("cpd_leader", Need).search([("id", "in", needs.ids)]), needs)
