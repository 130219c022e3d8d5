import re

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Command


class HrEmployee(models.Model):
    """Inviting staff without a back-office login to the performance portal."""

    _inherit = "hr.employee"

    performance_invitation_ids = fields.One2many(
        "hr.performance.portal.invitation",
        "employee_id",
        string="Portal Invitations",
        groups="hr_school_performance.hr_school_performance_group_hr_officer",
    )

    def action_performance_portal_invite(self):
        """Give each selected member of staff a portal user linked to their employee record
        and invite them: by the school's invitation e-mail when they have a work e-mail,
        otherwise by a printed letter with a one-time sign-up code (returned as the PDF to
        print). Staff who already use the back office are refused, by name."""
        Invitation = self.env["hr.performance.portal.invitation"]
        Invitation._check_can_invite()
        self.check_access("write")
        internal = self.filtered(lambda e: e.user_id and not e.user_id.share)
        if internal:
            raise UserError(
                self.env._(
                    "%(names)s already sign in to the back office: they take part in their "
                    "reviews there, not through the portal.",
                    names=", ".join(internal.mapped("name")),
                )
            )
        for employee in self.filtered(lambda e: not e.user_id):
            employee.user_id = employee._performance_create_portal_user()
        by_email = self.filtered("work_email")
        letters = self - by_email
        invitations = Invitation.browse()
        if by_email:
            sent, codes = Invitation._create_for(by_email, "email")
            for invitation in sent:
                invitation._send_invitation_email(codes[invitation.id])
            invitations |= sent
        if letters:
            printed, codes = Invitation._create_for(letters, "letter")
            return self.env.ref(
                "hr_school_performance.hr_performance_portal_invitation_report_letter"
            ).report_action(printed, data={"codes": {str(k): v for k, v in codes.items()}})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Invitation e-mails sent to %(names)s.",
                    names=", ".join(invitations.employee_id.mapped("name")),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _performance_create_portal_user(self):
        """A portal user for this member of staff, in their school."""
        self.ensure_one()
        # sudo: creating a user needs the user administrator's rights; HR may only create a
        # portal user (no back-office access) for staff whose record they may write.
        Users = self.env["res.users"].sudo().with_context(active_test=False)
        login = (self.work_email or "").strip().lower()
        if not login or Users.search_count([("login", "=", login)]):
            base = re.sub(r"[^a-z0-9]+", ".", (self.name or "staff").lower()).strip(".")
            login = f"{base or 'staff'}.{self.id}"
        return Users.with_context(no_reset_password=True).create(
            {
                "name": self.name,
                "login": login,
                "email": self.work_email or False,
                "group_ids": [Command.set([self.env.ref("base.group_portal").id])],
                "company_id": self.company_id.id,
                "company_ids": [Command.set(self.company_id.ids)],
            }
        )
