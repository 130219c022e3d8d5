from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    performance_reviewee_cap = fields.Integer(
        string="Maximum Reviewees per Reviewer",
        help="Number of reviewees one reviewer may carry in a cycle at this school. "
        "Assigning more shows a warning to the person assigning. 0 means no cap.",
    )

    _check_performance_reviewee_cap = models.Constraint(
        "CHECK(performance_reviewee_cap >= 0)",
        "The maximum number of reviewees per reviewer cannot be negative.",
    )
