from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# Changes that move the observation's deadlines.
DEADLINE_TRIGGERS = frozenset(
    {"date_observation", "date_feedback", "date_record_shared", "observer_id", "state"}
)


class HrPerformanceObservation(models.Model):
    """A classroom observation of a reviewee: the arrangements agreed at objective setting
    and the record of the observation (the policies' observation form)."""

    _name = "hr.performance.observation"
    _description = "Classroom Observation"
    _inherit = ["hr.performance.confidential.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_observation desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    review_id = fields.Many2one(
        "hr.performance.review",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('state', 'in', ('planning', 'agreed', 'in_progress', 'final_review'))]",
    )
    employee_id = fields.Many2one(
        related="review_id.employee_id", store=True, index=True, string="Reviewee"
    )
    employee_user_id = fields.Many2one(
        related="review_id.employee_user_id", store=True, index=True, string="Reviewee User"
    )
    reviewer_user_id = fields.Many2one(
        related="review_id.reviewer_user_id", store=True, index=True, string="Reviewer User"
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    cycle_id = fields.Many2one(related="review_id.cycle_id", store=True, index=True)
    job_group_id = fields.Many2one(related="review_id.job_group_id")
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("observed", "Observed"),
            ("shared", "Record Shared"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="planned",
        tracking=True,
        copy=False,
    )
    # Arrangements agreed at objective setting
    purpose = fields.Text(string="Primary Purpose")
    aspects = fields.Text(string="Aspects of Performance Assessed")
    duration_hours = fields.Float(
        string="Duration (hours)", required=True, default=1.0, tracking=True
    )
    timing = fields.Char(
        string="When in the Cycle", help="e.g. Spring term, after the phonics training"
    )
    observer_id = fields.Many2one(
        "hr.employee", required=True, tracking=True, ondelete="restrict", index=True
    )
    observer_user_id = fields.Many2one(
        "res.users",
        related="observer_id.user_id",
        store=True,
        index=True,
        string="Observer User",
    )
    # When, and the notice given
    date_observation = fields.Datetime(string="Date and Time", tracking=True)
    date_notified = fields.Date(
        string="Reviewee Notified On",
        default=fields.Date.context_today,
        tracking=True,
        help="When the reviewee was told of the date and time of the observation.",
    )
    notice_days = fields.Integer(
        compute="_compute_notice", store=True, string="Notice Given (days)"
    )
    short_notice = fields.Boolean(
        compute="_compute_notice",
        store=True,
        help="Notified with less notice than the job group asks.",
    )
    # The record (observation form)
    year_group = fields.Char()
    subject = fields.Char(string="Subject (if applicable)")
    pupil_count = fields.Integer(string="Number of Pupils")
    summary = fields.Text(string="Summary of Main Points")
    strengths = fields.Text(string="Key Strengths")
    development_areas = fields.Text(string="Areas for Development")
    date_feedback = fields.Date(string="Verbal Feedback Given", tracking=True, copy=False)
    date_feedback_due = fields.Date(
        compute="_compute_due_dates", store=True, string="Verbal Feedback Due"
    )
    date_record_shared = fields.Date(string="Written Record Shared", tracking=True, copy=False)
    date_record_due = fields.Date(
        compute="_compute_due_dates", store=True, string="Written Record Due"
    )
    reviewee_comments = fields.Text(
        string="Reviewee's Comments", help="The reviewee may append comments to the record."
    )
    deadline_ids = fields.One2many("hr.performance.deadline", "observation_id", string="Deadlines")
    # The buttons: computed by the predicate write() enforces.
    can_mark_observed = fields.Boolean(compute="_compute_can_transition")
    can_share_record = fields.Boolean(compute="_compute_can_transition")
    can_cancel = fields.Boolean(compute="_compute_can_transition")
    can_reset = fields.Boolean(compute="_compute_can_transition")

    _check_duration = models.Constraint(
        "CHECK(duration_hours > 0)", "An observation lasts a positive number of hours."
    )
    _check_pupil_count = models.Constraint(
        "CHECK(pupil_count >= 0)", "The number of pupils cannot be negative."
    )

    @api.depends("employee_id.name", "date_observation")
    def _compute_name(self):
        for observation in self:
            when = observation.date_observation and fields.Date.to_string(
                observation.review_id.company_id._performance_local_date(
                    observation.date_observation
                )
            )
            observation.name = self.env._(
                "Observation of %(employee)s%(when)s",
                employee=observation.employee_id.name or "",
                when=f", {when}" if when else "",
            )

    @api.depends("date_observation", "date_notified", "job_group_id.deadline_rule_ids.days")
    def _compute_notice(self):
        for observation in self:
            if not (observation.date_observation and observation.date_notified):
                observation.notice_days = 0
                observation.short_notice = False
                continue
            observed = observation.review_id.company_id._performance_local_date(
                observation.date_observation
            )
            observation.notice_days = (observed - observation.date_notified).days
            observation.short_notice = observation.notice_days < observation._required_notice_days()

    @api.depends(
        "date_observation",
        "review_id.company_id.resource_calendar_id",
        "job_group_id.deadline_rule_ids.days",
        "job_group_id.deadline_rule_ids.day_kind",
        "job_group_id.deadline_rule_ids.direction",
    )
    def _compute_due_dates(self):
        # The working days of all the schools, loaded together (issue 14).
        calendars = self.review_id.company_id._performance_working_calendars()
        for observation in self:
            company = observation.review_id.company_id
            group = observation.job_group_id
            if not (observation.date_observation and company and group):
                observation.date_feedback_due = observation.date_record_due = False
                continue
            calendar = calendars[company]
            observed = company._performance_local_date(observation.date_observation)
            # As the job group's rules count them (verbal feedback by the end of the next
            # school day, the record in working days by default).
            for fname, code in (
                ("date_feedback_due", "observation_feedback"),
                ("date_record_due", "observation_record"),
            ):
                rule = group._deadline_rule(code)
                observation[fname] = rule._due_date(calendar, observed) if rule else False

    @api.depends_context("uid")
    @api.depends("state", "observer_user_id", "reviewer_user_id", "employee_user_id")
    def _compute_can_transition(self):
        flags = {
            "can_mark_observed": "observed",
            "can_share_record": "shared",
            "can_cancel": "cancelled",
            "can_reset": "planned",
        }
        self._set_transition_flags(flags)

    @api.constrains("duration_hours", "state", "review_id")
    def _check_observation_cap(self):
        for review in self.review_id:
            total = sum(
                review.observation_ids.filtered(lambda o: o.state != "cancelled").mapped(
                    "duration_hours"
                )
            )
            cap = review._observation_cap()
            if total > cap + 1e-6:
                raise ValidationError(
                    self.env._(
                        "Observations of %(employee)s would total %(total)s hours in this "
                        "cycle; the cap is %(cap)s hours (%(full)s hours per cycle, pro rata "
                        "to their working time). Shorten or cancel another observation first.",
                        employee=review.employee_id.name,
                        total=round(total, 2),
                        cap=cap,
                        full=review.job_group_id.observation_cap_hours,
                    )
                )

    @api.constrains("observer_id", "review_id")
    def _check_observer(self):
        for observation in self:
            if observation.observer_id == observation.employee_id:
                raise ValidationError(
                    self.env._(
                        "%(employee)s cannot observe themselves.",
                        employee=observation.employee_id.name,
                    )
                )
            # A reviewer may not read hr.employee: read the observer's QTS as superuser.
            observer = observation.observer_id.sudo()
            if observation.job_group_id.teaching_staff and not observer.performance_qts:
                raise ValidationError(
                    self.env._(
                        "%(observer)s cannot observe %(employee)s: the observer of a teacher "
                        "must hold Qualified Teacher Status (QTS).",
                        observer=observer.name,
                        employee=observation.employee_id.name,
                    )
                )

    @api.constrains("date_feedback", "date_record_shared", "date_observation")
    def _check_feedback_dates(self):
        today = fields.Date.context_today(self)
        for observation in self:
            observed = observation.review_id.company_id._performance_local_date(
                observation.date_observation
            )
            for fname in ("date_feedback", "date_record_shared"):
                value = observation[fname]
                if not value:
                    continue
                label = observation._fields[fname].get_description(self.env)["string"]
                if value > today:
                    raise ValidationError(
                        self.env._(
                            "“%(event)s” cannot be in the future (%(date)s).",
                            event=label,
                            date=value,
                        )
                    )
                if not observed or value < observed:
                    raise ValidationError(
                        self.env._(
                            "“%(event)s” (%(date)s) cannot come before the observation.",
                            event=label,
                            date=value,
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        reviews = self.env["hr.performance.review"].browse(
            {vals["review_id"] for vals in vals_list if vals.get("review_id")}
        )
        reviews._check_can_manage()
        closed = reviews.filtered(lambda r: r.state in ("completed", "cancelled"))
        if closed:
            raise UserError(
                self.env._(
                    "%(review)s is closed: no observation can be arranged.",
                    review=closed[0].display_name,
                )
            )
        observations = super(
            HrPerformanceObservation, self.with_context(mail_create_nolog=True)
        ).create(vals_list)
        observations._post_short_notice()
        self.env["hr.performance.deadline"]._sync_for_reviews(observations.review_id)
        return observations

    def write(self, vals):
        if "review_id" in vals and any(o.review_id.id != vals["review_id"] for o in self):
            raise UserError(self.env._("An observation cannot move to another review."))
        res = super().write(vals)
        if {"date_observation", "date_notified"} & set(vals):
            self._post_short_notice()
        if DEADLINE_TRIGGERS & set(vals):
            self.env["hr.performance.deadline"]._sync_for_reviews(self.review_id)
        return res

    # ------------------------------------------------------------------
    # Rights (hr.performance.confidential.mixin)
    # ------------------------------------------------------------------
    def _get_record_roles(self, groups):
        roles = super()._get_record_roles(groups)
        if self.observer_user_id and self.observer_user_id == self.env.user:
            roles.add("observer")
        return roles

    @api.model
    def _get_write_rights(self):
        """Reviewer, observer, headteacher and HR edit the observation; the reviewee only
        appends comments to the record."""
        content = dict.fromkeys(self._rights_content_fields())
        return {
            "reviewee": {"reviewee_comments": None},
            "reviewer": content,
            "observer": content,
            "headteacher": content,
            "hr": content,
        }

    @api.model
    def _get_state_transitions(self):
        roles = {"reviewer", "observer", "headteacher", "hr"}
        return {
            "observed": {"from": ("planned",), "roles": roles},
            "shared": {"from": ("observed",), "roles": roles},
            "cancelled": {"from": ("planned", "observed"), "roles": roles},
            "planned": {"from": ("cancelled",), "roles": roles},
        }

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_observed(self):
        now = fields.Datetime.now()
        for observation in self:
            if observation.state != "planned":
                raise UserError(self.env._("Only a planned observation can be marked observed."))
            if not observation.date_observation or observation.date_observation > now:
                raise UserError(
                    self.env._(
                        "%(observation)s has not taken place yet: set its date and time first.",
                        observation=observation.display_name,
                    )
                )
        self.write({"state": "observed"})

    def action_share_record(self):
        """Share the written record with the reviewee, who may then append comments."""
        today = fields.Date.context_today(self)
        for observation in self:
            if observation.state != "observed":
                raise UserError(self.env._("Mark the observation as observed first."))
            if not (observation.summary or "").strip():
                raise UserError(
                    self.env._(
                        "Write the summary of main points of %(observation)s before sharing it.",
                        observation=observation.display_name,
                    )
                )
        for observation in self:
            vals = {"state": "shared"}
            if not observation.date_record_shared:
                vals["date_record_shared"] = today
            observation.write(vals)
            partner = observation.employee_id.sudo().work_contact_id
            observation.message_post(
                body=self.env._(
                    "The written record of the observation is available; you may add your "
                    "comments to it."
                ),
                partner_ids=partner.ids if observation.employee_user_id else [],
                subtype_xmlid="mail.mt_note",
            )

    def action_cancel(self):
        if any(observation.state == "shared" for observation in self):
            raise UserError(
                self.env._("An observation whose record was shared cannot be cancelled.")
            )
        self.write({"state": "cancelled"})

    def action_reset(self):
        if any(observation.state != "cancelled" for observation in self):
            raise UserError(self.env._("Only a cancelled observation can be planned again."))
        self.write({"state": "planned"})

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _required_notice_days(self):
        """Calendar days of notice the job group asks for before an observation."""
        self.ensure_one()
        return self.job_group_id._deadline_rule("observation_notice").days

    def _post_short_notice(self):
        for observation in self.filtered("short_notice"):
            observation.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Short notice: the reviewee was notified %(given)s days before the "
                    "observation; the job group asks for at least %(required)s days. Record "
                    "the reviewee's agreement if they accepted shorter notice.",
                    given=observation.notice_days,
                    required=observation._required_notice_days(),
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _get_performance_review(self):
        return self.review_id
