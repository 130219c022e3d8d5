from odoo import fields, models


class HrPerformanceScaleLevel(models.Model):
    _name = "hr.performance.scale.level"
    _description = "Performance Assessment Level"
    _order = "scale_id, sequence, id"

    scale_id = fields.Many2one(
        "hr.performance.scale", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    pay_progression_eligible = fields.Boolean(
        string="Eligible for Pay Progression",
        help="An overall assessment at this level makes the reviewee eligible for "
        "the next pay (CBP) point, where the job group applies pay progression.",
    )
    color = fields.Integer(string="Colour")
