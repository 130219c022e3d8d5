from odoo import api, fields, models


class HrPerformanceSignatureSign(models.TransientModel):
    """Sign a statement: the signer's own part in the back office, or the reviewee's part
    on the reviewer's device in the meeting after the reviewee typed their own login and
    password. Thin: the statement's signature writer checks and records."""

    _name = "hr.performance.signature.sign"
    _description = "Sign a Performance Statement"

    statement_id = fields.Many2one("hr.performance.statement", required=True)
    route = fields.Selection(
        [("backoffice", "I sign my own part"), ("meeting", "The reviewee signs here, now")],
        required=True,
        default="backoffice",
    )
    signed_name = fields.Char(
        string="Full Name", required=True, default=lambda s: s._default_name()
    )
    signature = fields.Binary(required=True)
    login = fields.Char(string="Reviewee's Login")
    password = fields.Char(string="Reviewee's Password")

    @api.model
    def _default_name(self):
        return self.env.user.name

    @api.model_create_multi
    def create(self, vals_list):
        # Only a reader of the statement opens its signing form.
        statements = self.env["hr.performance.statement"].browse(
            {vals.get("statement_id") for vals in vals_list if vals.get("statement_id")}
        )
        statements.check_access("read")
        return super().create(vals_list)

    def action_confirm(self):
        self.ensure_one()
        statement = self.statement_id
        if self.route == "meeting":
            statement.action_sign_in_meeting(
                self.login, self.password, self.signed_name, self.signature
            )
        else:
            statement.action_sign(self.signed_name, self.signature)
        # The password is not kept, even in a transient record.
        self.password = False
        return {"type": "ir.actions.act_window_close"}
