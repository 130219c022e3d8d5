import json
from datetime import date, datetime, timedelta

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import GOVERNOR, HEAD_A, HR_TRUST, PAYROLL, REVIEWEE, REVIEWER
from .test_pay_decision import PayCase

# The columns of version 1 of the payroll interface: nothing else.
COLUMNS = {
    "id",
    "interface_version",
    "employee_id",
    "company_id",
    "cycle_id",
    "outcome_level_id",
    "pay_progression_eligible",
    "recommended_point_id",
    "awarded",
    "decided_point_id",
    "date_decision",
    "date_effective",
}


@tagged("post_install", "-at_install")
class TestPayrollInterface(PayCase, HttpCase):
    """The payroll role reads the final outcomes and decisions, over the ORM, the JSON-2
    API with its API key and the list's export, and nothing of the reviews."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.payroll = cls.users[PAYROLL]
        cls._final(cls.review)
        cls._final(cls.review_tina)
        cls._decide(
            cls.review,
            date_decision=date(2026, 10, 1),
            date_effective=date(2026, 10, 1),
        )
        cls.env.flush_all()

    def test_payroll_reads_the_interface_and_only_it(self):
        Outcome = self.env["hr.performance.payroll.outcome"]
        rows = Outcome.with_user(self.payroll).search_read([], order="employee_id")
        self.assertEqual({row["employee_id"][0] for row in rows}, {self.ta_1.id, self.ta_2.id})
        # Version 1 has these columns and nothing else.
        self.assertEqual(set(Outcome._fields), COLUMNS | {"display_name"})
        self.assertTrue(all(set(row) <= COLUMNS | {"display_name"} for row in rows))
        tom = next(row for row in rows if row["employee_id"][0] == self.ta_1.id)
        self.assertEqual(tom["interface_version"], 1)
        self.assertEqual(tom["decided_point_id"][0], self.point_8.id)
        self.assertEqual(tom["recommended_point_id"][0], self.point_8.id)
        self.assertEqual(tom["date_effective"], date(2026, 10, 1))
        for role in (HEAD_A, HR_TRUST, GOVERNOR, REVIEWER, REVIEWEE):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.as_role(role, Outcome).search_read([])
        for model in (
            "hr.performance.review",
            "hr.performance.objective",
            "hr.performance.pay.decision",
        ):
            with self.subTest(model=model):
                self.assertFalse(self.as_role(PAYROLL, self.env[model]).search([]))

    def _json2(self, model, method, payload, key):
        return self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json", "Authorization": f"bearer {key}"},
        )

    @mute_logger("odoo.http")
    def test_payroll_over_json2_with_an_api_key(self):
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.payroll)
            ._generate("rpc", "Payroll export", datetime.now() + timedelta(days=1))
        )
        response = self._json2(
            "hr.performance.payroll.outcome",
            "search_read",
            {
                "domain": [["date_effective", ">=", "2026-10-01"]],
                "fields": sorted(COLUMNS - {"id"}),
            },
            key,
        )
        self.assertEqual(response.status_code, 200, response.text)
        rows = response.json()
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["employee_id"], [self.ta_1.id, self.ta_1.name])
        self.assertEqual(rows[0]["decided_point_id"][0], self.point_8.id)
        self.assertEqual(rows[0]["date_effective"], "2026-10-01")
        self.assertEqual(set(rows[0]), COLUMNS)
        # Nothing of the reviews, objectives or decisions: none readable.
        for model in (
            "hr.performance.review",
            "hr.performance.objective",
            "hr.performance.pay.decision",
        ):
            with self.subTest(model=model):
                response = self._json2(model, "search_read", {"fields": ["display_name"]}, key)
                self.assertEqual(response.json(), [])
        # Without a valid key: nothing.
        response = self._json2("hr.performance.payroll.outcome", "search_read", {}, "wrong")
        self.assertEqual(response.status_code, 401)

    @mute_logger("odoo.http")
    def test_payroll_exports_the_list(self):
        self._login(PAYROLL)
        fields = [
            {"name": "employee_id", "label": "Member of Staff"},
            {"name": "decided_point_id", "label": "Decided Point"},
            {"name": "date_effective", "label": "Effective From"},
        ]
        for fmt, marker in (("csv", b"Member of Staff"), ("xlsx", b"PK")):
            with self.subTest(fmt=fmt):
                response = self.url_open(
                    f"/web/export/{fmt}",
                    data={
                        "data": json.dumps(
                            {
                                "model": "hr.performance.payroll.outcome",
                                "fields": fields,
                                "ids": False,
                                "domain": [],
                                "import_compat": False,
                            }
                        ),
                        "csrf_token": http.Request.csrf_token(self),
                    },
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn(marker, response.content[:200])
                if fmt == "csv":
                    text = response.content.decode()
                    self.assertIn("Tom Assistant", text)
                    self.assertIn("Grade 4, point 8", text)
