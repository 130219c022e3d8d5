import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, LazyTranslate, format_date

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

KINDS = [
    ("planning_meeting", "Planning meeting held"),
    ("notice", "Meeting notice given"),
    ("self_evaluation", "Self-evaluation returned"),
    ("draft_statement", "Draft statement sent"),
    ("comments", "Reviewee's comments returned"),
    ("final_statement", "Final statement signed"),
    ("moderation", "Statement moderated"),
    ("midyear", "Mid-year review held"),
    ("support_review", "Support period reviewed"),
    ("observation_feedback", "Observation: verbal feedback given"),
    ("observation_record", "Observation: written record shared"),
]
# What the to-do asks of whoever must act.
TODO_SUMMARIES = {
    "planning_meeting": _lt("Hold the planning meeting"),
    "notice": _lt("Send the meeting invitation"),
    "self_evaluation": _lt("Return the self-evaluation"),
    "draft_statement": _lt("Send the draft statement"),
    "comments": _lt("Return comments on the draft statement"),
    "final_statement": _lt("Sign the final statement"),
    "moderation": _lt("Moderate the statement"),
    "midyear": _lt("Hold the mid-year review"),
    "support_review": _lt("Review the support period"),
    "observation_feedback": _lt("Give verbal feedback on the observation"),
    "observation_record": _lt("Share the written record of the observation"),
}
# The review workflow (_schedule_next_activity) already gives these a to-do: the cron
# only reminds and escalates them.
WORKFLOW_KINDS = frozenset({"planning_meeting", "final_statement", "midyear"})
STATUSES = [
    ("upcoming", "Upcoming"),
    ("due", "Due Soon"),
    ("missed", "Missed"),
    ("met", "Met"),
    ("late", "Done Late"),
    ("waived", "Waived"),
]
DUE_SOON_DAYS = 7
CLOSED_REVIEW_STATES = ("completed", "cancelled")


class HrPerformanceDeadline(models.Model):
    """One deadline a review (or one of its observations) must meet, counted in working
    or school days by the school's calendar, with what the daily cron has done about it.

    Rows are derived data: ``hr.performance.review._sync_deadlines`` creates, moves and
    closes them from the review's dates and the job group's settings."""

    _name = "hr.performance.deadline"
    _description = "Performance Deadline"
    _order = "date_due, id"
    _check_company_auto = True

    review_id = fields.Many2one(
        "hr.performance.review", required=True, index=True, ondelete="cascade", readonly=True
    )
    observation_id = fields.Many2one(
        "hr.performance.observation", index="btree_not_null", ondelete="cascade", readonly=True
    )
    kind = fields.Selection(KINDS, required=True, readonly=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    employee_id = fields.Many2one(
        related="review_id.employee_id", store=True, index=True, string="Reviewee"
    )
    reviewer_id = fields.Many2one(related="review_id.reviewer_id")
    review_state = fields.Selection(related="review_id.state", string="Review Status")
    responsible_user_id = fields.Many2one(
        "res.users",
        string="Who Acts",
        readonly=True,
        help="The person who must act by the due date.",
    )
    date_from = fields.Date(string="Counted From", readonly=True)
    days = fields.Integer(readonly=True)
    day_kind = fields.Selection(
        [("working", "working days"), ("school", "school days")], readonly=True
    )
    rule = fields.Char(compute="_compute_rule")
    date_due = fields.Date(string="Due", required=True, index=True, readonly=True)
    date_done = fields.Date(string="Done On", readonly=True)
    status = fields.Selection(STATUSES, compute="_compute_status", search="_search_status")
    waived = fields.Boolean(readonly=True, copy=False)
    waive_reason = fields.Text(readonly=True)
    # What the cron does, and when
    date_activity = fields.Date(string="To-Do From", readonly=True)
    date_reminder = fields.Date(string="Reminder On", readonly=True)
    date_escalation = fields.Date(string="Escalation On", readonly=True)
    activity_id = fields.Many2one("mail.activity", ondelete="set null", readonly=True)
    reminder_done = fields.Boolean(readonly=True, copy=False)
    date_reminder_sent = fields.Date(readonly=True, copy=False)
    escalation_done = fields.Boolean(readonly=True, copy=False)
    date_escalated = fields.Date(readonly=True, copy=False)
    escalation_user_id = fields.Many2one("res.users", string="Escalated To", readonly=True)
    escalation_activity_id = fields.Many2one("mail.activity", ondelete="set null", readonly=True)
    date_next_action = fields.Date(
        compute="_compute_date_next_action",
        store=True,
        index="btree_not_null",
        help="Next day the daily scheduled action has something to do for this deadline.",
    )

    _unique_review_kind = models.UniqueIndex(
        "(review_id, kind) WHERE observation_id IS NULL",
        "A review has one deadline of each kind.",
    )
    _unique_observation_kind = models.UniqueIndex(
        "(observation_id, kind) WHERE observation_id IS NOT NULL",
        "An observation has one deadline of each kind.",
    )

    @api.depends("kind", "observation_id.display_name", "employee_id.name")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for deadline in self:
            deadline.display_name = self.env._(
                "%(deadline)s – %(employee)s",
                deadline=labels.get(deadline.kind, ""),
                employee=deadline.employee_id.name or "",
            )

    @api.depends("days", "day_kind", "date_from", "date_due")
    def _compute_rule(self):
        kinds = dict(self._fields["day_kind"]._description_selection(self.env))
        for deadline in self:
            if not deadline.date_from or not deadline.days:
                deadline.rule = False
                continue
            values = {
                "days": abs(deadline.days),
                "kind": kinds.get(deadline.day_kind, ""),
                "date": format_date(self.env, deadline.date_from),
            }
            deadline.rule = (
                self.env._("%(days)s %(kind)s after %(date)s", **values)
                if deadline.date_due >= deadline.date_from
                else self.env._("%(days)s %(kind)s before %(date)s", **values)
            )

    @api.depends_context("tz")
    @api.depends("date_due", "date_done", "waived")
    def _compute_status(self):
        today = fields.Date.context_today(self)
        for deadline in self:
            deadline.status = deadline._status_on(today)

    def _status_on(self, today):
        self.ensure_one()
        if self.waived:
            return "waived"
        if self.date_done:
            return "met" if self.date_done <= self.date_due else "late"
        if self.date_due < today:
            return "missed"
        if self.date_due <= today + timedelta(days=DUE_SOON_DAYS):
            return "due"
        return "upcoming"

    def _search_status(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        today = fields.Date.context_today(self)
        soon = today + timedelta(days=DUE_SOON_DAYS)
        open_ = Domain("waived", "=", False) & Domain("date_done", "=", False)
        done = Domain("waived", "=", False) & Domain("date_done", "!=", False)
        domains = {
            "waived": Domain("waived", "=", True),
            "missed": open_ & Domain("date_due", "<", today),
            "due": open_ & Domain("date_due", ">=", today) & Domain("date_due", "<=", soon),
            "upcoming": open_ & Domain("date_due", ">", soon),
            # date_done <= date_due compares two columns: let the database do it.
            "met": done & Domain("id", "in", self._query_done(late=False)),
            "late": done & Domain("id", "in", self._query_done(late=True)),
        }
        domain = Domain.OR(domains[status] for status in value if status in domains)
        return domain if operator == "in" else ~domain

    def _query_done(self, late):
        query = self._search([("date_done", "!=", False)])
        table = SQL.identifier(self._table)
        query.add_where(
            SQL("%s.date_done > %s.date_due", table, table)
            if late
            else SQL("%s.date_done <= %s.date_due", table, table)
        )
        return query

    @api.depends(
        "date_done",
        "waived",
        "kind",
        "responsible_user_id",
        "date_activity",
        "activity_id",
        "date_reminder",
        "reminder_done",
        "date_escalation",
        "escalation_done",
        "review_id.state",
    )
    def _compute_date_next_action(self):
        for deadline in self:
            if (
                deadline.date_done
                or deadline.waived
                or deadline.review_id.state in CLOSED_REVIEW_STATES
            ):
                deadline.date_next_action = False
                continue
            steps = []
            if (
                deadline.kind not in WORKFLOW_KINDS
                and deadline.responsible_user_id
                and not deadline.activity_id
                and deadline.date_activity
            ):
                steps.append(deadline.date_activity)
            if not deadline.reminder_done and deadline.date_reminder:
                steps.append(deadline.date_reminder)
            if not deadline.escalation_done and deadline.date_escalation:
                steps.append(deadline.date_escalation)
            deadline.date_next_action = min(steps) if steps else False

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _waive(self, reason):
        """Headteacher or HR: the deadline does not apply (e.g. statement not in the
        moderation sample, meeting notice shortened by agreement)."""
        if not (
            self.env.su
            or self.env.user.has_group(
                "hr_school_performance.hr_school_performance_group_headteacher"
            )
        ):
            raise AccessError(self.env._("Only the headteacher or HR can waive a deadline."))
        # ...of the schools they may read (record rules).
        self.check_access("read")
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for waiving the deadline."))
        if any(deadline.date_done for deadline in self):
            raise UserError(self.env._("A deadline already met cannot be waived."))
        # Deadlines are written by the system only; the check above authorises this one.
        self.sudo().write({"waived": True, "waive_reason": reason})
        self._close_activities(self.env._("Waived: %(reason)s", reason=reason))
        for deadline in self:
            deadline.review_id.message_post(
                body=self.env._(
                    "Deadline “%(deadline)s” (due %(date)s) waived: %(reason)s",
                    deadline=deadline.display_name,
                    date=deadline.date_due,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_open_waive(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Waive Deadline"),
            "res_model": "hr.performance.deadline.waive",
            "view_mode": "form",
            "target": "new",
            "context": {"default_deadline_id": self.id},
        }

    def action_open_record(self):
        self.ensure_one()
        record = self.observation_id or self.review_id
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _target(self):
        """The record the deadline's to-dos hang on: the observation or the review."""
        self.ensure_one()
        return self.observation_id or self.review_id

    def _update_from_spec(self, spec):
        """Bring this deadline in line with ``spec`` (see review._deadline_specs): a new due
        date restarts the reminder and escalation, a new person takes over the to-do."""
        self.ensure_one()
        vals = {}
        for fname, value in spec.items():
            if fname in ("kind", "observation_id", "review_id"):
                continue
            current = self[fname]
            if isinstance(current, models.BaseModel):
                current = current.id
            if current != value:
                vals[fname] = value
        if not vals:
            return
        if "date_due" in vals:
            vals.update(reminder_done=False, escalation_done=False)
            if self.escalation_activity_id:
                self._close_activities_of(
                    self.escalation_activity_id, self.env._("The due date moved.")
                )
                vals["escalation_activity_id"] = False
        activity = self.activity_id.exists().filtered("active")
        if activity:
            activity_vals = {}
            if "date_due" in vals:
                activity_vals["date_deadline"] = vals["date_due"]
            if vals.get("responsible_user_id"):
                activity_vals["user_id"] = vals["responsible_user_id"]
            if activity_vals:
                # The to-do belongs to the person who acts, not to whoever moved the date.
                activity.sudo().with_context(mail_activity_quick_update=True).write(activity_vals)
        self.write(vals)

    def _close_activities_of(self, activities, feedback):
        activities = activities.exists().filtered("active")
        if activities:
            # Closing another person's to-do is bookkeeping of the deadline.
            activities.sudo().action_feedback(feedback=feedback)

    def _close_activities(self, feedback):
        self._close_activities_of(self.activity_id | self.escalation_activity_id, feedback)

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _cron_process_deadlines(self, batch_size=200):
        """Turn what is coming due into to-dos, remind before due dates and escalate what
        is overdue. Reads only the deadlines with something to do today (indexed
        ``date_next_action``); each batch is locked (``FOR UPDATE SKIP LOCKED``) and
        committed, so two workers never act twice on the same deadline."""
        today = fields.Date.context_today(self)
        domain = [("date_next_action", "<=", today)]
        seen = set()
        while True:
            # Each deadline is handled once per run: every step due today is done in one
            # pass, so a deadline never comes back the same day.
            candidates = self.search(
                [*domain, ("id", "not in", list(seen))], order="date_next_action, id"
            )
            # Rows another worker holds are skipped; it commits them as done.
            batch = candidates.try_lock_for_update(limit=batch_size)
            if not batch:
                break
            seen.update(batch.ids)
            # Another worker may have processed them between our search and our lock.
            batch.invalidate_recordset()
            batch = batch.filtered_domain(domain)
            batch._process_due(today)
            remaining = len(candidates) - len(batch)
            if not self.env["ir.cron"]._commit_progress(len(batch), remaining=remaining):
                break

    def _process_due(self, today):
        """Act on the deadlines of ``self`` whose next step is due on ``today``."""
        if not self:
            return
        self._create_todos(
            self.filtered(
                lambda d: (
                    d.kind not in WORKFLOW_KINDS
                    and d.responsible_user_id
                    and not d.activity_id
                    and d.date_activity
                    and d.date_activity <= today
                )
            )
        )
        to_remind = self.filtered(
            lambda d: not d.reminder_done and d.date_reminder and d.date_reminder <= today
        )
        # A reminder the day after the due date would be noise: the escalation follows.
        self._send_mails(
            to_remind.filtered(lambda d: d.date_due >= today and d.responsible_user_id),
            "hr_school_performance.mail_template_deadline_reminder",
        )
        to_remind.filtered(lambda d: d.date_due >= today and d.responsible_user_id).write(
            {"date_reminder_sent": today}
        )
        to_remind.write({"reminder_done": True})
        to_escalate = self.filtered(
            lambda d: not d.escalation_done and d.date_escalation and d.date_escalation <= today
        )
        self._escalate(to_escalate, today)

    def _create_todos(self, deadlines):
        if not deadlines:
            return
        type_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "hr_school_performance.mail_activity_type_deadline"
        )
        model_ids = {
            name: self.env["ir.model"]._get_id(name)
            for name in ("hr.performance.review", "hr.performance.observation")
        }
        vals_list = []
        for deadline in deadlines:
            target = deadline._target()
            vals_list.append(
                {
                    "res_model_id": model_ids[target._name],
                    "res_id": target.id,
                    "activity_type_id": type_id,
                    "summary": deadline._todo_summary(),
                    "date_deadline": deadline.date_due,
                    "user_id": deadline.responsible_user_id.id,
                    "automated": True,
                }
            )
        # The e-mail reminder notifies the person: create the to-dos quietly, as the
        # system (the assignee may be anyone the deadline names).
        activities = (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .sudo()
            .create(vals_list)
        )
        for deadline, activity in zip(deadlines, activities, strict=True):
            deadline.activity_id = activity

    def _escalate(self, deadlines, today):
        if not deadlines:
            return
        type_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "hr_school_performance.mail_activity_type_deadline_overdue"
        )
        model_ids = {
            name: self.env["ir.model"]._get_id(name)
            for name in ("hr.performance.review", "hr.performance.observation")
        }
        vals_list, escalated = [], self.browse()
        for deadline in deadlines:
            user = deadline._escalation_user()
            deadline.write({"escalation_done": True, "date_escalated": today})
            if not user:
                _logger.info(
                    "Overdue deadline %s not escalated: %s has no headteacher set.",
                    deadline.id,
                    deadline.company_id.name,
                )
                continue
            deadline.escalation_user_id = user
            escalated |= deadline
            # The headteacher's to-do hangs on the review, which they can read.
            vals_list.append(
                {
                    "res_model_id": model_ids["hr.performance.review"],
                    "res_id": deadline.review_id.id,
                    "activity_type_id": type_id,
                    "summary": self.env._(
                        "Overdue since %(date)s: %(deadline)s",
                        date=deadline.date_due,
                        deadline=deadline._kind_label(),
                    ),
                    "date_deadline": today,
                    "user_id": user.id,
                    "automated": True,
                }
            )
        activities = (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .sudo()
            .create(vals_list)
        )
        for deadline, activity in zip(escalated, activities, strict=True):
            deadline.escalation_activity_id = activity
        self._send_mails(escalated, "hr_school_performance.mail_template_deadline_escalation")

    def _escalation_user(self):
        """The headteacher of the school; the trust's CEO when the headteacher is the
        person who missed the deadline."""
        self.ensure_one()
        user = self.company_id._performance_escalation_user()
        if user and user == self.responsible_user_id and self.company_id.parent_id:
            user = self.company_id.parent_id._performance_escalation_user() or user
        return user

    def _send_mails(self, deadlines, template_xmlid):
        if not deadlines:
            return
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        # Reminders and escalations are sent by the system on behalf of the school.
        template.sudo().send_mail_batch(deadlines.ids)

    def _todo_summary(self):
        self.ensure_one()
        # In the language of the person who must act.
        env = self.with_context(lang=self.responsible_user_id.lang or self.env.lang).env
        return env._(TODO_SUMMARIES[self.kind])

    def _kind_label(self):
        self.ensure_one()
        return dict(self._fields["kind"]._description_selection(self.env))[self.kind]
