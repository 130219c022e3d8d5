from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import HrSchoolPerformanceCase

DEFAULT_DAYS = {
    "planning_meeting": 20,
    "notice": -5,
    "self_evaluation": -2,
    "draft_statement": 5,
    "comments": 5,
    "final_statement": 10,
    "moderation": 10,
    "revised_statement": 10,
    "midyear": 0,
    "support_review": 0,
    "observation_notice": -7,
    "observation_feedback": 1,
    "observation_record": 5,
    "pay_decision": 0,
    "headteacher_review": 0,
}


@tagged("post_install", "-at_install")
class TestDeadlineRules(HrSchoolPerformanceCase):
    """Deadlines are data: rule lines on the job group, seeded from the default set."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._launch_team(meeting=date(2026, 10, 22))

    def _new_group(self, user=None, company=None):
        Group = self.env["hr.performance.job.group"]
        if user:
            Group = Group.with_user(user)
        return Group.create(
            {
                "name": "Midday Supervisors",
                "company_id": (company or self.school).id,
                "job_ids": [Command.link(self.job_cleaner.id)],
            }
        )

    def test_new_group_starts_with_the_default_set(self):
        group = self._new_group()
        self.assertEqual(
            {rule.code: rule._signed_days() for rule in group.deadline_rule_ids}, DEFAULT_DAYS
        )
        self_evaluation = group._deadline_rule("self_evaluation")
        self.assertEqual(self_evaluation.responsible, "reviewee")
        self.assertEqual(self_evaluation.event, "planning_meeting")
        self.assertEqual(self_evaluation.done_event, "self_evaluation")
        self.assertEqual(group._deadline_rule("observation_feedback").day_kind, "school")
        # The default set itself is untouched by the copy.
        defaults = self.env["hr.performance.deadline.rule"].search([("job_group_id", "=", False)])
        self.assertEqual(len(defaults), len(DEFAULT_DAYS))

    def test_a_new_policy_deadline_is_one_more_line(self):
        self.job_group.deadline_rule_ids = [
            Command.create(
                {
                    "code": "pre_review_form",
                    "name": "Pre-review form returned",
                    "todo_summary": "Return the pre-review form",
                    "event": "planning_meeting",
                    "days": 3,
                    "direction": "before",
                    "responsible": "reviewee",
                    "done_event": "self_evaluation",
                }
            )
        ]
        deadline = self._deadline(self.review, "pre_review_form")
        # Three working days before Thursday 22 October.
        self.assertEqual(deadline.date_due, date(2026, 10, 19))
        self.assertEqual(deadline.responsible_user_id, self.reviewee_user)
        self.assertEqual(deadline.display_name, "Pre-review form returned – Tom Assistant")
        self.assertEqual(deadline.rule, "3 working days before 10/22/2026")
        with freeze_time("2026-10-16 12:00"):
            self.review.with_user(self.reviewee_user).date_self_evaluation = date(2026, 10, 16)
            self.assertEqual(deadline.status, "met")
        # Removing the line removes the open reviews' deadline.
        deadline.rule_id.unlink()
        self.assertFalse(self._deadline(self.review, "pre_review_form"))

    def test_changing_a_line_moves_open_deadlines_and_due_dates(self):
        self.job_group._deadline_rule("planning_meeting").days = 10
        self.assertEqual(self.review.date_planning_due, date(2026, 9, 15))
        self.assertEqual(
            self._deadline(self.review, "planning_meeting").date_due, date(2026, 9, 15)
        )
        self.job_group._deadline_rule("final_statement").days = 5
        self.assertEqual(self.review.date_statement_due, date(2026, 11, 5))

    def test_invalid_lines_are_refused(self):
        rule = self.job_group._deadline_rule("notice")
        for vals, message in (
            ({"days": 0}, "“Meeting notice given” must be a positive number of days (got 0)"),
            ({"days": -3}, "must be a positive number of days"),
            ({"responsible": "observer"}, "only a deadline counted from an observation"),
            ({"day_kind": "calendar"}, "working or school days"),
            ({"done_event": "observation_record"}, "met by the observation"),
        ):
            with self.assertRaises(ValidationError) as caught:
                rule.write(vals)
            self.assertIn(message, str(caught.exception))
        self.assertStored(rule, "days", 5)
        self.assertStored(rule, "responsible", "reviewer")

    def test_hr_officers_configure_others_read(self):
        group = self._new_group()
        rule = group._deadline_rule("draft_statement")
        rule.with_user(self.hr_officer).days = 7
        self.assertEqual(rule.days, 7)
        self.assertEqual(rule.with_user(self.reviewer_user).name, "Draft statement sent")
        for user in (self.reviewer_user, self.reviewee_user, self.headteacher_user):
            with self.assertRaises(AccessError):
                rule.with_user(user).days = 3
            with self.assertRaises(AccessError):
                self.env["hr.performance.deadline.rule"].with_user(user).create(
                    {
                        "job_group_id": group.id,
                        "code": "extra",
                        "name": "Extra",
                        "event": "planning_meeting",
                        "done_event": "draft_sent",
                    }
                )
        self.assertStored(rule, "days", 7)
