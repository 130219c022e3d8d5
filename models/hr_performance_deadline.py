import logging
from contextvars import ContextVar
from datetime import timedelta

from psycopg2.extensions import TRANSACTION_STATUS_IDLE

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import SQL, clean_context, format_date

from .hr_performance_deadline_rule import (
    OBSERVATION_DONE_FIELDS,
    REVIEW_DONE_FIELDS,
    REVIEW_EVENT_FIELDS,
)

# Ids of the deadlines the deadline engine itself drops because they no longer apply (a
# rule removed, a review left out of a moderation sample): not a record being deleted, so
# the retention guard lets them go.
_DROPPING = ContextVar("hsp_deadline_dropping", default=frozenset())

_logger = logging.getLogger(__name__)

# The to-do owed by whoever acts next on a review, per state: (activity type xmlid,
# due-date field of the review).
NEXT_ACTIVITY = {
    "planning": ("hr_school_performance.mail_activity_type_planning_meeting", "date_planning_due"),
    "agreed": ("hr_school_performance.mail_activity_type_statement", "date_statement_due"),
    "in_progress": ("hr_school_performance.mail_activity_type_midyear", "date_midyear"),
    "final_review": ("hr_school_performance.mail_activity_type_final_review", "date_end"),
}
APPOINT_REVIEWER = "hr_school_performance.mail_activity_type_appoint_reviewer"
# The workflow's next-step to-do (_schedule_workflow_todos) already covers these: the
# cron only reminds and escalates them.
WORKFLOW_KINDS = frozenset({"planning_meeting", "final_statement", "midyear"})
STATUSES = [
    ("upcoming", "Upcoming"),
    ("due", "Due Soon"),
    ("missed", "Missed"),
    ("met", "Met"),
    ("late", "Done Late"),
    ("waived", "Waived"),
    ("closed", "Closed with the Review"),
]
DUE_SOON_DAYS = 7
CLOSED_REVIEW_STATES = ("completed", "cancelled")
# Advisory lock of the daily deadline job: shared by the workers at work, taken alone by
# the one that sends the digests.
DEADLINE_RUN_LOCK = int.from_bytes(b"hsp-dead", "big") >> 1


class HrPerformanceDeadline(models.Model):
    """One deadline a review (or one of its observations) must meet, counted in working
    or school days by the school's calendar, with what the daily cron has done about it.

    Rows are derived data, and this model is their only producer: ``_sync_for_reviews``
    creates, moves and closes them from the reviews' dates and the job group's settings;
    ``_sync_for_companies`` does so for every open review of schools whose calendar
    changed. A deadline still open when its review is completed or cancelled is closed
    with it (``closed_with_review``) and no longer counts as missed."""

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
    rule_id = fields.Many2one(
        "hr.performance.deadline.rule",
        string="Deadline",
        ondelete="set null",
        readonly=True,
        help="The job group's rule this deadline is counted by.",
    )
    kind = fields.Char(
        required=True, readonly=True, help="Code of the rule: one deadline per code and record."
    )
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
    closed_with_review = fields.Boolean(
        readonly=True,
        copy=False,
        help="The review was completed or cancelled before this deadline was met: it "
        "no longer applies and does not count as missed.",
    )
    # What the cron does, and when
    date_activity = fields.Date(string="To-Do From", readonly=True)
    date_reminder = fields.Date(string="Reminder On", readonly=True)
    date_escalation = fields.Date(string="Escalation On", readonly=True)
    activity_id = fields.Many2one("mail.activity", ondelete="set null", readonly=True)
    date_todo_waiting = fields.Date(
        readonly=True,
        copy=False,
        help="Last day the to-do found nobody who may open the record; it is tried again "
        "the next day.",
    )
    reminder_done = fields.Boolean(readonly=True, copy=False)
    date_reminder_sent = fields.Date(readonly=True, copy=False)
    escalation_done = fields.Boolean(readonly=True, copy=False)
    date_escalated = fields.Date(readonly=True, copy=False)
    escalation_user_id = fields.Many2one("res.users", string="Escalated To", readonly=True)
    escalation_digest_sent = fields.Boolean(
        readonly=True,
        copy=False,
        help="The escalation went out in the headteacher's daily digest of overdue deadlines.",
    )
    reminder_digest_pending = fields.Boolean(
        readonly=True,
        copy=False,
        help="The reminder is due and waits for the next daily digest of the person who acts.",
    )
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

    # The deadlines that can still be missed: what the "Overdue" filter and the missed
    # counts read (status "missed"). Done, waived and closed rows (most rows, every past
    # year) are not in it.
    _open_due_index = models.Index(
        "(date_due, review_id) WHERE date_done IS NULL AND waived IS NOT TRUE "
        "AND closed_with_review IS NOT TRUE"
    )
    # What the next digests hold: read once per run, whatever the number of deadlines.
    _digest_pending_index = models.Index(
        "(responsible_user_id) WHERE reminder_digest_pending IS TRUE"
    )
    _escalation_pending_index = models.Index(
        "(escalation_user_id) WHERE escalation_done IS TRUE AND escalation_digest_sent IS NOT TRUE"
    )
    # With the multi-company rule's column: the "Overdue" filter finds the reviews with a
    # missed deadline from this index alone.
    _open_review_index = models.Index(
        "(review_id, date_due) INCLUDE (company_id) WHERE date_done IS NULL "
        "AND waived IS NOT TRUE AND closed_with_review IS NOT TRUE"
    )

    @api.depends("rule_id.name", "kind", "employee_id.name")
    def _compute_display_name(self):
        for deadline in self:
            deadline.display_name = self.env._(
                "%(deadline)s – %(employee)s",
                deadline=deadline._kind_label(),
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
    @api.depends("date_due", "date_done", "waived", "closed_with_review")
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
        if self.closed_with_review:
            return "closed"
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
        not_done = Domain("waived", "=", False) & Domain("date_done", "=", False)
        open_ = self._open_domain()
        done = Domain("waived", "=", False) & Domain("date_done", "!=", False)
        domains = {
            "waived": Domain("waived", "=", True),
            "closed": not_done & Domain("closed_with_review", "=", True),
            "missed": open_ & Domain("date_due", "<", today),
            "due": open_ & Domain("date_due", ">=", today) & Domain("date_due", "<=", soon),
            "upcoming": open_ & Domain("date_due", ">", soon),
            # date_done <= date_due compares two columns: let the database do it.
            "met": done & Domain("id", "in", self._query_done(late=False)),
            "late": done & Domain("id", "in", self._query_done(late=True)),
        }
        domain = Domain.OR(domains[status] for status in value if status in domains)
        return domain if operator == "in" else ~domain

    @api.model
    def _open_domain(self):
        """The deadlines that can still be missed: neither met, waived nor closed with
        their review (status due, upcoming or missed; _open_review_index holds them)."""
        return (
            Domain("waived", "=", False)
            & Domain("date_done", "=", False)
            & Domain("closed_with_review", "=", False)
        )

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
        "closed_with_review",
        "kind",
        "responsible_user_id",
        "date_activity",
        "activity_id",
        "date_todo_waiting",
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
                or deadline.closed_with_review
                or deadline._closed_by_review()
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
                # A to-do nobody may receive is tried once a day, not at every run.
                waiting = deadline.date_todo_waiting
                steps.append(
                    max(deadline.date_activity, waiting + timedelta(days=1))
                    if waiting
                    else deadline.date_activity
                )
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
        """Bring this deadline in line with ``spec`` (see ``_specs_for_review``): a new due
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
            vals.update(
                reminder_done=False,
                reminder_digest_pending=False,
                escalation_done=False,
                escalation_digest_sent=False,
            )
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
        self._close_todos(activities.exists(), feedback)

    @api.model
    def _close_todos(self, activities, feedback):
        """Mark ``activities`` done as core's ``mail.activity.action_feedback`` does: a
        "done" message on the record (the view ``mail.message_activity_done``, subtype
        Activities, by the current user), then the to-do archived with the feedback.

        On reviews the messages are posted in one batch
        (hr.performance.review._message_post_batch): a headteacher moving 200 reviews one
        step closes 200 to-dos, which core posts one by one (issue 14). A to-do with
        attachments (core moves them to its message) or that triggers a next activity,
        or on another record, goes through core."""
        # sudo: closing another person's to-do is bookkeeping of the workflow.
        activities = activities.sudo().with_context(clean_context(self.env.context))
        activities = activities.filtered("active")
        if not activities:
            return
        Review = self.env["hr.performance.review"].sudo()
        attached = set(
            self.env["ir.attachment"]
            .sudo()
            .search_fetch(
                [("res_model", "=", "mail.activity"), ("res_id", "in", activities.ids)],
                ["res_id"],
            )
            .mapped("res_id")
        )
        batch = activities.filtered(
            lambda a: (
                a.res_model == Review._name
                and a.chaining_type != "trigger"
                and a.id not in attached
            )
        )
        (activities - batch).action_feedback(feedback=feedback)
        if not batch:
            return
        view = self.env.ref("mail.message_activity_done")
        subtype = self.env.ref("mail.mt_activities")
        render = self.env["mail.render.mixin"]._render_template_qweb_view
        posts = []
        for activity in batch:
            review = Review.browse(activity.res_id)
            values = {
                "activity": activity,
                "feedback": feedback,
                "display_assignee": activity.user_id != self.env.user,
            }
            posts.append(
                {
                    "record": review,
                    "subtype": subtype,
                    "author_id": self.env.user.partner_id.id,
                    "body": render(view, Review._name, review.ids, add_context=values)[review.id],
                    "mail_activity_type_id": activity.activity_type_id.id,
                }
            )
        Review._message_post_batch(posts)
        # As core: once done, archived to keep the history, with the feedback.
        batch.action_archive()
        batch.feedback = feedback

    def _close_activities(self, feedback):
        self._close_activities_of(self.activity_id, feedback)

    # ------------------------------------------------------------------
    # Generation: the one entry point every caller uses
    # ------------------------------------------------------------------
    @api.model
    def _specs_for_review(self, review, calendar):
        """The deadlines ``review`` must meet now, one per rule line of its job group (and
        per observation for the lines counted from an observation), each counted with the
        school's ``calendar``."""
        company = review.company_id
        head = company._performance_escalation_user()
        reviewer = review.reviewer_user_id or head
        roles = {
            "reviewer": reviewer,
            "reviewee": review.employee_user_id or reviewer,
            "headteacher": head,
            # sudo: who chairs the governors' panel decides who acts, not who reads.
            "panel_chair": review.sudo()._open_headteacher_panel().chair_user_id or reviewer,
        }
        specs = []
        for rule in review.job_group_id.deadline_rule_ids:
            if not rule._applies_to(review):
                continue
            if rule.event == "observation":
                for observation in review.observation_ids:
                    if observation.state == "cancelled" or not observation.date_observation:
                        continue
                    observed = company._performance_local_date(observation.date_observation)
                    done = observation[OBSERVATION_DONE_FIELDS[rule.done_event]]
                    user = observation.observer_user_id or reviewer
                    specs.append(
                        self._spec(
                            rule, calendar, observed, done, user, observation_id=observation.id
                        )
                    )
                continue
            date_from = company._performance_local_date(review[REVIEW_EVENT_FIELDS[rule.event]])
            if rule.event == "midyear_date" and not review.meeting_date:
                # The mid-year review is owed once the year's objectives are planned.
                date_from = False
            if not date_from:
                continue
            done = company._performance_local_date(review[REVIEW_DONE_FIELDS[rule.done_event]])
            specs.append(self._spec(rule, calendar, date_from, done, roles[rule.responsible]))
        return specs

    @api.model
    def _spec(self, rule, calendar, date_from, done, user, **extra):
        return dict(
            rule_id=rule.id,
            kind=rule.code,
            date_from=date_from,
            days=rule._signed_days(),
            day_kind=rule.day_kind,
            date_due=rule._due_date(calendar, date_from),
            date_done=done or False,
            responsible_user_id=user.id,
            **extra,
        )

    @api.model
    def _sync_for_reviews(self, reviews):
        """Create, move and close the deadline rows of ``reviews`` so they match the
        reviews' dates, in a fixed number of queries per school. The deadlines of a
        completed or cancelled review that are still open are closed with it."""
        # Deadlines are derived data kept by the system: whoever moved a review's date
        # (reviewer, reviewee recording a date, HR changing a setting) moves its deadlines.
        reviews = reviews.sudo().exists()
        if not reviews:
            return
        Deadline = self.sudo()
        existing = Deadline.search([("review_id", "in", reviews.ids)])
        by_key = {(d.review_id.id, d.kind, d.observation_id.id): d for d in existing}
        # The working days of all the schools, loaded together (issue 14).
        calendars = reviews.company_id._performance_working_calendars()
        to_create, kept = [], Deadline
        for review in reviews:
            if not review.job_group_id:
                continue
            closed = review.state in CLOSED_REVIEW_STATES
            company = review.company_id
            calendar = calendars[company]
            lead = company.performance_activity_lead_days
            reminder = company.performance_reminder_days
            if closed:
                # A closed review keeps the record of its deadlines as they stood, but for
                # those that still run (_closed_by_review), which follow the review.
                kept |= existing.filtered(
                    lambda d, r=review: d.review_id == r and d._closed_by_review()
                )
            for spec in self._specs_for_review(review, calendar):
                # Moderation and the pay decision follow the completed review (see
                # _closed_by_review).
                closed = review.state in CLOSED_REVIEW_STATES and not (
                    review.state == "completed"
                    and self.env["hr.performance.deadline.rule"]
                    .browse(spec["rule_id"])
                    ._runs_after_completion()
                )
                due = spec["date_due"]
                spec.update(
                    date_activity=calendar.add(due, -lead),
                    date_reminder=calendar.add(due, -reminder),
                    date_escalation=calendar.add(due, 1),
                )
                if not closed:
                    # A reopened review's deadlines count again.
                    spec["closed_with_review"] = False
                key = (review.id, spec["kind"], spec.get("observation_id") or False)
                deadline = by_key.get(key)
                if not deadline:
                    if not closed:
                        to_create.append(dict(spec, review_id=review.id))
                    continue
                kept |= deadline
                deadline._update_from_spec(spec)
        obsolete = existing - kept
        obsolete._close_activities(self.env._("Done: this deadline no longer applies."))
        token = _DROPPING.set(frozenset(obsolete.ids))
        try:
            obsolete.unlink()
        finally:
            _DROPPING.reset(token)
        Deadline.create(to_create)
        closed_rows = kept.filtered(
            lambda d: (
                d._closed_by_review() and not (d.date_done or d.waived or d.closed_with_review)
            )
        )
        closed_rows.write({"closed_with_review": True})
        closed_rows._close_activities(self.env._("Closed with the review."))
        kept.filtered(lambda d: d.date_done or d.waived)._close_activities(self.env._("Done."))

    @api.model
    def _sync_for_companies(self, companies):
        """Recompute the due dates of the open reviews of ``companies`` (and of their
        schools): their calendar, public holidays or closures changed."""
        if not companies:
            return
        # System bookkeeping: every open review of the schools, whoever changed the calendar.
        Review = self.env["hr.performance.review"].sudo()
        reviews = Review.search(
            [
                ("company_id", "child_of", companies.ids),
                ("state", "not in", CLOSED_REVIEW_STATES),
            ]
        )
        self._resync_due_dates(reviews)

    @api.model
    def _resync_due_dates(self, reviews):
        """Recompute the stored due dates of ``reviews`` and their observations (what they
        are counted by changed), then their deadlines."""
        if not reviews:
            return
        for fname in ("date_planning_due", "date_statement_due"):
            self.env.add_to_compute(reviews._fields[fname], reviews)
        observations = reviews.observation_ids
        for fname in ("date_feedback_due", "date_record_due"):
            self.env.add_to_compute(observations._fields[fname], observations)
        self._sync_for_reviews(reviews)

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _cron_process_deadlines(self, batch_size=200):
        """Turn what is coming due into to-dos, remind before due dates and escalate what
        is overdue. Reads only the deadlines with something to do today (indexed
        ``date_next_action``); each batch is locked (``FOR UPDATE SKIP LOCKED``) and
        committed, so two workers never act twice on the same deadline, and the last
        worker to finish sends the day's digests: one e-mail per person.

        Every worker at work holds the run lock shared, a session lock that outlives the
        batches' commits. Done, a worker trades it for the lock alone: it gets it only
        when no other worker is at work (each commits its batches before letting go), and
        then sends the digests; otherwise the last one to finish sends them."""
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_advisory_lock_shared(%s)", DEADLINE_RUN_LOCK))
        held = "shared"
        try:
            if self._process_due_batches(batch_size):
                cr.execute(
                    SQL(
                        "SELECT pg_advisory_unlock_shared(%s), pg_try_advisory_lock(%s)",
                        DEADLINE_RUN_LOCK,
                        DEADLINE_RUN_LOCK,
                    )
                )
                held = "alone" if cr.fetchone()[1] else None
                if held:
                    self._send_digests()
        except Exception:
            cr.rollback()
            self._release_run_lock(held)
            raise
        self._release_run_lock(held)

    @api.model
    def _release_run_lock(self, held):
        unlock = {"shared": "pg_advisory_unlock_shared", "alone": "pg_advisory_unlock"}
        if held:
            self.env.cr.execute(SQL("SELECT %s(%s)", SQL(unlock[held]), DEADLINE_RUN_LOCK))

    @api.model
    def _process_due_batches(self, batch_size):
        """Process what is due today, batch by batch; False when the run ran out of time
        (the scheduler runs the job again at once for the rest)."""
        today = fields.Date.context_today(self)
        domain = [("date_next_action", "<=", today)]
        seen = set()
        while True:
            # Each deadline is handled once per run: every step due today is done in one
            # pass, so a deadline never comes back the same day.
            candidates, batch = self._lock_batch(
                [*domain, ("id", "not in", list(seen))], batch_size
            )
            if not batch:
                return True
            seen.update(batch.ids)
            # Another worker may have processed them between our search and our lock.
            batch.invalidate_recordset()
            batch = batch.filtered_domain(domain)
            batch._process_due(today)
            remaining = len(candidates) - len(batch)
            time_left = self.env["ir.cron"]._commit_progress(len(batch), remaining=remaining)
            if remaining and not time_left:
                return False

    @api.model
    def _lock_batch(self, domain, limit=None):
        """The deadlines of ``domain`` and the ones of them this transaction could lock
        (at most ``limit``); rows another worker holds are skipped (it commits them as
        done). Called between batches, where everything of the run is committed: the
        batch gets a transaction of its own at READ COMMITTED, the level of a queue read
        with SKIP LOCKED. Under Odoo's REPEATABLE READ, a row another worker committed
        after this transaction's snapshot could not be locked (a serialization failure);
        here its latest version is read, and skipped when it is no longer due."""
        cr = self.env.cr
        # Between batches: the work of the run so far is committed (or, in a test, the
        # test's own transaction goes on; nothing runs beside it).
        cr.commit()  # pylint: disable=invalid-commit
        if cr.connection.info.transaction_status == TRANSACTION_STATUS_IDLE:
            cr.execute(SQL("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"))
        candidates = self.search(domain, order="date_next_action, id")
        return candidates, candidates.try_lock_for_update(limit=limit)

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
        # Reminders go out in the person's daily digest (_send_digests), committed with
        # this batch: a crash before the digest leaves them pending, never lost.
        to_remind.filtered(lambda d: d.date_due >= today and d.responsible_user_id).write(
            {"date_reminder_sent": today, "reminder_digest_pending": True}
        )
        to_remind.write({"reminder_done": True})
        to_escalate = self.filtered(
            lambda d: not d.escalation_done and d.date_escalation and d.date_escalation <= today
        )
        self._escalate(to_escalate, today)

    # ------------------------------------------------------------------
    # To-dos: the one producer of the addon's activities
    # ------------------------------------------------------------------
    @api.model
    def _todo_values(self, record, type_id, user, date_deadline, summary=False):
        """Values of one automated to-do on ``record`` for ``user``."""
        return {
            "res_model_id": self.env["ir.model"]._get_id(record._name),
            "res_id": record.id,
            "activity_type_id": type_id,
            "summary": summary,
            "date_deadline": date_deadline,
            "user_id": user.id,
            "automated": True,
        }

    @api.model
    def _create_activities(self, vals_list):
        # To-dos are assigned by the system to whoever must act (the assignee may be
        # anyone the deadline names); the e-mail reminder notifies them, so quietly.
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )

    @api.model
    def _schedule_workflow_todos(self, reviews):
        """Close the workflow to-dos of ``reviews`` and schedule the one owed next (the
        review's next step, due by its deadline), in one batch. A review without a
        reviewer gets an "appoint a reviewer" to-do for the HR officer running the
        cycle. The deadlines the step covers (WORKFLOW_KINDS) get no to-do of their own:
        one open to-do per person and obligation."""
        if self.env.context.get("mail_activity_automation_skip") or not reviews:
            return self.env["mail.activity"]
        xmlids = [xmlid for xmlid, __ in NEXT_ACTIVITY.values()] + [APPOINT_REVIEWER]
        # Closing another person's to-do is bookkeeping of the workflow.
        self._close_todos(
            reviews.sudo().activity_search(xmlids),
            self.env._("Done: the review moved on."),
        )
        type_ids = {xmlid: self.env["ir.model.data"]._xmlid_to_res_id(xmlid) for xmlid in xmlids}
        hr_user = self.env.user if reviews._performance_user_groups()["hr"] else None
        vals_list = []
        for review in reviews:
            if review.state not in NEXT_ACTIVITY:
                continue
            if not review.reviewer_user_id:
                xmlid, deadline = APPOINT_REVIEWER, review.date_start
                user = hr_user or review.cycle_id.write_uid
            else:
                xmlid, date_field = NEXT_ACTIVITY[review.state]
                deadline, user = review[date_field] or review.date_end, review.reviewer_user_id
            vals_list.append(self._todo_values(review, type_ids[xmlid], user, deadline))
        return self._create_activities(vals_list)

    def _create_todos(self, deadlines):
        if not deadlines or self.env.context.get("mail_activity_automation_skip"):
            return
        type_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "hr_school_performance.mail_activity_type_deadline"
        )
        targets = {deadline: deadline._target() for deadline in deadlines}
        # Whoever must act may no longer open the record (a reviewer whose access ended
        # after the review was completed, a replaced observer): the to-do goes to whoever
        # the deadline escalates to, if they can open it; otherwise it waits (the digest
        # still escalates it). One bad deadline must never stop the day's run for all.
        assignees = {deadline: deadline.responsible_user_id for deadline in deadlines}
        readable = self._readable_by([(targets[d], user) for d, user in assignees.items() if user])
        fallbacks = {
            deadline: deadline._escalation_user()
            for deadline, user in assignees.items()
            if not (user and (targets[deadline], user) in readable)
        }
        # One access check for all of them, not one per deadline.
        readable = self._readable_by([(targets[d], user) for d, user in fallbacks.items() if user])
        for deadline, fallback in fallbacks.items():
            if fallback and (targets[deadline], fallback) in readable:
                assignees[deadline] = fallback
            else:
                del assignees[deadline]
        (deadlines - self.browse([deadline.id for deadline in assignees])).write(
            {"date_todo_waiting": fields.Date.context_today(self)}
        )
        deadlines = self.browse([deadline.id for deadline in assignees])
        activities = self._create_activities(
            [
                self._todo_values(
                    targets[deadline],
                    type_id,
                    assignees[deadline],
                    deadline.date_due,
                    deadline._todo_summary(),
                )
                for deadline in deadlines
            ]
        )
        for deadline, activity in zip(deadlines, activities, strict=True):
            deadline.activity_id = activity

    @api.model
    def _readable_by(self, pairs):
        """The ``(record, user)`` pairs of ``pairs`` where the user may read the record: one
        access check per model and user. The rule mail.activity enforces on assignees of
        confidential records, and the one the to-dos follow."""
        groups = {}
        for record, user in pairs:
            groups.setdefault((record._name, user), set()).add(record.id)
        # Their allowed companies, in one query whatever the prefetch of the users.
        self.env["res.users"].browse({user.id for __, user in groups}).fetch(["company_ids"])
        readable = set()
        for (model, user), ids in groups.items():
            records = self.env[model].browse(ids)
            allowed = (
                records.with_user(user)
                .with_context(allowed_company_ids=user.company_ids.ids)
                ._filtered_access("read")
            )
            readable.update((record, user) for record in records.browse(allowed.ids))
        return readable

    # ------------------------------------------------------------------
    # Digests: one e-mail per person and day
    # ------------------------------------------------------------------
    def _escalate(self, deadlines, today):
        """Mark what is overdue for the headteacher's digest (sent once the run is done):
        no to-do on the review, which the reviewee can read."""
        by_user = {}
        for deadline in deadlines:
            by_user.setdefault(deadline._escalation_user(), []).append(deadline.id)
        for user, ids in by_user.items():
            self.browse(ids).write(
                {
                    "escalation_done": True,
                    "date_escalated": today,
                    "escalation_user_id": user.id,
                    "escalation_digest_sent": False,
                }
            )
            if not user:
                _logger.info(
                    "Overdue deadlines %s not escalated: their school has no headteacher set.",
                    ids,
                )

    @api.model
    def _send_digests(self):
        """One e-mail per person, with links: the deadlines they must meet that are due
        soon (the reminders of the run) and, for a headteacher, what is overdue in their
        schools (the escalations), never one e-mail per deadline. The rows are locked
        (``FOR UPDATE SKIP LOCKED``) and marked sent in the transaction that creates the
        e-mails: two workers never send the same item, and a crash sends it the next run."""
        reminder = Domain("reminder_digest_pending", "=", True) & Domain(
            "responsible_user_id", "!=", False
        )
        escalation = (
            Domain("escalation_done", "=", True)
            & Domain("escalation_digest_sent", "=", False)
            & Domain("escalation_user_id", "!=", False)
        )
        pending = self._lock_batch(reminder | escalation)[1]
        pending.invalidate_recordset()
        # The capability procedure stops a review's deadlines: what was still waiting for
        # a digest when it was suspended is dropped, not sent.
        stopped = pending.filtered(lambda d: d.review_id.performance_suspended)
        stopped.filtered_domain(reminder).write({"reminder_digest_pending": False})
        stopped.filtered_domain(escalation).write({"escalation_digest_sent": True})
        pending -= stopped
        reminders = pending.filtered_domain(reminder)
        escalations = pending.filtered_domain(escalation)
        if not (reminders or escalations):
            return
        due_by_user = reminders.grouped("responsible_user_id")
        new_by_user = escalations.grouped("escalation_user_id")
        overdue = self._still_overdue(escalations.escalation_user_id).grouped("escalation_user_id")
        vals_list = []
        for user in dict.fromkeys([*due_by_user, *new_by_user]):
            new = new_by_user.get(user, self.browse())
            vals_list.append(
                self._digest_mail_values(
                    user,
                    due=due_by_user.get(user, self.browse()),
                    overdue=(overdue.get(user, self.browse()) | new) if new else new,
                    new=new,
                )
            )
        reminders.write({"reminder_digest_pending": False})
        escalations.write({"escalation_digest_sent": True})
        # Sent by the system on behalf of the schools.
        self.env["mail.mail"].sudo().create(vals_list)
        self.env["ir.cron"]._commit_progress(len(pending))

    @api.model
    def _still_overdue(self, users):
        """Everything still overdue that escalated to ``users``, in one query for all of
        them: missed and open (moderation and the pay decision stay open on a completed
        review; closing a review closes the rest), on a review not suspended by the
        capability procedure (its deadlines stop until it restarts)."""
        return self.search(
            [
                ("escalation_user_id", "in", users.ids),
                ("status", "in", ["missed"]),
                ("review_id.performance_suspended", "=", False),
            ]
        )

    @api.model
    def _digest_mail_values(self, user, due, overdue, new):
        lang = user.lang or self.env.lang
        env = self.with_context(lang=lang).env
        due = due.with_env(env).sorted(lambda d: (d.date_due, d.company_id.name, d.id))
        overdue = overdue.with_env(env).sorted(lambda d: (d.company_id.name, d.date_due, d.id))
        body = env["ir.qweb"]._render(
            "hr_school_performance.deadline_digest",
            {
                "user": user,
                "due": due,
                "overdue": overdue,
                "new_ids": set(new.ids),
                "links": {d.id: d._target()._notify_get_action_link("view") for d in due | overdue},
                "format_date": lambda day: format_date(env, day),
            },
            minimal_qcontext=True,
        )
        if due and overdue:
            subject = env._(
                "Performance deadlines: %(due)s due soon, %(overdue)s overdue",
                due=len(due),
                overdue=len(overdue),
            )
        elif due:
            subject = env._("Performance deadlines due soon: %(count)s", count=len(due))
        else:
            subject = env._("Overdue performance deadlines: %(count)s", count=len(overdue))
        company = (due | overdue).company_id[:1]
        return {
            "subject": subject,
            "body_html": body,
            "email_from": company.email_formatted or self.env.user.email_formatted,
            "recipient_ids": [(4, user.partner_id.id)],
            "auto_delete": True,
        }

    def _escalation_user(self):
        """The headteacher of the school; the trust's CEO when the headteacher is the
        person who missed the deadline."""
        self.ensure_one()
        user = self.company_id._performance_escalation_user()
        if user and user == self.responsible_user_id and self.company_id.parent_id:
            user = self.company_id.parent_id._performance_escalation_user() or user
        return user

    def _todo_summary(self):
        self.ensure_one()
        # In the language of the person who must act.
        rule = self.rule_id.with_context(lang=self.responsible_user_id.lang or self.env.lang)
        return rule.todo_summary or rule.name or self.kind

    def _closed_by_review(self):
        """Whether the review's closing closes this deadline: a cancelled review closes
        all, a completed one all but moderation's and the pay decision's."""
        self.ensure_one()
        state = self.review_id.state
        if state == "completed" and self.rule_id._runs_after_completion():
            return False
        return state in CLOSED_REVIEW_STATES

    def _kind_label(self):
        self.ensure_one()
        return self.rule_id.name or self.kind or ""
