from odoo import fields, models


class HrPerformancePayGrade(models.Model):
    """A grade of a pay scale: the points a member of staff progresses through."""

    _name = "hr.performance.pay.grade"
    _description = "Pay Grade"
    _order = "scale_id, sequence, id"

    scale_id = fields.Many2one(
        "hr.performance.pay.scale", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    point_ids = fields.One2many("hr.performance.pay.point", "grade_id", string="Points")

    def _compute_display_name(self):
        for grade in self:
            grade.display_name = f"{grade.scale_id.name} – {grade.name}"
