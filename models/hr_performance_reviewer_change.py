from odoo import fields, models


class HrPerformanceReviewerChange(models.Model):
    """The record of a reviewer being replaced during a cycle."""

    _name = "hr.performance.reviewer.change"
    _description = "Reviewer Change"
    _order = "create_date desc, id desc"

    review_id = fields.Many2one(
        "hr.performance.review", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    old_reviewer_id = fields.Many2one("hr.employee", string="Previous Reviewer", readonly=True)
    new_reviewer_id = fields.Many2one("hr.employee", required=True, readonly=True)
    reason = fields.Text(required=True, readonly=True)
    changed_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    create_date = fields.Datetime(string="Changed On", readonly=True)
