from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# What a deadline is counted from.
EVENTS = [
    ("review_start", "Review period starts"),
    ("planning_meeting", "Planning meeting"),
    ("draft_sent", "Draft statement sent"),
    ("concern_meeting", "Concerns meeting"),
    ("support_review_due", "Support period review date (with extensions)"),
    ("midyear_date", "Mid-year review date"),
    ("observation", "Observation"),
    ("statement_signed", "Final statement signed"),
    ("outcome_signed", "Statement recording the outcome signed"),
    ("revision_requested", "Revised statement instructed"),
    ("pay_decision_date", "Pay decision date of the job group"),
    ("headteacher_review_due", "Headteacher's review date set by the governors"),
]
# Events that already are due dates: a rule may count zero days from them.
DUE_DATE_EVENTS = (
    "midyear_date",
    "pay_decision_date",
    "support_review_due",
    "headteacher_review_due",
)
# What marks a deadline met: the recorded event that stamps it done.
DONE_EVENTS = [
    ("planning_meeting", "Planning meeting held"),
    ("invitation_sent", "Meeting invitation sent"),
    ("self_evaluation", "Self-evaluation returned"),
    ("draft_sent", "Draft statement sent"),
    ("comments", "Reviewee's comments returned"),
    ("statement_signed", "Final statement signed"),
    ("outcome_signed", "Statement recording the outcome signed"),
    ("moderated", "Statement moderated"),
    ("midyear_meeting", "Mid-year review held"),
    ("support_review", "Support period reviewed"),
    ("observation_feedback", "Verbal feedback given"),
    ("observation_record", "Written record shared"),
    ("pay_decided", "Pay decision recorded"),
    ("none", "Nothing: short notice is only flagged"),
]
# The review (or observation) field recording each event.
REVIEW_EVENT_FIELDS = {
    "review_start": "date_start",
    "planning_meeting": "meeting_date",
    "draft_sent": "date_draft_sent",
    "concern_meeting": "date_concern_meeting",
    "support_review_due": "date_support_review_due",
    "midyear_date": "date_midyear",
    "statement_signed": "date_statement_signed",
    "outcome_signed": "date_outcome_signed",
    "revision_requested": "date_revision_requested",
    "pay_decision_date": "date_pay_decision_due",
    "headteacher_review_due": "date_headteacher_review_due",
}
REVIEW_DONE_FIELDS = {
    "planning_meeting": "meeting_date",
    "invitation_sent": "date_invitation_sent",
    "self_evaluation": "date_self_evaluation",
    "draft_sent": "date_draft_sent",
    "comments": "date_comments",
    "statement_signed": "date_statement_signed",
    "outcome_signed": "date_outcome_signed",
    "moderated": "date_moderated",
    "midyear_meeting": "midyear_meeting_date",
    "support_review": "date_support_review",
    "pay_decided": "date_pay_decided",
}
OBSERVATION_DONE_FIELDS = {
    "observation_feedback": "date_feedback",
    "observation_record": "date_record_shared",
}
ROLES = [
    ("reviewer", "Reviewer"),
    ("reviewee", "Reviewee"),
    ("headteacher", "Headteacher"),
    ("observer", "Observer"),
    ("panel_chair", "Chair of the governors' panel"),
]
DAY_KINDS = [
    ("working", "working days"),
    ("school", "school days"),
    ("calendar", "calendar days"),
]


class HrPerformanceDeadlineRule(models.Model):
    """One deadline of the policies, as data: what is due, counted from which event, how
    many working or school days before or after it, who must act and what marks it met.

    Lines without a job group are the default set a new job group starts from; each job
    group then carries its own lines (*Deadlines* tab). ``hr.performance.deadline``
    generates every review's deadlines from its group's lines."""

    _name = "hr.performance.deadline.rule"
    _description = "Performance Deadline Rule"
    _order = "job_group_id, sequence, id"

    job_group_id = fields.Many2one(
        "hr.performance.job.group",
        index=True,
        ondelete="cascade",
        help="Empty: a line of the default set every new job group starts from.",
    )
    sequence = fields.Integer(default=10)
    code = fields.Char(
        required=True,
        help="Technical key of the deadline, one per job group (e.g. self_evaluation).",
    )
    name = fields.Char(string="What Is Due", required=True, translate=True)
    todo_summary = fields.Char(
        string="To-Do", translate=True, help="What the to-do asks of whoever must act."
    )
    event = fields.Selection(EVENTS, string="Counted From", required=True)
    days = fields.Integer(required=True, default=5)
    day_kind = fields.Selection(DAY_KINDS, string="Counted In", required=True, default="working")
    direction = fields.Selection(
        [("after", "after"), ("before", "before")], required=True, default="after"
    )
    responsible = fields.Selection(ROLES, string="Who Acts", required=True, default="reviewer")
    done_event = fields.Selection(DONE_EVENTS, string="Met When", required=True)
    condition = fields.Selection(
        [
            ("always", "Always"),
            ("full_process", "Full review process only"),
            ("moderated", "When the school moderates the statement"),
            ("revision", "When a revised statement is instructed"),
            ("pay_progression", "When the job group decides pay progression"),
            ("headteacher_review", "When governors review the headteacher"),
        ],
        string="Applies",
        required=True,
        default="always",
    )

    _unique_code = models.UniqueIndex(
        "(COALESCE(job_group_id, 0), code)", "A job group has one deadline rule per code."
    )

    @api.constrains("days", "event", "day_kind")
    def _check_days(self):
        for rule in self:
            # Only events that already are due dates may count zero days.
            if rule.days < 0 or (rule.days == 0 and rule.event not in DUE_DATE_EVENTS):
                raise ValidationError(
                    self.env._(
                        "“%(rule)s” must be a positive number of days (got %(value)s).",
                        rule=rule.name,
                        value=rule.days,
                    )
                )
            if rule.day_kind == "calendar" and rule.done_event != "none":
                raise ValidationError(
                    self.env._(
                        "“%(rule)s”: deadlines are counted in working or school days; "
                        "calendar days only set the notice flagged on an observation.",
                        rule=rule.name,
                    )
                )

    @api.constrains("event", "done_event", "responsible")
    def _check_observation_rules(self):
        for rule in self:
            on_observation = rule.event == "observation"
            if on_observation != (rule.done_event in (*OBSERVATION_DONE_FIELDS, "none")):
                raise ValidationError(
                    self.env._(
                        "“%(rule)s”: a deadline counted from an observation is met by the "
                        "observation's feedback or written record, and only those are.",
                        rule=rule.name,
                    )
                )
            if rule.responsible == "observer" and not on_observation:
                raise ValidationError(
                    self.env._(
                        "“%(rule)s”: only a deadline counted from an observation has an "
                        "observer to act.",
                        rule=rule.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules._sync_open_reviews()
        return rules

    def write(self, vals):
        res = super().write(vals)
        self._sync_open_reviews()
        return res

    def unlink(self):
        # Not a deletion guard: the open reviews of the group drop the deadline.
        groups = self.job_group_id
        res = super().unlink()
        groups.deadline_rule_ids._sync_open_reviews(groups)
        return res

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _sync_open_reviews(self, groups=None):
        groups = (groups or self.env["hr.performance.job.group"]) | self.job_group_id
        if not groups:
            return
        # System bookkeeping: the open reviews of the groups follow the new rules.
        reviews = (
            self.env["hr.performance.review"]
            .sudo()
            .search(
                [
                    ("job_group_id", "in", groups.ids),
                    ("state", "not in", ("completed", "cancelled")),
                ]
            )
        )
        self.env["hr.performance.deadline"]._resync_due_dates(reviews)

    def _signed_days(self):
        self.ensure_one()
        return -self.days if self.direction == "before" else self.days

    def _due_date(self, calendar, date_from):
        """The due date counted from ``date_from`` with the school's ``calendar``."""
        self.ensure_one()
        if self.day_kind == "calendar":
            return date_from + timedelta(days=self._signed_days())
        return calendar.add(date_from, self._signed_days(), self.day_kind)

    def _applies_to(self, review):
        self.ensure_one()
        if self.done_event == "none":
            return False
        if self.condition == "full_process":
            return review.process == "full"
        if self.condition == "moderated":
            # The school's moderation of the cycle (hr.performance.moderation) selects it.
            return review.moderation_selected
        if self.condition == "revision":
            return bool(review.date_revision_requested)
        if self.condition == "pay_progression":
            return bool(review.job_group_id.pay_progression)
        if self.condition == "headteacher_review":
            return review.is_headteacher_review
        return True

    def _runs_after_completion(self):
        """Whether the deadline stays open once its review is completed: the statement is
        moderated (and revised) and the pay decision taken on the completed review."""
        self.ensure_one()
        return self.done_event in ("moderated", "pay_decided") or self.event == "revision_requested"

    def _default_values(self):
        """Values of a copy of this line for a new job group."""
        self.ensure_one()
        return self.copy_data({"job_group_id": False})[0]
