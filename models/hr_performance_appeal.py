from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

STATES = [
    ("draft", "Lodged: Informal Resolution"),
    ("resolved", "Resolved Informally"),
    ("waiting", "Waiting for Moderation"),
    ("formal", "Formal Appeal"),
    ("referred", "Referred to the Grievance Procedure"),
    ("decided", "Decided"),
    ("withdrawn", "Withdrawn"),
]
OPEN_STATES = ("draft", "waiting", "formal", "referred")
# The appeals a reviewer is told about: that one exists, and its outcome.
OUTCOMES = [("confirmed", "Statement confirmed"), ("amended", "Statement amended")]


class HrPerformanceAppeal(models.Model):
    """A reviewee's appeal against entries or timescales of their final statement.

    Informal resolution with the reviewer comes first (or is waived, with the reason);
    the formal appeal then waits until the statement's moderation is complete
    (``hr.performance.review.statement_final``) and goes to the headteacher, to the
    governors when the headteacher is the reviewer, or, where the job group's policy says
    so, to the grievance procedure, whose referral and outcome are recorded. Whoever hears
    it reads the review through an access grant that lasts as long as the appeal.

    Only the reviewee, HR and the people hearing it read the appeal; the reviewer learns
    that one exists and its outcome from the review (``appeal_summary``)."""

    _name = "hr.performance.appeal"
    _description = "Performance Review Appeal"
    _inherit = ["hr.performance.confidential.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_lodged desc, id desc"
    _check_company_auto = True

    review_id = fields.Many2one(
        "hr.performance.review",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        string="Review Appealed",
    )
    employee_id = fields.Many2one(
        related="review_id.employee_id", store=True, index=True, string="Reviewee"
    )
    employee_user_id = fields.Many2one(
        related="review_id.employee_user_id", store=True, index=True, string="Reviewee User"
    )
    reviewer_id = fields.Many2one(related="review_id.reviewer_id", string="Reviewer")
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    state = fields.Selection(
        STATES, required=True, default="draft", tracking=True, copy=False, index=True
    )
    date_lodged = fields.Date(
        string="Lodged On", required=True, readonly=True, default=fields.Date.context_today
    )
    date_window_end = fields.Date(
        string="Appeal Window Ends",
        readonly=True,
        help="Last day to appeal: the job group's window after the final statement.",
    )
    subject = fields.Selection(
        [("entry", "Entries in the statement"), ("timescale", "A timescale"), ("both", "Both")],
        required=True,
        default="entry",
    )
    entries_appealed = fields.Text(
        string="Entries or Timescales Appealed",
        required=True,
        help="Which entries of the statement (or which timescales) are appealed against.",
    )
    grounds = fields.Text(required=True, help="Why the reviewee disagrees with them.")
    # Informal resolution with the reviewer
    date_informal = fields.Date(string="Informal Discussion On", tracking=True)
    informal_note = fields.Text(string="Informal Discussion")
    informal_waived = fields.Boolean(
        string="Informal Stage Waived",
        tracking=True,
        help="Informal resolution with the reviewer was not attempted, for the reason given.",
    )
    informal_waiver_reason = fields.Text(string="Why the Informal Stage Was Waived")
    # Formal appeal
    date_formal = fields.Date(string="Formal Appeal On", readonly=True, copy=False)
    route = fields.Selection(
        [("hearing", "Hearing"), ("grievance", "Grievance procedure")],
        readonly=True,
        copy=False,
    )
    hearer = fields.Selection(
        [("headteacher", "The headteacher"), ("governors", "The governing body")],
        string="Heard By",
        readonly=True,
        copy=False,
        help="The governors hear the appeal when the headteacher was the reviewer.",
    )
    panel_user_ids = fields.Many2many(
        "res.users",
        "hr_performance_appeal_panel_rel",
        "appeal_id",
        "user_id",
        string="Hearing Panel",
        domain="[('share', '=', False)]",
        help="Who hears the appeal: they read the review for as long as the appeal runs.",
    )
    representative = fields.Char(
        string="Employee's Representative",
        help="A trade union representative or work colleague, if any.",
    )
    date_hearing = fields.Date(string="Hearing On", tracking=True)
    outcome = fields.Selection(OUTCOMES, tracking=True, copy=False)
    amended_entries = fields.Text(
        copy=False,
        help="The entries of the statement as amended by the hearing.",
    )
    decision_note = fields.Text(string="Reasons for the Decision", copy=False)
    date_decision = fields.Date(string="Decided On", tracking=True, copy=False)
    # Grievance route
    date_referred = fields.Date(string="Referred On", readonly=True, copy=False)
    grievance_outcome = fields.Text(copy=False)
    date_grievance_outcome = fields.Date(string="Grievance Outcome On", copy=False)
    access_grant_ids = fields.Many2many(
        "hr.performance.access.grant",
        "hr_performance_appeal_grant_rel",
        "appeal_id",
        "grant_id",
        string="Panel Access",
        readonly=True,
        copy=False,
    )
    statement_revision_requested = fields.Boolean(readonly=True, copy=False)
    can_resolve = fields.Boolean(compute="_compute_can_transition")
    can_make_formal = fields.Boolean(compute="_compute_can_transition")
    can_decide = fields.Boolean(compute="_compute_can_transition")
    can_withdraw = fields.Boolean(compute="_compute_can_transition")

    @api.depends("employee_id.name", "date_lodged")
    def _compute_display_name(self):
        for appeal in self:
            appeal.display_name = self.env._(
                "Appeal of %(employee)s (%(date)s)",
                employee=appeal.employee_id.name or "",
                date=format_date(self.env, appeal.date_lodged) if appeal.date_lodged else "",
            )

    @api.depends_context("uid")
    @api.depends("state", "panel_user_ids")
    def _compute_can_transition(self):
        for appeal in self:
            appeal.can_resolve = appeal._check_transition("resolved", raise_if_not_possible=False)
            appeal.can_make_formal = appeal.state == "draft" and appeal._check_transition(
                "formal", raise_if_not_possible=False
            )
            appeal.can_decide = appeal._check_transition("decided", raise_if_not_possible=False)
            appeal.can_withdraw = appeal._check_transition("withdrawn", raise_if_not_possible=False)

    @api.constrains("panel_user_ids", "review_id")
    def _check_panel(self):
        for appeal in self:
            review = appeal.review_id.sudo()
            for user in appeal.panel_user_ids:
                if user == review.reviewer_user_id:
                    raise ValidationError(
                        self.env._(
                            "%(user)s reviewed %(employee)s and cannot hear the appeal against "
                            "their own statement.",
                            user=user.name,
                            employee=appeal.employee_id.name,
                        )
                    )
                if user == review.employee_user_id:
                    raise ValidationError(self.env._("The reviewee cannot hear their own appeal."))
                if appeal.hearer == "governors" and not user.has_group(
                    "hr_school_performance.hr_school_performance_group_governor"
                ):
                    raise ValidationError(
                        self.env._(
                            "%(user)s is not a governor: the governing body hears an appeal "
                            "when the headteacher was the reviewer.",
                            user=user.name,
                        )
                    )

    @api.constrains("date_informal", "date_hearing", "date_decision", "date_lodged")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for appeal in self:
            for fname in ("date_informal", "date_decision"):
                if appeal[fname] and appeal[fname] > today:
                    raise ValidationError(
                        self.env._(
                            "“%(event)s” cannot be in the future (%(date)s): record it once it "
                            "has happened.",
                            event=appeal._fields[fname]._description_string(self.env),
                            date=format_date(self.env, appeal[fname]),
                        )
                    )
            if (
                appeal.date_decision
                and appeal.date_hearing
                and (appeal.date_decision < appeal.date_hearing)
            ):
                raise ValidationError(self.env._("The decision cannot come before the hearing."))

    @api.model_create_multi
    def create(self, vals_list):
        reviews = self.env["hr.performance.review"].browse(
            [vals.get("review_id") for vals in vals_list if vals.get("review_id")]
        )
        if not self.env.su:
            reviews.check_access("read")
            is_hr = self._performance_user_groups()["hr"]
            for review in reviews.sudo():
                if review.employee_user_id != self.env.user and not is_hr:
                    raise AccessError(
                        self.env._(
                            "Only the reviewee (or HR on their behalf) can appeal against a "
                            "statement."
                        )
                    )
        for vals in vals_list:
            # Set by the workflow only.
            for fname in (
                "state",
                "date_formal",
                "route",
                "hearer",
                "date_referred",
                "outcome",
                "date_decision",
                "access_grant_ids",
                "statement_revision_requested",
            ):
                vals.pop(fname, None)
            review = self.env["hr.performance.review"].browse(vals.get("review_id")).sudo()
            vals["date_lodged"] = fields.Date.context_today(self)
            vals["date_window_end"] = self._check_window(review)
        return super().create(vals_list)

    @api.model
    def _check_window(self, review):
        """The last day ``review``'s reviewee may appeal; refuse an appeal out of it."""
        if not review.date_statement_signed:
            raise UserError(
                self.env._(
                    "%(review)s has no signed final statement yet: an appeal is made against "
                    "the final statement.",
                    review=review.display_name,
                )
            )
        days = review.job_group_id.appeal_window_days or 10
        last = review.company_id._performance_add_working_days(review.date_statement_signed, days)
        today = fields.Date.context_today(self)
        if today > last:
            raise UserError(
                self.env._(
                    "The appeal window for %(review)s closed on %(date)s (%(days)s working days "
                    "after the final statement was signed on %(signed)s).",
                    review=review.display_name,
                    date=format_date(self.env, last),
                    days=days,
                    signed=format_date(self.env, review.date_statement_signed),
                )
            )
        return last

    # ------------------------------------------------------------------
    # Rights (hr.performance.confidential.mixin)
    # ------------------------------------------------------------------
    def _get_performance_review(self):
        return self.review_id

    def _get_rights_state(self):
        self.ensure_one()
        return self.state

    def _get_record_roles(self, groups):
        roles = super()._get_record_roles(groups)
        if self.env.user in self.sudo().panel_user_ids:
            roles.add("panel")
        # A headteacher hears an appeal only as a member of its panel.
        roles.discard("headteacher")
        return roles

    @api.model
    def _get_write_rights(self):
        lodged = ("draft",)
        hearing = ("formal",)
        reviewee = dict.fromkeys(
            (
                "subject",
                "entries_appealed",
                "grounds",
                "date_informal",
                "informal_note",
                "informal_waived",
                "informal_waiver_reason",
            ),
            lodged,
        )
        reviewee["representative"] = ("draft", "waiting", "formal")
        panel = dict.fromkeys(
            (
                "representative",
                "date_hearing",
                "outcome",
                "amended_entries",
                "decision_note",
                "date_decision",
            ),
            hearing,
        )
        hr = dict.fromkeys(self._rights_content_fields(exclude={"review_id"}), OPEN_STATES)
        return {"reviewee": reviewee, "panel": panel, "hr": hr}

    @api.model
    def _get_state_transitions(self):
        appellant = {"reviewee", "hr"}
        return {
            "resolved": {"from": ("draft",), "roles": appellant},
            "waiting": {"from": ("draft",), "roles": appellant},
            "formal": {"from": ("draft", "waiting"), "roles": appellant},
            "referred": {"from": ("draft", "waiting"), "roles": appellant},
            "decided": {"from": ("formal", "referred"), "roles": {"panel", "hr"}},
            "withdrawn": {"from": OPEN_STATES, "roles": appellant},
        }

    def _check_write_rules(self, vals):
        result = super()._check_write_rules(vals)
        if "panel_user_ids" in vals and any(a.state not in ("waiting", "formal") for a in self):
            raise UserError(self.env._("The hearing panel is set once the appeal is formal."))
        return result

    def write(self, vals):
        result = super().write(vals)
        if "panel_user_ids" in vals:
            self.filtered(lambda a: a.state == "formal")._sync_panel_access()
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_resolve(self):
        """The informal discussion with the reviewer settled the appeal."""
        for appeal in self:
            if not (appeal.date_informal and (appeal.informal_note or "").strip()):
                raise UserError(
                    self.env._(
                        "Record the date and the outcome of the informal discussion with the "
                        "reviewer first."
                    )
                )
        self.write({"state": "resolved"})
        self._post(self.env._("Resolved informally with the reviewer."))

    def action_make_formal(self):
        """Take the appeal to its formal stage: after informal resolution failed (or was
        waived with a reason), once the statement's moderation is complete, to the
        headteacher, the governors or the grievance procedure."""
        for appeal in self:
            if appeal.state != "draft":
                raise UserError(
                    self.env._(
                        "%(appeal)s is already past its informal stage.",
                        appeal=appeal.display_name,
                    )
                )
            informal = appeal.date_informal and (appeal.informal_note or "").strip()
            waived = appeal.informal_waived and (appeal.informal_waiver_reason or "").strip()
            if not (informal or waived):
                raise UserError(
                    self.env._(
                        "Informal resolution with the reviewer comes first: record the informal "
                        "discussion, or waive the informal stage giving the reason."
                    )
                )
        waiting = self.filtered(lambda a: not a.review_id.sudo().statement_final)
        if waiting:
            waiting.write({"state": "waiting"})
            waiting._post(
                self.env._(
                    "Formal appeal lodged: it will be heard once the moderation of the statement "
                    "is complete."
                )
            )
        (self - waiting)._route()

    def action_decide(self):
        # Who may decide comes before what the decision needs.
        self._check_transition("decided")
        for appeal in self:
            if appeal.state == "referred":
                if not ((appeal.grievance_outcome or "").strip() and appeal.date_grievance_outcome):
                    raise UserError(
                        self.env._("Record the outcome of the grievance procedure and its date.")
                    )
                continue
            if not (appeal.outcome and appeal.date_decision and appeal.date_hearing):
                raise UserError(
                    self.env._(
                        "Record the hearing date, the outcome and the date of the decision first."
                    )
                )
            if appeal.outcome == "amended" and not (appeal.amended_entries or "").strip():
                raise UserError(self.env._("Record the amended entries of the statement."))
        self.write({"state": "decided"})
        for appeal in self:
            appeal._end_panel_access()
            if appeal.outcome == "amended":
                appeal._request_statement_revision()
            appeal._post(
                self.env._(
                    "Appeal decided: %(outcome)s.",
                    outcome=appeal._outcome_label(),
                )
            )

    def action_withdraw(self):
        self.write({"state": "withdrawn"})
        self._end_panel_access()
        self._post(self.env._("Appeal withdrawn."))

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _route(self):
        """Send formal appeals where the policy says: a hearing by the headteacher (the
        governors when the headteacher reviewed, or is the reviewee), or a referral to the
        grievance procedure."""
        today = fields.Date.context_today(self)
        for appeal in self:
            review = appeal.review_id.sudo()
            if review.job_group_id.appeal_route == "grievance":
                appeal.write({"state": "referred"})
                # sudo: the route and its date are set by the workflow only (readonly).
                appeal.sudo().write({"route": "grievance", "date_referred": today})
                appeal._post(self.env._("Formal appeal referred to the grievance procedure."))
                continue
            head = review.company_id._performance_escalation_user()
            # The governing body hears it when the headteacher reviewed, or was reviewed
            # (a headteacher's own review, by the governors' panel).
            governors = review.is_headteacher_review or (
                head and head in (review.reviewer_user_id | review.employee_user_id)
            )
            hearer = "governors" if governors else "headteacher"
            appeal.write({"state": "formal"})
            vals = {"route": "hearing", "hearer": hearer, "date_formal": today}
            if hearer == "headteacher" and head and not appeal.panel_user_ids:
                vals["panel_user_ids"] = [fields.Command.set(head.ids)]
            # sudo: the route, the date and the default panel are set by the workflow.
            appeal.sudo().write(vals)
            appeal._sync_panel_access()
            if hearer == "headteacher":
                message = self.env._("Formal appeal, to be heard by the headteacher.")
            elif review.is_headteacher_review:
                message = self.env._(
                    "Formal appeal against the headteacher's own review, to be heard by the "
                    "governing body."
                )
            else:
                message = self.env._(
                    "Formal appeal, to be heard by the governing body: the headteacher was "
                    "the reviewer."
                )
            appeal._post(message)

    def _route_waiting(self):
        """Route the appeals of ``self`` waiting for moderation whose statement's outcome is
        final now."""
        ready = self.filtered(lambda a: a.state == "waiting" and a.review_id.sudo().statement_final)
        # sudo: routing follows the moderation, whoever completed it.
        ready.sudo()._route()

    def _sync_panel_access(self):
        """Give each member of the panel who cannot read the appealed review otherwise a
        grant for the duration of the appeal, and end the grants of former members."""
        Grant = self.env["hr.performance.access.grant"].sudo()
        for appeal in self:
            # sudo: the grants are the appeal's bookkeeping, allowed by the appeal's own
            # rights (only HR sets the panel); each grant is told to the reviewee.
            appeal = appeal.sudo()
            running = appeal.access_grant_ids.filtered(lambda g: not g.date_revoked)
            dropped = running.filtered(lambda g, a=appeal: g.user_id not in a.panel_user_ids)
            if dropped:
                dropped.action_revoke()
            covered = (running - dropped).user_id
            review = appeal.review_id
            new = appeal.panel_user_ids.filtered(
                lambda u, r=review, c=covered: (
                    u not in c and u.id != self.env.uid and not r.sudo(False)._can_be_read_by(u)
                )
            )
            if new:
                grants = Grant.create(
                    [
                        {
                            "review_id": review.id,
                            "user_id": user.id,
                            "purpose": "appeal",
                            "note": self.env._(
                                "Hearing the appeal lodged on %(date)s.",
                                date=format_date(self.env, appeal.date_lodged),
                            ),
                        }
                        for user in new
                    ]
                )
                appeal.access_grant_ids = [fields.Command.link(g.id) for g in grants]

    def _end_panel_access(self):
        # sudo: the appeal's own grants end with it.
        grants = self.sudo().access_grant_ids.filtered(lambda g: not g.date_revoked)
        if grants:
            grants.action_revoke()

    def _request_statement_revision(self):
        """Record the amended entries as a new version of the statement, through the one
        revision entry point (``hr.performance.review._request_statement_revision``)."""
        self.ensure_one()
        review = self.review_id
        reason = self.env._(
            "Appeal decided on %(date)s: the statement is amended.\n%(entries)s",
            date=format_date(self.env, self.date_decision),
            entries=self.amended_entries,
        )
        # sudo: the hearing's decision binds the statement; whoever heard the appeal
        # (a governor) does not otherwise write the review.
        review.sudo()._request_statement_revision(reason)
        # sudo: the flag is bookkeeping of the decision just taken.
        self.sudo().statement_revision_requested = True

    def _outcome_label(self):
        self.ensure_one()
        if self.state == "decided" and self.route == "grievance":
            return self.env._("decided through the grievance procedure")
        return dict(self._fields["outcome"]._description_selection(self.env)).get(
            self.outcome, self.env._("pending")
        )

    def _post(self, body):
        for appeal in self:
            appeal.message_post(body=Markup("<p>%s</p>") % body, subtype_xmlid="mail.mt_note")
