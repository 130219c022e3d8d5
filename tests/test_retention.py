from contextlib import closing
from datetime import date, timedelta

from freezegun import freeze_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import GRANTEE, HR_B, HR_TRUST, HrSchoolPerformanceCase

RETAINED_MODELS = (
    "hr.performance.review",
    "hr.performance.objective",
    "hr.performance.observation",
    "hr.performance.training.need",
    "hr.performance.deadline",
    "hr.performance.access.grant",
    "hr.performance.access.log",
    "hr.performance.reviewer.change",
    "calendar.event",
)


class RetentionCase(HrSchoolPerformanceCase):
    review_world = True
    freeze_today = "2026-01-14"
    cron_xmlid = "hr_school_performance.ir_cron_performance_disposal"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["hr.performance.disposal.log"]
        cls.Hold = cls.env["hr.performance.legal.hold"]
        cls.admin_user = new_test_user(
            cls.env,
            login="hsp.sysadmin",
            groups="base.group_system,hr_school_performance.hr_school_performance_group_hr_manager",
            company_id=cls.school.id,
        )

    def _dispose_on(self, day):
        with freeze_time(day):
            self._run_cron()

    def _snapshot(self):
        """Every retained record's id and whether it is anonymised, per model."""
        snap = {}
        for name in RETAINED_MODELS:
            records = self.env[name].with_context(active_test=False).search([])
            snap[name] = {record.id: record.retention_anonymised for record in records}
        return snap


@tagged("post_install", "-at_install")
class TestReviewDeletionGuard(RetentionCase):
    def _fresh_review(self):
        return self._create_as(
            self.hr_officer,
            "hr.performance.review",
            {"cycle_id": self.cycle_a.id, "employee_id": self.ta_2.id},
        )

    def test_empty_planning_review_may_be_deleted(self):
        review = self._fresh_review()
        review.with_user(self.hr_officer).unlink()
        self.assertFalse(review.exists())

    def test_cancelled_review_is_kept_even_empty(self):
        review = self._fresh_review()
        review.with_user(self.hr_officer).action_cancel()
        with self.assertRefused(UserError, "retention period"):
            review.with_user(self.hr_officer).unlink()
        with self.assertRefused(UserError, "retention period"):
            review.sudo().unlink()
        self.assertTrue(review.exists())

    def test_review_with_content_is_kept_in_planning_for_everyone(self):
        self.assertEqual(self.review_b.state, "planning")
        for env_user in (self.users[HR_B], self.users[HR_TRUST]):
            with self.assertRefused(UserError, "retention period|cannot be deleted"):
                self.review_b.with_user(env_user).unlink()
        # The superuser too: only the disposal engine deletes it.
        with self.assertRefused(UserError, "retention period|cannot be deleted"):
            self.review_b.sudo().unlink()
        self.assertTrue(self.review_b.exists())

    def test_review_with_outcome_only_is_content(self):
        review = self._fresh_review()
        review.pay_criteria_met = "met"
        with self.assertRefused(UserError, "retention period"):
            review.sudo().unlink()

    def test_review_of_ended_cycle_is_kept(self):
        review = self._fresh_review()
        with freeze_time("2026-09-02"), self.assertRefused(UserError, "retention period"):
            review.with_user(self.hr_officer).unlink()

    def test_records_of_a_closed_review_are_kept(self):
        objective = self.review_done.objective_ids
        need = self.training_need
        for record in (objective, need):
            with self.assertRefused(UserError, "retention period|cannot be deleted"):
                record.sudo().unlink()
            self.assertTrue(record.exists())
        deadlines = self.review_done.deadline_ids
        self.assertTrue(deadlines)
        with self.assertRefused(UserError, "retention period"):
            deadlines.sudo().unlink()

    def test_early_deletion_by_system_administrator_with_reason(self):
        Log = self.Log.with_user(self.admin_user)
        with self.assertRefused(UserError, "Record why"):
            Log.action_delete_early("hr.performance.review", self.review_done.ids, "  ")
        with self.assertRefused(AccessError, "system administrator"):
            self.Log.with_user(self.hr_officer).action_delete_early(
                "hr.performance.review", self.review_done.ids, "Court order"
            )
        with self.assertRefused(UserError, "not a performance record"):
            Log.action_delete_early("res.partner", self.admin_user.partner_id.ids, "Because")
        review_id = self.review_done.id
        Log.action_delete_early("hr.performance.review", [review_id], "Court order 123")
        self.assertFalse(self.env["hr.performance.review"].browse(review_id).exists())
        log = self.Log.search(
            [("res_model", "=", "hr.performance.review"), ("res_id", "=", review_id)]
        )
        self.assertEqual(log.method, "deleted")
        self.assertEqual(log.reason, "Court order 123")
        self.assertEqual(log.user_id, self.admin_user)

    def test_early_deletion_from_the_action_menu(self):
        """The administrator's form on the selected records: the reason is required, the
        log keeps it; nobody else may open the form."""
        action = self.env.ref("hr_school_performance.hr_performance_delete_early_action_review")
        self.assertEqual(action.group_ids, self.env.ref("base.group_system"))
        context = {"active_model": "hr.performance.review", "active_ids": self.review_done.ids}
        Wizard = self.env["hr.performance.delete.early"].with_context(**context)
        with self.assertRefused(AccessError, "system administrator"):
            Wizard.with_user(self.hr_officer).create({"reason": "Mistake"})
        wizard = Wizard.with_user(self.admin_user).create({"reason": "  "})
        self.assertEqual(wizard.record_count, 1)
        with self.assertRefused(UserError, "Record why"):
            wizard.action_confirm()
        self.assertTrue(self.review_done.exists())
        review_id = self.review_done.id
        wizard.reason = "Created for the wrong employee"
        wizard.action_confirm()
        self.assertFalse(self.env["hr.performance.review"].browse(review_id).exists())
        log = self.Log.search(
            [("res_model", "=", "hr.performance.review"), ("res_id", "=", review_id)]
        )
        self.assertEqual(log.reason, "Created for the wrong employee")

    def test_early_deletion_refused_under_hold(self):
        self.Hold.create(
            {
                "name": "ET/123",
                "reason_kind": "tribunal",
                "company_id": self.school.id,
                "employee_id": self.ta_1.id,
            }
        )
        with self.assertRefused(UserError, "legal hold"):
            self.Log.with_user(self.admin_user).action_delete_early(
                "hr.performance.review", self.review_done.ids, "Court order"
            )
        self.assertTrue(self.review_done.exists())


@tagged("post_install", "-at_install")
class TestRetentionSettings(RetentionCase):
    def test_disposal_date_follows_cycle_end_and_school_setting(self):
        self.assertEqual(self.review_done.retention_disposal_date, date(2031, 8, 31))
        self.school.performance_retention_years = 8
        self.assertEqual(self.review_done.retention_disposal_date, date(2033, 8, 31))

    def test_retention_below_policy_minimum_refused(self):
        with self.assertRefused(ValidationError, "at least 6 years"):
            self.school.performance_retention_years = 5
            self.env.flush_all()
        self.assertStored(self.school, "performance_retention_years", 6)

    def test_threshold_below_two_refused(self):
        with self.assertRefused(ValidationError, "at least 2"):
            self.trust.performance_report_threshold = 1
            self.env.flush_all()


@tagged("post_install", "-at_install")
class TestDisposal(RetentionCase):
    def test_nothing_due_nothing_touched(self):
        before = self._snapshot()
        self._dispose_on("2031-08-30")
        self.assertEqual(self._snapshot(), before)
        self.assertFalse(self.Log.search([]))

    def test_a_need_outside_any_review_is_disposed_of_from_its_school_year(self):
        """A training need recorded outside any review (a request during the year) is kept
        for the school's retention period from the 31 August after it was done; an open
        one is kept."""
        Need = self.env["hr.performance.training.need"]
        done = Need.create(
            {
                "name": "Paediatric first aid",
                "need_type": "course",
                "employee_id": self.ta_1.id,
                "date_identified": date(2024, 9, 20),
                "state": "done",
                "date_done": date(2024, 10, 3),
                "cost": 95,
            }
        )
        still_open = Need.create(
            {"name": "Team Teach", "need_type": "course", "employee_id": self.ta_1.id}
        )
        years = self.school.performance_retention_years
        due = date(2025 + years, 8, 31)
        self.assertEqual(done.retention_disposal_date, due)
        self.assertFalse(still_open.retention_disposal_date)
        self._dispose_on(due - timedelta(days=1))
        self.assertFalse(done.retention_anonymised)
        self._dispose_on(due)
        self.env.invalidate_all()
        self.assertTrue(done.retention_anonymised)
        self.assertEqual((done.name, done.cost), ("—", 95))
        self.assertFalse(still_open.retention_anonymised)

    def test_anonymise_keeps_figures_and_removes_the_person(self):
        review = self.review_done
        outcome = review.outcome_level_id
        need = self.training_need
        need.cost = 120
        objective = review.objective_ids
        # The reviewer determined it over Tom's disagreement: the mark stays, the words go.
        # (Recorded while the review was open; the closed review no longer changes.)
        self.env.cr.execute(
            "UPDATE hr_performance_objective SET agreement = 'determined', "
            "disagreement_note = 'Tom disagrees' WHERE id = %s",
            [objective.id],
        )
        objective.invalidate_recordset()
        review.message_post(body="Private note about Tom")
        self.assertTrue(review.deadline_ids)
        self._dispose_on("2031-08-31")
        self.env.invalidate_all()
        self.assertTrue(review.retention_anonymised)
        self.assertFalse(review.employee_id)
        self.assertFalse(review.reviewer_id)
        self.assertFalse(review.final_assessment)
        self.assertFalse(review.recommended_pay_level)
        self.assertEqual(review.outcome_level_id, outcome)
        self.assertEqual(review.state, "completed")
        self.assertFalse(
            self.env["mail.message"].search(
                [("model", "=", review._name), ("res_id", "=", review.id)]
            )
        )
        self.assertEqual(objective.name, "—")
        self.assertEqual(objective.assessment_level_id, self.level_exceeded)
        self.assertEqual(objective.agreement, "determined")
        self.assertEqual(objective.disagreement_note, "—")
        self.assertTrue(need.retention_anonymised)
        self.assertEqual(need.name, "—")
        self.assertFalse(need.action)
        self.assertEqual(need.cost, 120)
        self.assertTrue(all(review.deadline_ids.mapped("retention_anonymised")))
        # The current review is inside its period.
        self.assertFalse(self.review.retention_anonymised)
        self.assertEqual(self.review.employee_id, self.ta_1)

    def test_disposal_log_names_no_content(self):
        self._dispose_on("2031-09-01")
        logs = self.Log.search([])
        self.assertIn(
            self.review_done.id,
            logs.filtered(lambda e: e.res_model == "hr.performance.review").mapped("res_id"),
        )
        self.assertIn("hr.performance.training.need", logs.mapped("res_model"))
        for log in logs:
            self.assertEqual(log.method, "anonymised")
            self.assertIn("6 years", log.rule)
            text = " ".join(str(log[name] or "") for name in ("record_kind", "rule", "reason"))
            for secret in ("Tom", "Makaton", "excellent", "Maria"):
                self.assertNotIn(secret, text)
        # The log cannot be changed or deleted, nor written by users.
        with self.assertRefused(UserError, "cannot be changed"):
            logs[:1].rule = "x"
        with self.assertRefused(UserError, "cannot be deleted"):
            logs[:1].unlink()
        with self.assertRaises(AccessError):
            self.Log.with_user(self.hr_officer).create(
                {
                    "res_model": "x",
                    "record_kind": "x",
                    "res_id": 1,
                    "method": "deleted",
                    "rule": "x",
                }
            )

    def test_idempotent(self):
        self._dispose_on("2031-09-01")
        count = self.Log.search_count([])
        self.assertTrue(count)
        self._dispose_on("2031-09-02")
        self.assertEqual(self.Log.search_count([]), count)

    def test_delete_mode(self):
        self.school.performance_disposal_method = "delete"
        review_id = self.review_done.id
        need_id = self.training_need.id
        self._dispose_on("2031-09-01")
        self.assertFalse(self.env["hr.performance.review"].browse(review_id).exists())
        self.assertFalse(self.env["hr.performance.training.need"].browse(need_id).exists())
        logs = self.Log.search([("res_model", "=", "hr.performance.review")])
        self.assertEqual(logs.mapped("method"), ["deleted"])

    def test_legal_hold_blocks_until_released(self):
        hold = self._create_as(
            self.hr_officer,
            "hr.performance.legal.hold",
            {
                "name": "Grievance G-7",
                "reason_kind": "grievance",
                "company_id": self.school.id,
                "review_ids": [(6, 0, self.review_done.ids)],
            },
        )
        self.assertEqual(hold.placed_by_id, self.hr_officer)
        self._dispose_on("2031-09-01")
        self.assertFalse(self.review_done.retention_anonymised)
        self.assertFalse(self.training_need.retention_anonymised)
        self.assertEqual(self.review_done.employee_id, self.ta_1)
        # A hold cannot be narrowed, nor deleted.
        with self.assertRefused(UserError, "cannot be narrowed"):
            hold.with_user(self.hr_officer).review_ids = [(3, self.review.id)]
        # Nobody deletes one: the access rights refuse it, and the hold's own rule refuses
        # even the superuser.
        with self.assertRaises(AccessError):
            hold.with_user(self.hr_officer).unlink()
        with self.assertRefused(UserError, "release it"):
            hold.sudo().unlink()
        hold.with_user(self.hr_officer).action_release()
        self.assertEqual(hold.released_by_id, self.hr_officer)
        self.assertEqual(hold.state, "released")
        self._dispose_on("2031-09-02")
        self.assertTrue(self.review_done.retention_anonymised)

    def test_hold_is_hr_only_and_per_school(self):
        with self.assertRaises(AccessError):
            self._create_as(
                self.users[GRANTEE],
                "hr.performance.legal.hold",
                {"name": "SAR", "reason_kind": "sar", "employee_id": self.ta_1.id},
            )
        with self.assertRefused(UserError, "must name"):
            self.Hold.create({"name": "SAR", "reason_kind": "sar", "company_id": self.school.id})


@tagged("post_install", "-at_install")
class TestDisposalProperties(RetentionCase):
    """Over many random days, retention settings and holds: the disposal job touches exactly
    what is due and not held, and nothing else."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Closed reviews of older cycles at both schools, ending on different days.
        cls.old_reviews = cls.env["hr.performance.review"]
        for index, (school, year) in enumerate(
            [
                (cls.school, 2019),
                (cls.other_school, 2020),
                (cls.school, 2021),
                (cls.other_school, 2022),
            ]
        ):
            cycle = cls._create_cycle(
                school=school, start=date(year, 9, 1), end=date(year + 1, 8, 31 - index)
            )
            employee = cls.env["hr.employee"].create(
                {"name": f"Former TA {index}", "company_id": school.id, "job_id": cls.job_ta.id}
            )
            review = cls.env["hr.performance.review"].create(
                {
                    "cycle_id": cycle.id,
                    "employee_id": employee.id,
                    "final_assessment": f"<p>Year {year}</p>",
                }
            )
            cls.env["hr.performance.objective"].create(
                {"review_id": review.id, "name": f"Aim {year}"}
            )
            cls.old_reviews |= review
        cls.other_school.performance_retention_years = 7
        cls.all_reviews = cls.old_reviews | cls.review_done | cls.review | cls.review_b

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        derandomize=True,
    )
    @given(
        day=st.dates(min_value=date(2026, 1, 1), max_value=date(2034, 12, 31)),
        held=st.sets(st.integers(min_value=0, max_value=6), max_size=3),
        by_employee=st.booleans(),
        method=st.sampled_from(["anonymise", "delete"]),
    )
    def test_only_due_and_unheld_records_are_touched(self, day, held, by_employee, method):
        with closing(self.env.cr.savepoint()):
            (self.school | self.other_school).performance_disposal_method = method
            reviews = self.all_reviews
            held_reviews = reviews.browse([reviews.ids[i] for i in held if i < len(reviews)])
            for company in held_reviews.company_id:
                in_school = held_reviews.filtered(lambda r, c=company: r.company_id == c)
                employee = in_school[0].employee_id if by_employee else False
                self.Hold.create(
                    {
                        "name": "Hold",
                        "reason_kind": "appeal",
                        "company_id": company.id,
                        "employee_id": employee.id if employee else False,
                        "review_ids": [(6, 0, in_school.ids)],
                    }
                )
                if employee:
                    held_reviews |= reviews.filtered(lambda r, e=employee: r.employee_id == e)
            due = {
                review.id: review.retention_disposal_date <= day and review not in held_reviews
                for review in reviews
            }
            children = {
                review.id: {
                    name: set(
                        self.env[name]
                        .search([(self.env[name]._hsp_retention_review_field, "=", review.id)])
                        .ids
                    )
                    for name in RETAINED_MODELS
                    if name != "hr.performance.review"
                }
                for review in reviews
            }
            before = self._snapshot()
            self._dispose_on(day)
            after = self._snapshot()
            for review in reviews:
                records = {"hr.performance.review": {review.id}, **children[review.id]}
                for name, ids in records.items():
                    for record_id in ids:
                        untouched = after[name].get(record_id) == before[name][record_id]
                        if due[review.id]:
                            self.assertFalse(untouched, f"{name} {record_id} due on {day}")
                        else:
                            self.assertTrue(untouched, f"{name} {record_id} touched on {day}")
            logged = set(
                self.Log.search([("res_model", "=", "hr.performance.review")]).mapped("res_id")
            )
            self.assertEqual(
                logged & set(reviews.ids), {rid for rid, is_due in due.items() if is_due}
            )
