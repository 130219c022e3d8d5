import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import consteq, hmac

# Letters without look-alikes (no 0/O, 1/I/L), typed from a printed letter.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
HMAC_SCOPE = "hr_school_performance.portal_invitation"
VALID_DAYS = 30


def normalise_code(code):
    """The code as typed (any case, spaces or dashes) in its canonical form."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


class HrPerformancePortalInvitation(models.Model):
    """A one-time invitation for a member of staff to take part in performance management
    through the portal: it carries a sign-up code, kept only as a keyed hash, that works
    once and until it expires. The plain code exists only in the e-mail or the printed
    letter made when the invitation is created."""

    _name = "hr.performance.portal.invitation"
    _description = "Performance Portal Invitation"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    employee_id = fields.Many2one(
        "hr.employee",
        string="Member of Staff",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    user_id = fields.Many2one("res.users", string="Portal User", required=True, ondelete="cascade")
    login = fields.Char(related="user_id.login", string="Login")
    company_id = fields.Many2one("res.company", string="School", required=True, index=True)
    code_hash = fields.Char(required=True, index=True, copy=False, groups="base.group_system")
    date_expiry = fields.Datetime(string="Valid Until", required=True)
    date_used = fields.Datetime(string="Used On", readonly=True, copy=False)
    channel = fields.Selection(
        [("email", "E-mail"), ("letter", "Printed letter")], required=True, default="email"
    )
    state = fields.Selection(
        [("open", "Waiting"), ("used", "Used"), ("expired", "Expired or withdrawn")],
        compute="_compute_state",
    )

    @api.depends("date_used", "date_expiry")
    def _compute_state(self):
        now = fields.Datetime.now()
        for invitation in self:
            if invitation.date_used:
                invitation.state = "used"
            elif invitation.date_expiry <= now:
                invitation.state = "expired"
            else:
                invitation.state = "open"

    @api.model
    def _hash_code(self, code):
        # sudo: the database secret keys the hash.
        return hmac(self.env(su=True), HMAC_SCOPE, normalise_code(code))

    @api.model
    def _new_code(self):
        return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))

    @api.model
    def _format_code(self, code):
        return f"{code[:5]}-{code[5:]}"

    @api.model
    def _create_for(self, employees, channel):
        """New invitations for ``employees`` (who have their portal user); withdraws their
        earlier open ones. Returns ``(invitations, {invitation id: plain code})``: the codes
        are never stored."""
        now = fields.Datetime.now()
        # sudo: the code hashes are the system's alone; the caller (HR, checked by the
        # invite action) creates and withdraws invitations only through this method.
        Invitation = self.sudo()
        previous = Invitation.search(
            [
                ("employee_id", "in", employees.ids),
                ("date_used", "=", False),
                ("date_expiry", ">", now),
            ]
        )
        previous.date_expiry = now
        codes = {employee: self._new_code() for employee in employees}
        invitations = Invitation.create(
            [
                {
                    "employee_id": employee.id,
                    "user_id": employee.user_id.id,
                    "company_id": employee.company_id.id,
                    "code_hash": self._hash_code(code),
                    "date_expiry": now + timedelta(days=VALID_DAYS),
                    "channel": channel,
                }
                for employee, code in codes.items()
            ]
        )
        return invitations.sudo(False), {
            invitation.id: self._format_code(codes[invitation.employee_id])
            for invitation in invitations
        }

    @api.model
    def _find_by_code(self, code):
        """The open invitation ``code`` opens, or an empty recordset. Called as superuser
        by the public sign-up page."""
        code = normalise_code(code)
        if len(code) != CODE_LENGTH:
            return self.browse()
        digest = self._hash_code(code)
        invitation = self.search([("code_hash", "=", digest)], limit=1)
        if not invitation or not consteq(invitation.code_hash, digest):
            return self.browse()
        return invitation

    def _redeem(self, code, password):
        """Set the portal user's password from a valid invitation code, once. Raises a
        ``UserError`` for a wrong, used or expired code, changing nothing."""
        invitation = self._find_by_code(code)
        if not invitation or invitation.state != "open":
            raise UserError(
                self.env._(
                    "This sign-up code is not valid: it may be mistyped, already used or "
                    "expired. Ask HR or your reviewer for a new invitation."
                )
            )
        if len(password or "") < 8:
            raise UserError(self.env._("Choose a password of at least 8 characters."))
        # Lock the invitation: two submissions of the same code cannot both succeed.
        self.env.cr.execute(
            "SELECT date_used FROM hr_performance_portal_invitation WHERE id = %s FOR UPDATE",
            [invitation.id],
        )
        if self.env.cr.fetchone()[0]:
            raise UserError(self.env._("This sign-up code has already been used."))
        invitation.user_id.write({"password": password, "active": True})
        invitation.date_used = fields.Datetime.now()
        return invitation

    @api.model
    def _check_can_invite(self):
        if (
            not self.env.user.has_group(
                "hr_school_performance.hr_school_performance_group_hr_officer"
            )
            and not self.env.su
        ):
            raise AccessError(self.env._("Only HR invite staff to the performance portal."))

    def _send_invitation_email(self, code):
        """Send the school's invitation e-mail (its own template, or the default one) with
        the plain code; the mail is deleted once sent, so the code is not kept."""
        self.ensure_one()
        template = self.company_id.performance_portal_invitation_template_id or self.env.ref(
            "hr_school_performance.mail_template_performance_portal_invitation"
        )
        template.with_context(invitation_code=code).send_mail(
            self.id, email_layout_xmlid="mail.mail_notification_light"
        )

    def _signup_url(self, code=None):
        self.ensure_one()
        base = self.company_id.get_base_url()
        return f"{base}/performance/join" + (f"?code={code}" if code else "")
