from odoo import fields, models
from odoo.tools import SQL


class HrPerformanceReviewerWorkload(models.Model):
    """Each reviewer's reviewees per cycle, against the school's maximum per reviewer
    (``res.company.performance_reviewee_cap``), as pivot, graph and kanban.

    One row per school, cycle and reviewer. The load compared with the cap is counted as
    the launch counts it (``hr.performance.review._reviewers_over_cap``): the reviewer's
    reviews that are not cancelled in all the school's cycles that are not closed (for a
    closed cycle, that cycle's own). A headteacher's review, conducted by the governors'
    panel, is left out: who sits on it is not the school's business. Read by the
    headteacher and HR only, in their own schools."""

    _name = "hr.performance.reviewer.workload"
    _description = "Reviewer Workload"
    _auto = False
    _order = "date_start desc, over_cap desc, school_load desc, id"
    _rec_name = "reviewer_id"
    _depends = {
        # ... and, transitively, what the analysis reads.
        "hr.performance.review.analysis": [
            "company_id",
            "cycle_id",
            "reviewer_id",
            "state",
            "is_headteacher_review",
            "completed_count",
            "open_count",
            "deadline_missed_count",
        ],
        "hr.performance.cycle": ["state", "job_group_id", "date_start"],
        "res.company": ["performance_reviewee_cap"],
    }

    company_id = fields.Many2one("res.company", string="School", readonly=True)
    cycle_id = fields.Many2one("hr.performance.cycle", readonly=True)
    cycle_state = fields.Selection(
        selection="_selection_cycle_state", string="Cycle Status", readonly=True
    )
    job_group_id = fields.Many2one("hr.performance.job.group", readonly=True)
    date_start = fields.Date(string="Cycle Start", readonly=True)
    reviewer_id = fields.Many2one(
        "hr.employee",
        readonly=True,
        groups="hr_school_performance.hr_school_performance_group_headteacher",
    )
    reviewee_count = fields.Integer(
        string="Reviewees in the Cycle", readonly=True, aggregator="sum"
    )
    completed_count = fields.Integer(string="Completed", readonly=True, aggregator="sum")
    open_count = fields.Integer(string="Not Completed", readonly=True, aggregator="sum")
    deadline_missed_count = fields.Integer(
        string="Deadlines Missed", readonly=True, aggregator="sum"
    )
    school_load = fields.Integer(
        string="Reviewees at the School",
        readonly=True,
        aggregator="max",
        help="The reviewer's reviewees in all the school's cycles that are not closed (for "
        "a closed cycle, in that cycle): what the school's maximum applies to.",
    )
    reviewee_cap = fields.Integer(
        string="Maximum per Reviewer",
        readonly=True,
        aggregator="max",
        help="The school's maximum number of reviewees per reviewer (0: no maximum).",
    )
    over_by = fields.Integer(
        string="Over the Maximum by",
        readonly=True,
        aggregator="max",
    )
    load_percent = fields.Float(string="Load (% of the Maximum)", readonly=True, aggregator="max")
    over_cap = fields.Boolean(string="Over the Maximum", readonly=True)

    def _selection_cycle_state(self):
        return self.env["hr.performance.cycle"]._fields["state"]._description_selection(self.env)

    @property
    def _table_query(self):
        # Built on the review analysis, so that both dashboards count the same reviews and
        # the same missed deadlines.
        analysis = self.env["hr.performance.review.analysis"]._table_query
        return SQL(
            """
            WITH per_cycle AS (
                SELECT MIN(analysis.id) AS id,
                       analysis.company_id AS company_id,
                       analysis.cycle_id AS cycle_id,
                       analysis.reviewer_id AS reviewer_id,
                       COUNT(*) AS reviewee_count,
                       SUM(analysis.completed_count)::int AS completed_count,
                       SUM(analysis.open_count)::int AS open_count,
                       SUM(analysis.deadline_missed_count)::int AS deadline_missed_count
                  FROM (%(analysis)s) analysis
                 WHERE analysis.reviewer_id IS NOT NULL
                   AND analysis.state != 'cancelled'
                   AND NOT analysis.is_headteacher_review
              GROUP BY analysis.company_id, analysis.cycle_id, analysis.reviewer_id
            ), loads AS (
                SELECT per_cycle.*,
                       cycle.job_group_id AS job_group_id,
                       cycle.state AS cycle_state,
                       cycle.date_start AS date_start,
                       COALESCE(company.performance_reviewee_cap, 0) AS reviewee_cap,
                       (CASE WHEN cycle.state = 'closed' THEN per_cycle.reviewee_count
                            ELSE SUM(per_cycle.reviewee_count) FILTER (
                                     WHERE cycle.state != 'closed'
                                 ) OVER (PARTITION BY per_cycle.company_id,
                                                      per_cycle.reviewer_id)
                       END)::int AS school_load
                  FROM per_cycle
                  JOIN hr_performance_cycle cycle ON cycle.id = per_cycle.cycle_id
                  JOIN res_company company ON company.id = per_cycle.company_id
            )
            SELECT loads.*,
                   loads.reviewee_cap > 0 AND loads.school_load > loads.reviewee_cap AS over_cap,
                   CASE WHEN loads.reviewee_cap > 0
                        THEN GREATEST(loads.school_load - loads.reviewee_cap, 0)
                        ELSE 0 END AS over_by,
                   CASE WHEN loads.reviewee_cap > 0
                        THEN loads.school_load * 100.0 / loads.reviewee_cap
                        ELSE 0.0 END AS load_percent
              FROM loads
            """,
            analysis=analysis,
        )
