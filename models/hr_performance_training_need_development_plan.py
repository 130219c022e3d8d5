from odoo import fields, models


class HrPerformanceTrainingNeed(models.Model):
    """A development activity agreed in the personal development plan (county abbreviated
    process, "Personal Development Plan") is a training need: the CPD leader receives it
    with the others and it goes on the school training plan."""

    _inherit = "hr.performance.training.need"

    need_type = fields.Selection(
        selection_add=[
            ("project", "Project"),
            ("assignment", "Work assignment"),
            ("working_with_others", "Working with others"),
        ],
        ondelete={
            "project": "set default",
            "assignment": "set default",
            "working_with_others": "set default",
        },
    )
    development_plan = fields.Boolean(
        string="In the Personal Development Plan",
        help="Agreed as a development activity of the reviewee's personal development plan.",
    )
