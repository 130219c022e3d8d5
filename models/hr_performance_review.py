from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

STATES = [
    ("planning", "Planning"),
    ("agreed", "Objectives Agreed"),
    ("in_progress", "In Progress"),
    ("final_review", "Final Review"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
]

# The activity owed by whoever acts next, per state: (activity type xmlid, due-date field).
NEXT_ACTIVITY = {
    "planning": ("hr_school_performance.mail_activity_type_planning_meeting", "date_planning_due"),
    "agreed": ("hr_school_performance.mail_activity_type_statement", "date_statement_due"),
    "in_progress": ("hr_school_performance.mail_activity_type_midyear", "date_midyear"),
    "final_review": ("hr_school_performance.mail_activity_type_final_review", "date_end"),
}
APPOINT_REVIEWER = "hr_school_performance.mail_activity_type_appoint_reviewer"
# Recorded events the deadlines are measured against, and the fields that move deadlines.
EVENT_DATE_FIELDS = (
    "date_invitation_sent",
    "date_self_evaluation",
    "date_draft_sent",
    "date_comments",
    "date_statement_signed",
    "date_moderated",
    "date_concern_meeting",
    "date_support_review",
)
DEADLINE_TRIGGERS = frozenset(
    EVENT_DATE_FIELDS
    + (
        "meeting_date",
        "midyear_meeting_date",
        "date_midyear",
        "date_start",
        "date_end",
        "reviewer_id",
        "employee_id",
        "cycle_id",
        "state",
    )
)

# Confidentiality (see readme/CONFIGURE.md). Record rules decide who reads a review; these
# decide which fields each person may write, since record rules cannot restrict fields.
CLOSED_STATES = ("completed", "cancelled")
OPEN_STATES = ("planning", "agreed", "in_progress", "final_review")
# What the process gives the reviewee to write on their own review, and when.
REVIEWEE_WRITABLE = {
    "self_evaluation": ("planning",),
    "pre_successes": ("planning",),
    "pre_helping_factors": ("planning",),
    "pre_hindering_factors": ("planning",),
    "pre_training_received": ("planning",),
    "pre_future_areas": ("planning",),
    "pre_jd_amendments": ("planning",),
    "pre_career_goals": ("planning",),
    "chat_likes": ("planning",),
    "chat_dislikes": ("planning",),
    "chat_needs": ("planning",),
    "chat_training": ("planning",),
    "chat_ideas": ("planning",),
    "career_now": ("planning",),
    "career_future": ("planning",),
    "career_options": ("planning",),
    "reviewee_comment": OPEN_STATES,
    "disagreement_note": OPEN_STATES,
    # When they returned their self-evaluation and comments (the deadlines measure them).
    "date_self_evaluation": ("planning",),
    "date_comments": OPEN_STATES,
}
# The reviewee's own words: the reviewer records them only for a reviewee without a login.
REVIEWEE_VOICE = {"self_evaluation", "reviewee_comment"}
# Who is reviewed, by whom, in which cycle and over which period: the headteacher and HR.
MANAGEMENT_FIELDS = {"cycle_id", "employee_id", "reviewer_id", "date_start", "date_end"}
# Written only by the workflow buttons, which check who may act.
WORKFLOW_FIELDS = {"state", "date_completed"}


class HrPerformanceReview(models.Model):
    """One reviewee's performance review in one cycle."""

    _name = "hr.performance.review"
    _description = "Performance Review"
    _inherit = ["hr.performance.confidential.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, employee_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    cycle_id = fields.Many2one(
        "hr.performance.cycle",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        domain="[('state', '=', 'open')]",
    )
    job_group_id = fields.Many2one(related="cycle_id.job_group_id", store=True, index=True)
    process = fields.Selection(related="job_group_id.process")
    scale_id = fields.Many2one(related="job_group_id.scale_id")
    max_objectives = fields.Integer(related="job_group_id.max_objectives")
    company_id = fields.Many2one(
        related="cycle_id.company_id", store=True, index=True, string="School"
    )
    employee_id = fields.Many2one(
        "hr.employee",
        string="Reviewee",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
    )
    employee_user_id = fields.Many2one(
        "res.users", related="employee_id.user_id", store=True, index=True, string="Reviewee User"
    )
    reviewer_id = fields.Many2one(
        "hr.employee",
        index=True,
        tracking=True,
        ondelete="restrict",
        help="Normally the line manager. Change it with “Change Reviewer”, which records "
        "the reason; the cycle does not restart.",
    )
    reviewer_user_id = fields.Many2one(
        "res.users", related="reviewer_id.user_id", store=True, index=True, string="Reviewer User"
    )
    reviewer_change_ids = fields.One2many(
        "hr.performance.reviewer.change", "review_id", string="Reviewer Changes", readonly=True
    )
    state = fields.Selection(STATES, required=True, default="planning", tracking=True, copy=False)
    date_start = fields.Date(
        string="Review Period Start",
        required=True,
        tracking=True,
        help="The cycle start, or later for staff who joined mid-cycle.",
    )
    date_end = fields.Date(string="Review Period End", required=True, tracking=True)
    is_shortened = fields.Boolean(
        compute="_compute_is_shortened", store=True, string="Shortened First Cycle"
    )
    # Planning meeting
    meeting_date = fields.Datetime(string="Planning Meeting", tracking=True)
    meeting_location = fields.Char(string="Meeting Place")
    date_planning_due = fields.Date(compute="_compute_due_dates", store=True, index=True)
    date_statement_due = fields.Date(compute="_compute_due_dates", store=True, index=True)
    date_midyear = fields.Date(
        string="Mid-Year Review Due",
        compute="_compute_due_dates",
        store=True,
        readonly=False,
        index=True,
    )
    # Pre-review form and self-evaluation (reviewee)
    self_evaluation = fields.Html(string="Self-Evaluation")
    pre_successes = fields.Text(string="Successes in the Last Year")
    pre_helping_factors = fields.Text(string="What Helped")
    pre_hindering_factors = fields.Text(string="What Hindered")
    pre_training_received = fields.Text(string="Training and Development Received")
    pre_future_areas = fields.Text(string="Areas to Develop")
    pre_jd_amendments = fields.Text(string="Job Description Amendments")
    pre_career_goals = fields.Text(string="Career Goals")
    # Abbreviated process ("job chat")
    chat_likes = fields.Text(string="What I Like about My Job")
    chat_dislikes = fields.Text(string="What I Dislike about My Job")
    chat_needs = fields.Text(string="What I Need to Do My Job and Give a Good Service")
    chat_training = fields.Text(string="Training I Would Like")
    chat_ideas = fields.Text(string="Ideas for Improvement")
    career_now = fields.Text(string="Career: Where I Am Now")
    career_future = fields.Text(string="Career: Where I Want to Be in 5–10 Years")
    career_options = fields.Text(string="Career: Options")
    career_actions = fields.Text(string="Career: Actions Agreed")
    # Planning outcomes
    training_needs = fields.Text(string="Training and Development Needs")
    training_actions = fields.Text(
        string="Action to Be Taken",
        help="How the training needs will be met (course, coaching, shadowing...). Needs and "
        "actions are all the CPD leader receives of the review.",
    )
    reasonable_adjustments = fields.Text(
        help="Reasonable adjustments agreed for a disability, if any."
    )
    disagreement = fields.Boolean(
        string="Not Agreed",
        tracking=True,
        help="Reviewer and reviewee did not agree; the reviewer determined the content.",
    )
    disagreement_note = fields.Text(string="Disagreement Recorded")
    # Mid-year
    midyear_meeting_date = fields.Date(string="Mid-Year Review Held", tracking=True)
    midyear_notes = fields.Html(string="Mid-Year Review")
    # Final review
    final_assessment = fields.Html()
    reviewee_comment = fields.Text(string="Reviewee's Comments")
    outcome_level_id = fields.Many2one(
        "hr.performance.scale.level",
        string="Overall Assessment",
        tracking=True,
        domain="[('scale_id', '=', scale_id)]",
    )
    pay_progression_eligible = fields.Boolean(
        string="Eligible for Pay Progression",
        compute="_compute_pay_progression_eligible",
        store=True,
    )
    pay_criteria_met = fields.Selection(
        [("met", "Criteria met"), ("not_met", "Criteria not met")],
        string="Pay Recommendation",
        tracking=True,
    )
    current_pay_level = fields.Char()
    recommended_pay_level = fields.Char()
    date_completed = fields.Date(readonly=True, copy=False)
    objective_ids = fields.One2many("hr.performance.objective", "review_id", string="Objectives")
    objective_count = fields.Integer(compute="_compute_objective_count")
    # Year-round process: deadlines, meetings, observations, training needs
    date_invitation_sent = fields.Date(
        string="Invitation Memo Sent",
        tracking=True,
        copy=False,
        help="When the reviewee received the invitation memo: set when the memo is e-mailed.",
    )
    date_self_evaluation = fields.Date(string="Self-Evaluation Returned", tracking=True, copy=False)
    date_draft_sent = fields.Date(string="Draft Statement Sent", tracking=True, copy=False)
    date_comments = fields.Date(string="Reviewee's Comments Returned", tracking=True, copy=False)
    date_statement_signed = fields.Date(string="Final Statement Signed", tracking=True, copy=False)
    date_moderated = fields.Date(string="Statement Moderated", tracking=True, copy=False)
    date_concern_meeting = fields.Date(
        string="Concerns Meeting",
        tracking=True,
        copy=False,
        help="Formal meeting about concerns with performance: the support period that follows "
        "is reviewed within the job group's limit.",
    )
    date_support_review = fields.Date(string="Support Period Reviewed", tracking=True, copy=False)
    deadline_ids = fields.One2many("hr.performance.deadline", "review_id", string="Deadlines")
    deadline_missed_count = fields.Integer(
        compute="_compute_deadline_missed_count", string="Missed Deadlines"
    )
    has_overdue_deadline = fields.Boolean(
        compute="_compute_deadline_missed_count",
        search="_search_has_overdue_deadline",
        string="Overdue",
    )
    meeting_ids = fields.One2many("calendar.event", "performance_review_id", string="Meetings")
    meeting_count = fields.Integer(compute="_compute_meeting_count")
    meeting_short_notice = fields.Boolean(
        compute="_compute_meeting_count",
        string="Short Notice",
        help="The planning meeting was booked with less notice than the job group asks.",
    )
    observation_ids = fields.One2many(
        "hr.performance.observation", "review_id", string="Observations"
    )
    observation_hours = fields.Float(
        compute="_compute_observation_hours", string="Observation Arranged (hours)"
    )
    observation_cap_hours = fields.Float(
        compute="_compute_observation_hours",
        string="Observation Cap (hours)",
        help="The job group's cap per cycle, pro rata to the reviewee's working time.",
    )
    training_need_ids = fields.One2many(
        "hr.performance.training.need", "review_id", string="Training Needs"
    )
    training_need_count = fields.Integer(compute="_compute_training_need_count")
    # Confidentiality
    reviewer_access_until = fields.Date(
        compute="_compute_reviewer_access_until",
        store=True,
        help="Last day the reviewer reads this completed review (the school's setting). A "
        "replaced reviewer loses access at once.",
    )
    access_grant_ids = fields.One2many(
        "hr.performance.access.grant", "review_id", string="Access Grants", readonly=True
    )
    access_log_ids = fields.One2many("hr.performance.access.log", "review_id", readonly=True)
    access_overview = fields.Html(
        string="Who Can See This Review",
        compute="_compute_access_overview",
        sanitize=False,
        help="Everyone who can read this review, and why.",
    )
    has_active_grant = fields.Boolean(
        compute="_compute_has_active_grant",
        search="_search_has_active_grant",
        help="The current user reads this review through a running access grant.",
    )
    is_own_review = fields.Boolean(compute="_compute_access_flags")
    can_grant_access = fields.Boolean(compute="_compute_access_flags")
    can_view_access_log = fields.Boolean(compute="_compute_access_flags")

    _check_period = models.Constraint(
        "CHECK(date_end >= date_start)", "A review period must end after it starts."
    )
    _unique_employee_cycle = models.UniqueIndex(
        "(cycle_id, employee_id)", "This member of staff already has a review in this cycle."
    )

    @api.depends("employee_id.name", "cycle_id.name")
    def _compute_name(self):
        for review in self:
            review.name = self.env._(
                "%(employee)s – %(cycle)s",
                employee=review.employee_id.name or "",
                cycle=review.cycle_id.name or "",
            )

    @api.depends("date_start", "cycle_id.date_start")
    def _compute_is_shortened(self):
        for review in self:
            review.is_shortened = bool(
                review.cycle_id
                and review.date_start
                and review.date_start > review.cycle_id.date_start
            )

    @api.depends(
        "date_start",
        "date_end",
        "meeting_date",
        "cycle_id.date_midyear",
        "job_group_id.planning_meeting_days",
        "job_group_id.final_statement_days",
        "job_group_id.midyear_offset_months",
        "company_id.resource_calendar_id",
    )
    def _compute_due_dates(self):
        calendars = {}
        for review in self:
            group = review.job_group_id
            company = review.company_id or review.cycle_id.company_id
            if not (group and company and review.date_start):
                review.date_planning_due = review.date_statement_due = False
                review.date_midyear = review.date_midyear or False
                continue
            if company not in calendars:
                calendars[company] = company._performance_working_calendar()
            calendar = calendars[company]
            review.date_planning_due = calendar.add(review.date_start, group.planning_meeting_days)
            meeting = company._performance_local_date(review.meeting_date)
            review.date_statement_due = meeting and calendar.add(
                meeting, group.final_statement_days
            )
            midyear = review.cycle_id.date_midyear
            if meeting:
                midyear = meeting + relativedelta(months=group.midyear_offset_months)
            if midyear and review.date_end and midyear > review.date_end:
                midyear = review.date_end
            if midyear:
                adjusted = calendar.add(midyear, 0)
                if review.date_end and adjusted > review.date_end:
                    adjusted = calendar.add(review.date_end + timedelta(days=1), -1)
                midyear = adjusted
            review.date_midyear = midyear

    @api.depends("outcome_level_id.pay_progression_eligible", "job_group_id.pay_progression")
    def _compute_pay_progression_eligible(self):
        for review in self:
            review.pay_progression_eligible = bool(
                review.job_group_id.pay_progression
                and review.outcome_level_id.pay_progression_eligible
            )

    @api.depends("state", "date_completed", "company_id.performance_reviewer_access_months")
    def _compute_reviewer_access_until(self):
        for review in self:
            if review.state == "completed" and review.date_completed:
                months = review.company_id.performance_reviewer_access_months
                review.reviewer_access_until = fields.Date.add(review.date_completed, months=months)
            else:
                # Open: the rule grants access; cancelled: the reviewer has nothing left to do.
                review.reviewer_access_until = False

    @api.depends_context("uid")
    def _compute_has_active_grant(self):
        granted = set(self._granted_review_ids())
        for review in self:
            review.has_active_grant = review.id in granted

    def _search_has_active_grant(self, operator, value):
        # Used by the record rules. A domain on access_grant_ids would make the rule check
        # read the grants as superuser into the record cache, which the form's own read of
        # the field then meets unfiltered.
        if operator not in ("in", "not in"):
            return NotImplemented
        positive = (operator == "in") == (True in value)
        return [("id", "in" if positive else "not in", self._granted_review_ids())]

    @api.model
    def _granted_review_ids(self):
        """Ids of the reviews the current user holds a running access grant on."""
        today = fields.Date.context_today(self)
        # sudo: the current user's own grants; rules are evaluated as superuser, the uid
        # stays the user's.
        grants = (
            self.env["hr.performance.access.grant"]
            .sudo()
            .search_fetch(
                [
                    ("user_id", "=", self.env.uid),
                    ("date_revoked", "=", False),
                    ("date_from", "<=", today),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", today),
                ],
                ["review_id"],
            )
        )
        return grants.review_id.ids

    @api.depends_context("uid")
    @api.depends("employee_user_id")
    def _compute_access_flags(self):
        user = self.env.user
        is_headteacher = self._is_headteacher()
        is_hr = self._is_hr_officer()
        for review in self:
            own = review.employee_user_id == user
            review.is_own_review = own
            review.can_grant_access = is_headteacher and not own
            review.can_view_access_log = own or is_hr

    @api.depends_context("uid", "lang")
    @api.depends("reviewer_id", "state", "reviewer_access_until", "access_grant_ids")
    def _compute_access_overview(self):
        for review in self:
            review.access_overview = self.env["ir.qweb"]._render(
                "hr_school_performance.hr_performance_review_access_overview",
                {
                    "reviewee": review.sudo().employee_id.name,
                    # Who has access and why is owed to the reviewee (and known to the
                    # headteacher and HR who grant it); any other reader (the reviewer, a
                    # grantee) sees only what the policy says, never who was granted
                    # access, by whom or why (an appeal may be about the reviewer).
                    "holders": review._get_access_holders()
                    if self.env.su
                    or review.employee_user_id == self.env.user
                    or self._is_headteacher()
                    else review._get_access_policy_holders(),
                },
            )

    def _compute_objective_count(self):
        counts = dict(
            self.env["hr.performance.objective"]._read_group(
                [("review_id", "in", self.ids)], ["review_id"], ["__count"]
            )
        )
        for review in self:
            review.objective_count = counts.get(review, 0)

    @api.depends_context("tz")
    @api.depends("deadline_ids.date_due", "deadline_ids.date_done", "deadline_ids.waived")
    def _compute_deadline_missed_count(self):
        today = fields.Date.context_today(self)
        for review in self:
            missed = review.deadline_ids.filtered(lambda d: d._status_on(today) == "missed")
            review.deadline_missed_count = len(missed)
            review.has_overdue_deadline = bool(missed)

    def _search_has_overdue_deadline(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        overdue = [("deadline_ids", "any", [("status", "in", ["missed"])])]
        wanted = True in value
        if (operator == "in") == wanted:
            return overdue
        return ["!", *overdue]

    def _compute_meeting_count(self):
        # Performance meetings are private events: count those the user may open. The
        # short-notice flag of the planning meeting is part of the review, read for anyone
        # who reads the review (flag only).
        Event = self.env["calendar.event"]
        visible = Event.search([("performance_review_id", "in", self.ids)])
        short_notice = Event.sudo().search(
            [
                ("performance_review_id", "in", self.ids),
                ("performance_meeting_kind", "=", "planning"),
                ("performance_short_notice", "=", True),
            ]
        )
        counts = {
            review: len(events)
            for review, events in visible.grouped("performance_review_id").items()
        }
        flagged = short_notice.grouped("performance_review_id")
        for review in self:
            review.meeting_count = counts.get(review, 0)
            review.meeting_short_notice = any(
                event.start == review.meeting_date for event in flagged.get(review, Event)
            )

    @api.depends(
        "observation_ids.duration_hours",
        "observation_ids.state",
        "job_group_id.observation_cap_hours",
        "employee_id",
    )
    def _compute_observation_hours(self):
        for review in self:
            review.observation_hours = sum(
                review.observation_ids.filtered(lambda o: o.state != "cancelled").mapped(
                    "duration_hours"
                )
            )
            review.observation_cap_hours = review._observation_cap()

    def _compute_training_need_count(self):
        counts = dict(
            self.env["hr.performance.training.need"]._read_group(
                [("review_id", "in", self.ids)], ["review_id"], ["__count"]
            )
        )
        for review in self:
            review.training_need_count = counts.get(review, 0)

    @api.constrains("reviewer_id", "employee_id")
    def _check_reviewer(self):
        for review in self:
            if review.reviewer_id and review.reviewer_id == review.employee_id:
                raise ValidationError(
                    self.env._(
                        "%(employee)s cannot review themselves: choose another reviewer.",
                        employee=review.employee_id.name,
                    )
                )

    @api.constrains("date_start", "date_end", "cycle_id")
    def _check_dates_in_cycle(self):
        for review in self:
            cycle = review.cycle_id
            if review.date_start < cycle.date_start or review.date_end > cycle.date_end:
                raise ValidationError(
                    self.env._(
                        "The review period of %(review)s (%(start)s – %(end)s) must lie within "
                        "its cycle (%(cycle_start)s – %(cycle_end)s).",
                        review=review.display_name,
                        start=review.date_start,
                        end=review.date_end,
                        cycle_start=cycle.date_start,
                        cycle_end=cycle.date_end,
                    )
                )

    @api.constrains("meeting_date", "date_start", "date_end")
    def _check_meeting_date(self):
        for review in self:
            if not review.meeting_date:
                continue
            meeting = review.meeting_date.date()
            cycle = review.cycle_id
            # A planning meeting may be held shortly before the cycle opens.
            earliest = fields.Date.subtract(cycle.date_start, months=2)
            if not earliest <= meeting <= cycle.date_end:
                raise ValidationError(
                    self.env._(
                        "The planning meeting of %(review)s on %(date)s is outside its cycle "
                        "(%(start)s – %(end)s).",
                        review=review.display_name,
                        date=meeting,
                        start=cycle.date_start,
                        end=cycle.date_end,
                    )
                )

    @api.constrains(*EVENT_DATE_FIELDS)
    def _check_event_dates(self):
        today = fields.Date.context_today(self)
        for review in self:
            for fname in EVENT_DATE_FIELDS:
                if review[fname] and review[fname] > today:
                    raise ValidationError(
                        self.env._(
                            "“%(event)s” of %(review)s cannot be in the future (%(date)s): "
                            "record it once it has happened.",
                            event=review._fields[fname].get_description(self.env)["string"],
                            review=review.display_name,
                            date=review[fname],
                        )
                    )
            draft, comments = review.date_draft_sent, review.date_comments
            if draft and comments and comments < draft:
                raise ValidationError(
                    self.env._(
                        "The reviewee's comments on %(review)s cannot come before the "
                        "draft statement was sent (%(date)s).",
                        review=review.display_name,
                        date=draft,
                    )
                )
            if review.date_support_review and not review.date_concern_meeting:
                raise ValidationError(
                    self.env._(
                        "Record the concerns meeting of %(review)s before reviewing its "
                        "support period.",
                        review=review.display_name,
                    )
                )

    @api.onchange("reviewer_id")
    def _onchange_reviewer_id(self):
        warning = self._reviewer_cap_warning(self.reviewer_id)
        if warning:
            return {"warning": {"title": self.env._("Reviewer at capacity"), "message": warning}}

    @api.model_create_multi
    def create(self, vals_list):
        cycles = self.env["hr.performance.cycle"].browse(
            {vals["cycle_id"] for vals in vals_list if vals.get("cycle_id")}
        )
        for vals in vals_list:
            cycle = cycles.filtered(lambda c, v=vals: c.id == v.get("cycle_id"))
            if cycle:
                vals.setdefault("date_start", cycle.date_start)
                vals.setdefault("date_end", cycle.date_end)
        if any(cycle.state == "closed" for cycle in cycles):
            raise UserError(self.env._("Reviews cannot be added to a closed cycle."))
        reviews = super(
            HrPerformanceReview,
            self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True),
        ).create(vals_list)
        reviews._sync_deadlines()
        return reviews

    def write(self, vals):
        self._check_field_write_rights(vals)
        if "reviewer_id" in vals and not self.env.context.get("hsp_reviewer_reassign"):
            changing = self.filtered(
                lambda r: r.reviewer_id and r.reviewer_id.id != vals["reviewer_id"]
            )
            if changing:
                raise UserError(
                    self.env._(
                        "Use “Change Reviewer” to replace the reviewer of %(review)s: the reason "
                        "is recorded and the cycle carries on.",
                        review=changing[0].display_name,
                    )
                )
            self._check_can_assign_reviewer()
        if {"cycle_id", "employee_id"} & set(vals) and any(r.state != "planning" for r in self):
            raise UserError(self.env._("The reviewee and cycle of a started review cannot change."))
        result = super().write(vals)
        if "reviewer_id" in vals:
            # Hand the pending activity over to the new reviewer.
            self._schedule_next_activity()
        if DEADLINE_TRIGGERS & set(vals):
            self._sync_deadlines()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        if any(review.state not in ("planning", "cancelled") for review in self):
            raise UserError(self.env._("A review under way cannot be deleted: cancel it instead."))

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------
    def _is_hr_officer(self):
        return self.env.user.has_group(
            "hr_school_performance.hr_school_performance_group_hr_officer"
        )

    def _is_headteacher(self):
        return self.env.user.has_group(
            "hr_school_performance.hr_school_performance_group_headteacher"
        )

    def _check_can_manage(self):
        """The reviewer, the headteacher of the school or HR may move a review on."""
        if self.env.su or self._is_headteacher():
            return
        for review in self:
            if review.reviewer_user_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "Only the reviewer, the headteacher or HR can move %(review)s on.",
                        review=review.display_name,
                    )
                )

    def _check_field_write_rights(self, vals):
        """Refuse the fields the current user's role does not give them on each review.
        Record rules have already decided which reviews they may write at all."""
        if self.env.su:
            return
        written = set(vals)
        if written & WORKFLOW_FIELDS:
            raise AccessError(
                self.env._(
                    "The status of a review changes only through its buttons (Objectives Agreed, "
                    "Start Monitoring, ... Complete), which check who may move it on."
                )
            )
        user = self.env.user
        is_headteacher = self._is_headteacher()
        for review in self:
            if review.employee_user_id == user:
                allowed = {f for f, states in REVIEWEE_WRITABLE.items() if review.state in states}
                refused = written - allowed
                if refused:
                    raise AccessError(
                        self.env._(
                            "On your own review you can only write your self-evaluation, "
                            "pre-review form, job chat answers, comments and disagreement, while "
                            "the review is open; you cannot change %(fields)s on %(review)s "
                            "(%(state)s).",
                            fields=review._field_labels(refused),
                            review=review.display_name,
                            state=dict(self._fields["state"]._description_selection(self.env))[
                                review.state
                            ],
                        )
                    )
            elif is_headteacher:
                continue
            elif review.reviewer_user_id == user:
                if review.state in CLOSED_STATES:
                    raise AccessError(
                        self.env._(
                            "%(review)s is closed: ask the headteacher or HR to reopen it before "
                            "changing it.",
                            review=review.display_name,
                        )
                    )
                refused = written & MANAGEMENT_FIELDS
                if review.employee_user_id:
                    refused |= written & REVIEWEE_VOICE
                if refused:
                    raise AccessError(
                        self.env._(
                            "As the reviewer of %(review)s you cannot change %(fields)s: the "
                            "reviewee writes their own words, and the headteacher or HR decide "
                            "who is reviewed, by whom and over which period.",
                            review=review.display_name,
                            fields=review._field_labels(refused),
                        )
                    )
            # Anyone else: the record rules refuse the write without naming the review.

    def _field_labels(self, field_names):
        return ", ".join(
            f"“{self._fields[name]._description_string(self.env)}”" for name in sorted(field_names)
        )

    def _get_access_holders(self):
        """Everyone who can read this review and why, for the reviewee: a list of dicts
        with ``who``, ``role``, ``scope``, ``date_from``, ``date_to`` and ``grant``."""
        self.ensure_one()
        # sudo: group members and grants are listed for the transparency the policies owe
        # the reviewee; the names and roles only, never other records.
        review = self.sudo()
        company = review.company_id
        holders = []
        if review.reviewer_id:
            holders.append(
                {
                    "who": review.reviewer_id.name,
                    "role": self.env._("Reviewer"),
                    "scope": self.env._("The whole review, while it is open")
                    if review.state not in CLOSED_STATES
                    else self.env._("The whole review"),
                    "date_from": False,
                    "date_to": review.reviewer_access_until
                    if review.state == "completed"
                    else False,
                    "grant": False,
                }
            )

        def members(xmlid):
            group = self.env.ref(xmlid).sudo()
            return group.all_user_ids.filtered(
                lambda u: u.active and not u.share and company in u.company_ids
            )

        hr_users = members("hr_school_performance.hr_school_performance_group_hr_officer")
        pay_scope = self.env._(
            "Only the overall assessment, pay eligibility and recommendation, once completed"
        )
        partial = [
            (
                "hr_school_performance.hr_school_performance_group_headteacher",
                self.env._("Headteacher"),
                self.env._("Every review of the school"),
            ),
            (
                "hr_school_performance.hr_school_performance_group_hr_officer",
                self.env._("HR"),
                self.env._("Every review of the schools they work for"),
            ),
            (
                "hr_school_performance.hr_school_performance_group_payroll",
                self.env._("Payroll"),
                pay_scope,
            ),
            (
                "hr_school_performance.hr_school_performance_group_governor",
                self.env._("Governor / pay committee"),
                pay_scope,
            ),
            (
                "hr_school_performance.hr_school_performance_group_cpd_leader",
                self.env._("CPD leader"),
                self.env._("Only the training needs and the actions agreed"),
            ),
        ]
        for xmlid, role, scope in partial:
            users = members(xmlid)
            if xmlid.endswith("_headteacher"):
                users -= hr_users
            users -= review.employee_user_id
            holders.extend(
                {
                    "who": user.name,
                    "role": role,
                    "scope": scope,
                    "date_from": False,
                    "date_to": False,
                    "grant": False,
                }
                for user in users.sorted("name")
            )
        # Searched rather than read through access_grant_ids: a superuser read of the
        # one2many would fill the cache the user's own read of the field then meets.
        grants = (
            self.env["hr.performance.access.grant"]
            .sudo()
            .search([("review_id", "=", self.id)], order="date_from, id")
        )
        for grant in grants:
            holders.append(
                {
                    "who": grant.user_id.name,
                    "role": dict(grant._fields["purpose"]._description_selection(self.env))[
                        grant.purpose
                    ],
                    "scope": grant.note or self.env._("The whole review"),
                    "date_from": grant.date_from,
                    "date_to": grant.date_to,
                    "grant": grant,
                }
            )
        return holders

    def _get_access_policy_holders(self):
        """Who can read this review by policy, by role and without names but the reviewer's,
        for readers who are not owed the detail of :meth:`_get_access_holders`."""
        self.ensure_one()
        review = self.sudo()
        pay_scope = self.env._(
            "Only the overall assessment, pay eligibility and recommendation, once completed"
        )
        rows = [
            (
                self.env._("The headteacher"),
                self.env._("Headteacher"),
                self.env._("Every review of the school"),
            ),
            (
                self.env._("HR"),
                self.env._("HR"),
                self.env._("Every review of the schools they work for"),
            ),
            (self.env._("Payroll"), self.env._("Payroll"), pay_scope),
            (self.env._("The pay committee"), self.env._("Governor / pay committee"), pay_scope),
            (
                self.env._("The CPD leader"),
                self.env._("CPD leader"),
                self.env._("Only the training needs and the actions agreed"),
            ),
            (
                self.env._("Anyone the headteacher or HR grants access to"),
                self.env._("Access granted for a stated purpose and period"),
                self.env._("The whole review; the reviewee is told who and why"),
            ),
        ]
        holders = []
        if review.reviewer_id:
            holders.append(
                {
                    "who": review.reviewer_id.name,
                    "role": self.env._("Reviewer"),
                    "scope": self.env._("The whole review"),
                    "date_from": False,
                    "date_to": review.reviewer_access_until
                    if review.state == "completed"
                    else False,
                    "grant": False,
                }
            )
        holders.extend(
            {
                "who": who,
                "role": role,
                "scope": scope,
                "date_from": False,
                "date_to": False,
                "grant": False,
            }
            for who, role, scope in rows
        )
        return holders

    def _check_can_assign_reviewer(self):
        if not (self.env.su or self._is_headteacher()):
            raise AccessError(
                self.env._("Only the headteacher or HR can appoint or change a reviewer.")
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _check_state(self, allowed, action):
        wrong = self.filtered(lambda r: r.state not in allowed)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(action)s is not possible: %(review)s is “%(state)s”; "
                    "it must be %(allowed)s.",
                    action=action,
                    review=wrong[0].display_name,
                    state=labels[wrong[0].state],
                    allowed=self.env._(" or ").join(f"“{labels[s]}”" for s in allowed),
                )
            )

    def action_agree_objectives(self):
        self._check_can_manage()
        self._check_state(["planning"], self.env._("Agreeing the objectives"))
        for review in self:
            if not review.reviewer_id:
                raise UserError(
                    self.env._(
                        "Appoint a reviewer for %(review)s first.", review=review.display_name
                    )
                )
            if not review.meeting_date:
                raise UserError(
                    self.env._(
                        "Record the planning meeting of %(review)s first.",
                        review=review.display_name,
                    )
                )
            if review.process == "full" and review.max_objectives and not review.objective_ids:
                raise UserError(
                    self.env._(
                        "Set at least one objective for %(review)s before agreeing them.",
                        review=review.display_name,
                    )
                )
        self._transition("agreed")

    def action_start_monitoring(self):
        self._check_can_manage()
        self._check_state(["agreed"], self.env._("Starting the monitoring period"))
        self._transition("in_progress")

    def action_start_final_review(self):
        self._check_can_manage()
        self._check_state(["in_progress"], self.env._("Starting the final review"))
        self._transition("final_review")

    def action_complete(self):
        self._check_can_manage()
        self._check_state(["final_review"], self.env._("Completing the review"))
        for review in self:
            if not review.outcome_level_id:
                raise UserError(
                    self.env._(
                        "Choose the overall assessment of %(review)s first.",
                        review=review.display_name,
                    )
                )
            unassessed = review.objective_ids.filtered(lambda o: not o.assessment_level_id)
            if unassessed:
                raise UserError(
                    self.env._(
                        "Assess every objective of %(review)s first (missing: %(objective)s).",
                        review=review.display_name,
                        objective=unassessed[0].display_name,
                    )
                )
        self._transition("completed", {"date_completed": fields.Date.context_today(self)})

    def action_cancel(self):
        self._check_can_manage()
        self._check_state(
            ["planning", "agreed", "in_progress", "final_review"], self.env._("Cancelling")
        )
        self._transition("cancelled")

    def action_reset_to_planning(self):
        if not self._is_hr_officer():
            raise AccessError(self.env._("Only HR can reopen a cancelled review."))
        self._check_state(["cancelled"], self.env._("Reopening"))
        if any(review.cycle_id.state != "open" for review in self):
            raise UserError(self.env._("A review can only be reopened while its cycle is open."))
        self._transition("planning")

    def _transition(self, state, extra=None):
        labels = dict(self._fields["state"]._description_selection(self.env))
        # sudo: the workflow fields are refused to direct writes; each action_* checked the
        # caller's right to act (_check_can_manage) and the review's state before this.
        self.sudo().write(dict(extra or {}, state=state))
        self._schedule_next_activity()
        for review in self:
            review.message_post(
                body=Markup("%s") % self.env._("Review moved to “%(state)s”.", state=labels[state]),
                subtype_xmlid="mail.mt_note",
            )

    def _schedule_next_activity(self):
        """Close the workflow activities of the reviews in ``self`` and schedule the one owed
        next, in one batch. Reviews with no reviewer get an "appoint a reviewer" activity for
        the HR officer running the cycle."""
        all_types = [xmlid for xmlid, __ in NEXT_ACTIVITY.values()] + [APPOINT_REVIEWER]
        type_ids = {xmlid: self.env["ir.model.data"]._xmlid_to_res_id(xmlid) for xmlid in all_types}
        done = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "in", list(type_ids.values())),
                ("automated", "=", True),
            ]
        )
        done.action_feedback(feedback=self.env._("Done: the review moved on."))
        model_id = self.env["ir.model"]._get_id(self._name)
        hr_user = self.env.user if self._is_hr_officer() else None
        vals_list = []
        for review in self:
            if review.state not in NEXT_ACTIVITY:
                continue
            if not review.reviewer_user_id:
                xmlid, deadline = APPOINT_REVIEWER, review.date_start
                user = hr_user or review.cycle_id.write_uid
            else:
                xmlid, date_field = NEXT_ACTIVITY[review.state]
                deadline, user = review[date_field] or review.date_end, review.reviewer_user_id
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": review.id,
                    "activity_type_id": type_ids[xmlid],
                    "date_deadline": deadline,
                    "user_id": user.id,
                    "automated": True,
                }
            )
        # One notification per reviewer is enough: the activity list shows the rest.
        return (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .sudo()
            .create(vals_list)
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _reviewer_cap_warning(self, reviewer):
        """A warning text when ``reviewer`` already carries the school's maximum number of
        reviewees in the cycle of this review, else False."""
        self.ensure_one()
        cap = (
            self.company_id.performance_reviewee_cap
            or self.cycle_id.company_id.performance_reviewee_cap
        )
        if not (cap and reviewer and self.cycle_id):
            return False
        carried = self.sudo().search_count(
            [
                ("cycle_id.company_id", "=", self.cycle_id.company_id.id),
                ("cycle_id.state", "!=", "closed"),
                ("reviewer_id", "=", reviewer.id),
                ("state", "!=", "cancelled"),
                ("id", "not in", self._origin.ids),
            ]
        )
        if carried < cap:
            return False
        return self.env._(
            "%(reviewer)s already reviews %(count)s members of staff at %(school)s; the school's "
            "maximum is %(cap)s.",
            reviewer=reviewer.name,
            count=carried,
            school=self.cycle_id.company_id.name,
            cap=cap,
        )

    def _reassign_reviewer(self, new_reviewer, reason):
        """Replace the reviewer, record who changed it and why, and hand the open activities
        over. The review keeps its state: the cycle does not restart."""
        self._check_can_assign_reviewer()
        if not self.env.su and self.env.user in self.employee_user_id:
            raise AccessError(
                self.env._(
                    "You cannot change the reviewer of your own review: ask another "
                    "headteacher or HR in writing, giving your reasons."
                )
            )
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for changing the reviewer."))
        for review in self:
            if review.state in ("completed", "cancelled"):
                raise UserError(
                    self.env._(
                        "The reviewer of %(review)s cannot change: the review is closed.",
                        review=review.display_name,
                    )
                )
            if new_reviewer == review.employee_id:
                raise ValidationError(
                    self.env._(
                        "%(employee)s cannot review themselves: choose another reviewer.",
                        employee=review.employee_id.name,
                    )
                )
            if new_reviewer == review.reviewer_id:
                raise UserError(
                    self.env._(
                        "%(reviewer)s already reviews %(review)s.",
                        reviewer=new_reviewer.name,
                        review=review.display_name,
                    )
                )
        self.env["hr.performance.reviewer.change"].create(
            [
                {
                    "review_id": review.id,
                    "old_reviewer_id": review.reviewer_id.id,
                    "new_reviewer_id": new_reviewer.id,
                    "reason": reason,
                }
                for review in self
            ]
        )
        self.with_context(hsp_reviewer_reassign=True).write({"reviewer_id": new_reviewer.id})
        # The replaced reviewer loses access: they no longer follow the review either.
        self._unsubscribe_followers_without_access()

    def _carry_forward_objectives(self):
        """Copy into each new review the objectives of the same reviewee's previous review
        that were marked to continue into the next cycle."""
        if not self:
            return self.env["hr.performance.objective"]
        previous = self.env["hr.performance.objective"].search(
            [
                ("employee_id", "in", self.employee_id.ids),
                ("continue_next_cycle", "=", True),
                ("review_id.state", "!=", "cancelled"),
                ("review_id", "not in", self.ids),
                ("next_objective_ids", "=", False),
            ]
        )
        by_employee = previous.grouped("employee_id")
        vals_list = []
        for review in self:
            for objective in by_employee.get(review.employee_id, []):
                if objective.review_id.date_end < review.date_start:
                    vals_list.append(objective._prepare_carry_forward_vals(review))
        return self.env["hr.performance.objective"].create(vals_list)

    def action_open_reassign(self):
        self.ensure_one()
        self._check_can_assign_reviewer()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Reviewer"),
            "res_model": "hr.performance.review.reassign",
            "view_mode": "form",
            "target": "new",
            "context": {"default_review_id": self.id},
        }

    def action_grant_access(self):
        self.ensure_one()
        if not self.can_grant_access:
            raise AccessError(
                self.env._(
                    "Only the headteacher or HR can grant access to a review, and not to their "
                    "own review."
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Grant Access to %(review)s", review=self.display_name),
            "res_model": "hr.performance.access.grant",
            "view_mode": "form",
            "target": "new",
            "context": {"default_review_id": self.id},
        }

    def _get_performance_review(self):
        return self

    def action_view_objectives(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_school_performance.hr_performance_objective_action"
        )
        action["domain"] = [("review_id", "=", self.id)]
        action["context"] = {"default_review_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Meetings
    # ------------------------------------------------------------------
    def _meeting_partners(self):
        """The reviewer's and the reviewee's contacts, the attendees of their meetings."""
        self.ensure_one()
        employees = (self.employee_id | self.reviewer_id).sudo()
        return employees.mapped(lambda e: e.user_id.partner_id or e.work_contact_id)

    def action_book_meeting(self):
        """Open the calendar to book a planning, mid-year or revision meeting with the
        reviewer and the reviewee; the event keeps the review up to date."""
        self.ensure_one()
        self._check_can_manage()
        if self.state in ("completed", "cancelled"):
            raise UserError(
                self.env._(
                    "%(review)s is closed: no meeting can be booked.", review=self.display_name
                )
            )
        kind = self.env.context.get("performance_meeting_kind") or (
            "planning" if self.state == "planning" else "midyear"
        )
        labels = dict(
            self.env["calendar.event"]
            ._fields["performance_meeting_kind"]
            ._description_selection(self.env)
        )
        action = self.env["ir.actions.act_window"]._for_xml_id("calendar.action_calendar_event")
        suggested = {
            "planning": self.date_planning_due,
            "midyear": self.date_midyear,
        }.get(kind) or fields.Date.context_today(self)
        action["context"] = {
            "default_performance_review_id": self.id,
            "default_performance_meeting_kind": kind,
            "default_name": self.env._(
                "%(meeting)s: %(employee)s", meeting=labels[kind], employee=self.employee_id.name
            ),
            "default_partner_ids": self._meeting_partners().ids,
            "default_location": self.meeting_location or False,
            "default_privacy": "private",
            "default_res_model_id": self.env["ir.model"]._get_id(self._name),
            "default_res_id": self.id,
            "initial_date": fields.Date.to_string(max(suggested, fields.Date.context_today(self))),
        }
        return action

    def action_view_meetings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("calendar.action_calendar_event")
        action["domain"] = [("performance_review_id", "=", self.id)]
        action["views"] = [(False, "list"), (False, "calendar"), (False, "form")]
        action["view_mode"] = "list,calendar,form"
        action["context"] = {
            "default_performance_review_id": self.id,
            "default_partner_ids": self._meeting_partners().ids,
        }
        return action

    def action_view_training_needs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_school_performance.hr_performance_training_need_action"
        )
        action["domain"] = [("review_id", "=", self.id)]
        action["context"] = {
            "default_review_id": self.id,
            "default_employee_id": self.employee_id.id,
        }
        return action

    # ------------------------------------------------------------------
    # Observations
    # ------------------------------------------------------------------
    def _observation_cap(self):
        """The job group's observation cap for this reviewee, pro rata to their working
        time: the employee's schedule against the full-time hours of the school."""
        self.ensure_one()
        cap = self.job_group_id.observation_cap_hours
        # Working schedules are read as superuser: the reviewer may not read hr.employee.
        calendar = self.employee_id.sudo().resource_calendar_id
        if not cap or not calendar or calendar.flexible_hours:
            return cap
        rate = (calendar.work_time_rate or 100.0) / 100.0
        return round(cap * min(rate, 1.0), 2)

    # ------------------------------------------------------------------
    # Deadlines
    # ------------------------------------------------------------------
    def _deadline_specs(self, calendar):
        """The deadlines this review must meet now, from its dates and its job group's
        settings, each counted with the school's ``calendar``."""
        self.ensure_one()
        group = self.job_group_id
        company = self.company_id
        head = company._performance_escalation_user()
        reviewer = self.reviewer_user_id or head
        reviewee = self.employee_user_id or reviewer
        meeting = company._performance_local_date(self.meeting_date)
        specs = []

        def spec(kind, date_from, days, done, user, day_kind="working", due=None, **extra):
            specs.append(
                dict(
                    kind=kind,
                    date_from=date_from,
                    days=days,
                    day_kind=day_kind,
                    date_due=due or calendar.add(date_from, days, day_kind),
                    date_done=done or False,
                    responsible_user_id=user.id,
                    **extra,
                )
            )

        spec(
            "planning_meeting",
            self.date_start,
            group.planning_meeting_days,
            meeting,
            reviewer,
            due=self.date_planning_due,
        )
        if meeting:
            spec("notice", meeting, -group.notice_days, self.date_invitation_sent, reviewer)
            if self.process == "full":
                spec(
                    "self_evaluation",
                    meeting,
                    -group.self_evaluation_days,
                    self.date_self_evaluation,
                    reviewee,
                )
            spec(
                "draft_statement",
                meeting,
                group.draft_statement_days,
                self.date_draft_sent,
                reviewer,
            )
            spec(
                "final_statement",
                meeting,
                group.final_statement_days,
                self.date_statement_signed,
                reviewer,
                due=self.date_statement_due,
            )
            if group.moderation != "none":
                spec("moderation", meeting, group.moderation_days, self.date_moderated, head)
        if self.date_draft_sent:
            spec("comments", self.date_draft_sent, group.comment_days, self.date_comments, reviewee)
        # The mid-year review is counted from the planning meeting: it is due once that
        # meeting is set (and follows the date HR may have set by hand).
        if meeting and self.date_midyear:
            spec(
                "midyear",
                self.date_midyear,
                0,
                self.midyear_meeting_date,
                reviewer,
                due=self.date_midyear,
            )
        if self.date_concern_meeting:
            spec(
                "support_review",
                self.date_concern_meeting,
                group.support_period_days,
                self.date_support_review,
                reviewer,
            )
        for observation in self.observation_ids:
            if observation.state == "cancelled" or not observation.date_observation:
                continue
            observed = company._performance_local_date(observation.date_observation)
            observer = observation.observer_user_id or reviewer
            spec(
                "observation_feedback",
                observed,
                group.observation_feedback_days,
                observation.date_feedback,
                observer,
                day_kind="school",
                due=observation.date_feedback_due,
                observation_id=observation.id,
            )
            spec(
                "observation_record",
                observed,
                group.observation_record_days,
                observation.date_record_shared,
                observer,
                due=observation.date_record_due,
                observation_id=observation.id,
            )
        return specs

    def _sync_deadlines(self):
        """Create, move and close the deadline rows of the reviews in ``self`` so they
        match the reviews' dates, in a fixed number of queries per school."""
        # Deadlines are derived data kept by the system: whoever moved a review's date
        # (reviewer, reviewee recording a date, HR changing a setting) moves its deadlines.
        reviews = self.sudo().exists()
        if not reviews:
            return
        Deadline = self.env["hr.performance.deadline"].sudo()
        existing = Deadline.search([("review_id", "in", reviews.ids)])
        by_key = {(d.review_id.id, d.kind, d.observation_id.id): d for d in existing}
        calendars = {}
        to_create, kept = [], Deadline
        for review in reviews:
            if review.state == "cancelled" or not review.job_group_id:
                continue
            company = review.company_id
            if company not in calendars:
                calendars[company] = company._performance_working_calendar()
            calendar = calendars[company]
            lead = company.performance_activity_lead_days
            reminder = company.performance_reminder_days
            for spec in review._deadline_specs(calendar):
                due = spec["date_due"]
                spec.update(
                    date_activity=calendar.add(due, -lead),
                    date_reminder=calendar.add(due, -reminder),
                    date_escalation=calendar.add(due, 1),
                )
                key = (review.id, spec["kind"], spec.get("observation_id") or False)
                deadline = by_key.get(key)
                if not deadline:
                    to_create.append(dict(spec, review_id=review.id))
                    continue
                kept |= deadline
                deadline._update_from_spec(spec)
        obsolete = existing - kept
        obsolete._close_activities(self.env._("Done: this deadline no longer applies."))
        obsolete.unlink()
        Deadline.create(to_create)
        closed = (existing & kept).filtered(
            lambda d: d.date_done or d.waived or d.review_id.state in ("completed", "cancelled")
        )
        closed._close_activities(self.env._("Done."))

    @api.model
    def _resync_deadlines(self, companies):
        """Recompute the due dates of the open reviews of ``companies`` (and of their
        schools): their calendar, public holidays or closures changed."""
        if not companies:
            return
        # System bookkeeping: every open review of the schools, whoever changed the calendar.
        reviews = self.sudo().search(
            [
                ("company_id", "child_of", companies.ids),
                ("state", "not in", ("completed", "cancelled")),
            ]
        )
        if not reviews:
            return
        for fname in ("date_planning_due", "date_statement_due"):
            self.env.add_to_compute(self._fields[fname], reviews)
        observations = reviews.observation_ids
        for fname in ("date_feedback_due", "date_record_due"):
            self.env.add_to_compute(observations._fields[fname], observations)
        reviews._sync_deadlines()
