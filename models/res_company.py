from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    performance_reviewee_cap = fields.Integer(
        string="Maximum Reviewees per Reviewer",
        help="Number of reviewees one reviewer may carry in a cycle at this school. "
        "Assigning more shows a warning to the person assigning. 0 means no cap.",
    )
    performance_reviewer_access_months = fields.Integer(
        string="Reviewer Access after Completion (months)",
        default=6,
        help="How long a reviewer keeps reading a review they completed, e.g. to prepare the "
        "next planning meeting or answer an informal appeal. 0 ends it on completion. A "
        "replaced reviewer loses access at once; HR can grant access explicitly when needed.",
    )

    _check_performance_reviewee_cap = models.Constraint(
        "CHECK(performance_reviewee_cap >= 0)",
        "The maximum number of reviewees per reviewer cannot be negative.",
    )
    _check_performance_reviewer_access_months = models.Constraint(
        "CHECK(performance_reviewer_access_months >= 0)",
        "The reviewer's access period after completion cannot be negative.",
    )
