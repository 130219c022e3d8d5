from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    performance_portal_invitation_template_id = fields.Many2one(
        "mail.template",
        string="Portal Invitation E-mail",
        domain="[('model', '=', 'hr.performance.portal.invitation')]",
        help="The school's own e-mail inviting staff to the performance portal; the "
        "installed one when empty.",
    )
