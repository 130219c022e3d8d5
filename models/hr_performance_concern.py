from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

STATES = [
    ("draft", "Meeting Recorded"),
    ("running", "Support Period Running"),
    ("normal", "Back to Normal"),
    ("capability", "Capability Procedure"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("draft", "running")


class HrPerformanceConcern(models.Model):
    """A formal meeting about concerns with a member of staff's performance and the
    support period that follows it (seed 002 §4.6, seed 004 §8.1, seed 000 *Poor
    performance*): the nature and seriousness of the concerns, the employee's comments,
    the support and targets agreed, when progress is reviewed and what happens without
    improvement. At the review date the outcome is recorded: back to normal, extended (once,
    within the job group's limit and with a reason), or into the capability procedure,
    which suspends the review.

    Several episodes can exist over time; the latest one dates the review's concerns
    meeting and support review, which the deadline rules count from."""

    _name = "hr.performance.concern"
    _description = "Performance Concerns and Support Period"
    _inherit = ["hr.performance.confidential.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_meeting desc, id desc"
    _check_company_auto = True

    review_id = fields.Many2one(
        "hr.performance.review",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain="[('state', 'in', ('planning', 'agreed', 'in_progress', 'final_review'))]",
    )
    employee_id = fields.Many2one(
        related="review_id.employee_id", store=True, index=True, string="Employee"
    )
    employee_user_id = fields.Many2one(
        related="review_id.employee_user_id", store=True, index=True, string="Employee User"
    )
    reviewer_user_id = fields.Many2one(
        related="review_id.reviewer_user_id", store=True, index=True, string="Reviewer User"
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    job_group_id = fields.Many2one(related="review_id.job_group_id")
    state = fields.Selection(STATES, required=True, default="draft", tracking=True, copy=False)
    date_meeting = fields.Date(string="Concerns Meeting", required=True, tracking=True)
    concern_nature = fields.Text(string="Nature of the Concerns", required=True)
    seriousness = fields.Selection(
        [
            ("moderate", "Concerns to address within the support period"),
            ("serious", "Serious concerns"),
            ("very_serious", "Particularly serious: capability may follow at once"),
        ],
        required=True,
        default="moderate",
        tracking=True,
    )
    seriousness_note = fields.Text(string="Seriousness Explained")
    employee_comments = fields.Text(string="Employee's Comments")
    support_agreed = fields.Text(required=True)
    target_ids = fields.One2many(
        "hr.performance.concern.target", "concern_id", string="Targets", copy=True
    )
    consequences = fields.Text(
        string="Consequences of No Improvement",
        required=True,
        help="What happens if performance does not improve (the capability procedure).",
    )
    date_review = fields.Date(
        string="Progress Reviewed On",
        required=True,
        tracking=True,
        help="When progress is reviewed: the end of the monitoring period.",
    )
    date_review_first = fields.Date(
        string="First Review Date", readonly=True, copy=False, help="Before any extension."
    )
    extension_reason = fields.Text(readonly=True, copy=False, tracking=True)
    absence_days = fields.Integer(
        string="Absence (working days)",
        compute="_compute_date_review_due",
        help="Working days of recorded absence during the monitoring period.",
    )
    date_review_due = fields.Date(
        string="Review Due",
        compute="_compute_date_review_due",
        help="The review date, pushed back by the absence recorded during the period where "
        "the job group's policy says so.",
    )
    date_confirmed = fields.Date(
        string="Confirmed in Writing On",
        readonly=True,
        copy=False,
        help="When the letter confirming the meeting was issued.",
    )
    date_outcome = fields.Date(string="Outcome Recorded On", readonly=True, copy=False)
    outcome_note = fields.Text(string="Outcome", copy=False)
    can_confirm = fields.Boolean(compute="_compute_can_transition")
    can_record_outcome = fields.Boolean(compute="_compute_can_transition")

    @api.depends("employee_id.name", "date_meeting")
    def _compute_display_name(self):
        for concern in self:
            concern.display_name = self.env._(
                "Concerns: %(employee)s (%(date)s)",
                employee=concern.employee_id.name or "",
                date=format_date(self.env, concern.date_meeting) if concern.date_meeting else "",
            )

    @api.depends("date_meeting", "date_review", "review_id", "job_group_id")
    def _compute_date_review_due(self):
        for concern in self:
            concern.absence_days = 0
            concern.date_review_due = concern.date_review
            if not (concern.date_meeting and concern.date_review and concern.review_id):
                continue
            days = concern._absence_working_days(concern.date_meeting, concern.date_review)
            concern.absence_days = days
            if days and concern.job_group_id.support_extend_by_absence:
                concern.date_review_due = concern.company_id._performance_add_working_days(
                    concern.date_review, days
                )

    @api.depends_context("uid")
    @api.depends("state")
    def _compute_can_transition(self):
        for concern in self:
            concern.can_confirm = concern._check_transition("running", raise_if_not_possible=False)
            concern.can_record_outcome = concern._check_transition(
                "normal", raise_if_not_possible=False
            )

    @api.constrains("date_meeting", "date_review")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for concern in self:
            if concern.date_meeting > today:
                raise ValidationError(
                    self.env._(
                        "The concerns meeting cannot be in the future (%(date)s): record it "
                        "once it has been held.",
                        date=format_date(self.env, concern.date_meeting),
                    )
                )
            if concern.date_review <= concern.date_meeting:
                raise ValidationError(
                    self.env._("Progress is reviewed after the concerns meeting.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            for fname in ("state", "date_review_first", "date_outcome", "date_confirmed"):
                vals.pop(fname, None)
            vals.pop("extension_reason", None)
        # The reviewer, the headteacher or HR record a concerns meeting, never the employee.
        reviews = self.env["hr.performance.review"].browse(
            {vals["review_id"] for vals in vals_list if vals.get("review_id")}
        )
        if not self.env.su:
            reviews.check_access("read")
            reviews._check_roles({"reviewer", "headteacher", "hr"})
        concerns = super().create(vals_list)
        concerns._check_period_limit()
        return concerns

    def write(self, vals):
        result = super().write(vals)
        if {"date_meeting", "date_review"} & set(vals):
            self._check_period_limit()
            self.filtered(lambda c: c.state == "running")._mirror_on_review()
        return result

    # ------------------------------------------------------------------
    # Rights (hr.performance.confidential.mixin)
    # ------------------------------------------------------------------
    def _get_performance_review(self):
        return self.review_id

    def _get_rights_state(self):
        self.ensure_one()
        return self.state

    @api.model
    def _get_write_rights(self):
        content = self._rights_content_fields(exclude={"review_id"})
        meeting = dict.fromkeys(content - {"outcome_note"}, ("draft",))
        # At the review date: the outcome and the progress against each target.
        meeting["outcome_note"] = ("running",)
        meeting["target_ids"] = OPEN_STATES
        # The employee's own words, until the outcome.
        return {
            "reviewee": {"employee_comments": OPEN_STATES},
            "reviewee_proxy": {"employee_comments": OPEN_STATES},
            "reviewer": meeting,
            "headteacher": meeting,
            "hr": meeting,
        }

    @api.model
    def _get_state_transitions(self):
        manage = {"reviewer", "headteacher", "hr"}
        return {
            "running": {"from": ("draft",), "roles": manage},
            "normal": {"from": ("running",), "roles": manage},
            "capability": {"from": ("running",), "roles": manage},
            "cancelled": {"from": ("draft",), "roles": manage},
        }

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_confirm(self):
        """The meeting is confirmed to the employee in writing: the support period runs."""
        for concern in self:
            if not concern.target_ids:
                raise UserError(
                    self.env._("Set the targets of the support period before confirming it.")
                )
        today = fields.Date.context_today(self)
        self.write({"state": "running"})
        for concern in self:
            # sudo: the workflow stamps these dates (read-only for everyone).
            concern.sudo().write(
                {"date_confirmed": today, "date_review_first": concern.date_review}
            )
            concern._mirror_on_review()
            concern._post(
                self.env._(
                    "Support period confirmed in writing: progress is reviewed on %(date)s.",
                    date=format_date(self.env, concern.date_review_due),
                )
            )

    def action_back_to_normal(self):
        self._record_outcome("normal")

    def action_start_capability(self):
        """Insufficient improvement (or particularly serious concerns): the capability
        procedure starts and performance management is suspended."""
        self._record_outcome("capability")
        for concern in self:
            concern.review_id._suspend_performance_management(concern, concern.date_outcome)

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def _record_outcome(self, state):
        for concern in self:
            if not (concern.outcome_note or "").strip():
                raise UserError(
                    self.env._("Record how the employee progressed against the targets first.")
                )
        self.write({"state": state})
        today = fields.Date.context_today(self)
        # sudo: the workflow stamps the date (read-only for everyone).
        self.sudo().write({"date_outcome": today})
        labels = dict(self._fields["state"]._description_selection(self.env))
        for concern in self:
            concern._mirror_on_review()
            concern._post(self.env._("Outcome of the support period: %(o)s.", o=labels[state]))

    def action_extend(self, date_review, reason):
        """Extend the monitoring period to ``date_review``, for ``reason``, within the job
        group's limit."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for extending the monitoring period."))
        date_review = fields.Date.to_date(date_review)
        for concern in self:
            if concern.state != "running":
                raise UserError(self.env._("Only a running support period can be extended."))
            concern._check_transition("normal")
            if not date_review or date_review <= concern.date_review:
                raise UserError(
                    self.env._(
                        "An extension moves the review date later than %(date)s.",
                        date=format_date(self.env, concern.date_review),
                    )
                )
            concern._check_period_limit(date_review=date_review, extension=True)
            # sudo: the extension (date and reason) is recorded here only, once the caller's
            # right to decide the outcome was checked above.
            concern.sudo().write({"date_review": date_review, "extension_reason": reason})
            # The support-review deadline moves with the period.
            concern._mirror_on_review()
            concern._post(
                self.env._(
                    "Monitoring period extended to %(date)s: %(reason)s",
                    date=format_date(self.env, date_review),
                    reason=reason,
                )
            )
        return True

    def action_open_extend(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Extend the Monitoring Period"),
            "res_model": "hr.performance.concern.extend",
            "view_mode": "form",
            "target": "new",
            "context": {"default_concern_id": self.id},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_period_limit(self, date_review=None, extension=None):
        """Refuse a monitoring period longer than the job group's policy allows: at most N
        working days (seed 002), or between the minimum and maximum weeks with at most the
        maximum extension (seed 004). Recorded absence counts on top where the policy says
        absence extends the period."""
        for concern in self:
            group = concern.review_id.sudo().job_group_id
            end = date_review or concern.date_review
            start = concern.date_meeting
            absence = 0
            if group.support_extend_by_absence:
                absence = concern._absence_working_days(start, end)
            company = concern.company_id
            first = concern.date_review_first or concern.date_review
            is_extension = extension
            if is_extension is None:
                is_extension = bool(concern.date_review_first and end > concern.date_review_first)
            if group.support_limit_kind == "working_days":
                days = company._performance_working_days_between(start, end)
                if days - absence > group.support_max_days:
                    raise ValidationError(
                        self.env._(
                            "A monitoring period is at most %(max)s working days: %(start)s to "
                            "%(end)s is %(days)s.",
                            max=group.support_max_days,
                            start=format_date(self.env, start),
                            end=format_date(self.env, end),
                            days=days - absence,
                        )
                    )
                continue
            weeks = (((first if is_extension else end) - start).days - absence) / 7
            if not is_extension and not group.support_min_weeks <= weeks <= group.support_max_weeks:
                raise ValidationError(
                    self.env._(
                        "A monitoring period lasts between %(min)s and %(max)s weeks: %(start)s "
                        "to %(end)s is %(weeks).1f.",
                        min=group.support_min_weeks,
                        max=group.support_max_weeks,
                        start=format_date(self.env, start),
                        end=format_date(self.env, end),
                        weeks=weeks,
                    )
                )
            if is_extension and end - first > timedelta(
                weeks=group.support_max_extension_weeks, days=absence
            ):
                raise ValidationError(
                    self.env._(
                        "A monitoring period may be extended by at most %(max)s weeks after "
                        "%(first)s.",
                        max=group.support_max_extension_weeks,
                        first=format_date(self.env, first),
                    )
                )

    def _absence_working_days(self, date_from, date_to):
        """Working days in (date_from, date_to] on which the employee is recorded absent:
        their time off and other leaves on their resource (``resource.calendar.leaves``,
        which validated time off creates)."""
        self.ensure_one()
        resource = self.employee_id.sudo().resource_id
        if not resource:
            return 0
        # sudo: the employee's leaves are counted, never shown.
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("resource_id", "=", resource.id),
                    ("date_from", "<=", fields.Datetime.to_datetime(date_to) + timedelta(days=1)),
                    ("date_to", ">=", fields.Datetime.to_datetime(date_from)),
                ]
            )
        )
        if not leaves:
            return 0
        company = self.company_id
        absent = set()
        for leave in leaves:
            day = max(company._performance_local_date(leave.date_from), date_from + timedelta(1))
            last = min(company._performance_local_date(leave.date_to), date_to)
            while day <= last:
                absent.add(day)
                day += timedelta(days=1)
        calendar = company._performance_working_calendar()
        return sum(1 for day in absent if calendar.is_working_day(day))

    def _mirror_on_review(self):
        """Date the review's concerns meeting and support review from the latest episode:
        the deadline rules count from them."""
        for concern in self:
            review = concern.review_id.sudo()
            latest = review.concern_ids.filtered(lambda c: c.state != "cancelled").sorted(
                "date_meeting"
            )[-1:]
            if latest != concern:
                continue
            vals = {
                "date_concern_meeting": concern.date_meeting,
                "date_support_review_due": concern.date_review_due or False,
                "date_support_review": concern.date_outcome or False,
            }
            if any(review[name] != value for name, value in vals.items()):
                # sudo: derived dates of the review, kept by the concern record (the rights
                # to record the concern were checked on it).
                review.write(vals)

    def _post(self, body):
        for concern in self:
            concern.message_post(body=Markup("<p>%s</p>") % body, subtype_xmlid="mail.mt_note")


class HrPerformanceConcernTarget(models.Model):
    """A target of a support period: separate from the cycle's objectives, and not counted
    against the job group's cap on objectives."""

    _name = "hr.performance.concern.target"
    _description = "Support Period Target"
    _order = "concern_id, sequence, id"

    concern_id = fields.Many2one(
        "hr.performance.concern", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="concern_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Text(string="Target", required=True)
    measure = fields.Text(string="How Progress Is Measured")
    met = fields.Selection(
        [("met", "Met"), ("partly", "Partly met"), ("not_met", "Not met")],
        string="Progress at Review",
    )

    def _check_concern_rights(self, operation):
        # Targets are part of the concern: writing one is writing the concern.
        concerns = self.concern_id
        if concerns and not self.env.su:
            concerns.check_access(operation)
            concerns._check_write_rights({"target_ids": True})

    @api.model_create_multi
    def create(self, vals_list):
        targets = super().create(vals_list)
        targets._check_concern_rights("write")
        return targets

    def write(self, vals):
        self._check_concern_rights("write")
        result = super().write(vals)
        if "concern_id" in vals:
            self._check_concern_rights("write")
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_check_concern(self):
        self._check_concern_rights("write")
