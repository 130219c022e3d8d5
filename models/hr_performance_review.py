from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, format_date, format_datetime

from .hr_performance_retention_mixin import is_disposing

STATES = [
    ("planning", "Planning"),
    ("agreed", "Objectives Agreed"),
    ("in_progress", "In Progress"),
    ("final_review", "Final Review"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
]

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
        "date_support_review_due",
        "date_headteacher_review_due",
        "date_start",
        "date_end",
        "reviewer_id",
        "employee_id",
        "cycle_id",
        "state",
    )
)

# Reviews are open until completed or cancelled.
OPEN_STATES = ("planning", "agreed", "in_progress", "final_review")
# The chatter subtype of each state a review moves into (see _track_subtype).
STATE_SUBTYPES = {
    "agreed": "hr_school_performance.mt_review_agreed",
    "in_progress": "hr_school_performance.mt_review_monitoring",
    "final_review": "hr_school_performance.mt_review_final_review",
    "completed": "hr_school_performance.mt_review_completed",
    "cancelled": "hr_school_performance.mt_review_cancelled",
    "planning": "hr_school_performance.mt_review_reopened",
}

# Set only by hr.performance.reviewer.change.create while it applies the change it records:
# a context variable, which no RPC caller can set, rather than a context key.
_REVIEWER_CHANGES = ContextVar("hr_school_performance_reviewer_changes", default=frozenset())


@contextmanager
def _applying_reviewer_changes(pairs):
    """Within the block, writing ``reviewer_id`` may replace the reviewer of the reviews in
    ``pairs`` (``(review id, new reviewer id)``), which a reviewer-change record names."""
    token = _REVIEWER_CHANGES.set(_REVIEWER_CHANGES.get() | frozenset(pairs))
    try:
        yield
    finally:
        _REVIEWER_CHANGES.reset(token)


class HrPerformanceReview(models.Model):
    """One reviewee's performance review in one cycle."""

    _name = "hr.performance.review"
    _description = "Performance Review"
    _inherit = ["hr.performance.confidential.mixin", "mail.thread", "mail.activity.mixin"]
    # --- scale (issue 14): ordered by the stored name ("reviewee – cycle"), which sorts as
    # the reviewee's name did without a join to the employees; an index serves it.
    _order = "date_start desc, name, id"
    # --- end scale
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
    # Indexed with the id by _company_index (below).
    company_id = fields.Many2one(related="cycle_id.company_id", store=True, string="School")
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
        "res.users",
        compute="_compute_reviewer_user_id",
        store=True,
        index=True,
        help="Who acts as the reviewer: the reviewer's user, or for a headteacher's review the "
        "chair of the appointed governors' panel.",
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
    pre_learning_needs = fields.Text(string="Further Learning and Development")
    # Self-evaluation form, beyond each objective (academy trust policy, Appendix 2)
    self_contributions = fields.Text(
        string="Contributions to Record",
        help="Particular contributions the reviewee would like recorded in their appraisal.",
    )
    self_improvement = fields.Text(string="Areas of My Work to Improve")
    self_support_wanted = fields.Text(string="Additional Support or Training Wanted")
    self_new_skills = fields.Text(string="New Skills to Develop")
    self_other_matters = fields.Text(string="Other Matters to Discuss")
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
    # Planning outcomes (training needs are hr.performance.training.need records)
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
    midyear_contributions = fields.Text(
        string="Contributions to Date",
        help="Particular contributions the reviewee would like recorded at the mid-year review.",
    )
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
    pay_mismatch_reason = fields.Text(
        string="Reason for the Pay Recommendation",
        help="Why the pay recommendation differs from what the overall assessment earns "
        "(criteria met at a level without pay progression, or the reverse).",
    )
    current_pay_level = fields.Char()
    recommended_pay_level = fields.Char()
    date_completed = fields.Date(
        compute="_compute_date_completed", store=True, readonly=True, copy=False
    )
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
    date_support_review_due = fields.Date(
        string="Support Period Review Due",
        readonly=True,
        copy=False,
        help="The review date of the latest support period, with its extensions and the "
        "absence that pushed it back: the support-review deadline falls on it.",
    )
    deadline_ids = fields.One2many("hr.performance.deadline", "review_id", string="Deadlines")
    deadline_missed_count = fields.Integer(
        compute="_compute_deadline_missed_count", string="Missed Deadlines"
    )
    has_overdue_deadline = fields.Boolean(
        compute="_compute_deadline_missed_count",
        search="_search_has_overdue_deadline",
        string="Overdue",
    )
    # --- scale (issue 14): what the "Overdue" filter reads for headteachers and HR, whose
    # rights on the deadlines are their rights on the review. A due date, as the review's
    # own due dates (date_planning_due, date_statement_due) shown to whoever reads it.
    date_first_open_due = fields.Date(
        string="First Open Deadline",
        compute="_compute_date_first_open_due",
        store=True,
        help="The earliest due date of this review's deadlines that can still be missed "
        "(not met, waived or closed with the review): the review is overdue once it is "
        "past.",
    )
    # --- end scale
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
    can_change_reviewer = fields.Boolean(compute="_compute_access_flags")
    can_add_objectives = fields.Boolean(compute="_compute_access_flags")
    can_remove_objectives = fields.Boolean(compute="_compute_access_flags")
    can_book_meeting = fields.Boolean(compute="_compute_access_flags")
    # The buttons of the workflow: computed by the predicate write() enforces.
    can_agree = fields.Boolean(compute="_compute_can_transition")
    can_start_monitoring = fields.Boolean(compute="_compute_can_transition")
    can_start_final_review = fields.Boolean(compute="_compute_can_transition")
    can_complete = fields.Boolean(compute="_compute_can_transition")
    can_cancel = fields.Boolean(compute="_compute_can_transition")
    can_reopen = fields.Boolean(compute="_compute_can_transition")

    # --- scale (issue 14): the index that serves _order for every role's list.
    _order_index = models.Index("(date_start DESC, name, id)")
    # The multi-company rule's column with the id: the "Overdue" filter's count for a
    # reviewer joins the reviews to their missed deadlines from the indexes alone.
    _company_index = models.Index("(company_id, id)")
    # The "Overdue" filter of headteachers and HR, with the multi-company rule's column:
    # counted from the index alone.
    _overdue_index = models.Index(
        "(date_first_open_due) INCLUDE (company_id) WHERE date_first_open_due IS NOT NULL"
    )
    # The final outcomes (payroll's two lists, hr.performance.payroll.outcome and
    # hr.performance.pay.eligibility): served in their order, and counted, from the index.
    _final_effective_index = models.Index("(date_pay_effective DESC, id DESC) WHERE outcome_final")
    _final_completed_index = models.Index("(date_completed DESC, id DESC) WHERE outcome_final")
    # (The id and the job group are the views' join columns: PostgreSQL removes the unused
    # joins of a count but still wants their columns from the index.)
    _final_company_index = models.Index(
        "(company_id, id) INCLUDE (job_group_id) WHERE outcome_final"
    )
    # The columns the record rules of the review read: fetched with the rows of every
    # list, so that checking access to the listed reviews afterwards (core mail.activity
    # does so for the activity column) reads no review row again.
    _ACCESS_RULE_FIELDS = (
        "company_id",
        "employee_user_id",
        "reviewer_user_id",
        "state",
        "reviewer_access_until",
        "is_headteacher_review",
    )
    # --- end scale
    _check_period = models.Constraint(
        "CHECK(date_end >= date_start)", "A review period must end after it starts."
    )
    # A cancelled review is kept (six years) and does not stop the headteacher restarting
    # the cycle for the same member of staff (seed 003, 4.1: after a transfer).
    _unique_employee_cycle = models.UniqueIndex(
        "(cycle_id, employee_id) WHERE state != 'cancelled'",
        "This member of staff already has a review in this cycle.",
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
        "is_shortened",
        "cycle_id.date_midyear",
        "job_group_id.deadline_rule_ids.days",
        "job_group_id.deadline_rule_ids.day_kind",
        "job_group_id.deadline_rule_ids.direction",
        "job_group_id.midyear_offset_months",
        "job_group_id.cycle_length_months",
        "company_id.resource_calendar_id",
    )
    def _compute_due_dates(self):
        # The working days of all the schools, loaded together (issue 14).
        calendars = (self.company_id | self.cycle_id.company_id)._performance_working_calendars()
        for review in self:
            group = review.job_group_id
            company = review.company_id or review.cycle_id.company_id
            if not (group and company and review.date_start):
                review.date_planning_due = review.date_statement_due = False
                review.date_midyear = review.date_midyear or False
                continue
            calendar = calendars[company]
            # As the job group's rules count them (hr.performance.deadline.rule).
            planning = group._deadline_rule("planning_meeting")
            review.date_planning_due = (
                planning._due_date(calendar, review.date_start) if planning else False
            )
            meeting = company._performance_local_date(review.meeting_date)
            statement = group._deadline_rule("final_statement")
            review.date_statement_due = (
                statement._due_date(calendar, meeting) if meeting and statement else False
            )
            midyear = review._midyear_date()
            if midyear and review.date_end and midyear > review.date_end:
                midyear = review.date_end
            if midyear:
                adjusted = calendar.add(midyear, 0)
                if review.date_end and adjusted > review.date_end:
                    adjusted = calendar.add(review.date_end + timedelta(days=1), -1)
                midyear = adjusted
            review.date_midyear = midyear

    def _midyear_date(self):
        """The one mid-year rule (readme/CONFIGURE.md): the mid-year review is due the job
        group's offset into the review period. A review covering the whole cycle takes the
        cycle's mid-year date (its start plus the offset in months, which HR may move); a
        shortened first review (a mid-cycle starter) puts it at the same fraction of its
        own, shorter period, so it always falls inside it."""
        self.ensure_one()
        cycle, group = self.cycle_id, self.job_group_id
        if not self.is_shortened:
            return cycle.date_midyear
        if not (self.date_end and group.cycle_length_months):
            return False
        fraction = group.midyear_offset_months / group.cycle_length_months
        return self.date_start + timedelta(
            days=round((self.date_end - self.date_start).days * fraction)
        )

    @api.depends("outcome_level_id.pay_progression_eligible", "job_group_id.pay_progression")
    def _compute_pay_progression_eligible(self):
        for review in self:
            review.pay_progression_eligible = bool(
                review.job_group_id.pay_progression
                and review.outcome_level_id.pay_progression_eligible
            )

    @api.depends("state")
    def _compute_date_completed(self):
        today = fields.Date.context_today(self)
        for review in self:
            if review.state == "completed":
                review.date_completed = review.date_completed or today
            else:
                review.date_completed = False

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
        # A sub-select, not a list of ids: every record rule using it stays one query.
        grants = self._running_grants_query()
        reviews = grants.subselect(SQL.identifier(grants.table, "review_id"))
        return [("id", "in" if positive else "not in", reviews)]

    @api.model
    def _running_grants_domain(self):
        """The current user's running access grants."""
        today = fields.Date.context_today(self)
        return [
            ("user_id", "=", self.env.uid),
            ("date_revoked", "=", False),
            ("date_from", "<=", today),
            "|",
            ("date_to", "=", False),
            ("date_to", ">=", today),
        ]

    @api.model
    def _running_grants_query(self):
        """The query of the current user's running access grants (not executed)."""
        # sudo: the current user's own grants; rules are evaluated as superuser, the uid
        # stays the user's.
        Grant = self.env["hr.performance.access.grant"].sudo()
        return Grant._search(self._running_grants_domain())

    @api.model
    def _granted_review_ids(self):
        """Ids of the reviews the current user holds a running access grant on."""
        # sudo: as above.
        Grant = self.env["hr.performance.access.grant"].sudo()
        return Grant.search_fetch(self._running_grants_domain(), ["review_id"]).review_id.ids

    @api.depends_context("uid")
    @api.depends("employee_user_id", "reviewer_user_id", "state")
    def _compute_access_flags(self):
        roles_by_review = self._get_user_roles()
        is_hr = self._performance_user_groups()["hr"]
        for review in self:
            roles = roles_by_review[review.id]
            own = "reviewee" in roles
            manages = bool(roles & {"headteacher", "hr"})
            edits = bool(roles & {"reviewer", "headteacher", "hr"})
            review.is_own_review = own
            review.can_grant_access = manages
            review.can_view_access_log = own or is_hr
            review.can_change_reviewer = manages and review.state in OPEN_STATES
            review.can_add_objectives = edits and review.state in (
                "planning",
                "agreed",
                "in_progress",
            )
            review.can_remove_objectives = edits and review.state in ("planning", "agreed")
            # The reviewer, the headteacher or HR book the meetings (_check_can_manage).
            review.can_book_meeting = edits

    @api.depends_context("uid")
    @api.depends("employee_user_id", "reviewer_user_id", "state")
    def _compute_can_transition(self):
        flags = {
            "can_agree": "agreed",
            "can_start_monitoring": "in_progress",
            "can_start_final_review": "final_review",
            "can_complete": "completed",
            "can_cancel": "cancelled",
            "can_reopen": "planning",
        }
        self._set_transition_flags(flags)

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
                    or self._performance_user_groups()["headteacher"]
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
    @api.depends(
        "deadline_ids.date_due",
        "deadline_ids.date_done",
        "deadline_ids.waived",
        "deadline_ids.closed_with_review",
    )
    def _compute_deadline_missed_count(self):
        # --- scale (issue 14): counted by the database in one query (served by the
        # deadlines' partial index of open rows), with the reader's rights on the deadlines
        # as reading deadline_ids applied them.
        counts = dict(
            self.env["hr.performance.deadline"]._read_group(
                [("review_id", "in", self.ids), ("status", "in", ["missed"])],
                ["review_id"],
                ["__count"],
            )
        )
        for review in self:
            review.deadline_missed_count = counts.get(review, 0)
            review.has_overdue_deadline = bool(review.deadline_missed_count)
        # --- end scale

    @api.depends(
        "deadline_ids.date_due",
        "deadline_ids.date_done",
        "deadline_ids.waived",
        "deadline_ids.closed_with_review",
    )
    def _compute_date_first_open_due(self):
        Deadline = self.env["hr.performance.deadline"].sudo()
        first = dict(
            Deadline._read_group(
                Domain("review_id", "in", self.ids) & Deadline._open_domain(),
                ["review_id"],
                ["date_due:min"],
            )
        )
        for review in self:
            review.date_first_open_due = first.get(review, False)

    def _search_has_overdue_deadline(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        if self._performance_user_groups()["headteacher"]:
            # Headteachers and HR read every deadline of the reviews they read: a review
            # is overdue when its first open deadline is past, one indexed column of the
            # review (_overdue_index): 10,000 overdue reviews of a trust are counted from
            # the index alone, not by joining them to their deadlines (issue 14).
            today = fields.Date.context_today(self)
            overdue = [("date_first_open_due", "<", today)]
        else:
            # Whoever else reads the deadlines the record rules let them read.
            overdue = [("deadline_ids", "any", [("status", "in", ["missed"])])]
        wanted = True in value
        if (operator == "in") == wanted:
            return overdue
        return ["!", *overdue]

    @api.model
    def search_fetch(self, domain, field_names=None, offset=0, limit=None, order=None):
        if field_names is not None and not self.env.su:
            field_names = [
                *field_names,
                *(f for f in self._ACCESS_RULE_FIELDS if f not in field_names),
            ]
        return super().search_fetch(domain, field_names, offset=offset, limit=limit, order=order)

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
            if review.is_shortened and (
                review.company_id._performance_local_date(review.meeting_date) < review.date_start
            ):
                # A mid-cycle starter's first review begins when they start.
                raise ValidationError(
                    self.env._(
                        "The planning meeting of %(review)s on %(date)s is before its review "
                        "period starts (%(start)s): a shortened first review cannot be planned "
                        "before the member of staff starts.",
                        review=review.display_name,
                        date=meeting,
                        start=review.date_start,
                    )
                )
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

    @api.constrains("outcome_level_id", "pay_criteria_met", "pay_mismatch_reason")
    def _check_pay_recommendation(self):
        for review in self:
            if not (review.outcome_level_id and review.pay_criteria_met):
                continue
            earns = review.outcome_level_id.pay_progression_eligible
            if (review.pay_criteria_met == "met") == earns:
                continue
            if not (review.pay_mismatch_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "%(review)s is assessed “%(level)s”, which %(earns)s pay progression, "
                        "but the pay recommendation is “%(recommendation)s”. Record the reason "
                        "for the recommendation, or correct it.",
                        review=review.display_name,
                        level=review.outcome_level_id.name,
                        earns=self.env._("earns") if earns else self.env._("does not earn"),
                        recommendation=dict(
                            review._fields["pay_criteria_met"]._description_selection(self.env)
                        )[review.pay_criteria_met],
                    )
                )

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
        self._check_one_review_per_cycle(
            [
                (vals.get("cycle_id"), vals.get("employee_id"))
                for vals in vals_list
                if vals.get("state", "planning") != "cancelled"
            ]
        )
        reviews = super(
            HrPerformanceReview,
            self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True),
        ).create(vals_list)
        self.env["hr.performance.deadline"]._sync_for_reviews(reviews)
        return reviews

    def _check_write_rules(self, vals):
        # Run by write() after the rights engine (hr.performance.confidential.mixin).
        result = super()._check_write_rules(vals)
        if "reviewer_id" in vals:
            self._check_reviewer_write(vals["reviewer_id"])
        if (
            {"cycle_id", "employee_id"} & set(vals)
            and not is_disposing(self)
            and any(r.state != "planning" for r in self)
        ):
            raise UserError(self.env._("The reviewee and cycle of a started review cannot change."))
        if vals.get("state") and not self.env.su:
            self._check_transition_ready(vals["state"])
        if {"cycle_id", "employee_id", "state"} & set(vals) and vals.get("state") != "cancelled":
            self._check_one_review_per_cycle(
                [
                    (vals.get("cycle_id", r.cycle_id.id), vals.get("employee_id", r.employee_id.id))
                    for r in self
                    if vals.get("state", r.state) != "cancelled"
                ],
                exclude=self,
            )
        return result

    def write(self, vals):
        # The rights engine (hr.performance.confidential.mixin) checks fields, transitions
        # and then _check_write_rules().
        result = super().write(vals)
        if "reviewer_id" in vals:
            # Hand the pending activity over to the new reviewer.
            self._schedule_next_activity()
        if DEADLINE_TRIGGERS & set(vals):
            self.env["hr.performance.deadline"]._sync_for_reviews(self)
        if "state" in vals and "reviewer_id" not in vals:
            # Close the done activity and schedule the one owed next.
            self._schedule_next_activity()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        if any(review.state not in ("planning", "cancelled") for review in self):
            raise UserError(self.env._("A review under way cannot be deleted: cancel it instead."))
        kept = self.filtered(lambda review: review._has_content())
        if kept:
            raise UserError(
                self.env._(
                    "%(review)s has content (objectives, forms, meetings, observations or "
                    "training needs) and is kept for six years: it cannot be deleted. Cancel "
                    "it instead.",
                    review=kept[0].display_name,
                )
            )

    def _has_content(self):
        """Whether anything was recorded on this review beyond who, by whom and when: only
        an empty review created by mistake may be deleted."""
        self.ensure_one()
        # sudo: the related records are counted, not read.
        review = self.sudo()
        if (
            review.objective_ids
            or review.observation_ids
            or review.training_need_ids
            or review.meeting_ids
            or review.meeting_date
            or review.reviewer_change_ids
            or review.access_grant_ids
        ):
            return True
        if any(review[name] for name in EVENT_DATE_FIELDS):
            return True
        blank = ("", "<p><br></p>", "<p></p>")
        return any(
            str(review[name] or "").strip() not in blank
            for name, field in review._fields.items()
            if field.type in ("text", "html") and field.store and not field.compute
        )

    def _check_one_review_per_cycle(self, pairs, exclude=None):
        """One open or completed review per member of staff and cycle (a cancelled one does
        not count): refuse a duplicate with a message rather than a database error."""
        pairs = [(cycle, employee) for cycle, employee in pairs if cycle and employee]
        if not pairs:
            return
        # sudo: the caller may not read the other review; only the clash is reported.
        existing = self.sudo().search_fetch(
            [
                ("cycle_id", "in", [cycle for cycle, __ in pairs]),
                ("employee_id", "in", [employee for __, employee in pairs]),
                ("state", "!=", "cancelled"),
                ("id", "not in", (exclude or self.browse()).ids),
            ],
            ["cycle_id", "employee_id"],
        )
        taken = {(review.cycle_id.id, review.employee_id.id) for review in existing}
        for pair in pairs:
            if pair in taken:
                cycle, employee = pair
                raise ValidationError(
                    self.env._(
                        "%(employee)s already has a review in %(cycle)s; only a cancelled "
                        "review can be started again.",
                        employee=self.env["hr.employee"].browse(employee).sudo().name,
                        cycle=self.env["hr.performance.cycle"].browse(cycle).sudo().name,
                    )
                )
            taken.add(pair)

    # ------------------------------------------------------------------
    # Rights (hr.performance.confidential.mixin)
    # ------------------------------------------------------------------
    @api.model
    def _get_write_rights(self):
        planning = ("planning",)
        # What the process gives the reviewee to write on their own review, and when.
        reviewee = dict.fromkeys(
            (
                "self_evaluation",
                "pre_successes",
                "pre_helping_factors",
                "pre_hindering_factors",
                "pre_training_received",
                "pre_future_areas",
                "pre_jd_amendments",
                "pre_career_goals",
                "chat_likes",
                "chat_dislikes",
                "chat_needs",
                "chat_training",
                "chat_ideas",
                "career_now",
                "career_future",
                "career_options",
                "pre_learning_needs",
                # When they returned their self-evaluation (the deadlines measure it).
                "date_self_evaluation",
            ),
            planning,
        )
        reviewee.update(
            dict.fromkeys(("reviewee_comment", "disagreement_note", "date_comments"), OPEN_STATES)
        )
        # The rest of the self-evaluation form (academy trust policy, Appendix 2), returned
        # before the review meeting that ends the cycle, and the mid-year highlights
        # (Appendix 3).
        self_evaluation = (
            "self_contributions",
            "self_improvement",
            "self_support_wanted",
            "self_new_skills",
            "self_other_matters",
        )
        reviewee.update(dict.fromkeys(self_evaluation, ("in_progress", "final_review")))
        reviewee["midyear_contributions"] = ("in_progress",)
        # Their mid-year progress from the review form: the objective's rights decide which
        # of its fields.
        reviewee["objective_ids"] = OPEN_STATES
        # The reviewee's own words: the reviewer records them for a reviewee without a login.
        voice = ("self_evaluation", "reviewee_comment", *self_evaluation, "midyear_contributions")
        # Who is reviewed, by whom, in which cycle and over which period.
        management = {"cycle_id", "employee_id", "reviewer_id", "date_start", "date_end"}
        content = self._rights_content_fields()
        return {
            "reviewee": reviewee,
            "reviewee_proxy": dict.fromkeys(voice, OPEN_STATES),
            "reviewer": dict.fromkeys(content - management - set(voice), OPEN_STATES),
            # The headteacher and HR correct any field, also of a closed review (moderation).
            "headteacher": dict.fromkeys(content),
            "hr": dict.fromkeys(content),
        }

    @api.model
    def _get_state_transitions(self):
        manage = {"reviewer", "headteacher", "hr"}
        return {
            "agreed": {"from": ("planning",), "roles": manage},
            "in_progress": {"from": ("agreed",), "roles": manage},
            "final_review": {"from": ("in_progress",), "roles": manage},
            "completed": {"from": ("final_review",), "roles": manage},
            "cancelled": {"from": OPEN_STATES, "roles": manage},
            "planning": {"from": ("cancelled",), "roles": {"hr"}},
        }

    def _check_transition_ready(self, state):
        """What a review must hold before it moves into ``state``, whoever moves it."""
        for review in self.filtered(lambda r: r.state != state):
            if state == "agreed":
                # A headteacher's review has the governors' panel chair as its reviewer.
                if not (review.reviewer_id or review.reviewer_user_id):
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
            elif state == "completed":
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
            elif state == "planning" and review.cycle_id.state != "open":
                raise UserError(
                    self.env._("A review can only be reopened while its cycle is open.")
                )

    def _check_reviewer_write(self, reviewer_id):
        """A first appointment is a plain write (by the headteacher or HR, see the rights);
        replacing a reviewer is done only by creating a reviewer-change record."""
        applying = _REVIEWER_CHANGES.get()
        changing = self.filtered(
            lambda r: (
                r.reviewer_id
                and r.reviewer_id.id != reviewer_id
                and (r.id, reviewer_id) not in applying
            )
        )
        if changing:
            raise UserError(
                self.env._(
                    "Use “Change Reviewer” to replace the reviewer of %(review)s: the reason "
                    "is recorded and the cycle carries on.",
                    review=changing[0].display_name,
                )
            )

    def _check_can_manage(self):
        """The reviewer, the headteacher of the school or HR may move a review on; never on
        their own review."""
        self._check_roles({"reviewer", "headteacher", "hr"})

    def _check_can_assign_reviewer(self):
        """The headteacher or HR appoint and change reviewers; never on their own review."""
        self._check_roles({"headteacher", "hr"})

    def _check_roles(self, roles):
        if self.env.su:
            return
        roles_by_review = self._get_user_roles()
        for review in self:
            if roles_by_review[review.id] & roles:
                continue
            if "reviewee" in roles_by_review[review.id]:
                raise AccessError(
                    self.env._(
                        "%(review)s is your own review: ask %(who)s to act on it (in writing, "
                        "giving your reasons, to change your reviewer).",
                        review=review.display_name,
                        who=self._roles_label(roles - {"reviewer"} or roles),
                    )
                )
            raise AccessError(
                self.env._(
                    "Only %(who)s can do this on %(review)s.",
                    who=self._roles_label(roles),
                    review=review.display_name,
                )
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
                    if review.state in OPEN_STATES
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

    # ------------------------------------------------------------------
    # Workflow: each button writes the state as the user; write() checks the transition.
    # ------------------------------------------------------------------
    def action_agree_objectives(self):
        self.write({"state": "agreed"})

    def action_start_monitoring(self):
        self.write({"state": "in_progress"})

    def action_start_final_review(self):
        self.write({"state": "final_review"})

    def action_complete(self):
        self.write({"state": "completed"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_reset_to_planning(self):
        self.write({"state": "planning"})

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values and self.state in STATE_SUBTYPES:
            # Not env.ref(), which checks that the record exists with one query per review
            # moved; the caller checks the subtype exists (mail.thread._message_track).
            return self.env["mail.message.subtype"].browse(
                self.env["ir.model.data"]._xmlid_to_res_id(STATE_SUBTYPES[self.state])
            )
        return super()._track_subtype(init_values)

    def _message_track(self, fields_iter, initial_values_dict):
        """Post the state-change messages of many reviews at once.

        Core's ``_message_track`` calls ``message_post`` once per record: a headteacher
        moving 200 reviews one step paid for 200 parent-message searches, alias and alias
        domain lookups, follower queries, message and tracking-value INSERTs. Here the
        messages core would post are built with the same values and created by one
        ``_message_create``; their tracking values by one create, as mail.message.create
        does for each message. Followers are fetched with core's batch query
        (``mail.followers._get_recipient_data``); only a review one of whose followers
        core would notify goes through core's ``_notify_thread``, which applies this
        model's recipient check (hr.performance.confidential.mixin
        ``_notify_get_recipients``). The author is never notified, so the usual case costs
        nothing per review.

        One record, no field to track, or a public user's write (core then authors the
        message as the guest) go through core unchanged. The loop below is core's, with
        ``message_post`` replaced by :meth:`_message_post_batch`; changes without
        a subtype are logged by core's ``_message_log``, as there."""
        if len(self) < 2 or not fields_iter or self.env.user._is_public():
            return super()._message_track(fields_iter, initial_values_dict)
        tracked_fields = self.fields_get(
            fields_iter, attributes=("string", "type", "selection", "currency_field")
        )
        tracking = {}
        for record in self:
            try:
                tracking[record.id] = record._mail_track(
                    tracked_fields, initial_values_dict[record.id]
                )
            except MissingError:
                continue
        bodies = self.env.cr.precommit.data.pop(f"mail.tracking.message.{self._name}", {})
        authors = self.env.cr.precommit.data.pop(f"mail.tracking.author.{self._name}", {})
        posts = []
        for record in self:
            changes, tracking_value_ids = tracking.get(record.id, (None, None))
            if not changes:
                continue
            subtype = record._track_subtype(
                {name: initial_values_dict[record.id][name] for name in changes}
            )
            author_id = authors[record.id].id if record.id in authors else None
            body = (
                bodies[record.id]
                if record.id in bodies
                else record._track_get_default_log_message(changes)
            )
            if subtype:
                posts.append(
                    {
                        "record": record,
                        "subtype": subtype,
                        "author_id": author_id,
                        "body": body,
                        "tracking_value_ids": tracking_value_ids,
                    }
                )
            elif tracking_value_ids:
                record._message_log(
                    body=body, author_id=author_id, tracking_value_ids=tracking_value_ids
                )
        self._message_post_batch(posts)
        return tracking

    def _message_post_batch(self, posts):
        """Post, for each dict of ``posts`` (``record``, ``subtype``, ``author_id``,
        ``body``, and optionally ``tracking_value_ids`` and other mail.message fields such
        as ``mail_activity_type_id``), the notification ``record.message_post(body=body,
        author_id=author_id, subtype_id=subtype.id, **others)`` would post (see
        mail.thread.message_post), with a fixed number of queries: the state-change
        messages of a transition (_message_track) and the "done" messages of the to-dos
        it closes (hr.performance.deadline._close_todos)."""
        # As core: a subtype deleted since is not posted (one check for all).
        existing = self.env["mail.message.subtype"].union(*(p["subtype"] for p in posts)).exists()
        posts = [post for post in posts if post["subtype"] in existing]
        if not posts:
            return self.env["mail.message"]
        # message_post runs with the user's language for what it renders.
        records = self.browse([post["record"].id for post in posts])._fallback_lang()
        authors = {
            author_id: records._message_compute_author(author_id, None)
            for author_id in {post["author_id"] for post in posts}
        }
        alias_domains = records.sudo()._mail_get_alias_domains(default_company=self.env.company)
        companies = records._mail_get_companies(default=self.env.company)
        reply_tos = records._notify_get_reply_to_batch(
            defaults={post["record"].id: authors[post["author_id"]][1] for post in posts},
            author_ids={post["record"].id: authors[post["author_id"]][0] for post in posts},
        )
        parents = records._tracking_parent_ids()
        message_fields = self.env["mail.message"]._fields
        values_list = []
        for record, post in zip(records, posts, strict=True):
            author_id, email_from = authors[post["author_id"]]
            values = {
                key: value
                for key, value in post.items()
                if key in message_fields and key not in ("body", "author_id")
            }
            values.update(
                {
                    "tracking_value_ids": post.get("tracking_value_ids"),
                    "email_add_signature": True,
                    "author_id": author_id,
                    "author_guest_id": False,
                    "email_from": email_from,
                    "model": self._name,
                    "res_id": record.id,
                    "body": escape(post["body"]),
                    "message_type": "notification",
                    "parent_id": parents[record.id],
                    "subject": False,
                    "subtype_id": post["subtype"].id,
                    "partner_ids": [],
                    "incoming_email_to": False,
                    "incoming_email_cc": False,
                    "outgoing_email_to": False,
                    "record_alias_domain_id": alias_domains[record.id].id,
                    "record_company_id": companies[record.id].id,
                    "reply_to": reply_tos[record.id],
                }
            )
            values.update(record._process_attachments_for_post(None, [], values))
            values_list.append(values)
        # mail.message.create creates each message's tracking values once the message
        # exists, one create per message: create them here, as sudo as there, in one.
        messages = records._message_create(
            [
                {k: v for k, v in values.items() if k != "tracking_value_ids"}
                for values in values_list
            ]
        )
        tracking_values = [
            dict(command[2], mail_message_id=message.id)
            for message, values in zip(messages, values_list, strict=True)
            for command in values["tracking_value_ids"] or ()
        ]
        if tracking_values:
            self.env["mail.tracking.value"].sudo().create(tracking_values)
        # Who core would notify: the followers of the subtype, less the author and the
        # archived (mail.thread._notify_get_recipients), fetched in one query per subtype.
        notify_author = self.env.context.get("mail_notify_author")
        by_subtype = defaultdict(list)
        for post in posts:
            by_subtype[post["subtype"].id].append(post["record"].id)
        followers = {}
        for subtype_id, record_ids in by_subtype.items():
            for res_id, data in (
                self.env["mail.followers"]
                ._get_recipient_data(
                    records.browse(record_ids), "notification", subtype_id, pids=[]
                )
                .items()
            ):
                followers[(res_id, subtype_id)] = data
        for record, message, values in zip(records, messages, values_list, strict=True):
            record._message_post_after_hook(message, values)
            skip = not notify_author and record._message_compute_real_author(values["author_id"]).id
            if any(
                data["active"] is not False and not (pid and pid == skip)
                for pid, data in followers.get((record.id, values["subtype_id"]), {}).items()
            ):
                record._notify_thread(message, values)
        return messages

    def _tracking_parent_ids(self):
        """``{review id: parent message id}``: what mail.thread._message_compute_parent_id
        returns for a new message without a parent on each review (a flat thread: the latest
        comment or e-mail among its 200 latest messages, else its latest message), read in
        one query for all of ``self`` rather than one per review."""
        parents = dict.fromkeys(self.ids, False)
        if not self._mail_flat_thread:
            return parents
        # sudo: as core, only the ids are used.
        messages = (
            self.env["mail.message"]
            .sudo()
            .search_fetch(
                [
                    ("res_id", "in", self.ids),
                    ("model", "=", self._name),
                    ("message_type", "!=", "user_notification"),
                ],
                ["res_id", "message_type", "date", "create_date"],
                order="date desc, id desc",
            )
        )
        latest = defaultdict(list)
        for message in messages:
            if len(latest[message.res_id]) < 200:
                latest[message.res_id].append(message)
        for res_id, candidates in latest.items():
            parents[res_id] = max(
                candidates,
                key=lambda m: (
                    m.message_type in ("comment", "email"),
                    m.date or m.create_date,
                    m.id,
                ),
            ).id
        return parents

    def _schedule_next_activity(self):
        """The to-do owed next on these reviews: produced by the deadline model, the one
        producer of the addon's to-dos."""
        return self.env["hr.performance.deadline"]._schedule_workflow_todos(self)

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

    def _reviewers_over_cap(self):
        """``{school: reviewers}``: the reviewers of ``self`` who carry more reviewees than
        their school's cap in its cycles that are not closed, counted in one query."""
        capped = self.filtered(lambda r: r.reviewer_id and r.company_id.performance_reviewee_cap)
        if not capped:
            return {}
        # sudo: reviews are counted per reviewer across the school, whoever launched.
        groups = self.sudo()._read_group(
            [
                ("company_id", "in", capped.company_id.ids),
                ("cycle_id.state", "!=", "closed"),
                ("reviewer_id", "in", capped.reviewer_id.ids),
                ("state", "!=", "cancelled"),
            ],
            ["company_id", "reviewer_id"],
            ["__count"],
        )
        result = {}
        for company, reviewer, count in groups:
            if count > company.performance_reviewee_cap:
                result[company] = result.get(company, reviewer.browse()) | reviewer
        return {
            company.with_env(self.env): reviewers.with_env(self.env)
            for company, reviewers in result.items()
        }

    def _reassign_reviewer(self, new_reviewer, reason):
        """Replace the reviewer of the reviews in ``self``: creates the reviewer-change
        records, which check who may do it and apply the change."""
        return self.env["hr.performance.reviewer.change"].create(
            [
                {"review_id": review.id, "new_reviewer_id": new_reviewer.id, "reason": reason}
                for review in self
            ]
        )

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
    # Printed forms
    # ------------------------------------------------------------------
    def _get_invitation_memo_values(self, event=False):
        """What the invitation memo (academy trust policy, Appendix 1) says, in the language
        of ``self.env``: for the e-mail sent when the meeting ``event`` is booked or, without
        an event, for the printed memo of the review's coming planning or mid-year meeting.
        The e-mail and the printed memo render the same QWeb body from these values."""
        self.ensure_one()
        kind = event and event.performance_meeting_kind
        if not event:
            kind = "midyear" if self.state in ("in_progress", "final_review") else "planning"
            # sudo: the meetings are private events of their attendees; only the date, time
            # and place of this review's meeting are read, which its readers already see on
            # the review (planning) or are told in the memo.
            event = (
                self.env["calendar.event"]
                .sudo()
                .search(
                    [
                        ("performance_review_id", "=", self.id),
                        ("performance_meeting_kind", "=", kind),
                    ],
                    order="start desc",
                    limit=1,
                )
            )
        if event:
            start, allday = event.start, event.allday
            location = event.location or (kind == "planning" and self.meeting_location)
        elif kind == "planning" and self.meeting_date:
            start, allday, location = self.meeting_date, False, self.meeting_location
        else:
            raise UserError(
                self.env._(
                    "No %(meeting)s is booked for %(review)s yet: book it first, the memo gives "
                    "its date, time and place.",
                    meeting=self.env._("mid-year review")
                    if kind == "midyear"
                    else self.env._("planning meeting"),
                    review=self.display_name,
                )
            )
        tz = self.company_id._performance_tz().zone
        if allday:
            day = format_date(self.env, event.start_date, date_format="EEEE d MMMM y")
            time = False
        else:
            day = format_datetime(self.env, start, tz=tz, dt_format="EEEE d MMMM y")
            time = format_datetime(self.env, start, tz=tz, dt_format="HH:mm")
        # The reviewer's job title from the public profile every member of staff may see.
        reviewer = self.env["hr.employee.public"].browse(self.reviewer_id.id)
        return {
            "employee": self.employee_id.name,
            "midyear": kind == "midyear",
            "day": day,
            "time": time,
            "location": location or False,
            "reviewer": reviewer.name or "",
            "reviewer_job_title": reviewer.job_title or False,
            "targets": self.max_objectives or 3,
            "school": self.company_id.name,
        }

    def _get_next_cycle_objectives(self):
        """The objectives agreed for the reviewee's next cycle, for the last part of the
        self-evaluation form; none (blank boxes to fill in) until that review exists or for
        a reader who cannot see it."""
        self.ensure_one()
        following = self.search(
            [
                ("employee_id", "=", self.employee_id.id),
                ("date_start", ">", self.date_end),
                ("state", "!=", "cancelled"),
            ],
            order="date_start",
            limit=1,
        )
        return following.objective_ids
