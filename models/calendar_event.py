from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import format_date, format_datetime

MEETING_KINDS = [
    ("planning", "Planning / Review Meeting"),
    ("midyear", "Mid-Year Review"),
    ("revision", "Revision Meeting"),
]
# Meetings the invitation memo is sent for.
MEMO_KINDS = ("planning", "midyear")
MOVING_FIELDS = frozenset({"start", "stop", "start_date", "stop_date", "allday"})


class CalendarEvent(models.Model):
    # Guarded: a performance meeting's followers, messages and attachments (the
    # invitation.ics) follow its review.
    _name = "calendar.event"
    _inherit = ["calendar.event", "hr.performance.guarded.mixin"]

    performance_review_id = fields.Many2one(
        "hr.performance.review",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )
    performance_meeting_kind = fields.Selection(MEETING_KINDS, string="Performance Meeting")
    performance_notice_date = fields.Date(
        string="Notice Given On",
        copy=False,
        help="When the meeting was booked (or last moved): notice counts from that day.",
    )
    performance_notice_days = fields.Integer(
        string="Notice (working days)", compute="_compute_performance_notice", store=True
    )
    performance_notice_required = fields.Integer(
        string="Notice Required (working days)",
        compute="_compute_performance_notice",
        store=True,
    )
    performance_short_notice = fields.Boolean(
        string="Short Notice", compute="_compute_performance_notice", store=True
    )
    performance_memo_sent = fields.Datetime(string="Invitation Memo Sent", copy=False)
    performance_changes = fields.Html(
        string="What Changed",
        help="Revision meeting: the changes to the objectives or the plan, and why.",
    )
    performance_changes_agreed = fields.Selection(
        [("agreed", "Agreed by both"), ("determined", "Determined by the reviewer")],
        string="Changes",
        help="Where no agreement is reached the reviewer amends the statement and the reviewee "
        "may comment.",
    )
    # Whether the current user may learn what this meeting is about and who attends: not a
    # performance meeting, or one whose review they read (rule on calendar.attendee).
    performance_readable = fields.Boolean(
        compute="_compute_performance_readable", search="_search_performance_readable"
    )

    @api.depends(
        "start",
        "performance_notice_date",
        "performance_review_id.job_group_id.deadline_rule_ids.days",
        "performance_review_id.company_id",
    )
    def _compute_performance_notice(self):
        for event in self:
            review = event.performance_review_id
            if not (review and event.start and event.performance_notice_date):
                event.performance_notice_days = 0
                event.performance_notice_required = 0
                event.performance_short_notice = False
                continue
            company = review.company_id
            meeting = company._performance_local_date(event.start)
            required = review.job_group_id._deadline_rule("notice").days
            given = company._performance_working_days_between(
                event.performance_notice_date, meeting
            )
            event.performance_notice_days = max(given, 0)
            event.performance_notice_required = required
            event.performance_short_notice = given < required

    @api.depends_context("uid")
    def _compute_performance_readable(self):
        readable = self._performance_filter_readable()
        for event in self:
            event.performance_readable = event in readable

    def _search_performance_readable(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        readable = self._performance_readable_domain()
        return readable if (operator == "in") == (True in value) else ~readable

    @api.constrains("performance_review_id", "performance_meeting_kind")
    def _check_performance_meeting_kind(self):
        for event in self:
            if event.performance_review_id and not event.performance_meeting_kind:
                raise ValidationError(
                    self.env._("Say which performance meeting “%(event)s” is.", event=event.name)
                )

    @api.constrains("performance_review_id", "privacy")
    def _check_performance_meeting_private(self):
        # Only the attendees learn what a performance meeting is about and who attends:
        # Odoo hides that from everyone else for private events only.
        for event in self:
            if event.performance_review_id and event.privacy != "private":
                raise ValidationError(
                    self.env._(
                        "A performance meeting is always private: only its attendees see "
                        "what it is about."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        review_model_id = self.env["ir.model"]._get_id("hr.performance.review")
        default_review = self.env.context.get("default_performance_review_id")
        for vals in vals_list:
            review_id = vals.get("performance_review_id", default_review)
            if review_id:
                vals["performance_review_id"] = review_id
                vals.setdefault(
                    "performance_meeting_kind",
                    self.env.context.get("default_performance_meeting_kind") or "planning",
                )
                vals.setdefault("privacy", "private")
                vals.setdefault("res_model_id", review_model_id)
                vals.setdefault("res_id", review_id)
                vals["performance_notice_date"] = today
        events = super().create(vals_list)
        booked = events.filtered("performance_review_id")
        if booked:
            booked._performance_check_booking()
            booked._performance_after_booking()
        return events

    def write(self, vals):
        watched = self.filtered("performance_review_id")
        linking = "performance_review_id" in vals or "performance_meeting_kind" in vals
        starts = {event.id: event.start for event in watched}
        res = super().write(vals)
        performance = self.filtered("performance_review_id")
        if linking:
            performance._performance_check_booking()
            performance._performance_after_booking()
        elif MOVING_FIELDS & set(vals):
            moved = performance.filtered(lambda e: e.start != starts.get(e.id))
            if moved:
                moved._performance_check_booking()
                super(CalendarEvent, moved).write(
                    {"performance_notice_date": fields.Date.context_today(self)}
                )
                moved._performance_after_booking(rescheduled=True)
        if "performance_changes" in vals or "performance_changes_agreed" in vals:
            performance.filtered(
                lambda e: e.performance_meeting_kind == "revision"
            )._performance_post_changes()
        return res

    # ------------------------------------------------------------------
    # Privacy: searching answers as reading does
    # ------------------------------------------------------------------
    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, *, bypass_access=False, **kwargs):
        """Odoo reads the fields of someone else's private event as "Busy" and empty
        (``_fetch_query``), but searches them on their true values: a search on the name,
        the description, the attendees or this addon's fields would tell what a
        performance meeting is about and who attends. On the performance meetings the
        user does not attend, a condition on such a field is evaluated on the value the
        user reads."""
        if self.env.su or bypass_access:
            return super()._search(
                domain, offset, limit, order, bypass_access=bypass_access, **kwargs
            )
        domain = Domain(domain)
        public = self._get_public_fields()
        if all(cond.field_expr.split(".")[0] in public for cond in domain.iter_conditions()):
            return super()._search(domain, offset, limit, order, **kwargs)
        masked = self._performance_masked_domain()
        shown = ~masked
        template = self._performance_masked_record()

        def mask(cond):
            if cond.field_expr.split(".")[0] in public:
                return cond
            try:
                matches_masked = bool(template.filtered_domain(Domain(cond)))
            except ValueError:
                # A condition Odoo cannot evaluate in memory: the masked meetings do not match.
                matches_masked = False
            return (cond & shown) | (masked if matches_masked else Domain.FALSE)

        return super()._search(domain.map_conditions(mask), offset, limit, order, **kwargs)

    @api.model
    def _performance_masked_domain(self):
        """The performance meetings whose private fields the current user reads masked
        (see ``_check_private_event_conditions``) and whose review they cannot read: the
        headteacher or HR, who read the review, still find its meetings (the review's
        "Meetings" button), though Odoo shows them as "Busy"."""
        domain = (
            Domain("performance_review_id", "!=", False)
            & Domain("privacy", "=", "private")
            & Domain("user_id", "!=", self.env.uid)
            & Domain("partner_ids", "not in", self.env.user.partner_id.ids)
        )
        reviews = self.env["hr.performance.review"]
        if reviews.has_access("read"):
            domain &= Domain("performance_review_id", "not in", reviews._search([]))
        return domain

    @api.model
    def _performance_masked_record(self):
        """A new record holding what a masked performance meeting reads as."""
        return self.new({"name": self.env._("Busy"), "privacy": "private"})

    # ------------------------------------------------------------------
    # Followers, messages and attachments follow the review
    # ------------------------------------------------------------------
    @api.model
    def _performance_readable_domain(self):
        reviews = self.env["hr.performance.review"].sudo(False)
        domain = Domain("performance_review_id", "=", False)
        if reviews.has_access("read"):
            domain |= Domain("performance_review_id", "in", reviews._search([]))
        return domain

    def _performance_filter_readable(self):
        # sudo: the review of each meeting, whatever the user reads of the event.
        events = self.sudo()
        reviews = events.performance_review_id
        readable = reviews.sudo(False)._filtered_access("read") if reviews else reviews
        return self.browse(
            event.id
            for event in events
            if not event.performance_review_id or event.performance_review_id in readable
        )

    def _performance_sensitive(self):
        return self.filtered(lambda event: event.sudo().performance_review_id)

    def unlink(self):
        # Not a deletion guard: the review forgets a planning meeting that is removed.
        self._performance_forget_meeting()
        return super().unlink()

    def action_archive(self):
        self._performance_forget_meeting()
        return super().action_archive()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _performance_check_booking(self):
        """Only who may move the review on books its meetings, and never in the past."""
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        for event in self:
            review = event.performance_review_id
            if not (self.env.su or review._filtered_access("read")):
                # Refused without naming the review: ids tried one by one must not list
                # the reviews of the trust.
                raise AccessError(
                    self.env._("You cannot book a meeting for a review you cannot see.")
                )
            review._check_can_manage()
            if review.state in ("completed", "cancelled"):
                raise UserError(
                    self.env._(
                        "%(review)s is closed: no meeting can be booked.",
                        review=review.display_name,
                    )
                )
            past = event.start_date < today if event.allday else event.start < now
            if past:
                raise ValidationError(
                    self.env._(
                        "“%(event)s” is in the past (%(date)s): a performance meeting can only "
                        "be booked for a date and time to come.",
                        event=event.name,
                        date=event.start_date if event.allday else event.start,
                    )
                )

    def _performance_after_booking(self, rescheduled=False):
        """Keep the review in step with its meetings: the planning meeting date and place,
        the short-notice warning, the invitation memo."""
        labels = dict(self._fields["performance_meeting_kind"]._description_selection(self.env))
        for event in self:
            review = event.performance_review_id
            if event.performance_meeting_kind == "planning":
                vals = {"meeting_date": event.start}
                if event.location:
                    vals["meeting_location"] = event.location
                review.write(vals)
            message = (
                self.env._(
                    "%(meeting)s moved to %(date)s.",
                    meeting=labels[event.performance_meeting_kind],
                    date=event._performance_when(),
                )
                if rescheduled
                else self.env._(
                    "%(meeting)s booked for %(date)s.",
                    meeting=labels[event.performance_meeting_kind],
                    date=event._performance_when(),
                )
            )
            body = Markup("<p>%s</p>") % message
            if event.performance_short_notice:
                body += Markup("<p><strong>%s</strong></p>") % self.env._(
                    "Short notice: %(given)s working days given, the policy asks for at least "
                    "%(required)s. Record the reviewee's agreement to the shorter notice.",
                    given=event.performance_notice_days,
                    required=event.performance_notice_required,
                )
            review.message_post(body=body, subtype_xmlid="mail.mt_note")
            if event.performance_meeting_kind in MEMO_KINDS:
                event._performance_send_memo()

    def _performance_when(self):
        """The meeting's day and time as the chatter says it (in the poster's language, the
        school's time zone): "Thursday 22 October 2026, 10:00"."""
        self.ensure_one()
        if self.allday:
            return format_date(self.env, self.start_date, date_format="EEEE d MMMM y")
        tz = self.performance_review_id.company_id._performance_tz().zone
        return format_datetime(self.env, self.start, tz=tz, dt_format="EEEE d MMMM y, HH:mm")

    def _performance_send_memo(self):
        """E-mail the invitation memo to the reviewee and record when it went."""
        template = self.env.ref(
            "hr_school_performance.mail_template_performance_meeting_invitation",
            raise_if_not_found=False,
        )
        today = fields.Date.context_today(self)
        for event in self:
            review = event.performance_review_id
            # The reviewee's contact is read as superuser: the reviewer may not read
            # hr.employee, and the memo must reach the reviewee.
            contact = review.employee_id.sudo().work_contact_id
            if not template or not contact.email:
                review.message_post(
                    body=self.env._(
                        "%(employee)s has no e-mail address: give them the invitation memo in "
                        "person and record the date it was given.",
                        employee=review.employee_id.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            # The template renders the reviewee's and reviewer's names and job titles.
            template.sudo().send_mail(event.id, email_layout_xmlid="mail.mail_notification_light")
            event.performance_memo_sent = fields.Datetime.now()
            if event.performance_meeting_kind == "planning":
                review.write({"date_invitation_sent": today})
            review.message_post(
                body=self.env._(
                    "Invitation memo e-mailed to %(employee)s.", employee=review.employee_id.name
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _performance_post_changes(self):
        agreed = dict(self._fields["performance_changes_agreed"]._description_selection(self.env))
        for event in self:
            if not event.performance_changes:
                continue
            body = Markup("<p>%s</p>%s") % (
                self.env._(
                    "Revision meeting of %(date)s — %(agreement)s:",
                    date=event._performance_when(),
                    agreement=agreed.get(event.performance_changes_agreed)
                    or self.env._("agreement not recorded"),
                ),
                event.performance_changes,
            )
            event.performance_review_id.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _performance_forget_meeting(self):
        for event in self.filtered(
            lambda e: e.performance_review_id and e.performance_meeting_kind == "planning"
        ):
            review = event.performance_review_id
            if review.meeting_date == event.start and review.state == "planning":
                review.write({"meeting_date": False})
                review.message_post(
                    body=self.env._(
                        "Planning meeting of %(date)s cancelled.", date=event._performance_when()
                    ),
                    subtype_xmlid="mail.mt_note",
                )
