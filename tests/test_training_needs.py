import base64
import io
from datetime import date, datetime

from freezegun import freeze_time
from openpyxl import load_workbook

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..models.hr_performance_training_need import audit_period
from .common import HrSchoolPerformanceCase


@tagged("post_install", "-at_install")
class TestTrainingNeeds(HrSchoolPerformanceCase):
    """Training and development needs: from the review to the CPD leader's queue and the
    October training audit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._launch_team()
        # The school's designated CPD leader, a plain user: not the fixture's CPD-leader
        # group, whose members read the needs of every school they are in.
        cls.cpd_leader = cls._make_user("hsp_cpd_leader")
        cls.school.performance_cpd_leader_id = cls.cpd_leader
        cls.Need = cls.env["hr.performance.training.need"]

    def _need(self, review, name, identified, **extra):
        with freeze_time(datetime.combine(identified, datetime.min.time())):
            return self.Need.with_user(self.reviewer_user).create(
                {
                    "review_id": review.id,
                    "employee_id": review.employee_id.id,
                    "name": name,
                    "need_type": "course",
                    "action": "Book the county course",
                    **extra,
                }
            )

    def test_audit_period_runs_november_to_october(self):
        self.assertEqual(audit_period(date(2026, 10, 31)), (date(2025, 11, 1), date(2026, 10, 31)))
        self.assertEqual(audit_period(date(2026, 11, 1)), (date(2026, 11, 1), date(2027, 10, 31)))
        self.assertEqual(audit_period(date(2027, 3, 15)), (date(2026, 11, 1), date(2027, 10, 31)))

    @freeze_time("2026-09-24 10:00")
    def test_record_a_need_from_the_review_and_follow_it_through(self):
        with (
            Form(self.review.with_user(self.reviewer_user)) as form,
            form.training_need_ids.new() as line,
        ):
            line.name = "Team Teach de-escalation"
            line.need_type = "course"
            line.action = "Two-day course in November"
            line.cost = 180
        need = self.review.training_need_ids
        self.assertEqual(need.employee_id, self.ta_1)
        self.assertEqual(need.company_id, self.school)
        self.assertEqual(need.currency_id, self.school.currency_id)
        self.assertEqual(need.state, "identified")
        self.assertEqual(need.date_identified, date(2026, 9, 24))
        self.assertEqual(self.review.training_need_count, 1)
        as_leader = need.with_user(self.cpd_leader)
        as_leader.action_plan()
        self.assertEqual(need.state, "planned")
        with freeze_time("2026-11-20 10:00"):
            as_leader.action_done()
        self.assertEqual(need.date_done, date(2026, 11, 20))
        as_leader.impact = "Fewer incidents at lunchtime"
        with self.assertRefused(UserError, "Marking done is not possible"):
            as_leader.action_done()

    def test_planning_needs_an_action(self):
        need = self._need(self.review, "Phonics refresher", date(2026, 9, 24), action=False)
        with self.assertRefused(UserError, "Describe the action"):
            need.action_plan()
        self.assertEqual(need.state, "identified")

    def test_cpd_leader_sees_needs_never_reviews(self):
        need = self._need(self.review, "Team Teach", date(2026, 9, 24))
        other = self._need(self.review_tina, "First aid", date(2026, 9, 24))
        Need = self.Need.with_user(self.cpd_leader)
        self.assertEqual(Need.search([]), need | other)
        self.assertEqual(Need.browse(need.id).review_id, self.review)  # the link, not content
        with self.assertRaises(AccessError):
            self.review.with_user(self.cpd_leader).read(["final_assessment"])
        objective = self.env["hr.performance.objective"].create(
            {"review_id": self.review.id, "name": "Lead the phonics intervention group"}
        )
        with self.assertRaises(AccessError):
            objective.with_user(self.cpd_leader).read(["name"])
        # The reviewee sees their own needs only; other staff none.
        self.assertEqual(self.Need.with_user(self.reviewee_user).search([]), need)
        stranger = self._make_user("hsp_stranger")
        self.assertFalse(self.Need.with_user(stranger).search([]))
        # The CPD leader of another school sees nothing here.
        self.school.performance_cpd_leader_id = stranger
        self.assertFalse(Need.search([]))

    @freeze_time("2026-10-25 10:00")
    def test_october_audit_filter_and_export(self):
        old = self._need(self.review, "Last year's course", date(2025, 10, 15))
        autumn = self._need(self.review, "Autumn course", date(2025, 11, 3), cost=250.0)
        mentoring = self._need(
            self.review_tina, "Mentoring by the SENCo", date(2026, 10, 20), need_type="mentoring"
        )
        dropped = self._need(self.review_tina, "Dropped", date(2026, 10, 21))
        dropped.action_cancel()
        audit_domain = [("in_audit_period", "=", True), ("state", "!=", "cancelled")]
        Need = self.Need.with_user(self.cpd_leader)
        self.assertEqual(Need.search(audit_domain), autumn | mentoring)
        self.assertIn(old, Need.search([("in_audit_period", "=", False)]))

        wizard = Form(self.env["hr.performance.training.audit"].with_user(self.cpd_leader))
        self.assertEqual(wizard.date_from, date(2025, 11, 1))
        self.assertEqual(wizard.date_to, date(2026, 10, 31))
        wizard = wizard.save()
        action = wizard.action_export()
        self.assertEqual(wizard.need_count, 2)
        self.assertIn(
            f"/web/content/hr.performance.training.audit/{wizard.id}/file_data", action["url"]
        )
        self.assertTrue(wizard.file_name.endswith(".xlsx"))
        sheet = load_workbook(io.BytesIO(base64.b64decode(wizard.file_data))).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(
            rows[0][:6],
            ("School", "Member of Staff", "Job Title", "Need", "Type", "Action to Meet the Need"),
        )
        self.assertEqual(len(rows), 3)
        by_need = {row[3]: row for row in rows[1:]}
        self.assertEqual(by_need["Autumn course"][1], "Tom Assistant")
        self.assertEqual(by_need["Autumn course"][0], "Test Primary School")
        self.assertEqual(by_need["Autumn course"][9], 250.0)
        self.assertEqual(by_need["Autumn course"][7].date(), date(2025, 11, 3))
        self.assertEqual(by_need["Mentoring by the SENCo"][4], "Mentoring")
        self.assertEqual(by_need["Mentoring by the SENCo"][11], "Identified")

        wizard.include_cancelled = True
        wizard.action_export()
        self.assertEqual(wizard.need_count, 3)

    @freeze_time("2026-10-25 10:00")
    def test_audit_export_refuses_bad_input(self):
        wizard = (
            self.env["hr.performance.training.audit"]
            .with_user(self.cpd_leader)
            .create({"date_from": date(2026, 10, 31), "date_to": date(2025, 11, 1)})
        )
        with self.assertRefused(UserError, "must end after it starts"):
            wizard.action_export()
        wizard.write({"date_from": date(2025, 11, 1), "date_to": date(2026, 10, 31)})
        with self.assertRefused(UserError, "No training need was identified"):
            wizard.action_export()
        self.assertFalse(wizard.file_data)
