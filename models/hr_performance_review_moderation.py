import calendar as pycalendar
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .hr_performance_moderation import MODES

# Set only by the moderation actions below, once they have checked who acts: within the
# block the current user holds the "moderation" role on these reviews. A context variable,
# which no RPC caller can set, rather than a context key.
_MODERATING = ContextVar("hr_school_performance_moderating", default=frozenset())

# What only the moderation actions write: readonly in the views and refused to every role.
MODERATION_FIELDS = (
    "moderation_sampled",
    "moderation_decision",
    "date_moderated",
    "date_revision_requested",
    "revision_reason",
    "date_statement_signed",
)


@contextmanager
def _moderating(reviews):
    token = _MODERATING.set(_MODERATING.get() | frozenset(reviews.ids))
    try:
        yield
    finally:
        _MODERATING.reset(token)


class HrPerformanceReview(models.Model):
    """Moderation of the signed statement by the headteacher (seed 003, section 5), the
    finality of the outcome, the pay points of the recommendation and absence."""

    _inherit = "hr.performance.review"

    # Moderation
    moderation_mode = fields.Selection(
        MODES,
        compute="_compute_moderation_mode",
        store=True,
        help="The headteacher's choice for the cycle (Moderation), else the job group's.",
    )
    moderation_sampled = fields.Boolean(
        string="In the Moderation Sample", readonly=True, copy=False, tracking=True
    )
    moderation_selected = fields.Boolean(
        string="To Be Moderated",
        compute="_compute_moderation_mode",
        store=True,
        index=True,
        help="The headteacher moderates this review's signed statement: the school moderates "
        "all statements, or this one is in the sample.",
    )
    moderation_decision = fields.Selection(
        [("confirmed", "Confirmed"), ("revision", "Revised statement instructed")],
        readonly=True,
        copy=False,
        tracking=True,
    )
    moderation_state = fields.Selection(
        [
            ("not_required", "Not moderated"),
            ("awaiting_statement", "Awaiting the signed statement"),
            ("pending", "To moderate"),
            ("revision", "Revision instructed"),
            ("confirmed", "Confirmed"),
        ],
        compute="_compute_moderation_state",
        store=True,
        index=True,
    )
    date_moderated = fields.Date(readonly=True)
    date_revision_requested = fields.Date(
        string="Revised Statement Instructed", readonly=True, copy=False, tracking=True
    )
    revision_reason = fields.Text(string="Why a Revised Statement", readonly=True, copy=False)
    # The statement that records this review's outcome: the reviewee's next review's
    # statement assesses the cycle that ended (its previous_review_id), so that is the
    # statement the headteacher moderates for this review's outcome.
    assessed_statement_ids = fields.One2many(
        "hr.performance.statement", "previous_review_id", string="Statements Assessing It"
    )
    outcome_statement_id = fields.Many2one(
        "hr.performance.statement",
        string="Statement of the Outcome",
        compute="_compute_outcome_statement",
        store=True,
        help="The latest version of the statement that records this review's assessment (the "
        "statement of the reviewee's next review).",
    )
    date_outcome_signed = fields.Date(
        string="Outcome's Statement Signed",
        compute="_compute_outcome_statement",
        store=True,
        help="When both signed the statement recording this review's outcome: moderation "
        "starts from it. For a review completed before statements existed, the date recorded "
        "on the review itself.",
    )
    outcome_final = fields.Boolean(
        compute="_compute_outcome_final",
        store=True,
        index=True,
        help="The review is completed and its moderation complete (or the school moderates "
        "none, or it was left out of a completed sample): appeals and pay decisions may "
        "follow.",
    )
    statement_summary = fields.Html(
        compute="_compute_statement_summary",
        sanitize=False,
        help="What the signed statement records: objectives, overall assessment and pay "
        "recommendation.",
    )
    can_moderate = fields.Boolean(compute="_compute_can_moderate")
    # Pay recommendation on the trust's pay scale
    current_pay_point_id = fields.Many2one(
        "hr.performance.pay.point",
        compute="_compute_current_pay_point_id",
        store=True,
        readonly=False,
        tracking=True,
        help="Defaults to the point of the member of staff's last pay decision.",
    )
    recommended_pay_point_id = fields.Many2one(
        "hr.performance.pay.point",
        tracking=True,
        domain="[('grade_id', '=', current_pay_grade_id)]",
    )
    current_pay_grade_id = fields.Many2one(related="current_pay_point_id.grade_id")
    # Pay decision (hr.performance.pay.decision) and its deadline
    date_pay_decision_due = fields.Date(
        string="Pay Decision Due",
        compute="_compute_date_pay_decision_due",
        store=True,
        help="The job group's pay decision date following the end of the review period.",
    )
    pay_decision_ids = fields.One2many(
        "hr.performance.pay.decision",
        "review_id",
        string="Pay Decisions",
        groups="hr_school_performance.hr_school_performance_group_headteacher,"
        "hr_school_performance.hr_school_performance_group_governor",
    )

    date_pay_decided = fields.Date(
        string="Pay Decided On", compute="_compute_date_pay_decided", store=True
    )
    # The order of payroll's interface (hr.performance.payroll.outcome), kept on the review
    # so that an index of the review serves it (issue 14).
    date_pay_effective = fields.Date(
        string="Pay Decision Effective From", compute="_compute_date_pay_decided", store=True
    )
    # Absence (seed 003 4.4, seed 004 7.4)
    assessed_on_attendance = fields.Boolean(
        string="Assessed on the Time Present",
        tracking=True,
        help="The reviewee was absent during the cycle: the assessment rests on the evidence "
        "available for the periods of attendance (and, where necessary, prior performance).",
    )
    absence_note = fields.Text(string="Absence Taken into Account")

    @api.depends(
        "cycle_id.moderation_ids.mode",
        "job_group_id.moderation",
        "moderation_sampled",
        "is_headteacher_review",
    )
    def _compute_moderation_mode(self):
        for review in self:
            plan = review.cycle_id.moderation_ids[:1]
            mode = plan.mode or review.job_group_id.moderation or "none"
            if review.is_headteacher_review:
                # The governors' panel reviews the headteacher: the school's moderation,
                # which is the headteacher's, never covers their own statement.
                mode = "none"
            review.moderation_mode = mode
            review.moderation_selected = mode == "all" or (
                mode == "sample" and review.moderation_sampled
            )

    @api.depends(
        "statement_ids",
        "date_statement_signed",
        "assessed_statement_ids.review_id.statement_id",
        "assessed_statement_ids.review_id.date_statement_signed",
    )
    def _compute_outcome_statement(self):
        for review in self:
            recording = review.assessed_statement_ids.review_id.statement_id.filtered(
                lambda s, r=review: s.previous_review_id == r
            ).sorted("id")[-1:]
            review.outcome_statement_id = recording
            if recording:
                review.date_outcome_signed = recording.review_id.date_statement_signed
            elif not review.statement_ids:
                # A review completed before statements existed: its statement is the date
                # recorded on the review (its own statement, were it drafted, would record
                # the previous cycle, never this one).
                review.date_outcome_signed = review.date_statement_signed
            else:
                review.date_outcome_signed = False

    @api.depends("moderation_selected", "moderation_decision", "date_outcome_signed")
    def _compute_moderation_state(self):
        for review in self:
            if not review.moderation_selected:
                state = "not_required"
            elif review.moderation_decision == "confirmed":
                state = "confirmed"
            elif not review.date_outcome_signed:
                state = (
                    "revision"
                    if review.moderation_decision == "revision"
                    else ("awaiting_statement")
                )
            else:
                # Signed, or signed again after a revision was instructed: to moderate.
                state = "pending"
            review.moderation_state = state

    @api.depends(
        "state",
        "moderation_mode",
        "moderation_selected",
        "moderation_state",
        "cycle_id.moderation_ids.date_closed",
    )
    def _compute_outcome_final(self):
        for review in self:
            if review.state != "completed":
                review.outcome_final = False
            elif review.moderation_mode == "none":
                review.outcome_final = True
            elif review.moderation_selected:
                review.outcome_final = review.moderation_state == "confirmed"
            else:
                review.outcome_final = bool(review.cycle_id.moderation_ids[:1].date_closed)

    @api.depends_context("uid")
    @api.depends("moderation_state", "employee_user_id")
    def _compute_can_moderate(self):
        roles = self._get_user_roles()
        for review in self:
            review.can_moderate = (
                review.moderation_state == "pending"
                and "headteacher" in roles[review.id]
                and "reviewee" not in roles[review.id]
            )

    @api.depends_context("lang")
    @api.depends(
        "objective_ids.name",
        "objective_ids.success_criteria",
        "outcome_level_id",
        "pay_criteria_met",
        "date_statement_signed",
    )
    def _compute_statement_summary(self):
        criteria = dict(self._fields["pay_criteria_met"]._description_selection(self.env))
        for review in self:
            items = Markup("").join(
                Markup("<li><strong>%s</strong>%s</li>")
                % (
                    objective.name,
                    Markup(" — %s") % objective.success_criteria
                    if objective.success_criteria
                    else "",
                )
                for objective in review.objective_ids
            )
            lines = [Markup("<ul>%s</ul>") % items] if items else []
            if review.outcome_level_id:
                lines.append(
                    Markup("<p>%s</p>")
                    % self.env._("Overall: %(level)s", level=review.outcome_level_id.name)
                )
            if review.pay_criteria_met:
                lines.append(Markup("<p>%s</p>") % criteria[review.pay_criteria_met])
            review.statement_summary = Markup("").join(lines) or False

    @api.depends("employee_id")
    def _compute_current_pay_point_id(self):
        # sudo: the point of the last decision, copied into the recommendation; nothing
        # else of the decision is read.
        decisions = (
            self.env["hr.performance.pay.decision"]
            .sudo()
            .search(
                [("employee_id", "in", self.employee_id.ids), ("point_after_id", "!=", False)],
                order="date_effective desc, id desc",
            )
        )
        last = {}
        for decision in decisions:
            last.setdefault(decision.employee_id.id, decision.point_after_id)
        for review in self:
            if not review.current_pay_point_id:
                review.current_pay_point_id = last.get(review.employee_id.id, False)

    @api.depends(
        "date_end",
        "job_group_id.pay_progression",
        "job_group_id.pay_decision_month",
        "job_group_id.pay_decision_day",
    )
    def _compute_date_pay_decision_due(self):
        for review in self:
            group = review.job_group_id
            if not (review.date_end and group.pay_progression and group.pay_decision_month):
                review.date_pay_decision_due = False
                continue
            month = int(group.pay_decision_month)
            due = False
            for year in (review.date_end.year, review.date_end.year + 1):
                last_day = pycalendar.monthrange(year, month)[1]
                candidate = date(year, month, min(group.pay_decision_day or last_day, last_day))
                if candidate >= review.date_end:
                    due = candidate
                    break
            review.date_pay_decision_due = due

    @api.depends("pay_decision_ids.date_decision", "pay_decision_ids.date_effective")
    def _compute_date_pay_decided(self):
        for review in self:
            decision = review.pay_decision_ids[:1]
            review.date_pay_decided = decision.date_decision
            review.date_pay_effective = decision.date_effective

    @api.constrains("current_pay_point_id", "recommended_pay_point_id", "pay_mismatch_reason")
    def _check_pay_points(self):
        for review in self:
            current, recommended = review.current_pay_point_id, review.recommended_pay_point_id
            if not (current and recommended):
                continue
            if current.grade_id != recommended.grade_id:
                raise ValidationError(
                    self.env._(
                        "The recommended point %(point)s of %(review)s is on %(grade)s, not on "
                        "the current grade %(current)s.",
                        point=recommended.display_name,
                        review=review.display_name,
                        grade=recommended.grade_id.display_name,
                        current=current.grade_id.display_name,
                    )
                )
            if (
                recommended.sequence < current.sequence
                and not (review.pay_mismatch_reason or "").strip()
            ):
                raise ValidationError(
                    self.env._(
                        "The recommended point %(point)s of %(review)s is below the current "
                        "point %(current)s: record the reason for the recommendation.",
                        point=recommended.display_name,
                        review=review.display_name,
                        current=current.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Rights: the moderation stamps are written by the actions only
    # ------------------------------------------------------------------
    def _get_record_roles(self, groups):
        roles = super()._get_record_roles(groups)
        if self.id in _MODERATING.get():
            roles = roles | {"moderation"}
        return roles

    @api.model
    def _get_write_rights(self):
        rights = super()._get_write_rights()
        if rights is None:
            return rights
        rights["moderation"] = dict.fromkeys(MODERATION_FIELDS)
        return rights

    def write(self, vals):
        result = super().write(vals)
        if {"date_revision_requested", "moderation_sampled"} & set(vals):
            self.env["hr.performance.deadline"]._sync_for_reviews(self)
        if "date_statement_signed" in vals:
            # The statement signed (or its signature withdrawn for a revision) records the
            # previous review's outcome: that review's moderation deadlines follow it.
            recorded = self.sudo().statement_id.previous_review_id
            if recorded:
                self.env["hr.performance.deadline"]._sync_for_reviews(recorded)
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _check_can_moderate(self):
        """The headteacher of the school (or HR) moderates; never their own review."""
        if self.env.su:
            return
        roles_by_review = self._get_user_roles()
        for review in self:
            roles = roles_by_review[review.id]
            if "reviewee" in roles:
                raise AccessError(
                    self.env._(
                        "%(review)s is your own review: you cannot moderate it.",
                        review=review.display_name,
                    )
                )
            if "headteacher" not in roles:
                raise AccessError(
                    self.env._(
                        "Only the headteacher can moderate %(review)s.",
                        review=review.display_name,
                    )
                )

    def _check_moderation_pending(self):
        for review in self:
            if review.moderation_state != "pending":
                state = dict(review._fields["moderation_state"]._description_selection(self.env))[
                    review.moderation_state
                ]
                raise UserError(
                    self.env._(
                        "%(review)s cannot be moderated now: its moderation is “%(state)s”.",
                        review=review.display_name,
                        state=state,
                    )
                )

    def action_moderation_confirm(self):
        """The headteacher confirms the signed statement: moderation of this review done."""
        self._check_can_moderate()
        self._check_moderation_pending()
        today = fields.Date.context_today(self)
        with _moderating(self):
            self.write({"moderation_decision": "confirmed", "date_moderated": today})
        for review in self:
            review.message_post(
                body=self.env._("Statement moderated and confirmed."),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_moderation_revise(self, reason):
        """The headteacher instructs a revised statement, with a reason: it goes back
        through drafting and signing within the group's deadline (10 working days)."""
        self._check_can_moderate()
        self._check_moderation_pending()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for instructing a revised statement."))
        today = fields.Date.context_today(self)
        with _moderating(self):
            self.write(
                {
                    "moderation_decision": "revision",
                    "date_revision_requested": today,
                    "revision_reason": reason,
                }
            )
            for review in self:
                review._revise_outcome_statement(reason)
        return True

    def action_moderation_add_to_sample(self):
        """Top up the drawn sample by hand."""
        self._check_can_moderate()
        for review in self:
            plan = review.cycle_id.moderation_ids[:1]
            if not (plan.mode == "sample" and plan.date_drawn) or plan.date_closed:
                raise UserError(
                    self.env._(
                        "%(review)s can be added to the sample only while a drawn sample is "
                        "being moderated.",
                        review=review.display_name,
                    )
                )
            if review.moderation_sampled:
                raise UserError(
                    self.env._("%(review)s is already in the sample.", review=review.display_name)
                )
        self._set_moderation_sampled(True)
        return True

    def action_open_moderation_revise(self):
        self.ensure_one()
        self._check_can_moderate()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Instruct a Revised Statement"),
            "res_model": "hr.performance.moderation.revise",
            "view_mode": "form",
            "target": "new",
            "context": {"default_review_id": self.id},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _request_statement_revision(self, reason):
        """The statement must be revised and signed again. Where the review has a signed
        statement, its revision mechanism opens the new version; a review whose signature
        is only a date recorded before statements existed has that date cleared, with the
        reason posted. Either way the review waits for a new signature."""
        self.ensure_one()
        if self.statement_id:
            # A review with a statement goes through the statement's own checks (role,
            # reason, signed): a draft is changed, not revised.
            revision = super()._request_statement_revision(reason)
        else:
            revision = self.env["hr.performance.statement"]
            self.message_post(
                body=Markup("%s<br/>%s")
                % (self.env._("A revised statement is instructed:"), reason),
                subtype_xmlid="mail.mt_note",
            )
        with _moderating(self):
            self.write({"date_statement_signed": False})
        return revision

    def _revise_outcome_statement(self, reason):
        """The headteacher instructs a revised statement of this review's outcome: the
        statement that records it (the next review's) is revised, or, for a review completed
        before statements existed, the signature recorded on the review itself."""
        self.ensure_one()
        # sudo: which review's statement records the outcome; the revision itself checks the
        # user's role on that review.
        recording = self.sudo().outcome_statement_id.review_id.with_env(self.env)
        return (recording or self)._request_statement_revision(reason)

    def _set_moderation_sampled(self, value):
        with _moderating(self):
            self.write({"moderation_sampled": value})

    def _recompute_moderation(self):
        """The moderation of the cycles changed: recompute what depends on it."""
        for fname in ("moderation_mode", "moderation_selected"):
            self.env.add_to_compute(self._fields[fname], self)
        self.env["hr.performance.deadline"]._sync_for_reviews(self)
