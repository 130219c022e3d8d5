from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

NEED_TYPES = [
    ("course", "Course or training event"),
    ("e_learning", "E-learning / ICT package"),
    ("coaching", "Coaching"),
    ("mentoring", "Mentoring"),
    ("shadowing", "Shadowing"),
    ("secondment", "Secondment or placement"),
    ("team_event", "Team development event"),
    ("professional", "Professional standing (CPD to maintain a qualification)"),
    ("other", "Other"),
]
# The training audit runs in October: its year ends on 31 October.
AUDIT_MONTH = 10


def audit_period(reference):
    """(first, last) day of the training-audit year containing ``reference``:
    1 November to 31 October."""
    year = reference.year if reference.month <= AUDIT_MONTH else reference.year + 1
    return date(year - 1, AUDIT_MONTH + 1, 1), date(year, AUDIT_MONTH, 31)


class HrPerformanceTrainingNeed(models.Model):
    """A training or development need identified for a member of staff (at a review, an
    observation or a support period), the action agreed to meet it and, later, its
    impact. The CPD leader works from these; they never see the review itself."""

    _name = "hr.performance.training.need"
    _description = "Training and Development Need"
    _inherit = ["hr.performance.guarded.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_identified desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Need", required=True, tracking=True)
    need_type = fields.Selection(
        NEED_TYPES, string="Type", required=True, default="course", tracking=True
    )
    employee_id = fields.Many2one(
        "hr.employee",
        string="Member of Staff",
        compute="_compute_employee_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
    )
    employee_user_id = fields.Many2one(
        "res.users", related="employee_id.user_id", store=True, index=True, string="Staff User"
    )
    job_title = fields.Char(related="employee_id.job_title", string="Job Title")
    review_id = fields.Many2one(
        "hr.performance.review",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        domain="[('employee_id', '=', employee_id)]",
        help="The review where the need was identified.",
    )
    reviewer_user_id = fields.Many2one(
        "res.users", related="review_id.reviewer_user_id", store=True, index=True
    )
    company_id = fields.Many2one(
        "res.company",
        string="School",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        index=True,
    )
    action = fields.Text(string="Action to Meet the Need")
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
        help="Who arranges the action.",
    )
    date_identified = fields.Date(
        string="Identified On", required=True, default=fields.Date.context_today
    )
    date_planned = fields.Date(string="By When", tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    cost = fields.Monetary(currency_field="currency_id", tracking=True)
    state = fields.Selection(
        [
            ("identified", "Identified"),
            ("planned", "Planned"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        required=True,
        default="identified",
        tracking=True,
        copy=False,
        group_expand=True,
    )
    date_done = fields.Date(string="Done On", copy=False, tracking=True)
    impact = fields.Text(help="How the training changed practice, recorded afterwards.")
    support_not_provided = fields.Boolean(
        string="Agreed Support Not Provided",
        tracking=True,
        help="The agreed support could not be provided (reported to the governors).",
    )
    in_audit_period = fields.Boolean(
        compute="_compute_in_audit_period",
        search="_search_in_audit_period",
        string="Current Audit Year",
    )

    _check_cost = models.Constraint("CHECK(cost >= 0)", "A cost cannot be negative.")

    @api.depends("review_id")
    def _compute_employee_id(self):
        for need in self:
            need.employee_id = need.review_id.employee_id or need.employee_id

    @api.depends("review_id.company_id", "employee_id.company_id")
    def _compute_company_id(self):
        for need in self:
            need.company_id = (
                need.review_id.company_id
                or need.employee_id.company_id
                or need.company_id
                or self.env.company
            )

    @api.depends_context("tz")
    @api.depends("date_identified")
    def _compute_in_audit_period(self):
        first, last = audit_period(fields.Date.context_today(self))
        for need in self:
            need.in_audit_period = bool(
                need.date_identified and first <= need.date_identified <= last
            )

    def _search_in_audit_period(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        first, last = audit_period(fields.Date.context_today(self))
        domain = Domain("date_identified", ">=", first) & Domain("date_identified", "<=", last)
        return domain if (operator == "in") == (True in value) else ~domain

    @api.constrains("review_id", "employee_id")
    def _check_review_employee(self):
        for need in self:
            if need.review_id and need.review_id.employee_id != need.employee_id:
                raise ValidationError(
                    self.env._(
                        "The need “%(need)s” is for %(employee)s but its review is %(review)s's.",
                        need=need.name,
                        employee=need.employee_id.name,
                        review=need.review_id.employee_id.name,
                    )
                )

    @api.constrains("date_done", "date_identified")
    def _check_dates(self):
        for need in self:
            if need.date_done and need.date_done < need.date_identified:
                raise ValidationError(
                    self.env._(
                        "“%(need)s” cannot be done (%(done)s) before it was identified (%(date)s).",
                        need=need.name,
                        done=need.date_done,
                        date=need.date_identified,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        needs = super().create(vals_list)
        needs._check_can_record()
        return needs

    def _check_can_record(self):
        """A need is recorded by the reviewee for themselves, or by their reviewer, the
        headteacher or HR: a colleague cannot attach one to somebody else's review."""
        if self.env.su or self.env.user.has_group(
            "hr_school_performance.hr_school_performance_group_headteacher"
        ):
            return
        user = self.env.user
        for need in self:
            if user not in (need.employee_user_id, need.reviewer_user_id):
                raise AccessError(
                    self.env._(
                        "Only %(employee)s, their reviewer, the headteacher or HR can record a "
                        "training need for them.",
                        employee=need.employee_id.name,
                    )
                )

    def _check_state(self, allowed, action):
        if any(need.state not in allowed for need in self):
            raise UserError(
                self.env._(
                    "%(action)s is not possible for a need that is %(state)s.",
                    action=action,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        self.filtered(lambda n: n.state not in allowed)[0].state
                    ],
                )
            )

    def action_plan(self):
        self._check_state(["identified"], self.env._("Planning"))
        missing = self.filtered(lambda need: not (need.action or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Describe the action that will meet “%(need)s” before planning it.",
                    need=missing[0].name,
                )
            )
        self.write({"state": "planned"})

    def action_done(self):
        self._check_state(["identified", "planned"], self.env._("Marking done"))
        today = fields.Date.context_today(self)
        for need in self:
            need.write({"state": "done", "date_done": need.date_done or today})

    def action_cancel(self):
        self._check_state(["identified", "planned"], self.env._("Cancelling"))
        self.write({"state": "cancelled"})

    def action_reset(self):
        self._check_state(["cancelled", "done"], self.env._("Reopening"))
        self.write({"state": "identified", "date_done": False})
