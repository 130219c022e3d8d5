from odoo import api, fields, models


class HrPerformancePayPoint(models.Model):
    """A point of a pay grade (a CBP point). Points are ordered by ``sequence``: the next
    point up is the pay-progression step."""

    _name = "hr.performance.pay.point"
    _description = "Pay Point"
    _order = "grade_id, sequence, id"

    grade_id = fields.Many2one(
        "hr.performance.pay.grade", required=True, index=True, ondelete="restrict"
    )
    scale_id = fields.Many2one(related="grade_id.scale_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, help="The point as payroll knows it, e.g. 18.")
    annual_salary = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.ref("base.GBP", raise_if_not_found=False)
    )

    _unique_name = models.UniqueIndex("(grade_id, name)", "A grade has each point once.")

    @api.depends("name", "grade_id.name")
    def _compute_display_name(self):
        for point in self:
            point.display_name = self.env._(
                "%(grade)s, point %(point)s", grade=point.grade_id.name or "", point=point.name
            )
