from odoo import fields, models


class HrPerformancePayScale(models.Model):
    """A pay scale of the trust (e.g. the local government pay spine), made of grades."""

    _name = "hr.performance.pay.scale"
    _description = "Pay Scale"
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        help="The trust (every school of it) or a school.",
    )
    grade_ids = fields.One2many("hr.performance.pay.grade", "scale_id", string="Grades")
