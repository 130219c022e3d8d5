from odoo import api, fields, models
from odoo.exceptions import UserError


class HrPerformanceGroupObjective(models.Model):
    """An objective shared by several reviewees (a team or group objective). Each reviewee
    gets their own objective record linked to it, assessed individually."""

    _name = "hr.performance.group.objective"
    _description = "Group Objective"
    _inherit = ["mail.thread"]
    _order = "cycle_id desc, name"
    _check_company_auto = True

    name = fields.Char(string="Objective", required=True, tracking=True)
    description = fields.Text()
    cycle_id = fields.Many2one(
        "hr.performance.cycle",
        required=True,
        index=True,
        check_company=True,
        domain="[('state', '=', 'open')]",
    )
    company_id = fields.Many2one(related="cycle_id.company_id", store=True, index=True)
    sip_priority_id = fields.Many2one(
        "hr.performance.sip.priority", string="Improvement Plan Priority", check_company=True
    )
    success_criteria = fields.Text(string="Success Criteria and Measures")
    target_date = fields.Date(string="By When")
    objective_ids = fields.One2many(
        "hr.performance.objective", "group_objective_id", string="Reviewees' Objectives"
    )
    review_ids = fields.Many2many(
        "hr.performance.review",
        compute="_compute_review_ids",
        inverse="_inverse_review_ids",
        string="Reviews",
        domain="[('cycle_id', '=', cycle_id), "
        "('state', 'in', ('planning', 'agreed', 'in_progress'))]",
    )

    @api.depends("objective_ids.review_id")
    def _compute_review_ids(self):
        for group_objective in self:
            group_objective.review_ids = group_objective.objective_ids.review_id

    def _inverse_review_ids(self):
        for group_objective in self:
            current = group_objective.objective_ids.review_id
            removed = current - group_objective.review_ids
            if removed:
                raise UserError(
                    self.env._(
                        "A reviewee cannot be taken off a group objective here: delete their "
                        "objective from their review instead."
                    )
                )
            added = group_objective.review_ids - current
            self.env["hr.performance.objective"].create(
                [group_objective._prepare_objective_vals(review) for review in added]
            )

    def write(self, vals):
        result = super().write(vals)
        shared = {
            key: vals[key]
            for key in ("name", "description", "sip_priority_id", "success_criteria", "target_date")
            if key in vals
        }
        if shared:
            self.objective_ids.filtered(
                lambda o: o.review_id.state not in ("completed", "cancelled")
            ).write(shared)
        return result

    def _prepare_objective_vals(self, review):
        self.ensure_one()
        return {
            "review_id": review.id,
            "group_objective_id": self.id,
            "name": self.name,
            "description": self.description,
            "sip_priority_id": self.sip_priority_id.id,
            "success_criteria": self.success_criteria,
            "target_date": self.target_date,
        }
