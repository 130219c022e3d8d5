from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

GOVERNOR_GROUP = "hr_school_performance.hr_school_performance_group_governor"


class HrPerformanceHeadteacherPanel(models.Model):
    """The governors appointed by the board to review a headteacher (seed 003 §4.1–4.2,
    seed 004 §3.1): two or three governors, one of them the chair of the review, with an
    external adviser (who may have no login), and their own deadline (31 December).

    The headteacher may object to a named governor, in writing with the reasons; while the
    objection stands that governor cannot sit on the panel. The headteacher's review and
    statement are read only by the chair (through an access grant for as long as the panel
    sits), HR and the headteacher: other headteachers and school staff are kept out by the
    rules on ``headteacher_review_readable``."""

    _name = "hr.performance.headteacher.panel"
    _description = "Headteacher Review Panel"
    _inherit = ["hr.performance.guarded.mixin", "mail.thread"]
    _order = "date_deadline desc, id desc"
    _check_company_auto = True

    review_id = fields.Many2one(
        "hr.performance.review",
        string="Headteacher's Review",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    employee_id = fields.Many2one(
        related="review_id.employee_id", store=True, index=True, string="Headteacher"
    )
    employee_user_id = fields.Many2one(
        related="review_id.employee_user_id", store=True, index=True, string="Headteacher User"
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    state = fields.Selection(
        [("draft", "Being Appointed"), ("appointed", "Appointed"), ("closed", "Closed")],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
    )
    chair_user_id = fields.Many2one(
        "res.users",
        string="Chair of the Review",
        tracking=True,
        domain=[("share", "=", False)],
        help="The governor who chairs the review and holds the headteacher's statement.",
    )
    governor_user_ids = fields.Many2many(
        "res.users",
        "hr_performance_headteacher_panel_governor_rel",
        "panel_id",
        "user_id",
        string="Other Governors",
        domain=[("share", "=", False)],
    )
    adviser_name = fields.Char(
        string="External Adviser",
        tracking=True,
        help="The school improvement partner or external adviser; they need no login.",
    )
    adviser_partner_id = fields.Many2one("res.partner", string="Adviser's Contact")
    date_deadline = fields.Date(
        string="Review Due By",
        required=True,
        default=lambda self: date(fields.Date.context_today(self).year, 12, 31),
        tracking=True,
        help="The headteacher's review is completed by 31 December.",
    )
    objection_ids = fields.One2many(
        "hr.performance.headteacher.objection", "panel_id", string="Objections"
    )
    access_grant_id = fields.Many2one(
        "hr.performance.access.grant", string="Chair's Access", readonly=True, copy=False
    )

    _unique_review = models.UniqueIndex(
        "(review_id) WHERE state != 'closed'", "A headteacher's review has one panel at a time."
    )

    @api.depends("employee_id.name", "date_deadline")
    def _compute_display_name(self):
        for panel in self:
            panel.display_name = self.env._(
                "Review panel of %(head)s (by %(date)s)",
                head=panel.employee_id.name or "",
                date=format_date(self.env, panel.date_deadline) if panel.date_deadline else "",
            )

    @api.constrains("chair_user_id", "governor_user_ids", "objection_ids", "review_id")
    def _check_members(self):
        for panel in self:
            members = panel.chair_user_id | panel.governor_user_ids
            if panel.employee_user_id and panel.employee_user_id in members:
                raise ValidationError(self.env._("A headteacher cannot sit on their own panel."))
            for user in members:
                if not user.has_group(GOVERNOR_GROUP):
                    raise ValidationError(
                        self.env._(
                            "%(user)s is not a governor: the governing body appoints governors "
                            "to review the headteacher.",
                            user=user.name,
                        )
                    )
            objected = members & panel.objection_ids.filtered("standing").user_id
            if objected:
                raise ValidationError(
                    self.env._(
                        "The headteacher objected to %(user)s: that governor cannot sit on the "
                        "panel while the objection stands.",
                        user=objected[0].name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_hr()
        for vals in vals_list:
            vals.pop("state", None)
        panels = super().create(vals_list)
        panels._sync_deadlines()
        return panels

    def write(self, vals):
        if not self.env.su:
            self._check_hr()
            if "state" in vals:
                raise UserError(self.env._("Use the buttons to appoint or close the panel."))
        result = super().write(vals)
        if "chair_user_id" in vals:
            self.filtered(lambda p: p.state == "appointed")._sync_chair_access()
        if {"date_deadline", "chair_user_id", "state"} & set(vals):
            self._sync_deadlines()
        if "chair_user_id" in vals:
            # Only an appointed panel's chair reviews: a panel being appointed changes no one.
            self.filtered(lambda p: p.state == "appointed")._hand_over_todos()
        return result

    def _hand_over_todos(self):
        """The chair of an appointed panel is the review's reviewer (``reviewer_user_id``):
        the review's pending to-do goes to whoever reviews now (once the chair can read
        the review)."""
        self.review_id._schedule_next_activity()

    def _sync_deadlines(self):
        """The headteacher's review deadline falls on the panel's date, its chair acts."""
        self.env["hr.performance.deadline"]._sync_for_reviews(self.review_id)

    def _check_hr(self):
        if not (self.env.su or self.env["hr.performance.review"]._performance_user_groups()["hr"]):
            raise AccessError(self.env._("The governing body's appointments are recorded by HR."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_appoint(self):
        """The panel is complete: two or three governors including the chair, and an
        external adviser. The chair reads the review from now on."""
        self._check_hr()
        for panel in self:
            count = len(panel.chair_user_id | panel.governor_user_ids)
            if not panel.chair_user_id or not 2 <= count <= 3:
                raise UserError(
                    self.env._(
                        "The governing body appoints two or three governors, one of them "
                        "chairing the review (now %(count)s).",
                        count=count,
                    )
                )
            if not (panel.adviser_name or "").strip():
                raise UserError(self.env._("Name the external adviser who supports the panel."))
            panel._check_members()
        # sudo: the state is set by these buttons only (checked above).
        self.sudo().write({"state": "appointed"})
        self._sync_chair_access()
        self._hand_over_todos()

    def action_close(self):
        self._check_hr()
        self.sudo().write({"state": "closed"})
        self._sync_chair_access()
        self._hand_over_todos()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _sync_chair_access(self):
        """The chair of an appointed panel holds an access grant to the headteacher's review;
        a replaced chair, or a closed panel, loses it."""
        Grant = self.env["hr.performance.access.grant"].sudo()
        for panel in self.sudo():
            grant = panel.access_grant_id
            keep = panel.state == "appointed" and grant.user_id == panel.chair_user_id
            if grant and not grant.date_revoked and not keep:
                grant.action_revoke()
            if panel.state == "appointed" and not keep:
                # sudo: the panel's appointment (recorded by HR) decides this grant.
                panel.access_grant_id = Grant.create(
                    {
                        "review_id": panel.review_id.id,
                        "user_id": panel.chair_user_id.id,
                        "purpose": "headteacher_review",
                        "note": self.env._("Chair of the governors' review panel."),
                    }
                )


class HrPerformanceHeadteacherObjection(models.Model):
    """The headteacher's written request that a governor appointed to review them be
    replaced, with the reasons (seed 003 §4.2). While it stands, the governor cannot sit
    on the panel."""

    _name = "hr.performance.headteacher.objection"
    _description = "Headteacher's Objection to a Governor"
    _order = "date_objection desc, id desc"

    panel_id = fields.Many2one(
        "hr.performance.headteacher.panel", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="panel_id.company_id", store=True, index=True)
    user_id = fields.Many2one("res.users", string="Governor", required=True)
    reason = fields.Text(string="Professional Reasons", required=True)
    date_objection = fields.Date(
        string="Objected On", required=True, default=fields.Date.context_today
    )
    standing = fields.Boolean(
        default=True,
        help="Untick when the governing body has answered the objection and the governor "
        "may sit again.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        panels = self.env["hr.performance.headteacher.panel"].browse(
            [vals.get("panel_id") for vals in vals_list]
        )
        if not self.env.su:
            panels.check_access("read")
            is_hr = self.env["hr.performance.review"]._performance_user_groups()["hr"]
            for panel in panels.sudo():
                if panel.employee_user_id != self.env.user and not is_hr:
                    raise AccessError(
                        self.env._("Only the headteacher (or HR) records their objection.")
                    )
        # sudo: the headteacher records an objection on the panel HR keeps; the panel's
        # constraint then refuses an objected governor sitting on it.
        objections = super(HrPerformanceHeadteacherObjection, self.sudo()).create(vals_list)
        for objection in objections:
            objection.panel_id.message_post(
                body=self.env._(
                    "The headteacher objected to %(user)s on %(date)s.",
                    user=objection.user_id.name,
                    date=format_date(self.env, objection.date_objection),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return objections.with_env(self.env)

    def write(self, vals):
        if not (self.env.su or self.env["hr.performance.review"]._performance_user_groups()["hr"]):
            raise AccessError(self.env._("Only HR records the answer to an objection."))
        return super().write(vals)
