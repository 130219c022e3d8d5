from odoo import fields, models
from odoo.tools import SQL

from .hr_performance_pay_decision import AWARDED

# Bump when a column is added, renamed or removed: integrations check it (see README,
# "Payroll interface").
INTERFACE_VERSION = 1


class HrPerformancePayrollOutcome(models.Model):
    """The payroll interface, version 1: per member of staff and cycle, the final outcome
    level, eligibility for pay progression, the recommended and the decided point and the
    decision and effective dates — nothing else. Read-only, for the payroll role only,
    over the web client (export) or JSON-2 (``/json/2/hr.performance.payroll.outcome/
    search_read``)."""

    _name = "hr.performance.payroll.outcome"
    _description = "Payroll Interface: Pay Progression Outcomes (v1)"
    _auto = False
    # Newest decisions first, then the newest reviews: an index of the review serves it
    # (issue 14; ordering by the employee's name joined every employee).
    _order = "date_effective desc, id desc"
    _rec_name = "employee_id"
    _depends = {
        "hr.performance.review": [
            "employee_id",
            "company_id",
            "cycle_id",
            "outcome_level_id",
            "pay_progression_eligible",
            "recommended_pay_point_id",
            "outcome_final",
            "date_pay_effective",
        ],
        "hr.performance.pay.decision": [
            "review_id",
            "awarded",
            "point_after_id",
            "date_decision",
            "date_effective",
        ],
    }

    interface_version = fields.Integer(readonly=True)
    employee_id = fields.Many2one("hr.employee", string="Member of Staff", readonly=True)
    company_id = fields.Many2one("res.company", string="School", readonly=True)
    cycle_id = fields.Many2one("hr.performance.cycle", readonly=True)
    outcome_level_id = fields.Many2one(
        "hr.performance.scale.level", string="Final Outcome", readonly=True
    )
    pay_progression_eligible = fields.Boolean(string="Eligible", readonly=True)
    recommended_point_id = fields.Many2one("hr.performance.pay.point", readonly=True)
    awarded = fields.Selection(
        AWARDED,
        string="Decision",
        readonly=True,
    )
    decided_point_id = fields.Many2one("hr.performance.pay.point", readonly=True)
    date_decision = fields.Date(string="Decided On", readonly=True)
    date_effective = fields.Date(string="Effective From", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT review.id AS id,
                   %s AS interface_version,
                   review.employee_id AS employee_id,
                   review.company_id AS company_id,
                   review.cycle_id AS cycle_id,
                   review.outcome_level_id AS outcome_level_id,
                   review.pay_progression_eligible AS pay_progression_eligible,
                   review.recommended_pay_point_id AS recommended_point_id,
                   decision.awarded AS awarded,
                   decision.point_after_id AS decided_point_id,
                   decision.date_decision AS date_decision,
                   review.date_pay_effective AS date_effective
              FROM hr_performance_review review
         LEFT JOIN hr_performance_pay_decision decision ON decision.review_id = review.id
             WHERE review.outcome_final
            """,
            INTERFACE_VERSION,
        )
