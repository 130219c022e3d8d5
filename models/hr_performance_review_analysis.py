from odoo import fields, models
from odoo.tools import SQL

from .hr_performance_moderation import MODES
from .hr_performance_review import STATES


class HrPerformanceReviewAnalysis(models.Model):
    """The dashboards' figures per review, as pivot, graph and kanban: completion (on time,
    late, still open past the period end), the deadlines missed and met late, observation
    hours against the reviewee's cap, and where the moderation of the statement stands.

    One row per review, read by the headteacher and HR only (access rights), in their own
    schools (multi-company rule), never a headteacher's own review unless they may read it
    (the rule of ``hr.performance.review``'s headteacher reviews, repeated here). Every
    figure is computed by the database in one query; what depends on today (deadlines
    missed, reviews overdue) is measured on the user's today, so the view is never stale."""

    _name = "hr.performance.review.analysis"
    _description = "Performance Review Analysis"
    _auto = False
    _order = "date_start desc, id"
    _rec_name = "review_id"
    _depends = {
        "hr.performance.review": [
            "company_id",
            "cycle_id",
            "job_group_id",
            "employee_id",
            "reviewer_id",
            "state",
            "date_start",
            "date_end",
            "date_completed",
            "is_headteacher_review",
            "moderation_mode",
            "moderation_state",
            "moderation_selected",
            "outcome_final",
        ],
        "hr.performance.cycle": ["state"],
        "hr.performance.job.group": ["observation_cap_hours"],
        "hr.performance.deadline": [
            "review_id",
            "date_due",
            "date_done",
            "waived",
            "closed_with_review",
        ],
        "hr.performance.observation": ["review_id", "state", "duration_hours"],
        "hr.employee": ["current_version_id"],
        "hr.version": ["resource_calendar_id"],
        "resource.calendar": ["hours_per_week", "full_time_required_hours", "flexible_hours"],
    }

    review_id = fields.Many2one("hr.performance.review", readonly=True)
    company_id = fields.Many2one("res.company", string="School", readonly=True)
    cycle_id = fields.Many2one("hr.performance.cycle", readonly=True)
    cycle_state = fields.Selection(
        selection="_selection_cycle_state", string="Cycle Status", readonly=True
    )
    job_group_id = fields.Many2one("hr.performance.job.group", readonly=True)
    employee_id = fields.Many2one(
        "hr.employee",
        string="Reviewee",
        readonly=True,
        groups="hr_school_performance.hr_school_performance_group_headteacher",
    )
    reviewer_id = fields.Many2one(
        "hr.employee",
        readonly=True,
        groups="hr_school_performance.hr_school_performance_group_headteacher",
    )
    state = fields.Selection(STATES, string="Review Status", readonly=True)
    date_start = fields.Date(string="Review Period Start", readonly=True)
    date_end = fields.Date(string="Review Period End", readonly=True)
    date_completed = fields.Date(readonly=True)
    is_headteacher_review = fields.Boolean(string="Headteacher's Review", readonly=True)
    # Completion
    review_count = fields.Integer(string="Reviews", readonly=True, aggregator="sum")
    completed_count = fields.Integer(string="Completed", readonly=True, aggregator="sum")
    on_time_count = fields.Integer(string="Completed on Time", readonly=True, aggregator="sum")
    late_count = fields.Integer(string="Completed Late", readonly=True, aggregator="sum")
    open_count = fields.Integer(string="Not Completed", readonly=True, aggregator="sum")
    overdue_count = fields.Integer(
        string="Open after the Period End",
        readonly=True,
        aggregator="sum",
        help="Reviews neither completed nor cancelled whose review period has ended.",
    )
    completion_rate = fields.Float(
        string="Completed (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the reviews (cancelled ones left out) that are completed.",
    )
    deadline_missed_count = fields.Integer(
        string="Deadlines Missed",
        readonly=True,
        aggregator="sum",
        help="Deadlines past their due date, not met, waived or closed with the review.",
    )
    deadline_late_count = fields.Integer(
        string="Deadlines Met Late", readonly=True, aggregator="sum"
    )
    has_missed_deadline = fields.Boolean(string="Has a Missed Deadline", readonly=True)
    # Observation hours against the cap
    observation_count = fields.Integer(string="Observations", readonly=True, aggregator="sum")
    observation_hours = fields.Float(
        string="Observation Arranged (hours)",
        readonly=True,
        aggregator="sum",
        help="Hours of the observations that are not cancelled: what counts against the cap.",
    )
    observation_done_hours = fields.Float(
        string="Observed (hours)", readonly=True, aggregator="sum"
    )
    observation_cap_hours = fields.Float(
        string="Observation Cap (hours)",
        readonly=True,
        aggregator="sum",
        help="The job group's cap per cycle, pro rata to the reviewee's working time.",
    )
    observation_remaining_hours = fields.Float(
        string="Observation Left (hours)", readonly=True, aggregator="sum"
    )
    observation_usage = fields.Float(
        string="Observation Cap Used (%)", readonly=True, aggregator="avg"
    )
    observation_over_cap = fields.Boolean(string="Over the Observation Cap", readonly=True)
    # Moderation
    moderation_mode = fields.Selection(MODES, readonly=True)
    moderation_state = fields.Selection(
        selection="_selection_moderation_state", string="Moderation", readonly=True
    )
    moderation_selected = fields.Boolean(string="To Be Moderated", readonly=True)
    outcome_final = fields.Boolean(string="Final Outcome", readonly=True)
    moderation_todo_count = fields.Integer(
        string="Still to Moderate",
        readonly=True,
        aggregator="sum",
        help="Statements to be moderated and not yet confirmed: awaiting the signed "
        "statement, to moderate, or revision instructed.",
    )
    moderation_confirmed_count = fields.Integer(string="Confirmed", readonly=True, aggregator="sum")
    moderation_progress = fields.Float(
        string="Moderation Done (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the statements to be moderated that are confirmed.",
    )

    def _selection_cycle_state(self):
        return self.env["hr.performance.cycle"]._fields["state"]._description_selection(self.env)

    def _selection_moderation_state(self):
        review_field = self.env["hr.performance.review"]._fields["moderation_state"]
        return review_field._description_selection(self.env)

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        return SQL(
            """
            SELECT review.id AS id,
                   review.id AS review_id,
                   review.company_id AS company_id,
                   review.cycle_id AS cycle_id,
                   cycle.state AS cycle_state,
                   review.job_group_id AS job_group_id,
                   review.employee_id AS employee_id,
                   review.reviewer_id AS reviewer_id,
                   review.state AS state,
                   review.date_start AS date_start,
                   review.date_end AS date_end,
                   review.date_completed AS date_completed,
                   COALESCE(review.is_headteacher_review, FALSE) AS is_headteacher_review,
                   1 AS review_count,
                   (review.state = 'completed')::int AS completed_count,
                   (review.state = 'completed'
                    AND review.date_completed <= review.date_end)::int AS on_time_count,
                   (review.state = 'completed'
                    AND (review.date_completed IS NULL
                         OR review.date_completed > review.date_end))::int AS late_count,
                   (review.state NOT IN ('completed', 'cancelled'))::int AS open_count,
                   (review.state NOT IN ('completed', 'cancelled')
                    AND review.date_end < %(today)s)::int AS overdue_count,
                   CASE WHEN review.state = 'cancelled' THEN NULL
                        WHEN review.state = 'completed' THEN 100.0
                        ELSE 0.0 END AS completion_rate,
                   COALESCE(deadline.missed, 0)::int AS deadline_missed_count,
                   COALESCE(deadline.late, 0)::int AS deadline_late_count,
                   COALESCE(deadline.missed, 0) > 0 AS has_missed_deadline,
                   COALESCE(observation.arranged_count, 0)::int AS observation_count,
                   COALESCE(observation.arranged, 0.0) AS observation_hours,
                   COALESCE(observation.done, 0.0) AS observation_done_hours,
                   cap.hours AS observation_cap_hours,
                   cap.hours - COALESCE(observation.arranged, 0.0) AS observation_remaining_hours,
                   CASE WHEN cap.hours > 0
                        THEN COALESCE(observation.arranged, 0.0) * 100.0 / cap.hours
                   END AS observation_usage,
                   COALESCE(observation.arranged, 0.0) > cap.hours + 0.000001
                       AS observation_over_cap,
                   review.moderation_mode AS moderation_mode,
                   review.moderation_state AS moderation_state,
                   COALESCE(review.moderation_selected, FALSE) AS moderation_selected,
                   COALESCE(review.outcome_final, FALSE) AS outcome_final,
                   (review.moderation_selected IS TRUE
                    AND review.moderation_state IS DISTINCT FROM 'confirmed')::int
                       AS moderation_todo_count,
                   (review.moderation_selected IS TRUE
                    AND review.moderation_state = 'confirmed')::int
                       AS moderation_confirmed_count,
                   CASE WHEN review.moderation_selected IS NOT TRUE THEN NULL
                        WHEN review.moderation_state = 'confirmed' THEN 100.0
                        ELSE 0.0 END AS moderation_progress
              FROM hr_performance_review review
              JOIN hr_performance_cycle cycle ON cycle.id = review.cycle_id
              LEFT JOIN hr_performance_job_group job_group
                     ON job_group.id = review.job_group_id
              LEFT JOIN hr_employee employee ON employee.id = review.employee_id
              LEFT JOIN hr_version version ON version.id = employee.current_version_id
              LEFT JOIN resource_calendar calendar
                     ON calendar.id = version.resource_calendar_id
              LEFT JOIN (
                    SELECT review_id,
                           COUNT(*) FILTER (
                               WHERE waived IS NOT TRUE
                                 AND date_done IS NULL
                                 AND closed_with_review IS NOT TRUE
                                 AND date_due < %(today)s
                           ) AS missed,
                           COUNT(*) FILTER (
                               WHERE waived IS NOT TRUE AND date_done > date_due
                           ) AS late
                      FROM hr_performance_deadline
                     WHERE review_id IS NOT NULL
                  GROUP BY review_id
                   ) deadline ON deadline.review_id = review.id
              LEFT JOIN (
                    SELECT review_id,
                           COUNT(*) FILTER (WHERE state != 'cancelled') AS arranged_count,
                           SUM(duration_hours) FILTER (WHERE state != 'cancelled') AS arranged,
                           SUM(duration_hours) FILTER (
                               WHERE state IN ('observed', 'shared')
                           ) AS done
                      FROM hr_performance_observation
                  GROUP BY review_id
                   ) observation ON observation.review_id = review.id
              -- The reviewee's cap, as hr.performance.review._observation_cap computes it:
              -- the job group's hours, pro rata to the working schedule (capped at full
              -- time), in full for a flexible or missing schedule.
             CROSS JOIN LATERAL (
                    SELECT ROUND((COALESCE(job_group.observation_cap_hours, 0.0) * CASE
                               WHEN calendar.id IS NULL
                                 OR calendar.flexible_hours IS TRUE
                                 OR COALESCE(calendar.full_time_required_hours, 0.0) <= 0
                                 OR COALESCE(calendar.hours_per_week, 0.0) <= 0
                               THEN 1.0
                               ELSE LEAST(calendar.hours_per_week
                                          / calendar.full_time_required_hours, 1.0)
                           END)::numeric, 2)::float8 AS hours
                   ) cap
            """,
            today=today,
        )
