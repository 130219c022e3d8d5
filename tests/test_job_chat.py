from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import HrSchoolPerformanceCase


@tagged("post_install", "-at_install")
class TestJobChat(HrSchoolPerformanceCase):
    """The county abbreviated process (seed 001): its questions, behavioural attributes,
    objectives for supervisors only, the opt-in to the full process, the combined overall
    level and the personal development plan that feeds the CPD leader's training needs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.behaviours = cls.env["hr.performance.behaviour"].search([], limit=3)
        cls.job_group.write(
            {
                "process": "abbreviated",
                "max_objectives": 5,
                "behaviour_ids": [Command.set(cls.behaviours.ids)],
            }
        )
        cls._launch_team()
        cls.levels = {
            name: cls.env.ref(f"hr_school_performance.hr_performance_scale_level_{name}")
            for name in ("exceeded", "achieved", "progressing", "underperformed")
        }

    def test_seed_attributes_installed(self):
        self.assertGreaterEqual(self.env["hr.performance.behaviour"].search_count([]), 5)

    def test_review_gets_the_group_attributes(self):
        self.assertEqual(self.review.behaviour_ids.behaviour_id, self.behaviours)
        self.assertEqual(self.review.process, "abbreviated")

    def test_reviewee_answers_each_question(self):
        answers = {
            "chat_likes": "The children",
            "chat_dislikes": "Wet play",
            "chat_needs": "A new trolley",
            "chat_service_needs": "More time at lunch",
            "chat_training": "Food hygiene",
            "chat_ideas": "Lead a team",
            "chat_team_ideas": "Rotate the duties",
        }
        self.review.with_user(self.reviewee_user).write(answers)
        for fname, value in answers.items():
            self.assertStored(self.review, fname, value)

    def test_non_supervisor_has_no_objectives(self):
        self.assertFalse(self.review.is_supervisor)
        self.assertFalse(self.review.has_objectives_section)
        with self.assertRefused(ValidationError, "only supervisors agree objectives"):
            self.review.with_user(self.reviewer_user).write(
                {"objective_ids": [Command.create({"name": "Keep the hall tidy"})]}
            )
        self.assertFalse(self.review.objective_ids)

    def test_supervisor_post_allows_five_objectives(self):
        self.job_ta.performance_supervisor = True
        self.assertTrue(self.review.is_supervisor)
        self.assertTrue(self.review.has_objectives_section)
        self.review.with_user(self.reviewer_user).write(
            {"objective_ids": [Command.create({"name": f"Objective {n}"}) for n in range(5)]}
        )
        self.assertEqual(len(self.review.objective_ids), 5)
        with self.assertRefused(ValidationError, "at most 5 objectives"):
            self.job_group.max_objectives = 8
            self.review.with_user(self.reviewer_user).write(
                {"objective_ids": [Command.create({"name": "Sixth"})]}
            )

    def test_only_headteacher_or_hr_mark_a_person_supervisor(self):
        with self.assertRefused(AccessError, "Supervisor"):
            self.review.with_user(self.reviewer_user).is_supervisor = True
        self.review.with_user(self.headteacher_user).is_supervisor = True
        self.assertStored(self.review, "is_supervisor", True)

    def test_opt_into_full_process_keeps_one_review(self):
        reviews = self.env["hr.performance.review"].search([("employee_id", "=", self.ta_1.id)])
        self.review.with_user(self.reviewer_user).full_process_opt_in = True
        self.assertEqual(self.review.process, "full")
        self.assertTrue(self.review.has_objectives_section)
        self.review.with_user(self.reviewer_user).write(
            {"objective_ids": [Command.create({"name": "Level 2 catering"})]}
        )
        self.assertEqual(
            self.env["hr.performance.review"].search([("employee_id", "=", self.ta_1.id)]),
            reviews,
        )
        # The reviewee cannot decide it alone.
        with self.assertRefused(AccessError, "Opted into the Full Process"):
            self.review.with_user(self.reviewee_user).full_process_opt_in = False

    def test_overall_level_combines_objectives_and_behaviours(self):
        self.job_ta.performance_supervisor = True
        review = self.review
        review.write(
            {"objective_ids": [Command.create({"name": f"Objective {n}"}) for n in range(3)]}
        )
        lines = review.behaviour_ids
        # Everything achieved and behaviour to standard: Achieved.
        review.objective_ids.assessment_level_id = self.levels["achieved"]
        lines.level = "meets"
        self.assertEqual(review.suggested_level_id, self.levels["achieved"])
        # All exceeded but behaviour only meets: still Achieved ("and").
        review.objective_ids.assessment_level_id = self.levels["exceeded"]
        self.assertEqual(review.suggested_level_id, self.levels["achieved"])
        lines.level = "exceeds"
        self.assertEqual(review.suggested_level_id, self.levels["exceeded"])
        # Behaviour falls short once: Progressing ("and/or").
        lines[0].level = "short"
        self.assertEqual(review.suggested_level_id, self.levels["progressing"])
        # The majority of objectives not achieved: Underperformed.
        lines.level = "meets"
        review.objective_ids[:2].assessment_level_id = self.levels["progressing"]
        self.assertEqual(review.suggested_level_id, self.levels["underperformed"])
        # ... unless missed for reasons outside their control.
        review.objective_ids[:2].outside_control = True
        self.assertEqual(review.suggested_level_id, self.levels["achieved"])
        review.objective_ids[:2].outside_control = False
        lines.level = "unacceptable"
        review.objective_ids.assessment_level_id = self.levels["achieved"]
        self.assertEqual(review.suggested_level_id, self.levels["underperformed"])

    def test_non_supervisor_level_from_behaviours_only(self):
        self.review.behaviour_ids.level = "meets"
        self.assertEqual(self.review.suggested_level_id, self.levels["achieved"])

    def test_reviewer_assesses_behaviours_reviewee_cannot(self):
        line = self.review.behaviour_ids[0]
        line.with_user(self.reviewer_user).level = "exceeds"
        self.assertStored(line, "level", "exceeds")
        with self.assertRefused(AccessError, "Operating Level"):
            line.with_user(self.reviewee_user).level = "unacceptable"
        self.assertStored(line, "level", "exceeds")
        with self.assertRaises(AccessError):
            self.as_role("colleague", line).read(["level"])

    @freeze_time("2026-09-20")
    def test_development_plan_feeds_training_needs(self):
        self.review.with_user(self.reviewer_user).write(
            {
                "development_plan_ids": [
                    Command.create(
                        {
                            "name": "Help run the breakfast club",
                            "need_type": "project",
                            "development_plan": True,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Food hygiene level 2",
                            "need_type": "course",
                            "development_plan": True,
                        }
                    ),
                ]
            }
        )
        plan = self.review.development_plan_ids
        self.assertEqual(len(plan), 2)
        self.assertEqual(plan.employee_id, self.ta_1)
        # The CPD leader receives them with the other training needs.
        self.school.performance_cpd_leader_id = self.users["cpd_leader"]
        needs = self.as_role("cpd_leader", self.env["hr.performance.training.need"]).search(
            [("review_id", "=", self.review.id)]
        )
        self.assertEqual(needs, plan)
        # The reviewee comments on the plan; the reviewer cannot write their words.
        self.review.with_user(self.reviewee_user).development_plan_comment = "Happy with it"
        self.assertStored(self.review, "development_plan_comment", "Happy with it")
        with self.assertRefused(AccessError, "My Comments on the Development Plan"):
            self.review.with_user(self.reviewer_user).development_plan_comment = "Agreed"
