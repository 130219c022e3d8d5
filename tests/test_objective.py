from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import HrSchoolPerformanceCase


@tagged("post_install", "-at_install")
class TestObjective(HrSchoolPerformanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._launch_team()
        cls.priority = cls.env["hr.performance.sip.priority"].create(
            {
                "name": "Improve early reading",
                "code": "SIP 1.2",
                "company_id": cls.school.id,
                "date_start": date(2026, 9, 1),
                "date_end": date(2027, 8, 31),
            }
        )

    def _objective(self, name, review=None, **vals):
        return self.env["hr.performance.objective"].create(
            dict(vals, name=name, review_id=(review or self.review).id)
        )

    def test_cap_of_the_job_group(self):
        review = self.review.with_user(self.reviewer_user)
        for index in range(3):
            review.objective_ids = [Command.create({"name": f"Objective {index}"})]
        with self.assertRefused(ValidationError, "at most 3 objectives"):
            review.objective_ids = [Command.create({"name": "One too many"})]
        self.env.invalidate_all()
        self.assertEqual(len(self.review.objective_ids), 3)
        self.job_group.max_objectives = 1
        with self.assertRefused(ValidationError, "at most 1 objectives"):
            self._objective("Another one")

    def test_objective_links_to_the_improvement_plan(self):
        objective = self._objective(
            "Run the Year 2 phonics intervention",
            sip_priority_id=self.priority.id,
            success_criteria="80% of the group at the expected standard",
            target_date=date(2027, 3, 31),
        )
        self.assertEqual(objective.employee_id, self.ta_1)
        self.assertEqual(objective.company_id, self.school)
        self.assertEqual(self.priority.display_name, "SIP 1.2 – Improve early reading")
        other_priority = self.priority.copy({"company_id": self.other_school.id})
        with self.assertRaises(UserError):
            objective.sip_priority_id = other_priority

    def test_disagreement_is_recorded_when_the_reviewer_determines(self):
        with self.assertRefused(ValidationError, "Record the disagreement"):
            self._objective("Supervise the lunch hall", agreement="determined")
        objective = self._objective(
            "Supervise the lunch hall",
            agreement="determined",
            disagreement_note="I think the hall needs two supervisors.",
        )
        self.assertEqual(objective.agreement, "determined")

    def test_target_date_before_the_review_is_refused(self):
        with self.assertRefused(ValidationError, "before its review period"):
            self._objective("Too early", target_date=date(2026, 8, 1))

    def test_closed_reviews_lock_their_objectives(self):
        objective = self._objective("Lead the reading club")
        self.review.write({"meeting_date": datetime(2026, 9, 10, 9, 0)})
        self.review.with_user(self.reviewer_user).action_agree_objectives()
        self._excuse_statement(self.review)
        self.review.with_user(self.reviewer_user).action_start_monitoring()
        self.review.with_user(self.reviewer_user).action_start_final_review()
        with self.assertRefused(UserError, "cannot be added"):
            self._objective("Late addition")
        with self.assertRefused(UserError, "cannot be deleted"):
            objective.unlink()
        self.review.with_user(self.reviewer_user).action_cancel()
        with self.assertRefused(UserError, "can no longer change"):
            objective.name = "Rewritten afterwards"
        self.assertStored(objective, "name", "Lead the reading club")

    def test_group_objective_shared_by_several_reviewees(self):
        form = Form(self.env["hr.performance.group.objective"].with_user(self.headteacher_user))
        form.name = "Complete food hygiene level 2"
        form.cycle_id = self.cycle
        form.sip_priority_id = self.priority
        form.review_ids.add(self.review)
        form.review_ids.add(self.review_tina)
        group_objective = form.save()
        objectives = group_objective.objective_ids
        self.assertEqual(objectives.employee_id, self.ta_1 | self.ta_2)
        self.assertEqual(set(objectives.mapped("name")), {"Complete food hygiene level 2"})
        group_objective.name = "Complete food hygiene level 2 by Easter"
        self.assertEqual(
            set(objectives.mapped("name")), {"Complete food hygiene level 2 by Easter"}
        )
        # Each reviewee is assessed individually.
        achieved = self.env.ref("hr_school_performance.hr_performance_scale_level_achieved")
        objectives[0].assessment_level_id = achieved
        self.assertFalse(objectives[1].assessment_level_id)
        # The cap still holds for shared objectives.
        self.job_group.max_objectives = 1
        with self.assertRefused(ValidationError, "at most 1"):
            self._objective("Own objective", review=self.review_tina)

    def test_objective_continues_into_the_next_cycle(self):
        objective = self._objective(
            "Gain the level 3 supporting teaching and learning certificate",
            continue_next_cycle=True,
            target_date=date(2028, 7, 31),
        )
        self._objective("A one-year objective")
        self._prepare_for(self.review, "planning")
        self._prepare_for(self.review, "final_review")
        self._advance(self.review, "completed")
        with freeze_time("2027-09-01"):
            next_cycle = self._create_cycle(start=date(2027, 9, 1), end=date(2028, 8, 31))
            reviews = self._launch(next_cycle)
        new_review = reviews.filtered(lambda r: r.employee_id == self.ta_1)
        carried = new_review.objective_ids
        self.assertEqual(carried.previous_objective_id, objective)
        self.assertEqual(carried.name, objective.name)
        self.assertEqual(carried.target_date, date(2028, 7, 31))
        self.assertEqual(objective.next_objective_ids, carried)
        self.assertFalse(reviews.filtered(lambda r: r.employee_id == self.ta_2).objective_ids)
