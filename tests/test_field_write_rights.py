from datetime import date, datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import (
    COLLEAGUE,
    HEAD_A,
    HEAD_B,
    HR_TRUST,
    REVIEWEE,
    REVIEWER,
    TODAY,
    HrSchoolPerformanceCase,
)

# Fields written by other means than a form field (chatter, activities, relations).
NOT_FORM_FIELDS = {"objective_ids", "reviewer_change_ids", "access_grant_ids", "access_log_ids"}

# The expected rights, written out independently of the engine's hook
# (hr.performance.review._get_write_rights).
OPEN_STATES = ("planning", "agreed", "in_progress", "final_review")
# What the process gives the reviewee to write on their own review, and when.
REVIEWEE_WRITABLE = {
    "self_evaluation": ("planning",),
    "pre_successes": ("planning",),
    "pre_helping_factors": ("planning",),
    "pre_hindering_factors": ("planning",),
    "pre_training_received": ("planning",),
    "pre_future_areas": ("planning",),
    "pre_jd_amendments": ("planning",),
    "pre_career_goals": ("planning",),
    "chat_likes": ("planning",),
    "chat_dislikes": ("planning",),
    "chat_needs": ("planning",),
    "chat_training": ("planning",),
    "chat_ideas": ("planning",),
    "career_now": ("planning",),
    "career_future": ("planning",),
    "career_options": ("planning",),
    "pre_learning_needs": ("planning",),
    "self_contributions": ("in_progress", "final_review"),
    "self_improvement": ("in_progress", "final_review"),
    "self_support_wanted": ("in_progress", "final_review"),
    "self_new_skills": ("in_progress", "final_review"),
    "self_other_matters": ("in_progress", "final_review"),
    "midyear_contributions": ("in_progress",),
    "reviewee_comment": OPEN_STATES,
    "disagreement_note": OPEN_STATES,
    "date_self_evaluation": ("planning",),
    # date_comments is stamped by the statement (the reviewee returns their comments).
    # The job chat (hr_performance_review_job_chat.py)
    "chat_service_needs": ("planning",),
    "chat_team_ideas": ("planning",),
    "development_plan_comment": OPEN_STATES,
}
# The reviewee's own words: the reviewer records them only for a reviewee without a login.
REVIEWEE_VOICE = {
    "self_evaluation",
    "reviewee_comment",
    "self_contributions",
    "self_improvement",
    "self_support_wanted",
    "self_new_skills",
    "self_other_matters",
    "midyear_contributions",
    "development_plan_comment",
}
# Who is reviewed, by whom, in which cycle and over which period: the headteacher and HR.
MANAGEMENT_FIELDS = {"cycle_id", "employee_id", "reviewer_id", "date_start", "date_end"}
# ... and who supervises (objectives in the job chat): the post, or the headteacher or HR.
MANAGEMENT_FIELDS |= {"is_supervisor"}
# Written by the workflow: the state through its transitions, the completion date by the
# completion itself.
WORKFLOW_FIELDS = {"state", "date_completed"}


@tagged("post_install", "-at_install")
class TestFieldWriteRights(HrSchoolPerformanceCase):
    """Record rules decide which reviews a user may write; the review decides which fields.
    Every writable field of the review and of the objective, for the reviewee and the
    reviewer, is tried with a valid value."""

    freeze_today = TODAY
    review_world = True

    def _writable_fields(self, model):
        return sorted(
            name
            for name, field in self.env[model]._fields.items()
            if field.store
            and not field.readonly
            and not field.related
            and field.type != "one2many"
            and name not in NOT_FORM_FIELDS
            and not name.startswith(("message_", "activity_"))
        )

    def _valid_value(self, record, name):
        field = record._fields[name]
        values = {
            "cycle_id": self.cycle_a_previous.id,
            "employee_id": self.employees[COLLEAGUE].id,
            "reviewer_id": self.employees[COLLEAGUE].id,
            "outcome_level_id": self.level_exceeded.id,
            "assessment_level_id": self.level_exceeded.id,
            "date_start": date(2025, 10, 1),
            "date_end": date(2026, 7, 31),
            "date_midyear": date(2026, 2, 2),
            "meeting_date": datetime(2025, 9, 25, 9, 0),
            "target_date": date(2026, 6, 30),
            "sip_priority_id": self.sip_priority.id,
            "group_objective_id": self.group_objective.id,
            "review_id": self.review_done.id,
            "previous_objective_id": False,
            "state": "agreed",
            "agreement": "agreed",
            "recommended_pay_point_id": False,
        }
        if name == "current_pay_point_id":
            return self._spare_pay_point().id
        if name in values:
            return values[name]
        if field.type in ("text", "char"):
            return "Written"
        if field.type == "html":
            return "<p>Written</p>"
        if field.type == "boolean":
            return not record[name]
        if field.type == "integer":
            return 3
        if field.type in ("date", "datetime"):
            return date(2026, 1, 10)
        if field.type == "selection":
            return field.get_values(self.env)[-1]
        self.fail(f"No test value for {record._name}.{name}")

    def _spare_pay_point(self):
        grade = self.env["hr.performance.pay.grade"].create(
            {
                "scale_id": self.env["hr.performance.pay.scale"].create({"name": "Spine"}).id,
                "name": "4",
            }
        )
        return self.env["hr.performance.pay.point"].create({"grade_id": grade.id, "name": "7"})

    def _try_write(self, role, record, name):
        as_role = self.as_role(role, record)
        vals = {name: self._valid_value(record, name)}
        if name == "date_support_review":
            # A support period is reviewed after the concerns meeting that opened it.
            vals["date_concern_meeting"] = date(2026, 1, 5)
        return self.outcome(lambda: as_role.write(vals))

    def test_review_fields_by_role(self):
        """In planning, the reviewee writes only their own forms; the reviewer everything
        but who, by whom, when and the reviewee's own words; nobody writes the workflow."""
        names = self._writable_fields("hr.performance.review")
        self.assertIn("outcome_level_id", names)
        self.assertIn("self_evaluation", names)
        self.assertEqual(self.review.state, "planning")
        for name in names:
            if name == "state":
                continue  # a transition: see test_state_changes_through_the_transitions
            with self.subTest(role=REVIEWEE, field=name):
                allowed = "planning" in REVIEWEE_WRITABLE.get(name, ())
                self.assertEqual(self._try_write(REVIEWEE, self.review, name), allowed)
            with self.subTest(role=REVIEWER, field=name):
                allowed = name not in MANAGEMENT_FIELDS | REVIEWEE_VOICE | WORKFLOW_FIELDS
                self.assertEqual(self._try_write(REVIEWER, self.review, name), allowed)

    def test_state_changes_through_the_transitions(self):
        """Nobody writes the completion date; the state moves only as the transitions allow,
        whether through a button or a direct write (RPC), and with the same checks."""
        for role in (REVIEWEE, REVIEWER, HEAD_A, HR_TRUST):
            with self.subTest(role=role, field="date_completed"):
                self.assertFalse(self._try_write(role, self.review, "date_completed"))
        # The reviewee cannot move their review on, by a button or a write.
        self.assertFalse(self._try_write(REVIEWEE, self.review, "state"))
        self.assertFalse(
            self.outcome(lambda: self.as_role(REVIEWEE, self.review).action_agree_objectives())
        )
        # Nobody jumps a stage, nor skips what the stage needs.
        with self.assertRefused(UserError, "is not possible"):
            self.as_role(REVIEWER, self.review).write({"state": "completed"})
        with self.assertRefused(UserError, "is not possible"):
            self.as_role(HR_TRUST, self.review).write({"state": "final_review"})
        self.assertEqual(self.review.state, "planning")
        # The reviewer, the headteacher and HR may agree the objectives (same predicate).
        for role in (REVIEWER, HEAD_A, HR_TRUST):
            with self.subTest(role=role, field="state"):
                self.assertTrue(self._try_write(role, self.review, "state"))
        # The buttons still move the review on, for the reviewer.
        self.as_role(REVIEWER, self.review).action_agree_objectives()
        self.assertEqual(self.review.state, "agreed")

    def test_reviewee_after_planning(self):
        """Pre-meeting forms close with the planning stage; comments stay open until the
        review is completed; nothing is writable on a completed review."""
        self._advance(self.review, "in_progress")
        for name, states in REVIEWEE_WRITABLE.items():
            with self.subTest(field=name, state="in_progress"):
                self.assertEqual(
                    self._try_write(REVIEWEE, self.review, name), "in_progress" in states
                )
        for name in REVIEWEE_WRITABLE:
            with self.subTest(field=name, state="completed"):
                self.assertFalse(self._try_write(REVIEWEE, self.review_done, name))

    def test_reviewer_closed_review(self):
        for name in ("final_assessment", "outcome_level_id", "disagreement_note"):
            with self.subTest(field=name):
                self.assertFalse(self._try_write(REVIEWER, self.review_done, name))
        # The headteacher can still correct it (moderation), with tracking.
        self.as_role(HEAD_A, self.review_done).write({"final_assessment": "<p>Moderated.</p>"})

    def test_reviewer_records_words_of_reviewee_without_login(self):
        review = self.env["hr.performance.review"].create(
            {
                "cycle_id": self.cycle_a.id,
                "employee_id": self.env["hr.employee"]
                .create({"name": "Lunchtime Supervisor", "company_id": self.school.id})
                .id,
                "reviewer_id": self.employees[REVIEWER].id,
            }
        )
        self.as_role(REVIEWER, review).write(
            {"self_evaluation": "<p>Said at the meeting.</p>", "reviewee_comment": "Agreed."}
        )
        self.assertEqual(review.reviewee_comment, "Agreed.")

    def test_objective_fields_by_role(self):
        names = self._writable_fields("hr.performance.objective")
        self._advance(self.review, "in_progress")
        for name in names:
            with self.subTest(role=REVIEWEE, field=name):
                self.assertEqual(
                    self._try_write(REVIEWEE, self.objective, name),
                    name
                    in (
                        "midyear_progress",
                        "disagreement_note",
                        "self_actions",
                        "self_barriers",
                        "self_training",
                        "self_notes",
                    ),
                )
            with self.subTest(role=REVIEWER, field=name):
                # The reviewee (who has a login) writes their self-evaluation themselves.
                self.assertEqual(
                    self._try_write(REVIEWER, self.objective, name),
                    name
                    not in (
                        "review_id",
                        "self_actions",
                        "self_barriers",
                        "self_training",
                        "self_notes",
                    ),
                )

    def test_refused_writes_change_nothing(self):
        """Bad input: writing someone else's review, changing the reviewer of one's own
        review — refused with a clear error, nothing changes."""
        before = self.review.read(["final_assessment", "reviewer_id", "outcome_level_id"])[0]
        with self.assertRaises(AccessError):
            self.as_role(COLLEAGUE, self.review).write({"final_assessment": "<p>Forged</p>"})
        with self.assertRaises(AccessError):
            self.as_role(REVIEWER, self.review_b).write({"final_assessment": "<p>Forged</p>"})
        with self.assertRaises(AccessError):
            self.as_role(HEAD_B, self.review).write({"outcome_level_id": self.level_exceeded.id})
        with self.assertRefused(AccessError, "On your own review"):
            self.as_role(REVIEWEE, self.review).write({"reviewer_id": self.employees[COLLEAGUE].id})
        with self.assertRefused(AccessError, "On your own review"):
            self.as_role(REVIEWEE, self.review).write({"outcome_level_id": self.level_exceeded.id})
        with self.assertRaises(AccessError):
            self.as_role(REVIEWEE, self.review).action_open_reassign()
        with self.assertRefused(AccessError, "As the reviewer"):
            self.as_role(REVIEWER, self.review).write({"reviewer_id": self.employees[COLLEAGUE].id})
        self.env.invalidate_all()
        self.assertEqual(
            self.review.read(["final_assessment", "reviewer_id", "outcome_level_id"])[0], before
        )
        self.assertEqual(self.review_b.final_assessment, "<p>School B content.</p>")

    def test_headteacher_reviewee_cannot_change_own_reviewer(self):
        """Roles do not stack against one's own review: a headteacher who is the reviewee
        writes only what a reviewee writes."""
        head_employee = self.employees[HEAD_A]
        review = self.env["hr.performance.review"].create(
            {
                "cycle_id": self.cycle_a.id,
                "employee_id": head_employee.id,
                "reviewer_id": self.employees[HR_TRUST].id,
            }
        )
        as_head = self.as_role(HEAD_A, review)
        with self.assertRefused(AccessError, "your own review"):
            as_head._reassign_reviewer(self.employees[COLLEAGUE], "I prefer someone else")
        with self.assertRefused(AccessError, "On your own review"):
            as_head.write({"reviewer_id": self.employees[COLLEAGUE].id})
        with self.assertRefused(AccessError, "On your own review"):
            as_head.write({"outcome_level_id": self.level_exceeded.id})
        self.env.invalidate_all()
        self.assertEqual(review.reviewer_id, self.employees[HR_TRUST])
        self.assertFalse(review.outcome_level_id)
        self.assertFalse(review.reviewer_change_ids)

    def test_workflow_by_roles(self):
        """The whole cycle run by the people the policies name, with the field rights in
        force: HR launches, the headteacher appoints, the reviewer moves the review on, the
        reviewee writes their part — and the reviewee cannot move it on."""
        cycle = self.cycle_a_draft
        reviews = self.as_role(HR_TRUST, cycle).action_launch()
        review = reviews.filtered(lambda r: r.employee_id == self.employees[REVIEWEE])
        self.assertEqual(review.state, "planning")
        self.as_role(HEAD_A, review).write({"reviewer_id": self.employees[REVIEWER].id})
        as_reviewee = self.as_role(REVIEWEE, review)
        as_reviewee.write({"self_evaluation": "<p>My year.</p>", "pre_successes": "Phonics"})
        as_reviewer = self.as_role(REVIEWER, review)
        as_reviewer.write({"meeting_date": datetime(2026, 9, 20, 9, 0)})
        self.as_role(REVIEWER, self.env["hr.performance.objective"]).create(
            {"review_id": review.id, "name": "Lead the reading club"}
        )
        with self.assertRaises(AccessError):
            self.as_role(REVIEWEE, self.env["hr.performance.objective"]).create(
                {"review_id": review.id, "name": "Self-set objective"}
            )
        with self.assertRaises(AccessError):
            self.as_role(REVIEWEE, review).action_agree_objectives()
        self.as_role(REVIEWER, review).action_agree_objectives()
        self._excuse_statement(review)
        self.as_role(REVIEWER, review).action_start_monitoring()
        self.as_role(REVIEWEE, review.objective_ids).write({"midyear_progress": "On track"})
        self.as_role(REVIEWER, review).action_start_final_review()
        self.as_role(REVIEWER, review.objective_ids).write(
            {"assessment_level_id": self.level_exceeded.id}
        )
        self.as_role(REVIEWER, review).write({"outcome_level_id": self.level_exceeded.id})
        self.as_role(REVIEWEE, review).write({"reviewee_comment": "A fair summary."})
        with self.assertRaises(AccessError):
            self.as_role(REVIEWEE, review).action_complete()
        self.as_role(REVIEWER, review).action_complete()
        self.assertEqual(review.state, "completed")
        self.assertEqual(str(review.reviewer_access_until), "2026-07-14")
        # Payroll sees the outcome once it is final: here once the headteacher records that
        # the school moderates none of this cycle's statements.
        self.assertFalse(self.env["hr.performance.pay.eligibility"].browse(review.id).exists())
        self._record_moderation(cycle, "none")
        self.assertTrue(self.env["hr.performance.pay.eligibility"].browse(review.id).exists())
