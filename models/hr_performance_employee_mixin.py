from odoo import api, fields, models

CURRENT_STATES = ("planning", "agreed", "in_progress", "final_review")


class HrPerformanceEmployeeMixin(models.AbstractModel):
    """Performance reviews and objectives shown on the employee forms (private and public).

    The values are computed with the reader's own rights: record rules decide which reviews
    a manager, a headteacher or HR sees, so the form never shows more than the menu does."""

    _name = "hr.performance.employee.mixin"
    _description = "Employee Performance Summary"

    performance_review_ids = fields.Many2many(
        "hr.performance.review", compute="_compute_performance", string="Performance Reviews"
    )
    performance_review_count = fields.Integer(compute="_compute_performance")
    performance_objective_ids = fields.Many2many(
        "hr.performance.objective", compute="_compute_performance", string="Current Objectives"
    )

    @api.depends_context("uid")
    def _compute_performance(self):
        reviews = self.env["hr.performance.review"].search([("employee_id", "in", self.ids)])
        objectives = self.env["hr.performance.objective"].search(
            [("review_id", "in", reviews.filtered(lambda r: r.state in CURRENT_STATES).ids)]
        )
        reviews_by_employee = reviews.grouped("employee_id")
        objectives_by_employee = objectives.grouped("employee_id")
        Review = self.env["hr.performance.review"]
        Objective = self.env["hr.performance.objective"]
        for employee in self:
            key = self.env["hr.employee"].browse(employee.id)
            employee_reviews = reviews_by_employee.get(key, Review)
            employee.performance_review_ids = employee_reviews
            employee.performance_review_count = len(employee_reviews)
            employee.performance_objective_ids = objectives_by_employee.get(key, Objective)

    def action_view_performance_reviews(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_school_performance.hr_performance_review_action"
        )
        action["domain"] = [("employee_id", "=", self.id)]
        action["context"] = {"default_employee_id": self.id}
        return action
