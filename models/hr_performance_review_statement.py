from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .hr_performance_retention_mixin import is_disposing
from .hr_performance_statement import _superseding

# The review's event dates the statement's steps stamp: nobody types them any more.
STAMPED_DATES = ("date_draft_sent", "date_comments", "date_statement_signed")
# Who may revise a signed statement (a revision meeting, moderation, an appeal).
STATEMENT_REVISION_ROLES = frozenset({"reviewer", "headteacher", "hr"})
# The review fields a signed statement holds: frozen on the review it was drafted for ...
FROZEN_OWN_FIELDS = (
    "pre_helping_factors",
    "pre_hindering_factors",
    "pre_training_received",
    "pre_jd_amendments",
    "pre_career_goals",
    "reasonable_adjustments",
    "chat_likes",
    "chat_dislikes",
    "chat_needs",
    "chat_training",
    "chat_ideas",
    "career_now",
    "career_future",
    "career_options",
    "career_actions",
)
# ... and on the previous review, whose assessment it records.
FROZEN_ASSESSMENT_FIELDS = (
    "final_assessment",
    "outcome_level_id",
    "pay_criteria_met",
    "pay_mismatch_reason",
    "current_pay_level",
    "recommended_pay_level",
)
# The objective fields the new objectives table holds.
FROZEN_OBJECTIVE_FIELDS = (
    "name",
    "description",
    "sip_priority_id",
    "operational_objective",
    "success_criteria",
    "actions",
    "milestones",
    "target_date",
    "support_needed",
    "agreement",
    "disagreement_note",
    "review_id",
    "assessment_level_id",
    "assessment_notes",
    "outside_control",
)


class HrPerformanceReview(models.Model):
    _inherit = "hr.performance.review"

    statement_ids = fields.One2many(
        "hr.performance.statement", "review_id", string="Statements", readonly=True
    )
    statement_id = fields.Many2one(
        "hr.performance.statement",
        compute="_compute_statement_id",
        store=True,
        string="Current Statement",
        help="The latest version of the planning and review statement.",
    )
    statement_state = fields.Selection(related="statement_id.state", string="Statement")
    statement_exception_reason = fields.Text(
        string="Monitoring without a Signed Statement",
        readonly=True,
        tracking=True,
        help="The headteacher's recorded reason for letting the review move on to monitoring "
        "before the statement is signed.",
    )
    can_draft_statement = fields.Boolean(compute="_compute_can_draft_statement")
    can_request_statement_revision = fields.Boolean(
        compute="_compute_can_request_statement_revision"
    )
    can_record_statement_exception = fields.Boolean(
        compute="_compute_can_record_statement_exception"
    )
    midyear_signature_ids = fields.Many2many(
        "hr.performance.signature",
        compute="_compute_midyear_signature_ids",
        string="Mid-Year Signatures",
    )
    # Stamped by the statement's steps (see _stamp_statement_event), not typed.
    date_draft_sent = fields.Date(readonly=True)
    date_comments = fields.Date(readonly=True)
    date_statement_signed = fields.Date(readonly=True)

    @api.depends("statement_ids.version")
    def _compute_statement_id(self):
        for review in self:
            review.statement_id = review.statement_ids.sorted("version")[-1:]

    @api.depends_context("uid")
    @api.depends("statement_ids", "state")
    def _compute_can_draft_statement(self):
        roles = self._get_user_roles()
        for review in self:
            review.can_draft_statement = bool(
                "reviewer" in roles[review.id]
                and review.state in ("planning", "agreed", "in_progress")
                and not review.statement_ids
            )

    @api.depends_context("uid")
    @api.depends("statement_id.state", "statement_id.superseded")
    def _compute_can_request_statement_revision(self):
        roles = self._get_user_roles()
        for review in self:
            review.can_request_statement_revision = bool(
                roles[review.id] & STATEMENT_REVISION_ROLES
                and review.statement_id.state == "signed"
            )

    @api.depends_context("uid")
    @api.depends("state", "statement_id.state", "statement_exception_reason")
    def _compute_can_record_statement_exception(self):
        roles = self._get_user_roles()
        for review in self:
            review.can_record_statement_exception = bool(
                "headteacher" in roles[review.id]
                and "reviewee" not in roles[review.id]
                and review.state == "agreed"
                and not review.statement_exception_reason
                and review._statement_gate_applies()
            )

    def _compute_midyear_signature_ids(self):
        signatures = self.env["hr.performance.signature"].search(
            [("review_id", "in", self.ids), ("document_kind", "=", "midyear")]
        )
        for review in self:
            review.midyear_signature_ids = signatures.filtered(lambda s, r=review: s.review_id == r)

    # ------------------------------------------------------------------
    # Rights: the stamped dates are events, not typed
    # ------------------------------------------------------------------
    @api.model
    def _get_write_rights(self):
        rights = super()._get_write_rights()
        for fields_by_role in rights.values():
            for name in STAMPED_DATES:
                fields_by_role.pop(name, None)
        return rights

    def _check_write_rules(self, vals):
        result = super()._check_write_rules(vals)
        self._check_statement_frozen(vals)
        return result

    def write(self, vals):
        if self.env.su:
            self._check_statement_frozen(vals)
        return super().write(vals)

    def _signed_statement_fields(self, names):
        """``{review id: fields of names frozen by a signed statement}``: the latest
        version of a review's statement freezes what it holds of that review, and the
        previous review's assessment it records."""
        names = set(names)
        frozen = {}
        # sudo: the statements are read to decide the freeze, whoever writes.
        reviews = self.sudo()
        if names & set(FROZEN_OWN_FIELDS):
            for review in reviews.filtered(lambda r: r.statement_id.state == "signed"):
                frozen.setdefault(review.id, set()).update(names & set(FROZEN_OWN_FIELDS))
        if names & set(FROZEN_ASSESSMENT_FIELDS):
            statements = (
                self.env["hr.performance.statement"]
                .sudo()
                .search([("previous_review_id", "in", self.ids), ("state", "=", "signed")])
            )
            for statement in statements:
                if statement.review_id.statement_id == statement:
                    frozen.setdefault(statement.previous_review_id.id, set()).update(
                        names & set(FROZEN_ASSESSMENT_FIELDS)
                    )
        return frozen

    def _check_statement_frozen(self, vals):
        if is_disposing(self):
            # The disposal engine anonymises a review at the end of its retention period
            # even when a later statement, kept longer, quoted it.
            return
        if not set(vals) & (set(FROZEN_OWN_FIELDS) | set(FROZEN_ASSESSMENT_FIELDS)):
            return
        frozen = self._signed_statement_fields(vals)
        for review in self:
            refused = frozen.get(review.id)
            if refused:
                raise UserError(
                    self.env._(
                        "%(fields)s of %(review)s are in a signed statement and frozen. Request "
                        "a revision of the statement (with its reason) to change them.",
                        fields=review._field_labels(refused),
                        review=review.display_name,
                    )
                )

    def _check_transition_ready(self, state):
        super()._check_transition_ready(state)
        if state != "in_progress":
            return
        for review in self.filtered(lambda r: r.state != state):
            if review._statement_gate_applies() and not review.statement_exception_reason:
                raise UserError(
                    self.env._(
                        "%(review)s cannot move on to monitoring before its statement is signed "
                        "by both (or the headteacher records a reasoned exception).",
                        review=review.display_name,
                    )
                )

    @api.depends("statement_id.state", "statement_exception_reason")
    def _compute_can_transition(self):
        # Start Monitoring shows only when the gate lets the review through: its statement
        # signed by both, or the headteacher's reasoned exception recorded.
        result = super()._compute_can_transition()
        for review in self.filtered("can_start_monitoring"):
            if review._statement_gate_applies() and not review.statement_exception_reason:
                review.can_start_monitoring = False
        return result

    def _statement_gate_applies(self):
        """Whether this review still needs its signed statement before monitoring: the
        latest version of its statement, drafted or not, is not signed by both."""
        self.ensure_one()
        return self.sudo().statement_id.state != "signed"

    def action_record_statement_exception(self, reason):
        """The headteacher lets the review move on to monitoring without a signed
        statement, giving the reason."""
        # The roles come from groups: the record rules (the school) are checked first.
        self.check_access("write")
        self._check_roles({"headteacher"})
        if not (reason or "").strip():
            raise ValidationError(self.env._("Give the reason for the exception."))
        for review in self:
            if review.state not in ("planning", "agreed"):
                raise UserError(
                    self.env._(
                        "%(review)s has already moved on to monitoring: no exception is needed.",
                        review=review.display_name,
                    )
                )
        # sudo: the field is read-only for everyone; the headteacher's role was checked.
        self.sudo().statement_exception_reason = reason.strip()
        return True

    def action_open_statement_exception(self):
        """The wizard asking the headteacher's reason for monitoring without a signed
        statement."""
        self.ensure_one()
        self.check_access("write")
        self._check_roles({"headteacher"})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Monitoring without a Signed Statement"),
            "res_model": "hr.performance.statement.exception",
            "view_mode": "form",
            "target": "new",
            "context": {"default_review_id": self.id},
        }

    # ------------------------------------------------------------------
    # The statement
    # ------------------------------------------------------------------
    def _stamp_statement_event(self, fname):
        """Stamp today's date on the event ``fname`` of the reviews (the deadlines measure
        it); a later step of a revision keeps the first date."""
        # sudo: the dates are read-only for users; the statement step that stamps them
        # checked the user's right to take it.
        today = fields.Date.context_today(self)
        self.sudo().filtered(lambda r: not r[fname]).write({fname: today})

    def _previous_review(self):
        self.ensure_one()
        return self.sudo().search(
            [
                ("employee_id", "=", self.employee_id.id),
                ("date_end", "<", self.date_start),
                ("state", "=", "completed"),
            ],
            order="date_end desc",
            limit=1,
        )

    def _prepare_statement_snapshot(self):
        """The content of a statement, assembled from the review and the previous one."""
        self.ensure_one()
        # sudo: the statement records what the reviewer and the reviewee agreed, from the
        # review and from the reviewee's previous completed review (which the current
        # reviewer may no longer read); only these values are copied.
        review = self.sudo()
        previous = review._previous_review()
        assessment = [
            {
                "objective": objective.name,
                "level": objective.assessment_level_id.name or "",
                "notes": objective.assessment_notes or "",
                "outside_control": objective.outside_control,
            }
            for objective in previous.objective_ids
        ]
        objectives = [
            {
                "objective": objective.name,
                "plan": objective.sip_priority_id.name or objective.operational_objective or "",
                "success": objective.success_criteria or "",
                "actions": objective.actions or "",
                "by_when": objective.target_date
                and objective.target_date.strftime("%d/%m/%Y")
                or "",
                "support": objective.support_needed or "",
                "midyear": objective.midyear_progress or "",
            }
            for objective in review.objective_ids
        ]
        labels = {
            name: review._fields[name].get_description(self.env)["string"]
            for name in (
                "chat_likes",
                "chat_dislikes",
                "chat_needs",
                "chat_training",
                "chat_ideas",
                "career_now",
                "career_future",
                "career_options",
                "career_actions",
            )
        }
        chat = [{"question": label, "answer": review[name] or ""} for name, label in labels.items()]
        summary = "\n".join(
            text
            for text in (
                review.pre_helping_factors and self.env._("Helped: %s", review.pre_helping_factors),
                review.pre_hindering_factors
                and self.env._("Hindered: %s", review.pre_hindering_factors),
                review.pre_training_received
                and self.env._("Training received: %s", review.pre_training_received),
            )
            if text
        )
        needs = review.training_need_ids | previous.training_need_ids
        pay = ""
        show_pay = bool(review.job_group_id.pay_progression)
        if show_pay and previous.pay_criteria_met:
            pay = dict(previous._fields["pay_criteria_met"]._description_selection(self.env))[
                previous.pay_criteria_met
            ]
            if previous.recommended_pay_level:
                pay = f"{pay}: {previous.recommended_pay_level}"
        return {
            "layout": "abbreviated" if review.process == "abbreviated" else "full",
            "previous_review_id": previous.id,
            "assessment_lines": assessment,
            "assessment_outcome": previous.outcome_level_id.name or False,
            "assessment_summary": summary or False,
            "objective_lines": objectives,
            "job_chat_lines": chat if review.process == "abbreviated" else [],
            "training_needs": "\n".join(
                f"{need.name}: {need.action}" if need.action else need.name for need in needs
            )
            or False,
            "jd_comments": review.pre_jd_amendments or False,
            "career_goals": review.pre_career_goals or review.career_future or False,
            "reasonable_adjustments": review.reasonable_adjustments or False,
            "overall_assessment": previous.final_assessment
            and Markup(previous.final_assessment).striptags()
            or False,
            "show_pay": show_pay,
            "pay_recommendation": pay or False,
        }

    def action_draft_statement(self):
        """The reviewer drafts the statement, assembled from the review."""
        self.ensure_one()
        self._check_roles({"reviewer"})
        if self.statement_ids:
            return self.action_open_statement()
        self.env["hr.performance.statement"].create(
            {"review_id": self.id, **self._prepare_statement_snapshot()}
        )
        return self.action_open_statement()

    def action_open_statement(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Statement"),
            "res_model": "hr.performance.statement",
            "view_mode": "form",
            "res_id": self.statement_id.id,
        }

    def action_open_statement_revision(self):
        """The revision wizard: asks the reason, then ``_request_statement_revision``."""
        self.ensure_one()
        self._check_roles(STATEMENT_REVISION_ROLES)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request a Revision"),
            "res_model": "hr.performance.statement.revise",
            "view_mode": "form",
            "target": "new",
            "context": {"default_review_id": self.id},
        }

    def _request_statement_revision(self, reason):
        """A change after signing: a new draft version of the signed statement, with its
        reason, to be signed again by both; the signed version stays readable. Returns the
        new ``hr.performance.statement``. Called by the revision button, moderation and
        appeals."""
        self.ensure_one()
        if not (reason or "").strip():
            raise ValidationError(
                self.env._(
                    "Give the reason for revising the statement of %(review)s.",
                    review=self.display_name,
                )
            )
        self._check_roles(STATEMENT_REVISION_ROLES)
        current = self.statement_id
        if not current or current.state != "signed":
            raise UserError(
                self.env._(
                    "Only a signed statement is revised; change the draft of %(review)s instead.",
                    review=self.display_name,
                )
            )
        # sudo: a revision is a new version written by the system from the review, and
        # the signed one is marked superseded (it stays as it was, readable); the caller's
        # role was checked above.
        with _superseding(current.ids):
            current.sudo().superseded = True
        revision = (
            self.env["hr.performance.statement"]
            .sudo()
            .create(
                {
                    "review_id": self.id,
                    "version": current.version + 1,
                    "previous_version_id": current.id,
                    "revision_reason": reason.strip(),
                    **self._prepare_statement_snapshot(),
                }
            )
        )
        self.message_post(
            body=self.env._(
                "%(user)s opened version %(version)s of the statement: %(reason)s",
                user=self.env.user.name,
                version=revision.version,
                reason=reason.strip(),
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
        return revision.with_env(self.env)

    def _check_objectives_unfrozen(self, objectives=None):
        """Refuse a change to the objectives of a review whose latest statement is signed
        (the new objectives table), or of a review whose assessment a signed statement
        records."""
        # sudo: the latest statement's state decides the freeze, whoever writes.
        for review in self.sudo():
            if review.statement_id.state != "signed":
                continue
            mine = (objectives or self.env["hr.performance.objective"]).filtered(
                lambda o, r=review: o.review_id == r
            )
            raise UserError(
                self.env._(
                    "The objectives of %(review)s are in a signed statement and frozen "
                    "(%(objective)s). Request a revision of the statement (with its reason) to "
                    "change them.",
                    review=review.with_env(self.env).display_name,
                    objective=mine[:1].name or self.env._("new objective"),
                )
            )

    # ------------------------------------------------------------------
    # Mid-year review: the same two-party signature
    # ------------------------------------------------------------------
    def _midyear_payload(self):
        self.ensure_one()
        review = self.sudo()
        return {
            "review_id": review.id,
            "midyear_meeting_date": str(review.midyear_meeting_date or ""),
            "midyear_notes": review.midyear_notes or "",
            "midyear_contributions": review.midyear_contributions or "",
            "objectives": [
                [
                    o.id,
                    o.name,
                    o.midyear_progress or "",
                    o.midyear_barriers or "",
                    o.midyear_support or "",
                ]
                for o in review.objective_ids
            ],
        }

    def action_sign_midyear(self, signed_name, signature):
        """The current user signs their part (reviewee or reviewer) of the mid-year review."""
        self.ensure_one()
        roles = {"reviewee", "reviewer"} & self._get_user_roles()[self.id]
        if not roles:
            raise UserError(
                self.env._("Only the reviewee and the reviewer sign the mid-year review.")
            )
        return self._record_midyear_signature(
            next(iter(roles)), signed_name, signature, "backoffice"
        )

    def _record_midyear_signature(self, role, signed_name, signature, route, signer_user=None):
        """The single writer of mid-year signatures (as the statement's)."""
        self.ensure_one()
        signer_user = signer_user or self.env.user
        review = self.sudo()
        own = {"reviewee": review.employee_user_id, "reviewer": review.reviewer_user_id}.get(role)
        if not own or own != signer_user:
            raise UserError(
                self.env._(
                    "%(user)s cannot sign the %(role)s's part of the mid-year review of "
                    "%(review)s: each signs only their own.",
                    user=signer_user.name,
                    role=role,
                    review=self.display_name,
                )
            )
        if not review.midyear_meeting_date:
            raise UserError(
                self.env._(
                    "Record the mid-year review meeting of %(review)s before signing it.",
                    review=self.display_name,
                )
            )
        signed = (
            self.env["hr.performance.signature"]
            .sudo()
            .search(
                [
                    ("review_id", "=", self.id),
                    ("document_kind", "=", "midyear"),
                    ("signer_role", "=", role),
                ]
            )
        )
        if signed:
            raise UserError(
                self.env._(
                    "The %(role)s has already signed the mid-year review of %(review)s.",
                    role=role,
                    review=self.display_name,
                )
            )
        if not (signed_name or "").strip() or not signature:
            raise ValidationError(self.env._("Type your name and sign (drawn or typed) to sign."))
        return self.env["hr.performance.signature"]._create_signature(
            {
                "review_id": self.id,
                "document_kind": "midyear",
                "signer_role": role,
                "signer_user_id": signer_user.id,
                "signed_name": signed_name.strip(),
                "signature": signature,
                "route": route,
            },
            self._midyear_payload(),
        )
