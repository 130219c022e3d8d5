from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

PURPOSES = [
    ("line_management", "Line management"),
    ("appeal", "Hearing an appeal"),
    ("headteacher_review", "Headteacher's review (governors)"),
    ("moderation", "Moderation / quality assurance"),
    ("capability", "Support or capability procedure"),
    ("other", "Other"),
]


class HrPerformanceAccessGrant(models.Model):
    """Read access to one review given to one person beyond the reviewer, the headteacher and
    HR, for a stated purpose and period: a line manager who needs the statement to manage,
    someone hearing an appeal, the governors reviewing the headteacher. Grants are never
    deleted: revoking one keeps the record of who could read the review, why and when,
    which the reviewee sees on their review."""

    _name = "hr.performance.access.grant"
    _description = "Performance Review Access Grant"
    _order = "date_from desc, id desc"
    _check_company_auto = True

    review_id = fields.Many2one(
        "hr.performance.review",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    employee_id = fields.Many2one(related="review_id.employee_id", store=True, string="Reviewee")
    employee_user_id = fields.Many2one(related="review_id.employee_user_id", store=True, index=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Granted To",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('share', '=', False)]",
    )
    purpose = fields.Selection(PURPOSES, required=True)
    note = fields.Text(
        string="Reason", help="Why this person needs to read the review; shown to the reviewee."
    )
    date_from = fields.Date(string="From", required=True, default=fields.Date.context_today)
    date_to = fields.Date(
        string="Until", help="Last day of access. Leave empty for access until revoked."
    )
    granted_by_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    date_revoked = fields.Datetime(string="Revoked On", readonly=True, copy=False)
    revoked_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    state = fields.Selection(
        [
            ("scheduled", "Scheduled"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("revoked", "Revoked"),
        ],
        compute="_compute_state",
    )

    @api.depends("date_from", "date_to", "date_revoked")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for grant in self:
            if grant.date_revoked:
                grant.state = "revoked"
            elif grant.date_from and grant.date_from > today:
                grant.state = "scheduled"
            elif grant.date_to and grant.date_to < today:
                grant.state = "expired"
            else:
                grant.state = "active"

    @api.depends("user_id", "purpose")
    def _compute_display_name(self):
        labels = dict(self._fields["purpose"]._description_selection(self.env))
        for grant in self:
            grant.display_name = self.env._(
                "%(user)s: %(purpose)s",
                user=grant.user_id.name or "",
                purpose=labels.get(grant.purpose, ""),
            )

    @api.constrains("user_id", "granted_by_id", "review_id")
    def _check_grantee(self):
        for grant in self:
            if grant.user_id == grant.granted_by_id:
                raise ValidationError(
                    self.env._(
                        "You cannot grant yourself access to %(review)s: ask another headteacher "
                        "or HR officer.",
                        review=grant.review_id.display_name,
                    )
                )
            if grant.user_id == grant.review_id.employee_user_id:
                raise ValidationError(
                    self.env._(
                        "%(user)s is the reviewee of %(review)s and already reads it.",
                        user=grant.user_id.name,
                        review=grant.review_id.display_name,
                    )
                )
            if grant.user_id.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not an internal user: reviews are never opened to portal "
                        "or external users.",
                        user=grant.user_id.name,
                    )
                )
            if grant.review_id.company_id not in grant.user_id.sudo().company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not allowed in %(school)s, so they could not open the "
                        "review anyway: give them access to the school first.",
                        user=grant.user_id.name,
                        school=grant.review_id.company_id.name,
                    )
                )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for grant in self:
            if grant.date_to and grant.date_to < grant.date_from:
                raise ValidationError(
                    self.env._(
                        "An access grant must end on or after the day it starts (%(start)s).",
                        start=grant.date_from,
                    )
                )

    @api.constrains("purpose", "note")
    def _check_note(self):
        for grant in self:
            if grant.purpose == "other" and not (grant.note or "").strip():
                raise ValidationError(
                    self.env._("Explain why %(user)s needs access.", user=grant.user_id.name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_can_grant()
        for vals in vals_list:
            if vals.get("user_id") == self.env.uid:
                raise ValidationError(
                    self.env._(
                        "You cannot grant yourself access to a review: ask another headteacher "
                        "or HR officer."
                    )
                )
            # The granter is whoever grants, never a value sent by the client.
            vals["granted_by_id"] = self.env.uid
            vals.pop("date_revoked", None)
            vals.pop("revoked_by_id", None)
        grants = super().create(vals_list)
        # Granting needs the right to read the review: another school's reviews are out of reach.
        grants.review_id.check_access("read")
        if not self.env.su and self.env.user in grants.review_id.employee_user_id:
            raise AccessError(
                self.env._(
                    "You cannot decide who reads your own review: ask another headteacher or HR "
                    "officer."
                )
            )
        grants._post_on_review("granted")
        return grants

    def write(self, vals):
        if not self.env.su:
            self._check_can_grant()
            refused = set(vals) - {"date_to", "note"}
            if refused:
                raise UserError(
                    self.env._(
                        "Only the end date and the reason of an access grant can change; revoke "
                        "it and grant again instead."
                    )
                )
            if self.filtered("date_revoked"):
                raise UserError(self.env._("A revoked access grant cannot change."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Access grants are kept as the record of who could read the review: revoke the "
                "grant instead of deleting it."
            )
        )

    def _check_can_grant(self):
        if self.env.su:
            return
        if not self.env.user.has_group(
            "hr_school_performance.hr_school_performance_group_headteacher"
        ):
            raise AccessError(
                self.env._("Only the headteacher or HR can grant access to a review.")
            )

    def action_revoke(self):
        self._check_can_grant()
        self.check_access("write")
        if self.filtered("date_revoked"):
            raise UserError(self.env._("This access grant is already revoked."))
        # sudo: the revocation stamp is set here only, with the acting user and the time;
        # the caller's right to revoke was checked above.
        self.sudo().write({"date_revoked": fields.Datetime.now(), "revoked_by_id": self.env.uid})
        self._post_on_review("revoked")
        self.review_id._unsubscribe_followers_without_access()
        return True

    def _post_on_review(self, event):
        """Tell the reviewee, on their review, who was given or lost access and why."""
        labels = dict(self._fields["purpose"]._description_selection(self.env))
        for grant in self:
            review = grant.review_id
            if event == "revoked":
                body = self.env._(
                    "%(user)s's access to this review (%(purpose)s) was revoked.",
                    user=grant.user_id.name,
                    purpose=labels[grant.purpose],
                )
            elif grant.date_to:
                body = self.env._(
                    "%(user)s was granted access to this review (%(purpose)s) from %(start)s "
                    "to %(end)s.",
                    user=grant.user_id.name,
                    purpose=labels[grant.purpose],
                    start=format_date(self.env, grant.date_from, date_format="d MMMM y"),
                    end=format_date(self.env, grant.date_to, date_format="d MMMM y"),
                )
            else:
                body = self.env._(
                    "%(user)s was granted access to this review (%(purpose)s) from %(start)s "
                    "until revoked.",
                    user=grant.user_id.name,
                    purpose=labels[grant.purpose],
                    start=format_date(self.env, grant.date_from, date_format="d MMMM y"),
                )
            body = Markup("<p>%s</p>") % body
            if grant.note and event == "granted":
                body += Markup("<p>%s</p>") % grant.note
            review.message_post(
                body=body,
                subtype_xmlid="mail.mt_note",
                partner_ids=review.employee_user_id.partner_id.ids,
            )
