from odoo import api, fields, models


class HrPerformanceSchoolClosure(models.Model):
    """A period when a school has no pupils (INSET days, holidays worked by staff) or is
    closed altogether (holidays, half-terms not worked).

    Public holidays stay in Odoo's own global time off (resource.calendar.leaves); closures
    are kept apart because they overlap bank holidays (Christmas, the May half-term) and
    because "no pupils" days are working days, which a global time off cannot express."""

    _name = "hr.performance.school.closure"
    _description = "School Closure"
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, help="e.g. Autumn half-term, INSET day")
    company_id = fields.Many2one(
        "res.company",
        string="School or Trust",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="A closure set on the trust applies to every school of the trust.",
    )
    date_from = fields.Date(string="From", required=True, index=True)
    date_to = fields.Date(string="To", required=True, index=True)
    closure_type = fields.Selection(
        [
            ("no_pupils", "No pupils (staff work)"),
            ("closed", "School closed (staff off)"),
        ],
        string="Type",
        required=True,
        default="closed",
        help="No pupils: INSET or training days, holidays worked by staff — working days but "
        "not school days. School closed: neither working days nor school days.",
    )
    note = fields.Text()

    _check_dates = models.Constraint(
        "CHECK(date_to >= date_from)", "A closure must end on or after the day it starts."
    )

    @api.model_create_multi
    def create(self, vals_list):
        closures = super().create(vals_list)
        closures._resync_deadlines()
        return closures

    def write(self, vals):
        before = self.company_id
        res = super().write(vals)
        if {"company_id", "date_from", "date_to", "closure_type"} & set(vals):
            self._resync_deadlines(before)
        return res

    def unlink(self):
        # Not a deletion guard: the deadlines counted across the closure move once it is gone.
        companies = self.company_id
        res = super().unlink()
        self.env["hr.performance.deadline"]._sync_for_companies(companies)
        return res

    def _resync_deadlines(self, extra_companies=None):
        companies = self.company_id | (extra_companies or self.env["res.company"])
        self.env["hr.performance.deadline"]._sync_for_companies(companies)
