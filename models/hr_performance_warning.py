from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

LEVELS = [("first", "First written warning"), ("final", "Final written warning")]


class HrPerformanceWarning(models.Model):
    """A written warning given under the capability procedure. It lasts the period the
    job group sets (12 months for a first written warning and two years for a final one in
    seed 002) and then expires (daily job): an expired warning stays on record for HR but
    no longer counts."""

    _name = "hr.performance.warning"
    _description = "Capability Warning"
    _inherit = ["hr.performance.guarded.mixin", "mail.thread"]
    _order = "date_issued desc, id desc"
    _check_company_auto = True

    review_id = fields.Many2one(
        "hr.performance.review",
        string="Suspended Review",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    employee_id = fields.Many2one(related="review_id.employee_id", store=True, index=True)
    employee_user_id = fields.Many2one(related="review_id.employee_user_id", store=True, index=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    level = fields.Selection(LEVELS, required=True, tracking=True)
    date_issued = fields.Date(
        string="Issued On", required=True, default=fields.Date.context_today, tracking=True
    )
    date_expiry = fields.Date(
        string="Expires On",
        compute="_compute_date_expiry",
        store=True,
        help="Last day the warning counts, from the job group's lifetime of warnings.",
    )
    note = fields.Text(string="Details")
    state = fields.Selection(
        [("active", "Counts"), ("expired", "Expired")],
        required=True,
        default="active",
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
    )

    @api.depends("date_issued", "level", "review_id.job_group_id")
    def _compute_date_expiry(self):
        for warning in self:
            group = warning.review_id.sudo().job_group_id
            months = (
                group.warning_final_months
                if warning.level == "final"
                else group.warning_first_months
            )
            if not (warning.date_issued and months):
                warning.date_expiry = False
                continue
            warning.date_expiry = warning.date_issued + relativedelta(months=months, days=-1)

    @api.depends("employee_id.name", "level", "date_issued")
    def _compute_display_name(self):
        labels = dict(LEVELS)
        for warning in self:
            warning.display_name = self.env._(
                "%(level)s: %(employee)s (%(date)s)",
                level=labels.get(warning.level, ""),
                employee=warning.employee_id.name or "",
                date=format_date(self.env, warning.date_issued) if warning.date_issued else "",
            )

    @api.constrains("date_issued")
    def _check_date_issued(self):
        today = fields.Date.context_today(self)
        for warning in self:
            if warning.date_issued > today:
                raise ValidationError(
                    self.env._("A warning is recorded once it has been given, not in advance.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.pop("state", None)
        warnings = super().create(vals_list)
        # A warning recorded after its end (an old one entered late) does not count.
        warnings._expire(fields.Date.context_today(self))
        return warnings

    def write(self, vals):
        if not self.env.su and {"state", "date_expiry"} & set(vals):
            raise UserError(
                self.env._("Whether a warning counts cannot change: it expires on its own.")
            )
        return super().write(vals)

    @api.model
    def _cron_expire_warnings(self):
        """Expire the warnings whose period has ended."""
        today = fields.Date.context_today(self)
        self.search([("state", "=", "active"), ("date_expiry", "<", today)])._expire(today)

    def _expire(self, today):
        expired = self.filtered(lambda w: w.state == "active" and w.date_expiry < today)
        if expired:
            # sudo: expiry is the system's, by the date the warning was given.
            expired.sudo().write({"state": "expired"})
            for warning in expired:
                warning.message_post(
                    body=self.env._(
                        "Expired on %(date)s: the warning no longer counts.",
                        date=format_date(self.env, warning.date_expiry),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
