from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HrPerformanceJobGroup(models.Model):
    """The policy settings of appeals, support periods and warnings, per job group: the
    seeds differ on each of them (seed 000: appeal to the headteacher; seeds 002/003:
    through the grievance procedure; seed 002: 30 working days of support; seed 004: 4 to
    8 weeks with at most 4 weeks' extension)."""

    _inherit = "hr.performance.job.group"

    appeal_window_days = fields.Integer(
        string="Appeal Window (working days)",
        default=10,
        tracking=True,
        help="Working days after the final statement is signed within which the reviewee "
        "may appeal against any entry or timescale in it.",
    )
    appeal_route = fields.Selection(
        [
            ("hearing", "Hearing by the headteacher (governors when the headteacher reviewed)"),
            ("grievance", "Through the grievance procedure"),
        ],
        default="hearing",
        required=True,
        tracking=True,
        help="Where a formal appeal goes once informal resolution has failed.",
    )
    support_limit_kind = fields.Selection(
        [("working_days", "At most a number of working days"), ("weeks", "Weeks, extendable")],
        string="Monitoring Period",
        default="working_days",
        required=True,
        tracking=True,
    )
    support_max_days = fields.Integer(
        string="Maximum Monitoring (working days)", default=30, tracking=True
    )
    support_min_weeks = fields.Integer(string="Minimum Monitoring (weeks)", default=4)
    support_max_weeks = fields.Integer(string="Maximum Monitoring (weeks)", default=8)
    support_max_extension_weeks = fields.Integer(
        string="Maximum Extension (weeks)",
        default=4,
        help="How much longer a monitoring period may run after its first review date.",
    )
    support_extend_by_absence = fields.Boolean(
        string="Absence Extends Monitoring",
        help="Working days the employee is recorded absent during the monitoring period "
        "(time off, the school's calendar leaves) push its review date back by as many "
        "working days.",
    )
    warning_first_months = fields.Integer(
        string="First Written Warning Lasts (months)", default=12, tracking=True
    )
    warning_final_months = fields.Integer(
        string="Final Written Warning Lasts (months)", default=24, tracking=True
    )

    @api.constrains(
        "appeal_window_days",
        "support_max_days",
        "support_min_weeks",
        "support_max_weeks",
        "support_max_extension_weeks",
        "warning_first_months",
        "warning_final_months",
    )
    def _check_concern_policy(self):
        for group in self:
            numbers = (
                group.appeal_window_days,
                group.support_max_days,
                group.support_min_weeks,
                group.support_max_weeks,
                group.warning_first_months,
                group.warning_final_months,
            )
            if min(numbers) < 1 or group.support_max_extension_weeks < 0:
                raise ValidationError(
                    self.env._(
                        "%(group)s: the appeal window, the monitoring limits and the lifetime "
                        "of warnings must be positive numbers.",
                        group=group.name,
                    )
                )
            if group.support_min_weeks > group.support_max_weeks:
                raise ValidationError(
                    self.env._(
                        "%(group)s: the minimum monitoring period (%(min)s weeks) cannot be "
                        "longer than the maximum (%(max)s weeks).",
                        group=group.name,
                        min=group.support_min_weeks,
                        max=group.support_max_weeks,
                    )
                )
