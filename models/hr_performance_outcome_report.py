from odoo import fields, models
from odoo.tools import SQL


class HrPerformanceOutcomeReport(models.Model):
    """Consistency of treatment (seed 003, section 5): the distribution of the overall
    assessments of completed reviews by school, job group and reviewer, as pivot and graph.
    The reviewer is shown only to the headteacher and HR (``groups``); governors see the
    distribution without names."""

    _name = "hr.performance.outcome.report"
    _description = "Outcome Distribution"
    _auto = False
    _order = "cycle_id desc"
    _rec_name = "outcome_level_id"
    _depends = {
        "hr.performance.review": [
            "company_id",
            "cycle_id",
            "job_group_id",
            "reviewer_id",
            "outcome_level_id",
            "pay_progression_eligible",
            "outcome_final",
            "state",
        ],
    }

    # For the record rule on a headteacher's review; never shown to governors, who see the
    # distribution without names.
    review_id = fields.Many2one(
        "hr.performance.review",
        readonly=True,
        groups="hr_school_performance.hr_school_performance_group_headteacher",
    )
    company_id = fields.Many2one("res.company", string="School", readonly=True)
    cycle_id = fields.Many2one("hr.performance.cycle", readonly=True)
    job_group_id = fields.Many2one("hr.performance.job.group", readonly=True)
    reviewer_id = fields.Many2one(
        "hr.employee",
        readonly=True,
        groups="hr_school_performance.hr_school_performance_group_headteacher",
    )
    outcome_level_id = fields.Many2one(
        "hr.performance.scale.level", string="Overall Assessment", readonly=True
    )
    pay_progression_eligible = fields.Boolean(string="Eligible", readonly=True)
    outcome_final = fields.Boolean(string="Final", readonly=True)
    review_count = fields.Integer(string="Reviews", readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT review.id AS id,
                   review.id AS review_id,
                   review.company_id AS company_id,
                   review.cycle_id AS cycle_id,
                   review.job_group_id AS job_group_id,
                   review.reviewer_id AS reviewer_id,
                   review.outcome_level_id AS outcome_level_id,
                   review.pay_progression_eligible AS pay_progression_eligible,
                   review.outcome_final AS outcome_final,
                   1 AS review_count
              FROM hr_performance_review review
             WHERE review.state = 'completed'
            """
        )
