from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .hr_performance_retention_mixin import is_disposing

# Objectives can be added until the monitoring period ends.
OPEN_STATES = ("planning", "agreed", "in_progress")


class HrPerformanceObjective(models.Model):
    """A SMART objective agreed for a reviewee in one review."""

    _name = "hr.performance.objective"
    _description = "Performance Objective"
    _inherit = ["hr.performance.confidential.mixin", "mail.thread"]
    _order = "review_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    review_id = fields.Many2one(
        "hr.performance.review",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    review_state = fields.Selection(related="review_id.state", string="Review Status")
    employee_id = fields.Many2one(
        related="review_id.employee_id", store=True, index=True, string="Reviewee"
    )
    cycle_id = fields.Many2one(related="review_id.cycle_id", store=True, index=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    scale_id = fields.Many2one(related="review_id.scale_id")
    name = fields.Char(string="Objective", required=True, tracking=True)
    description = fields.Text()
    group_objective_id = fields.Many2one(
        "hr.performance.group.objective",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="Shared by several reviewees; its wording is kept in step.",
    )
    sip_priority_id = fields.Many2one(
        "hr.performance.sip.priority",
        string="Improvement Plan Priority",
        check_company=True,
        tracking=True,
        help="The school improvement / development plan priority this objective serves.",
    )
    operational_objective = fields.Char(
        help="The team or operational objective this serves, where not a plan priority."
    )
    success_criteria = fields.Text(string="Success Criteria and Measures")
    milestones = fields.Text()
    actions = fields.Text()
    target_date = fields.Date(string="By When", tracking=True)
    support_needed = fields.Text()
    agreement = fields.Selection(
        [("agreed", "Agreed"), ("determined", "Determined by the reviewer")],
        required=True,
        default="agreed",
        tracking=True,
        help="Where no agreement is reached the reviewer determines the objective and the "
        "disagreement is recorded.",
    )
    disagreement_note = fields.Text(string="Reviewee's Disagreement")
    midyear_progress = fields.Text(string="Mid-Year Progress")
    midyear_barriers = fields.Text(string="Barriers")
    midyear_support = fields.Text(string="Further Support Agreed")
    # Self-evaluation (the reviewee, before the review meeting)
    self_actions = fields.Text(string="My Actions to Achieve It")
    self_barriers = fields.Text(string="Barriers to Achieving It")
    self_training = fields.Text(string="Training and Development That Supported Me")
    self_notes = fields.Text(string="Other Notes and Comments")
    observation_feedback = fields.Text(
        string="Feedback from Classroom Observation",
        help="Written by the reviewer, where an observation bore on this objective.",
    )
    assessment_level_id = fields.Many2one(
        "hr.performance.scale.level",
        string="Assessment",
        tracking=True,
        domain="[('scale_id', '=', scale_id)]",
    )
    assessment_notes = fields.Text(string="Evidence and Comments")
    outside_control = fields.Boolean(
        string="Missed for Reasons Outside Their Control",
        help="The reviewee is not held to an objective missed for reasons outside their control.",
    )
    continue_next_cycle = fields.Boolean(
        string="Continues Next Cycle",
        help="Copied into the reviewee's next review when the next cycle is launched.",
    )
    previous_objective_id = fields.Many2one(
        "hr.performance.objective", string="Continued From", readonly=True, index="btree_not_null"
    )
    next_objective_ids = fields.One2many(
        "hr.performance.objective", "previous_objective_id", string="Continued In"
    )

    @api.constrains("review_id")
    def _check_max_objectives(self):
        counts = dict(
            self._read_group([("review_id", "in", self.review_id.ids)], ["review_id"], ["__count"])
        )
        for review in self.review_id:
            if counts.get(review, 0) > review.max_objectives:
                raise ValidationError(
                    self.env._(
                        "%(review)s can have at most %(max)s objectives (job group “%(group)s”).",
                        review=review.display_name,
                        max=review.max_objectives,
                        group=review.job_group_id.name,
                    )
                )

    @api.constrains("target_date", "review_id")
    def _check_target_date(self):
        for objective in self:
            if objective.target_date and objective.target_date < objective.review_id.date_start:
                raise ValidationError(
                    self.env._(
                        "The target date of “%(objective)s” (%(date)s) is before its review "
                        "period starts (%(start)s).",
                        objective=objective.name,
                        date=objective.target_date,
                        start=objective.review_id.date_start,
                    )
                )

    @api.constrains("agreement", "disagreement_note")
    def _check_disagreement_recorded(self):
        for objective in self:
            if (
                objective.agreement == "determined"
                and not (objective.disagreement_note or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "Record the disagreement on “%(objective)s” when the reviewer "
                        "determines it.",
                        objective=objective.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        reviews = self.env["hr.performance.review"].browse(
            {vals["review_id"] for vals in vals_list if vals.get("review_id")}
        )
        closed = reviews.filtered(lambda r: r.state not in OPEN_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "Objectives cannot be added to %(review)s any more: it is past the "
                    "monitoring period.",
                    review=closed[0].display_name,
                )
            )
        return super(HrPerformanceObjective, self.with_context(mail_create_nolog=True)).create(
            vals_list
        )

    def write(self, vals):
        # The disposal engine anonymises the objectives of closed reviews.
        locked = self.filtered(lambda o: o.review_id.state in ("completed", "cancelled"))
        locked = locked if not is_disposing(locked) else locked.browse()
        if locked:
            raise UserError(
                self.env._(
                    "“%(objective)s” belongs to a closed review and can no longer change.",
                    objective=locked[0].name,
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_agreed(self):
        if any(objective.review_id.state not in ("planning", "agreed") for objective in self):
            raise UserError(
                self.env._(
                    "Objectives under way cannot be deleted; amend them at a revision meeting."
                )
            )

    @api.model
    def _get_write_rights(self):
        content = self._rights_content_fields()
        moving = content - {"review_id"}
        # The self-evaluation form (academy trust policy, Appendix 2), returned before the
        # review meeting that assesses the objective: the reviewee's own words, which the
        # reviewer records only for a reviewee without a login.
        voice = dict.fromkeys(
            ("self_actions", "self_barriers", "self_training", "self_notes"),
            ("in_progress", "final_review"),
        )
        return {
            # Agreed at the meeting and recorded by the reviewer; the reviewee writes their
            # mid-year progress, their self-evaluation and their disagreement.
            "reviewee": {
                "midyear_progress": ("agreed", "in_progress"),
                "disagreement_note": ("planning", "agreed", "in_progress", "final_review"),
                **voice,
            },
            "reviewee_proxy": voice,
            # An objective does not move to another review, except by the headteacher or HR.
            "reviewer": dict.fromkeys(moving - set(voice)),
            "headteacher": dict.fromkeys(content),
            "hr": dict.fromkeys(content),
        }

    def _get_performance_review(self):
        return self.review_id

    def _prepare_carry_forward_vals(self, review):
        self.ensure_one()
        return {
            "review_id": review.id,
            "previous_objective_id": self.id,
            "name": self.name,
            "description": self.description,
            "group_objective_id": self.group_objective_id.id,
            "operational_objective": self.operational_objective,
            "success_criteria": self.success_criteria,
            "milestones": self.milestones,
            "actions": self.actions,
            "target_date": self.target_date
            if self.target_date and self.target_date >= review.date_start
            else False,
            "support_needed": self.support_needed,
        }
