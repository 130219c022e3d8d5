import json
from contextlib import contextmanager
from contextvars import ContextVar
from hashlib import sha256

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

STATEMENT_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent to the Reviewee"),
    ("commented", "Comments Returned"),
    ("final", "Final, to Sign"),
    ("signed", "Signed"),
]
# The content of a statement: assembled from the review, frozen once signed and hashed.
CONTENT_FIELDS = (
    "review_id",
    "version",
    "layout",
    "previous_review_id",
    "assessment_lines",
    "assessment_outcome",
    "assessment_summary",
    "objective_lines",
    "job_chat_lines",
    "training_needs",
    "jd_comments",
    "career_goals",
    "reasonable_adjustments",
    "overall_assessment",
    "show_pay",
    "pay_recommendation",
    "reviewee_comments",
    "change_requested",
    "revision_reason",
)
# What the reviewer writes in the draft (the rest is assembled from the review).
REVIEWER_FIELDS = (
    "assessment_summary",
    "training_needs",
    "jd_comments",
    "career_goals",
    "reasonable_adjustments",
    "overall_assessment",
    "pay_recommendation",
)
REVIEWEE_FIELDS = ("reviewee_comments", "change_requested")

# Set only by hr.performance.review._request_statement_revision while it marks the signed
# version it replaces: a context variable, which no RPC caller can set.
_SUPERSEDING = ContextVar("hr_school_performance_superseding", default=frozenset())


@contextmanager
def _superseding(statement_ids):
    token = _SUPERSEDING.set(_SUPERSEDING.get() | frozenset(statement_ids))
    try:
        yield
    finally:
        _SUPERSEDING.reset(token)


def canonical_json(values):
    """The one serialisation every hash is computed over (as ``account.move`` does)."""
    return json.dumps(values, sort_keys=True, ensure_ascii=True, indent=None, separators=(",", ":"))


class HrPerformanceStatement(models.Model):
    """The planning and review statement of a review: drafted by the reviewer from the
    review, commented on by the reviewee, finalised, signed by both, then frozen. A change
    after signing is a new version (see ``hr.performance.review._request_statement_revision``)."""

    _name = "hr.performance.statement"
    _description = "Planning and Review Statement"
    _inherit = ["hr.performance.confidential.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "review_id, version desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    review_id = fields.Many2one(
        "hr.performance.review",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        readonly=True,
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    employee_id = fields.Many2one(
        related="review_id.employee_id", store=True, index=True, string="Reviewee"
    )
    employee_user_id = fields.Many2one(related="review_id.employee_user_id", store=True)
    reviewer_id = fields.Many2one(related="review_id.reviewer_id")
    reviewer_user_id = fields.Many2one(related="review_id.reviewer_user_id", store=True)
    version = fields.Integer(default=1, required=True, readonly=True, copy=False)
    state = fields.Selection(
        STATEMENT_STATES, required=True, default="draft", tracking=True, copy=False
    )
    superseded = fields.Boolean(
        readonly=True, copy=False, help="A later version replaces this signed statement."
    )
    previous_version_id = fields.Many2one(
        "hr.performance.statement", string="Revises", readonly=True, index="btree_not_null"
    )
    revision_reason = fields.Text(readonly=True, tracking=True)
    layout = fields.Selection(
        [("full", "Full statement"), ("abbreviated", "Job chat and personal development plan")],
        required=True,
        default="full",
        readonly=True,
    )
    # Content, assembled from the review (the cycle that ended is the reviewee's previous
    # review; its assessment and the new objectives are snapshots).
    previous_review_id = fields.Many2one(
        "hr.performance.review", string="Cycle Assessed", readonly=True, index="btree_not_null"
    )
    assessment_lines = fields.Json(readonly=True)
    assessment_outcome = fields.Char(string="Overall Assessment of the Cycle", readonly=True)
    assessment_summary = fields.Text(
        string="What Helped, What Hindered, Training Received", tracking=True
    )
    objective_lines = fields.Json(readonly=True)
    job_chat_lines = fields.Json(readonly=True)
    training_needs = fields.Text(string="Training and Development Needs", tracking=True)
    jd_comments = fields.Text(string="Job Description Comments", tracking=True)
    career_goals = fields.Text(tracking=True)
    reasonable_adjustments = fields.Text(tracking=True)
    overall_assessment = fields.Text(string="Reviewer's Overall Assessment", tracking=True)
    show_pay = fields.Boolean(readonly=True)
    pay_recommendation = fields.Text(tracking=True)
    reviewee_comments = fields.Text(string="Reviewee's Comments", tracking=True)
    change_requested = fields.Boolean(
        string="Changes Requested",
        tracking=True,
        help="The reviewee asks the reviewer to change the draft before it is finalised.",
    )
    content_preview = fields.Html(compute="_compute_content_preview", sanitize=False)
    # Signing and integrity
    signature_ids = fields.One2many(
        "hr.performance.signature", "statement_id", string="Signatures", readonly=True
    )
    reviewee_signed = fields.Boolean(compute="_compute_signed")
    reviewer_signed = fields.Boolean(compute="_compute_signed")
    content_hash = fields.Char(readonly=True, copy=False)
    date_signed = fields.Datetime(readonly=True, copy=False)
    integrity_status = fields.Selection(
        [("unchecked", "Not Checked"), ("ok", "Intact"), ("broken", "Altered")],
        default="unchecked",
        readonly=True,
        copy=False,
    )
    pdf_attachment_id = fields.Many2one(
        "ir.attachment", compute="_compute_pdf_attachment_id", string="Signed PDF"
    )
    can_send = fields.Boolean(compute="_compute_can_transition")
    can_comment = fields.Boolean(compute="_compute_can_transition")
    can_finalise = fields.Boolean(compute="_compute_can_transition")
    can_sign = fields.Boolean(compute="_compute_can_sign")
    can_request_revision = fields.Boolean(compute="_compute_can_request_revision")

    _unique_version = models.UniqueIndex(
        "(review_id, version)", "A review has one statement of each version."
    )

    @api.depends("review_id.name", "version")
    def _compute_name(self):
        for statement in self:
            statement.name = self.env._(
                "Statement v%(version)s – %(review)s",
                version=statement.version,
                review=statement.review_id.name or "",
            )

    @api.depends("signature_ids.signer_role")
    def _compute_signed(self):
        for statement in self:
            roles = set(statement.signature_ids.mapped("signer_role"))
            statement.reviewee_signed = "reviewee" in roles
            statement.reviewer_signed = "reviewer" in roles

    @api.depends_context("uid")
    @api.depends("state", "employee_user_id", "reviewer_user_id")
    def _compute_can_transition(self):
        self._set_transition_flags(
            {"can_send": "sent", "can_comment": "commented", "can_finalise": "final"}
        )

    @api.depends_context("uid")
    @api.depends("state", "signature_ids")
    def _compute_can_sign(self):
        roles_by_statement = self._get_user_roles()
        for statement in self:
            statement.can_sign = bool(
                statement.state == "final"
                and statement._signer_roles(roles_by_statement[statement.id])
                - set(statement.signature_ids.mapped("signer_role"))
            )

    @api.depends_context("uid")
    @api.depends("state", "superseded", "review_id.can_request_statement_revision")
    def _compute_can_request_revision(self):
        for statement in self:
            statement.can_request_revision = bool(
                statement.state == "signed"
                and not statement.superseded
                and statement.review_id.can_request_statement_revision
            )

    @api.depends_context("lang")
    @api.depends(*CONTENT_FIELDS)
    def _compute_content_preview(self):
        for statement in self:
            statement.content_preview = self.env["ir.qweb"]._render(
                "hr_school_performance.report_statement_content", {"statement": statement}
            )

    def _compute_pdf_attachment_id(self):
        report = self.env.ref("hr_school_performance.hr_performance_statement_report")
        for statement in self:
            statement.pdf_attachment_id = (
                report.retrieve_attachment(statement) if statement.state == "signed" else False
            )

    # ------------------------------------------------------------------
    # Rights (hr.performance.confidential.mixin)
    # ------------------------------------------------------------------
    def _get_performance_review(self):
        return self.review_id

    def _get_rights_state(self):
        self.ensure_one()
        return self.state

    @api.model
    def _get_write_rights(self):
        drafting = ("draft", "commented")
        return {
            "reviewer": dict.fromkeys(REVIEWER_FIELDS, drafting),
            "reviewee": dict.fromkeys(REVIEWEE_FIELDS, ("sent",)),
            "reviewee_proxy": dict.fromkeys(REVIEWEE_FIELDS, ("sent",)),
        }

    @api.model
    def _get_state_transitions(self):
        return {
            "sent": {"from": ("draft", "commented"), "roles": {"reviewer"}},
            "commented": {"from": ("sent",), "roles": {"reviewee", "reviewee_proxy"}},
            "final": {"from": ("sent", "commented"), "roles": {"reviewer"}},
            # Only the signature writer moves a statement here, once both have signed.
            "signed": {"from": ("final",), "roles": {"reviewee", "reviewer", "reviewee_proxy"}},
        }

    def _signer_roles(self, roles):
        """The parts of the statement the current user may sign in person."""
        return {"reviewee", "reviewer"} & roles

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        reviews = self.env["hr.performance.review"].browse(
            {vals.get("review_id") for vals in vals_list if vals.get("review_id")}
        )
        if not self.env.su:
            reviews._check_roles({"reviewer"})
        statements = super(
            HrPerformanceStatement, self.with_context(mail_create_nosubscribe=True)
        ).create(vals_list)
        return statements

    def _check_write_rules(self, vals):
        result = super()._check_write_rules(vals)
        self._check_frozen(vals)
        return result

    def write(self, vals):
        if self.env.su:
            # The freeze holds for every caller, the superuser included.
            self._check_frozen(vals)
        return super().write(vals)

    def _check_frozen(self, vals):
        superseding = _SUPERSEDING.get()
        for statement in self.filtered(lambda s: s.state == "signed"):
            if statement.id in superseding and set(vals) <= {"superseded"}:
                continue
            changed = {name for name in vals if not name.startswith(("message_", "activity_"))} - {
                "integrity_status"
            }
            if changed:
                raise UserError(
                    self.env._(
                        "%(statement)s is signed and frozen: %(fields)s cannot change. A change "
                        "after signing is a revision (a new version, with its reason, signed "
                        "again by both).",
                        statement=statement.display_name,
                        fields=statement._field_labels(changed),
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(statement.state != "draft" for statement in self):
            raise UserError(
                self.env._("Only a draft statement that was never sent can be deleted.")
            )

    # ------------------------------------------------------------------
    # Path
    # ------------------------------------------------------------------
    def action_refresh(self):
        """Assemble the draft again from the review (objectives, assessment, forms)."""
        for statement in self:
            if statement.state not in ("draft", "commented"):
                raise UserError(
                    self.env._(
                        "%(statement)s is past drafting: it cannot be assembled again.",
                        statement=statement.display_name,
                    )
                )
            statement._check_roles_on_statement({"reviewer"})
            # sudo: the snapshot fields are read-only for users and written only here, from
            # the review the reviewer reads; the reviewer's right was checked above.
            statement.sudo().write(statement.review_id._prepare_statement_snapshot())

    def _check_roles_on_statement(self, roles):
        if self.env.su:
            return
        held = self._get_user_roles()
        for statement in self:
            if not held[statement.id] & roles:
                raise AccessError(
                    self.env._(
                        "Only %(who)s can do this on %(statement)s.",
                        who=self._roles_label(roles),
                        statement=statement.display_name,
                    )
                )

    def action_send(self):
        """The reviewer sends the draft to the reviewee, who comments or asks for changes."""
        self.write({"state": "sent"})
        self.review_id._stamp_statement_event("date_draft_sent")
        for statement in self:
            statement._notify_reviewee(
                self.env._(
                    "The draft statement is ready for your comments. Return them, or ask for "
                    "changes, within five working days."
                )
            )

    def action_return_comments(self):
        """The reviewee returns their comments (or a request for changes) on the draft."""
        self.write({"state": "commented"})
        self.review_id._stamp_statement_event("date_comments")

    def action_finalise(self):
        """The reviewer finalises the statement: both sign it next."""
        self.write({"state": "final"})

    def _notify_reviewee(self, body):
        self.ensure_one()
        partner = self.employee_user_id.partner_id
        self.message_post(
            body=body,
            partner_ids=partner.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note" if not partner else "mail.mt_comment",
        )

    def action_open_revision(self):
        """Request a revision of this signed statement (the review's wizard)."""
        self.ensure_one()
        return self.review_id.action_open_statement_revision()

    def action_open_sign(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sign the Statement"),
            "res_model": "hr.performance.signature.sign",
            "view_mode": "form",
            "target": "new",
            "context": {"default_statement_id": self.id},
        }

    # ------------------------------------------------------------------
    # Signing: one writer for every route
    # ------------------------------------------------------------------
    def action_sign(self, signed_name, signature):
        """The current user signs their part (reviewee or reviewer) in the back office."""
        self.ensure_one()
        roles = self._signer_roles(self._get_user_roles()[self.id])
        if not roles:
            raise AccessError(
                self.env._(
                    "Only the reviewee and the reviewer sign %(statement)s, each their own part.",
                    statement=self.display_name,
                )
            )
        return self._record_signature(
            role=next(iter(roles)), signed_name=signed_name, signature=signature, route="backoffice"
        )

    def action_sign_in_meeting(self, login, password, signed_name, signature):
        """In the meeting, on the reviewer's device: the reviewee proves who they are with
        their own login and password, then signs their part."""
        self.ensure_one()
        if "reviewer" not in self._get_user_roles()[self.id]:
            raise AccessError(
                self.env._("Only the reviewer's device signs in the meeting for the reviewee.")
            )
        # sudo: the reviewee's account is read to check their credentials, nothing else.
        reviewee = self.sudo().employee_user_id
        if not reviewee or reviewee.login != (login or "").strip():
            raise AccessError(
                self.env._(
                    "The reviewee of %(statement)s signs with their own login.",
                    statement=self.display_name,
                )
            )
        try:
            reviewee.with_user(reviewee)._check_credentials(
                {"type": "password", "login": reviewee.login, "password": password},
                {"interactive": True},
            )
        except Exception as error:  # AccessDenied
            raise AccessError(self.env._("Wrong login or password: nothing was signed.")) from error
        return self._record_signature(
            role="reviewee",
            signed_name=signed_name,
            signature=signature,
            route="meeting",
            signer_user=reviewee,
        )

    def _record_signature(self, role, signed_name, signature, route, signer_user=None):
        """The single writer of signatures (back office, meeting, portal): checks that
        ``role`` is the signer's own part, that the statement is final and not yet signed
        by that role, records the signature with its chained hash and, once both parts are
        signed, signs and freezes the statement. Callers authenticate ``signer_user``
        (default: the current user)."""
        self.ensure_one()
        signer_user = signer_user or self.env.user
        review = self.sudo().review_id
        if role not in ("reviewee", "reviewer"):
            raise ValidationError(self.env._("A statement is signed by its reviewee and reviewer."))
        own = {
            "reviewee": review.employee_user_id,
            "reviewer": review.reviewer_user_id,
        }[role]
        if not own or own != signer_user:
            raise AccessError(
                self.env._(
                    "%(user)s cannot sign the %(role)s's part of %(statement)s: each signs only "
                    "their own.",
                    user=signer_user.name,
                    role=self._roles_label({role}).removeprefix(self.env._("the ")),
                    statement=self.display_name,
                )
            )
        if self.state in ("draft", "sent", "commented"):
            raise UserError(
                self.env._(
                    "%(statement)s cannot be signed yet: the reviewee must have had the draft "
                    "and the reviewer must have finalised it.",
                    statement=self.display_name,
                )
            )
        if self.state == "signed" or role in self.signature_ids.mapped("signer_role"):
            raise UserError(
                self.env._(
                    "The %(role)s has already signed %(statement)s.",
                    role=self._roles_label({role}).removeprefix(self.env._("the ")),
                    statement=self.display_name,
                )
            )
        if not (signed_name or "").strip() or not signature:
            raise ValidationError(
                self.env._("Type your name and sign (drawn or typed) to sign the statement.")
            )
        Signature = self.env["hr.performance.signature"]
        signature_record = Signature._create_signature(
            {
                "statement_id": self.id,
                "review_id": review.id,
                "document_kind": "revision" if self.previous_version_id else "statement",
                "signer_role": role,
                "signer_user_id": signer_user.id,
                "signed_name": signed_name.strip(),
                "signature": signature,
                "route": route,
            },
            self._content_payload(),
        )
        self.message_post(
            body=Markup("%s")
            % self.env._(
                "%(name)s signed as %(role)s (%(route)s).",
                name=signature_record.signed_name,
                role=self._roles_label({role}).removeprefix(self.env._("the ")),
                route=dict(Signature._fields["route"]._description_selection(self.env))[route],
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )
        self.invalidate_recordset(["signature_ids"])
        if {"reviewee", "reviewer"} <= set(self.signature_ids.mapped("signer_role")):
            self._seal()
        return signature_record

    def _content_payload(self):
        """The canonical values of the signed content (hashed with each signature)."""
        self.ensure_one()
        values = {}
        for name in CONTENT_FIELDS:
            value = self[name]
            field = self._fields[name]
            if field.type == "many2one":
                value = value.id
            values[name] = value if value is not False or field.type == "boolean" else None
        return values

    def _compute_content_hash(self):
        self.ensure_one()
        return sha256(canonical_json(self._content_payload()).encode()).hexdigest()

    def _seal(self):
        """Both have signed: the statement is signed, frozen, stamped on the review, its PDF
        rendered once and stored, a copy sent to the reviewee and the original filed."""
        self.ensure_one()
        # sudo: the signature writer moves the statement into "signed" once both parts are
        # signed; the signers' rights were checked there.
        statement = self.sudo()
        statement.write(
            {
                "state": "signed",
                "content_hash": self._compute_content_hash(),
                "date_signed": fields.Datetime.now(),
                "integrity_status": "ok",
            }
        )
        self.review_id._stamp_statement_event("date_statement_signed")
        attachment = self.env["ir.attachment"]
        if self.env.registry.ready:
            attachment = self._store_signed_pdf()
        # else: signed while modules load (demo data): the HTTP server that serves the
        # report's styles is not up, so the frozen copy is rendered on the first print or
        # by the scheduled rendering (_cron_render_signed_pdfs) instead.
        self._send_signed_copy(attachment)

    def _store_signed_pdf(self):
        """Render the signed statement once; the report keeps the file (its ``attachment``)
        and returns it, byte for byte, every time it is printed again."""
        self.ensure_one()
        # sudo: the frozen original is stored whoever signed last (the reviewee may not
        # attach files to a statement, and a portal reviewee may not read report actions);
        # the signers could read and sign it.
        report = self.env.ref("hr_school_performance.hr_performance_statement_report").sudo()
        report_env = self.env["ir.actions.report"].sudo()
        report_env._render_qweb_pdf(report.report_name, self.ids)
        return report.retrieve_attachment(self.sudo())

    def action_download_signed_pdf(self):
        """Download the stored signed original (printing the report returns the same file)."""
        self.ensure_one()
        report = self.env.ref("hr_school_performance.hr_performance_statement_report")
        if self.state != "signed":
            raise UserError(
                self.env._("%(statement)s is not signed yet.", statement=self.display_name)
            )
        attachment = self.pdf_attachment_id
        if not attachment:
            return report.report_action(self)
        # The reader's right to the statement was checked reading pdf_attachment_id; the
        # attachment follows the statement's access (hr.performance.guarded.mixin).
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    def _send_signed_copy(self, attachment):
        self.ensure_one()
        review = self.sudo().review_id
        partners = (
            review.employee_user_id.partner_id
            | review.company_id.performance_headteacher_id.partner_id
        )
        body = Markup("<p>%s</p>") % self.env._(
            "The statement is signed by both. The reviewee receives this copy; the original "
            "is filed for the headteacher and HR."
        )
        # sudo: posted by the system with the stored original attached; the recipients are
        # the reviewee and the headteacher, who both read the statement.
        self.sudo().message_post(
            body=body,
            partner_ids=partners.ids,
            attachment_ids=attachment.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        email = not review.employee_user_id and review.employee_id.work_email
        if email and attachment:
            self.env["mail.mail"].sudo().create(
                {
                    "subject": self.display_name,
                    "email_to": email,
                    "body_html": body,
                    "attachment_ids": attachment.ids,
                    "model": self._name,
                    "res_id": self.id,
                }
            )

    # ------------------------------------------------------------------
    # Integrity
    # ------------------------------------------------------------------
    def action_verify_integrity(self):
        """Check the signed content and the chain of signatures; flag a mismatch to HR."""
        self._check_roles_on_statement({"headteacher", "hr", "reviewer", "reviewee"})
        broken = self._verify_integrity()
        if broken:
            message = self.env._(
                "%(statement)s was altered after signing: HR is told.",
                statement=broken[0].display_name,
            )
        else:
            message = self.env._("The signed content and every signature are intact.")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "danger" if broken else "success",
                "sticky": bool(broken),
            },
        }

    def _verify_integrity(self):
        """The signed statements of ``self`` whose content or signatures no longer match
        their hashes; those newly found are flagged to HR."""
        # sudo: hashes are recomputed over the stored values whoever asks; only a verdict
        # is returned.
        statements = self.sudo().filtered(lambda s: s.state == "signed")
        bad_signatures = statements.signature_ids._verify_chain()
        broken = statements.filtered(
            lambda s: (
                s.content_hash != s._compute_content_hash() or s.signature_ids & bad_signatures
            )
        )
        newly = broken.filtered(lambda s: s.integrity_status != "broken")
        for statement in newly:
            statement.integrity_status = "broken"
            statement._flag_to_hr()
        (statements - broken).filtered(lambda s: s.integrity_status != "ok").integrity_status = "ok"
        return broken.with_env(self.env)

    def _flag_to_hr(self):
        self.ensure_one()
        group = self.env.ref("hr_school_performance.hr_school_performance_group_hr_officer")
        users = group.all_user_ids.filtered(
            lambda u: u.active and not u.share and self.company_id in u.company_ids
        )
        note = self.env._(
            "The signed content or a signature of %(statement)s no longer matches its hash: "
            "it was changed outside the application. Check it against the signed PDF.",
            statement=self.display_name,
        )
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for user in users:
            self.activity_schedule(
                activity_type_id=activity_type.id,
                summary=self.env._("Signed statement altered"),
                note=note,
                user_id=user.id,
            )
        self.message_post(body=note, message_type="notification", subtype_xmlid="mail.mt_note")

    @api.model
    def _cron_verify_integrity(self):
        """Daily: verify every signed statement and flag any mismatch to HR."""
        self.search([("state", "=", "signed")])._verify_integrity()

    # ------------------------------------------------------------------
    # Batch rendering off the request
    # ------------------------------------------------------------------
    @api.model
    def _cron_render_signed_pdfs(self):
        """Render the signed statements that have no stored PDF yet, committing progress
        after each (``ir.cron._commit_progress``)."""
        report = self.env.ref("hr_school_performance.hr_performance_statement_report")
        pending = self.search([("state", "=", "signed")]).filtered(
            lambda s: not report.retrieve_attachment(s)
        )
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(pending))
        for statement in pending:
            statement._store_signed_pdf()
            if not cron._commit_progress(1):
                break

    def action_render_school_pdfs(self):
        """Queue the rendering of the school's signed statements off the request."""
        self._check_roles_on_statement({"headteacher", "hr"})
        self.env.ref("hr_school_performance.ir_cron_performance_statement_pdfs")._trigger()
