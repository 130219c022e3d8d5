from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# The decision, as the pay-progression list and the payroll interface show it.
AWARDED = [("awarded", "Progression awarded"), ("not_awarded", "Progression not awarded")]


class HrPerformancePayDecision(models.Model):
    """The pay decision on a final outcome: taken by the headteacher or a governor / pay
    committee member (seed 004, 3.1 and 4.1-4.2). It carries the outcome and the
    recommendation it decides on, never the review's content, so that deciders and payroll
    need no access to the review."""

    _name = "hr.performance.pay.decision"
    _description = "Pay Decision"
    # Its chatter follows who may read the decision (hr.performance.guarded.mixin).
    _inherit = ["hr.performance.guarded.mixin", "mail.thread"]
    _order = "date_decision desc, id desc"
    _rec_name = "employee_id"
    _check_company_auto = True

    review_id = fields.Many2one(
        "hr.performance.review",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('outcome_final', '=', True)]",
    )
    # What the decision is about, copied from the review (related fields are computed as
    # the superuser): deciders do not read the review itself.
    employee_id = fields.Many2one(related="review_id.employee_id", store=True, index=True)
    company_id = fields.Many2one(
        related="review_id.company_id", store=True, index=True, string="School"
    )
    cycle_id = fields.Many2one(related="review_id.cycle_id", store=True)
    job_group_id = fields.Many2one(related="review_id.job_group_id", store=True)
    outcome_level_id = fields.Many2one(
        related="review_id.outcome_level_id", store=True, string="Overall Assessment"
    )
    pay_progression_eligible = fields.Boolean(
        related="review_id.pay_progression_eligible", store=True
    )
    pay_criteria_met = fields.Selection(related="review_id.pay_criteria_met", store=True)
    current_point_id = fields.Many2one(
        related="review_id.current_pay_point_id", store=True, string="Current Point"
    )
    recommended_point_id = fields.Many2one(
        related="review_id.recommended_pay_point_id", store=True, string="Recommended Point"
    )
    assessed_on_attendance = fields.Boolean(related="review_id.assessed_on_attendance")
    absence_note = fields.Text(related="review_id.absence_note")
    outside_control_objectives = fields.Text(
        compute="_compute_outside_control_objectives",
        string="Objectives Missed for Reasons outside the Reviewee's Control",
    )
    awarded = fields.Selection(
        AWARDED,
        string="Decision",
        required=True,
        tracking=True,
    )
    new_point_id = fields.Many2one(
        "hr.performance.pay.point",
        tracking=True,
        domain="[('grade_id', '=', current_grade_id)]",
    )
    current_grade_id = fields.Many2one(related="current_point_id.grade_id")
    point_after_id = fields.Many2one(
        "hr.performance.pay.point",
        compute="_compute_point_after_id",
        store=True,
        string="Point after the Decision",
    )
    date_decision = fields.Date(
        string="Decided On",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_effective = fields.Date(string="Effective From", required=True, tracking=True)
    reason = fields.Text(
        string="Reason for Departing from the Recommendation",
        tracking=True,
    )
    decided_by_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)

    _unique_review = models.UniqueIndex("(review_id)", "A review has one pay decision.")

    @api.depends("awarded", "new_point_id", "current_point_id")
    def _compute_point_after_id(self):
        for decision in self:
            decision.point_after_id = (
                decision.new_point_id if decision.awarded == "awarded" else False
            ) or decision.current_point_id

    @api.depends("review_id")
    def _compute_outside_control_objectives(self):
        for decision in self:
            # sudo: the decider is shown which objectives were missed for reasons outside
            # the reviewee's control (seed 003 4.4), by name only.
            objectives = decision.review_id.sudo().objective_ids.filtered("outside_control")
            decision.outside_control_objectives = (
                "\n".join(objectives.mapped("name")) if objectives else False
            )

    @api.constrains("date_decision", "date_effective")
    def _check_dates(self):
        for decision in self:
            if decision.date_effective < decision.date_decision:
                raise ValidationError(
                    self.env._(
                        "The pay decision for %(employee)s takes effect on %(effective)s, "
                        "before it is decided (%(decided)s).",
                        employee=decision.employee_id.name,
                        effective=decision.date_effective,
                        decided=decision.date_decision,
                    )
                )

    @api.constrains("awarded", "new_point_id", "reason", "review_id")
    def _check_against_recommendation(self):
        for decision in self:
            current, new = decision.current_point_id, decision.new_point_id
            if decision.awarded == "awarded" and current and not new:
                raise ValidationError(
                    self.env._(
                        "Choose the new point awarded to %(employee)s.",
                        employee=decision.employee_id.name,
                    )
                )
            if new and current and new.grade_id != current.grade_id:
                raise ValidationError(
                    self.env._(
                        "The new point %(point)s is on another grade than %(employee)s's "
                        "current point %(current)s.",
                        point=new.display_name,
                        employee=decision.employee_id.name,
                        current=current.display_name,
                    )
                )
            if decision._departs_from_recommendation() and not (decision.reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "The decision for %(employee)s departs from the recommendation: "
                        "record the reason.",
                        employee=decision.employee_id.name,
                    )
                )

    def _departs_from_recommendation(self):
        self.ensure_one()
        recommended_award = self.pay_criteria_met == "met"
        if self.pay_criteria_met and recommended_award != (self.awarded == "awarded"):
            return True
        return bool(
            self.awarded == "awarded"
            and self.recommended_point_id
            and self.new_point_id != self.recommended_point_id
        )

    @api.model_create_multi
    def create(self, vals_list):
        # Who may decide at all first (the access rights), then on which outcomes.
        self.check_access("create")
        reviews = self.env["hr.performance.review"].browse(
            [vals.get("review_id") for vals in vals_list if vals.get("review_id")]
        )
        self._check_may_decide(reviews)
        for vals in vals_list:
            # Who decides is who records it.
            vals["decided_by_id"] = self.env.user.id
        decisions = super().create(vals_list)
        decisions._sync_pay_deadlines()
        return decisions

    def write(self, vals):
        self.check_access("write")
        if "review_id" in vals:
            raise UserError(self.env._("A pay decision cannot move to another review."))
        if "decided_by_id" in vals and not self.env.su:
            raise AccessError(self.env._("Who decided is recorded, not chosen."))
        self._check_may_decide(self.review_id)
        result = super().write(vals)
        if {"date_decision", "awarded", "new_point_id"} & set(vals):
            self._sync_pay_deadlines()
        return result

    def _check_may_decide(self, reviews):
        """Only on final outcomes, and never on one's own review."""
        # sudo: the outcome's finality and the reviewee are read from the review, which a
        # governor may not read.
        for review in reviews.sudo():
            if review.employee_user_id == self.env.user and not self.env.su:
                raise AccessError(
                    self.env._("You cannot take the pay decision on your own review.")
                )
            if not review.outcome_final:
                raise UserError(
                    self.env._(
                        "The pay decision for %(employee)s cannot be taken before the outcome "
                        "is final (moderation complete).",
                        employee=review.employee_id.name,
                    )
                )

    def _sync_pay_deadlines(self):
        # The pay-decision deadline of each review is met by the decision.
        self.env["hr.performance.deadline"]._sync_for_reviews(self.review_id)
