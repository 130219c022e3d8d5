from odoo import fields, models
from odoo.tools import SQL


class HrPerformancePayEligibility(models.Model):
    """What payroll and the pay committee may know of a completed review: the overall
    assessment, whether it makes the member of staff eligible for pay progression, and the
    pay recommendation. A read-only view, so that these roles never get access to the review
    itself (no field-level holes in the review's own access rules)."""

    _name = "hr.performance.pay.eligibility"
    _description = "Pay Progression Eligibility"
    _auto = False
    _order = "date_completed desc, employee_id"
    _rec_name = "employee_id"
    _depends = {
        "hr.performance.review": [
            "employee_id",
            "company_id",
            "cycle_id",
            "job_group_id",
            "date_start",
            "date_end",
            "date_completed",
            "outcome_level_id",
            "pay_progression_eligible",
            "pay_criteria_met",
            "current_pay_level",
            "recommended_pay_level",
            "state",
        ],
    }

    employee_id = fields.Many2one("hr.employee", string="Member of Staff", readonly=True)
    company_id = fields.Many2one("res.company", string="School", readonly=True)
    cycle_id = fields.Many2one("hr.performance.cycle", readonly=True)
    job_group_id = fields.Many2one("hr.performance.job.group", readonly=True)
    date_start = fields.Date(string="Review Period Start", readonly=True)
    date_end = fields.Date(string="Review Period End", readonly=True)
    date_completed = fields.Date(string="Completed On", readonly=True)
    outcome_level_id = fields.Many2one(
        "hr.performance.scale.level", string="Overall Assessment", readonly=True
    )
    pay_progression_eligible = fields.Boolean(string="Eligible for Pay Progression", readonly=True)
    pay_criteria_met = fields.Selection(
        [("met", "Criteria met"), ("not_met", "Criteria not met")],
        string="Pay Recommendation",
        readonly=True,
    )
    current_pay_level = fields.Char(readonly=True)
    recommended_pay_level = fields.Char(readonly=True)

    @property
    def _table_query(self):
        # Only completed reviews: the outcome is final once the review is completed.
        return SQL(
            """
            SELECT review.id AS id,
                   review.employee_id AS employee_id,
                   review.company_id AS company_id,
                   review.cycle_id AS cycle_id,
                   review.job_group_id AS job_group_id,
                   review.date_start AS date_start,
                   review.date_end AS date_end,
                   review.date_completed AS date_completed,
                   review.outcome_level_id AS outcome_level_id,
                   review.pay_progression_eligible AS pay_progression_eligible,
                   review.pay_criteria_met AS pay_criteria_met,
                   review.current_pay_level AS current_pay_level,
                   review.recommended_pay_level AS recommended_pay_level
              FROM hr_performance_review review
             WHERE review.state = 'completed'
            """
        )
