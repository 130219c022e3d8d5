from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from .hr_performance_deadline import APPOINT_REVIEWER, NEXT_ACTIVITY


class HrPerformanceReview(models.Model):
    """Concerns, support periods and the capability procedure, seen from the review.

    Entering the capability procedure suspends performance management: the open review
    is paused (``performance_suspended``; never cancelled, nothing is lost), its
    deadlines stop and its to-dos close, launches leave the employee out; the headteacher
    restarts it with a date, from which its open deadlines are counted again."""

    _inherit = "hr.performance.review"

    concern_ids = fields.One2many("hr.performance.concern", "review_id", string="Concerns")
    concern_count = fields.Integer(compute="_compute_concern_count")
    performance_suspended = fields.Boolean(
        string="Suspended (Capability)",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        help="Performance management is suspended while the capability procedure runs.",
    )
    date_suspended = fields.Date(string="Suspended On", readonly=True, copy=False)
    date_performance_restart = fields.Date(
        string="Restarted On",
        readonly=True,
        copy=False,
        tracking=True,
        help="When the headteacher restarted performance management: the open deadlines "
        "are counted from this day.",
    )
    can_restart_performance = fields.Boolean(compute="_compute_can_restart_performance")

    def _compute_concern_count(self):
        counts = dict(
            self.env["hr.performance.concern"]._read_group(
                [("review_id", "in", self.ids)], ["review_id"], ["__count"]
            )
        )
        for review in self:
            review.concern_count = counts.get(review, 0)

    @api.depends_context("uid")
    @api.depends("performance_suspended")
    def _compute_can_restart_performance(self):
        roles = self._get_user_roles()
        for review in self:
            review.can_restart_performance = review.performance_suspended and bool(
                roles[review.id] & {"headteacher", "hr"}
            )

    def _check_transition_ready(self, state):
        suspended = self.filtered(lambda r: r.performance_suspended and r.state != state)
        if suspended and state != "cancelled":
            raise UserError(
                self.env._(
                    "Performance management of %(review)s is suspended by the capability "
                    "procedure: the headteacher restarts it first.",
                    review=suspended[0].display_name,
                )
            )
        return super()._check_transition_ready(state)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_concerns(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Concerns and Support"),
            "res_model": "hr.performance.concern",
            "view_mode": "list,form",
            "domain": [("review_id", "=", self.id)],
            "context": {"default_review_id": self.id},
        }

    def action_open_restart_performance(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Restart Performance Management"),
            "res_model": "hr.performance.review.restart",
            "view_mode": "form",
            "target": "new",
            "context": {"default_review_id": self.id},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _suspend_performance_management(self, concern, date_from):
        """Pause ``self`` (the capability procedure started on ``date_from`` after
        ``concern``): deadlines stop, to-dos close, launches exclude the employee."""
        # sudo: the concern's outcome (whose rights were checked) decides the suspension,
        # which no role writes directly; the employee's capability flag is HR-only.
        reviews = self.sudo().filtered(lambda r: r.state not in ("completed", "cancelled"))
        reviews.write(
            {
                "performance_suspended": True,
                "date_suspended": date_from,
                "date_performance_restart": False,
            }
        )
        reviews.employee_id.write(
            {"performance_capability": True, "performance_capability_date": date_from}
        )
        xmlids = [xmlid for xmlid, __ in NEXT_ACTIVITY.values()] + [APPOINT_REVIEWER]
        reviews.activity_feedback(
            xmlids, feedback=self.env._("Suspended: the capability procedure started.")
        )
        reviews.deadline_ids._close_activities(
            self.env._("Suspended: the capability procedure started.")
        )
        for review in reviews:
            review.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Performance management suspended on %(date)s: the capability procedure "
                    "started (%(concern)s).",
                    date=format_date(self.env, date_from),
                    concern=concern.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _restart_performance_management(self, date_restart, note=""):
        """The headteacher (or HR) ends the suspension from ``date_restart``: the review
        resumes and its open deadlines are counted from that day."""
        self._check_roles({"headteacher", "hr"})
        date_restart = fields.Date.to_date(date_restart)
        for review in self:
            if not review.performance_suspended:
                raise UserError(
                    self.env._(
                        "Performance management of %(review)s is not suspended: there is "
                        "nothing to restart.",
                        review=review.display_name,
                    )
                )
            if not date_restart or date_restart < review.date_suspended:
                raise UserError(
                    self.env._(
                        "Restart after the suspension began (%(date)s).",
                        date=format_date(self.env, review.date_suspended),
                    )
                )
        # sudo: suspension bookkeeping, no role writes these fields; the caller's role was
        # checked above.
        reviews = self.sudo()
        reviews.write({"performance_suspended": False, "date_performance_restart": date_restart})
        reviews.employee_id.write({"performance_capability": False})
        self.env["hr.performance.deadline"]._resync_due_dates(reviews)
        self.env["hr.performance.deadline"]._schedule_workflow_todos(reviews)
        for review in self:
            body = self.env._(
                "Performance management restarted on %(date)s.",
                date=format_date(self.env, date_restart),
            )
            if note:
                body = f"{body} {note}"
            review.message_post(body=Markup("<p>%s</p>") % body, subtype_xmlid="mail.mt_note")
        return True
