from odoo import fields, models


class HrPerformanceScale(models.Model):
    _name = "hr.performance.scale"
    _description = "Performance Assessment Scale"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    level_ids = fields.One2many(
        "hr.performance.scale.level", "scale_id", string="Levels", copy=True
    )
