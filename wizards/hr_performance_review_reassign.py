from odoo import api, fields, models


class HrPerformanceReviewReassign(models.TransientModel):
    """Replace the reviewer of a review, with the reason, without restarting the cycle."""

    _name = "hr.performance.review.reassign"
    _description = "Change Reviewer"

    review_id = fields.Many2one("hr.performance.review", required=True, readonly=True)
    employee_id = fields.Many2one(related="review_id.employee_id")
    current_reviewer_id = fields.Many2one(
        related="review_id.reviewer_id", string="Current Reviewer"
    )
    company_id = fields.Many2one(related="review_id.company_id")
    new_reviewer_id = fields.Many2one(
        "hr.employee",
        required=True,
        domain="[('id', '!=', employee_id), ('company_id', 'in', (company_id, False))]",
    )
    reason = fields.Text(
        required=True,
        help="Why the reviewer changes, e.g. the line manager left, or the reviewee asked in "
        "writing for another reviewer.",
    )
    cap_warning = fields.Char(compute="_compute_cap_warning")

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        # The related fields above are read as superuser: never show them for a review the
        # user may not manage (e.g. a guessed id from another school).
        wizards.review_id._check_can_assign_reviewer()
        wizards.review_id.check_access("write")
        return wizards

    @api.depends("new_reviewer_id", "review_id")
    def _compute_cap_warning(self):
        for wizard in self:
            wizard.cap_warning = (
                wizard.review_id._reviewer_cap_warning(wizard.new_reviewer_id) or False
                if wizard.review_id
                else False
            )

    def action_confirm(self):
        self.ensure_one()
        self.env["hr.performance.reviewer.change"].create(
            {
                "review_id": self.review_id.id,
                "new_reviewer_id": self.new_reviewer_id.id,
                "reason": self.reason,
            }
        )
        return {"type": "ir.actions.act_window_close"}
