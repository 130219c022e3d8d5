from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import (
    COLLEAGUE,
    GRANTEE,
    HEAD_A,
    HEAD_B,
    HR_B,
    HR_MANAGER,
    HR_TRUST,
    REVIEWEE,
    REVIEWER,
    TODAY,
    HrSchoolPerformanceCase,
)

FORM_SPEC = {
    "final_assessment": {},
    "self_evaluation": {},
    "employee_id": {"fields": {"display_name": {}}},
    "objective_ids": {"fields": {"name": {}, "target_date": {}}},
    "access_log_ids": {"fields": {"user_id": {"fields": {"display_name": {}}}, "access_type": {}}},
    "access_grant_ids": {"fields": {"user_id": {"fields": {"display_name": {}}}, "purpose": {}}},
    "access_overview": {},
}
LIST_SPEC = {"employee_id": {"fields": {"display_name": {}}}, "state": {}, "final_assessment": {}}


@tagged("post_install", "-at_install")
class TestAccessLog(HrSchoolPerformanceCase):
    """Opening, exporting or printing a review by anyone but its reviewee is recorded,
    for HR and the reviewee to see."""

    freeze_today = TODAY
    review_world = True

    def _log(self, role=None, **domain):
        conditions = [("review_id", "=", self.review.id)]
        if role:
            conditions.append(("user_id", "=", self.users[role].id))
        conditions += [(key, "=", value) for key, value in domain.items()]
        return self.env["hr.performance.access.log"].search(conditions)

    def test_opening_the_form_is_logged_once(self):
        self.assertFalse(self._log(REVIEWER))
        values = self.as_role(REVIEWER, self.review).web_read(FORM_SPEC)[0]
        self.assertEqual(values["access_log_ids"], [], "The reviewer does not read the log")
        self.assertEqual(len(values["access_grant_ids"]), 0, "nor the grants")
        entry = self._log(REVIEWER)
        self.assertEqual(len(entry), 1)
        self.assertEqual(
            (entry.access_type, entry.res_model, entry.res_id, entry.employee_id),
            ("open", "hr.performance.review", self.review.id, self.employees[REVIEWEE]),
        )
        # Opened again in the same request (e.g. a second read): still one entry.
        self.as_role(REVIEWER, self.review).web_read(FORM_SPEC)
        self.assertEqual(len(self._log(REVIEWER)), 1)

    def test_what_is_not_an_opening(self):
        # List and kanban views, even with a content column.
        self.as_role(HR_TRUST, self.env["hr.performance.review"]).web_search_read([], LIST_SPEC)
        # Reading only the list columns of a record (e.g. in the employee's form).
        self.as_role(HR_TRUST, self.review).web_read({"state": {}, "outcome_level_id": {}})
        # Saving the form already open.
        self.as_role(REVIEWER, self.review).web_save({"meeting_location": "Library"}, FORM_SPEC)
        # The reviewee's own reads.
        self.as_role(REVIEWEE, self.review).web_read(FORM_SPEC)
        self.as_role(REVIEWEE, self.review).export_data(["final_assessment"])
        self.assertFalse(self._log(HR_TRUST) | self._log(REVIEWER) | self._log(REVIEWEE))

    def test_grantee_objective_and_export(self):
        self.as_role(GRANTEE, self.review).read(["final_assessment"])
        self.assertEqual(self._log(GRANTEE).access_type, "open")
        self.as_role(REVIEWER, self.objective).web_read({"description": {}, "success_criteria": {}})
        entry = self._log(REVIEWER)
        self.assertEqual(
            (entry.res_model, entry.res_id), ("hr.performance.objective", self.objective.id)
        )
        self.assertEqual(entry.record_description, "Performance Objective")
        self.as_role(HR_TRUST, self.review | self.review_done).export_data(
            ["employee_id", "outcome_level_id"]
        )
        exports = self.env["hr.performance.access.log"].search(
            [("user_id", "=", self.users[HR_TRUST].id), ("access_type", "=", "export")]
        )
        self.assertEqual(exports.review_id, self.review | self.review_done)

    def test_api_reads_are_logged(self):
        """A script reading statement content through the API leaves a trace too."""
        Review = self.as_role(HR_TRUST, self.env["hr.performance.review"])
        Review.search_read([("id", "=", self.review.id)], ["final_assessment"])
        self.assertEqual(self._log(HR_TRUST).access_type, "open")
        Review.search_read([], ["state", "employee_id"])
        self.assertFalse(self._log(HR_TRUST).filtered(lambda e: e.review_id == self.review_done))

    def test_print_is_logged(self):
        view = self.env["ir.ui.view"].create(
            {
                "name": "hr_school_performance.test_statement",
                "key": "hr_school_performance.test_statement",
                "type": "qweb",
                "arch": '<t t-name="hr_school_performance.test_statement">'
                '<t t-call="web.html_container"><t t-foreach="docs" t-as="doc">'
                '<p t-out="doc.final_assessment"/></t></t></t>',
            }
        )
        report = self.env["ir.actions.report"].create(
            {
                "name": "Statement",
                "model": "hr.performance.review",
                "report_type": "qweb-pdf",
                "report_name": view.key,
            }
        )
        html, __ = self.as_role(HEAD_A, self.env["ir.actions.report"])._render_qweb_pdf(
            report.report_name, self.review_done.ids
        )
        self.assertIn(b"An excellent year.", html)
        entries = self.env["hr.performance.access.log"].search(
            [("review_id", "=", self.review_done.id), ("access_type", "=", "print")]
        )
        self.assertEqual(len(entries), 1, "One entry, though the PDF renders its HTML first")
        self.assertEqual(entries.user_id, self.users[HEAD_A])
        # Someone who cannot read the review cannot print it.
        with self.assertRaises(AccessError):
            self.as_role(COLLEAGUE, self.env["ir.actions.report"])._render_qweb_pdf(
                report.report_name, self.review_done.ids
            )
        with self.assertRaises(AccessError):
            self.as_role(HEAD_B, self.env["ir.actions.report"])._render_qweb_html(
                report.report_name, self.review_done.ids
            )

    def test_log_is_for_hr_and_the_reviewee(self):
        entry = self.access_log
        self.assertEqual(entry.user_id, self.users[HEAD_A])
        self.assertEqual(self.as_role(REVIEWEE, self.review).access_log_ids, entry)
        self.assertEqual(
            self.as_role(HR_TRUST, self.env["hr.performance.access.log"]).search([]), entry
        )
        for role in (REVIEWER, GRANTEE, HEAD_A, HEAD_B, HR_B, COLLEAGUE):
            with self.subTest(role=role):
                self.assertFalse(
                    self.as_role(role, self.env["hr.performance.access.log"]).search([])
                )
                with self.assertRaises(AccessError):
                    self.as_role(role, entry).read(["user_id"])
        self.assertFalse(self.as_role(REVIEWER, self.review).can_view_access_log)
        self.assertTrue(self.as_role(HR_TRUST, self.review).can_view_access_log)
        for role in (HR_MANAGER, REVIEWEE):
            with self.subTest(role=role):
                with self.assertRaises(AccessError):
                    self.as_role(role, entry).write({"access_type": "export"})
                with self.assertRaises(AccessError):
                    self.as_role(role, entry).unlink()
