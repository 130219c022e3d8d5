from odoo import fields, models
from odoo.tools import SQL

from .hr_performance_pay_decision import AWARDED


class HrPerformancePayEligibility(models.Model):
    """What payroll and the pay committee may know of a completed review: the overall
    assessment, whether it makes the member of staff eligible for pay progression, and the
    pay recommendation. A read-only view, so that these roles never get access to the review
    itself (no field-level holes in the review's own access rules)."""

    _name = "hr.performance.pay.eligibility"
    _description = "Pay Progression Eligibility"
    _auto = False
    # The newest outcomes first: an index of the review serves it (issue 14; ordering by
    # the employee's name joined every employee).
    _order = "date_completed desc, id desc"
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
            "outcome_final",
            "current_pay_point_id",
            "recommended_pay_point_id",
        ],
        "hr.performance.pay.decision": [
            "review_id",
            "awarded",
            "new_point_id",
            "date_decision",
            "date_effective",
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
    # The free-text levels recorded before pay scales were configured.
    current_pay_level = fields.Char(readonly=True)
    recommended_pay_level = fields.Char(readonly=True)
    current_pay_point_id = fields.Many2one(
        "hr.performance.pay.point", string="Current Point", readonly=True
    )
    recommended_pay_point_id = fields.Many2one(
        "hr.performance.pay.point", string="Recommended Point", readonly=True
    )
    awarded = fields.Selection(
        AWARDED,
        string="Decision",
        readonly=True,
    )
    new_point_id = fields.Many2one("hr.performance.pay.point", readonly=True)
    date_decision = fields.Date(string="Decided On", readonly=True)
    date_effective = fields.Date(string="Effective From", readonly=True)
    decision_outstanding = fields.Boolean(
        readonly=True, help="Pay progression applies and no decision is recorded yet."
    )

    def action_record_decision(self):
        """Open a new pay decision on this final outcome (the row's id is its review's)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pay Decision: %(employee)s", employee=self.employee_id.name),
            "res_model": "hr.performance.pay.decision",
            "view_mode": "form",
            "target": "current",
            "context": {"default_review_id": self.id},
        }

    def _compute_display_name(self):
        awarded = dict(self._fields["awarded"]._description_selection(self.env))
        for row in self:
            name = self.env._(
                "%(cycle)s: %(outcome)s",
                cycle=row.cycle_id.display_name or "",
                outcome=row.outcome_level_id.display_name or "",
            )
            if row.awarded:
                name = self.env._(
                    "%(name)s – %(decision)s from %(date)s",
                    name=name,
                    decision=awarded[row.awarded],
                    date=row.date_effective,
                )
            row.display_name = name

    @property
    def _table_query(self):
        # Only final outcomes (completed and moderated, see outcome_final), with their
        # decision.
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
                   review.recommended_pay_level AS recommended_pay_level,
                   review.current_pay_point_id AS current_pay_point_id,
                   review.recommended_pay_point_id AS recommended_pay_point_id,
                   decision.awarded AS awarded,
                   decision.new_point_id AS new_point_id,
                   decision.date_decision AS date_decision,
                   decision.date_effective AS date_effective,
                   (decision.id IS NULL AND COALESCE(job_group.pay_progression, FALSE))
                       AS decision_outstanding
              FROM hr_performance_review review
         LEFT JOIN hr_performance_pay_decision decision ON decision.review_id = review.id
         LEFT JOIN hr_performance_job_group job_group ON job_group.id = review.job_group_id
             WHERE review.outcome_final
            """
        )
