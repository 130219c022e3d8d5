from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HrPerformanceSipPriority(models.Model):
    """A priority of a school's improvement (development) plan for a school year, which
    objectives link to."""

    _name = "hr.performance.sip.priority"
    _description = "School Improvement Plan Priority"
    _order = "date_start desc, sequence, code, id"
    _check_company_auto = True
    _check_company_domain = models.check_company_domain_parent_of

    name = fields.Char(string="Priority", required=True, translate=True)
    code = fields.Char(help="Reference in the plan, e.g. “SIP 2.1”.")
    sequence = fields.Integer(default=10)
    description = fields.Text()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="School",
        required=True,
        default=lambda self: self.env.company,
        help="A school, or the trust for a trust-wide development plan priority.",
    )
    date_start = fields.Date(string="Plan Year Start", required=True)
    date_end = fields.Date(string="Plan Year End", required=True)

    _check_dates = models.Constraint(
        "CHECK(date_end > date_start)", "A plan year must end after it starts."
    )

    @api.depends("code", "name")
    def _compute_display_name(self):
        for priority in self:
            priority.display_name = (
                f"{priority.code} – {priority.name}" if priority.code else priority.name
            )

    @api.constrains("date_start", "date_end")
    def _check_length(self):
        for priority in self:
            if (priority.date_end - priority.date_start).days > 731:
                raise ValidationError(
                    self.env._("An improvement plan priority covers at most two years.")
                )
