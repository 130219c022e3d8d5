import calendar
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command, Domain

# Month labels spelt out (not Python's `calendar.month_name`, which follows the server
# locale): Odoo exports and translates them as selection labels.
MONTHS = [
    ("1", "January"),
    ("2", "February"),
    ("3", "March"),
    ("4", "April"),
    ("5", "May"),
    ("6", "June"),
    ("7", "July"),
    ("8", "August"),
    ("9", "September"),
    ("10", "October"),
    ("11", "November"),
    ("12", "December"),
]

# Working-day deadline settings of the cycle template, with the seeds' defaults.


class HrPerformanceJobGroup(models.Model):
    """A group of jobs sharing one performance-management cycle template."""

    _name = "hr.performance.job.group"
    _description = "Performance Job Group"
    _inherit = ["mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True
    # A trust-wide group (company = the trust) serves every school of the trust.
    _check_company_domain = models.check_company_domain_parent_of

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        tracking=True,
        help="A school, or the trust: a trust-wide group applies to all its schools.",
    )
    job_ids = fields.Many2many(
        "hr.job",
        string="Job Positions",
        help="Staff holding one of these positions belong to the group.",
    )
    category_ids = fields.Many2many(
        "hr.employee.category",
        string="Employee Tags",
        help="Staff carrying one of these tags belong to the group.",
    )
    # Cycle template
    cycle_start_month = fields.Selection(MONTHS, required=True, default="9", tracking=True)
    cycle_start_day = fields.Integer(required=True, default=1, tracking=True)
    cycle_length_months = fields.Integer(
        string="Cycle Length (months)", required=True, default=12, tracking=True
    )
    midyear_offset_months = fields.Integer(
        string="Mid-Year Review after (months)",
        required=True,
        default=6,
        tracking=True,
        help="Months after the review period starts when the mid-year review is due, on "
        "the next working day. A shortened first review (a mid-cycle starter) has it at the "
        "same fraction of its own period (e.g. 6 of 12 months: half-way through), so it "
        "always falls inside the period.",
    )
    process = fields.Selection(
        [("full", "Full review"), ("abbreviated", "Abbreviated (job chat)")],
        required=True,
        default="full",
        tracking=True,
    )
    max_objectives = fields.Integer(
        string="Maximum Objectives", required=True, default=3, tracking=True
    )
    scale_id = fields.Many2one(
        "hr.performance.scale",
        string="Assessment Scale",
        required=True,
        tracking=True,
        default=lambda self: self.env.ref(
            "hr_school_performance.hr_performance_scale_county", raise_if_not_found=False
        ),
    )
    pay_progression = fields.Boolean(
        string="Pay Progression Applies",
        default=True,
        tracking=True,
        help="The overall assessment decides eligibility for the next pay (CBP) point.",
    )
    pay_decision_month = fields.Selection(
        MONTHS, string="Pay Decisions by (month)", help="Month by which pay decisions are taken."
    )
    pay_decision_day = fields.Integer(string="Pay Decisions by (day)", default=31)
    # Deadlines: rule lines, seeded from the default set (data)
    deadline_rule_ids = fields.One2many(
        "hr.performance.deadline.rule",
        "job_group_id",
        string="Deadline Rules",
        copy=True,
        default=lambda self: self._default_deadline_rule_ids(),
        help="The deadlines of the group's reviews: what is due, counted from which event, "
        "how many working or school days before or after it, who must act and what marks "
        "it met. A new group starts with the policies' defaults.",
    )
    moderation = fields.Selection(
        [
            ("all", "All statements"),
            ("sample", "A sample of statements"),
            ("none", "No moderation"),
        ],
        required=True,
        default="all",
        tracking=True,
        help="Which signed statements the headteacher moderates, until they choose for a "
        "cycle of their school (Moderation & Pay > Moderation): all, a sample drawn there, "
        "or none.",
    )
    observation_cap_hours = fields.Float(
        string="Observation Cap (hours per cycle)",
        required=True,
        default=3.0,
        tracking=True,
        help="Total classroom observation per cycle for a full-time reviewee; part-time staff "
        "get it pro rata to their working schedule.",
    )
    teaching_staff = fields.Boolean(
        tracking=True,
        help="The group's members are teachers: their observers must hold Qualified "
        "Teacher Status.",
    )
    cycle_prepare_days = fields.Integer(
        string="Prepare Next Cycle (days before)",
        required=True,
        default=30,
        tracking=True,
        help="The daily scheduled action creates the next cycle of each school this many "
        "days before the current one ends.",
    )
    cycle_auto_launch = fields.Boolean(
        string="Launch Cycles Automatically",
        tracking=True,
        help="Launch the prepared cycle on its first day. Otherwise HR checks who is excluded "
        "(probation, capability, new starters) and launches it.",
    )
    cycle_ids = fields.One2many("hr.performance.cycle", "job_group_id", string="Cycles")
    cycle_count = fields.Integer(compute="_compute_cycle_count")

    _check_cycle_length = models.Constraint(
        "CHECK(cycle_length_months BETWEEN 1 AND 24)",
        "A cycle lasts between 1 and 24 months.",
    )
    _check_midyear_offset = models.Constraint(
        "CHECK(midyear_offset_months > 0 AND midyear_offset_months < cycle_length_months)",
        "The mid-year review must fall inside the cycle.",
    )
    _check_observation_cap = models.Constraint(
        "CHECK(observation_cap_hours > 0)",
        "The observation cap must be a positive number of hours.",
    )
    _check_cycle_prepare_days = models.Constraint(
        "CHECK(cycle_prepare_days > 0)",
        "The next cycle must be prepared a positive number of days before the current one ends.",
    )
    _check_max_objectives = models.Constraint(
        "CHECK(max_objectives >= 0 AND max_objectives <= 20)",
        "The maximum number of objectives must be between 0 and 20.",
    )

    def _compute_cycle_count(self):
        counts = dict(
            self.env["hr.performance.cycle"]._read_group(
                [("job_group_id", "in", self.ids)], ["job_group_id"], ["__count"]
            )
        )
        for group in self:
            group.cycle_count = counts.get(group, 0)

    @api.constrains("cycle_start_month", "cycle_start_day")
    def _check_cycle_start(self):
        for group in self:
            last_day = calendar.monthrange(2001, int(group.cycle_start_month))[1]
            if not 1 <= group.cycle_start_day <= last_day:
                raise ValidationError(
                    self.env._(
                        "%(month)s has no day %(day)s: choose a day between 1 and %(last)s.",
                        month=dict(
                            group._fields["cycle_start_month"]._description_selection(self.env)
                        )[group.cycle_start_month],
                        day=group.cycle_start_day,
                        last=last_day,
                    )
                )

    @api.constrains("job_ids", "category_ids")
    def _check_members(self):
        for group in self:
            if not group.job_ids and not group.category_ids:
                raise ValidationError(
                    self.env._(
                        "Job group “%(group)s” needs at least one job position or employee tag.",
                        group=group.display_name,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if {
            "midyear_offset_months",
            "moderation",
            "process",
            "pay_progression",
            "pay_decision_month",
            "pay_decision_day",
        } & set(vals):
            # The open reviews of the group follow the new settings (rule lines changed
            # through the form resync themselves).
            self.env["hr.performance.deadline.rule"]._sync_open_reviews(self)
        return res

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _default_deadline_rule_ids(self):
        """Copies of the default set (the lines without a job group, from data)."""
        defaults = self.env["hr.performance.deadline.rule"].search([("job_group_id", "=", False)])
        return [Command.create(rule._default_values()) for rule in defaults]

    def _deadline_rule(self, code):
        """This group's rule line of ``code`` (empty when the group has none)."""
        self.ensure_one()
        return self.deadline_rule_ids.filtered(lambda rule: rule.code == code)[:1]

    def _cycle_bounds(self, reference):
        """Return (start, end) of the cycle of this group that contains ``reference``."""
        self.ensure_one()
        month = int(self.cycle_start_month)
        start = date(reference.year, month, self.cycle_start_day)
        if start > reference:
            start = date(reference.year - 1, month, self.cycle_start_day)
        length = relativedelta(months=self.cycle_length_months)
        while start + length <= reference:
            start += length
        return start, start + length - relativedelta(days=1)

    def _member_domain(self):
        """Domain on hr.employee matching the members of the groups in ``self``."""
        domains = []
        for group in self:
            parts = []
            if group.job_ids:
                parts.append(Domain("job_id", "in", group.job_ids.ids))
            if group.category_ids:
                parts.append(Domain("category_ids", "in", group.category_ids.ids))
            domains.append(Domain.OR(parts))
        return Domain.OR(domains) if domains else Domain.FALSE

    def _schools(self):
        """The schools (companies) the group applies to: its company, or the schools of
        its trust when set on a parent company."""
        self.ensure_one()
        children = self.env["res.company"].search([("id", "child_of", self.company_id.id)])
        leaves = children.filtered(lambda company: not company.child_ids)
        return leaves or self.company_id

    def _prepare_cycle_vals(self, school, reference):
        self.ensure_one()
        start, end = self._cycle_bounds(reference)
        return {
            "job_group_id": self.id,
            "company_id": school.id,
            "date_start": start,
            "date_end": end,
        }

    def action_create_cycles(self):
        """Create the draft cycle containing today for every school the group serves."""
        self.env["hr.performance.cycle"]._check_hr_officer()
        today = fields.Date.context_today(self)
        Cycle = self.env["hr.performance.cycle"]
        vals_list = []
        for group in self:
            for school in group._schools():
                vals = group._prepare_cycle_vals(school, today)
                if not Cycle.search_count(
                    [
                        ("job_group_id", "=", group.id),
                        ("company_id", "=", school.id),
                        ("date_start", "=", vals["date_start"]),
                    ],
                    limit=1,
                ):
                    vals_list.append(vals)
        cycles = Cycle.create(vals_list)
        return self.action_view_cycles() if len(self) == 1 else cycles

    @api.model
    def _cron_prepare_cycles(self):
        """Daily: create each group's next cycle (draft) at every school it serves
        ``cycle_prepare_days`` before the current one ends, and launch on their first day
        the cycles of the groups set to launch automatically."""
        today = fields.Date.context_today(self)
        groups = self.search([("active", "=", True)])
        for index, group in enumerate(groups, start=1):
            group._prepare_upcoming_cycles(today)
            if group.cycle_auto_launch:
                group._launch_started_cycles(today)
            self.env["ir.cron"]._commit_progress(1, remaining=len(groups) - index)

    def _prepare_upcoming_cycles(self, today):
        """Create the draft cycle that contains ``today + cycle_prepare_days`` at each
        school, unless one already covers that period."""
        self.ensure_one()
        Cycle = self.env["hr.performance.cycle"]
        reference = today + timedelta(days=self.cycle_prepare_days)
        vals_list = []
        for school in self._schools():
            vals = self._prepare_cycle_vals(school, reference)
            if not Cycle.search_count(
                [
                    ("job_group_id", "=", self.id),
                    ("company_id", "=", school.id),
                    ("date_start", "<=", vals["date_end"]),
                    ("date_end", ">=", vals["date_start"]),
                ],
                limit=1,
            ):
                vals_list.append(vals)
        cycles = Cycle.create(vals_list)
        for cycle in cycles:
            self.message_post(
                body=self.env._(
                    "Cycle %(cycle)s prepared (%(start)s – %(end)s): check it and launch it "
                    "before it starts.",
                    cycle=cycle.display_name,
                    start=cycle.date_start,
                    end=cycle.date_end,
                )
                if not self.cycle_auto_launch
                else self.env._(
                    "Cycle %(cycle)s prepared (%(start)s – %(end)s): it will be launched on "
                    "its first day.",
                    cycle=cycle.display_name,
                    start=cycle.date_start,
                    end=cycle.date_end,
                ),
                subtype_xmlid="mail.mt_comment",
            )
        return cycles

    def _launch_started_cycles(self, today):
        self.ensure_one()
        cycles = self.env["hr.performance.cycle"].search(
            [
                ("job_group_id", "=", self.id),
                ("state", "=", "draft"),
                ("date_start", "<=", today),
                ("date_end", ">=", today),
            ]
        )
        if cycles:
            cycles.action_launch()
        return cycles

    def action_view_cycles(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_school_performance.hr_performance_cycle_action"
        )
        action["domain"] = [("job_group_id", "=", self.id)]
        action["context"] = {"default_job_group_id": self.id}
        return action
