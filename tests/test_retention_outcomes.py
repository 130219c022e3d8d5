from datetime import date

from odoo.tests import tagged

from .test_retention import RetentionCase
from .test_statement import SIGNATURE


@tagged("post_install", "-at_install")
class TestRetentionOfOutcomes(RetentionCase):
    """The statement, its signatures and the appeal against it follow their review's disposal
    date: the signed statement is deleted (it cannot be anonymised without breaking its hash
    chain), the appeal keeps its route and outcome and loses its words."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        review = cls.review_done
        cls.statement = cls.env["hr.performance.statement"].create(
            {"review_id": review.id, **review._prepare_statement_snapshot()}
        )
        cls.signature = cls.env["hr.performance.signature"]._create_signature(
            {
                "review_id": review.id,
                "document_kind": "midyear",
                "signer_role": "reviewer",
                "signer_user_id": cls.users["reviewer"].id,
                "signed_name": "Maria Manager",
                "signature": SIGNATURE,
                "route": "backoffice",
            },
            {},
        )
        # Signed two days ago: the appeal is inside its window.
        review.sudo().date_statement_signed = date(2026, 1, 12)
        cls.appeal = cls.env["hr.performance.appeal"].create(
            {
                "review_id": review.id,
                "entries_appealed": "Objective 1 for Tom Baker",
                "grounds": "Tom Baker's phonics results",
            }
        )

    def test_inside_the_period_nothing_is_touched(self):
        self._dispose_on("2026-01-14")
        self.assertTrue(self.statement.exists())
        self.assertTrue(self.signature.exists())
        self.assertFalse(self.appeal.retention_anonymised)

    def test_statement_and_signatures_deleted_appeal_anonymised(self):
        route = self.appeal.route
        self._dispose_on("2031-08-31")
        self.env.invalidate_all()
        self.assertFalse(self.statement.exists())
        self.assertFalse(self.signature.exists())
        self.assertTrue(self.appeal.retention_anonymised)
        self.assertEqual(self.appeal.grounds, "—")
        self.assertEqual(self.appeal.entries_appealed, "—")
        self.assertEqual(self.appeal.route, route)
        logged = self.Log.search(
            [("res_model", "in", ("hr.performance.statement", "hr.performance.signature"))]
        )
        self.assertEqual(
            {(log.res_model, log.res_id, log.method) for log in logged},
            {
                ("hr.performance.statement", self.statement.id, "deleted"),
                ("hr.performance.signature", self.signature.id, "deleted"),
            },
        )
        self.assertNotIn("Tom Baker", " ".join(self.Log.search([]).mapped("rule")))

    def test_legal_hold_keeps_the_statement(self):
        self.Hold.create(
            {
                "name": "Tribunal claim",
                "reason_kind": "tribunal",
                "company_id": self.school.id,
                "review_ids": [(6, 0, self.review_done.ids)],
            }
        )
        self._dispose_on("2031-08-31")
        self.assertTrue(self.statement.exists())
        self.assertTrue(self.signature.exists())
        self.assertFalse(self.appeal.retention_anonymised)
