from odoo import api, models
from odoo.exceptions import ValidationError


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    # A public attachment is readable by anyone, whatever the record it belongs to: never
    # for the documents of a confidential performance record.
    @api.constrains("public", "res_model")
    def _check_performance_not_public(self):
        for attachment in self:
            model = attachment.res_model
            if (
                attachment.public
                and model
                and model in self.env
                and getattr(self.env[model], "_performance_confidential", False)
            ):
                raise ValidationError(
                    self.env._(
                        "“%(name)s” belongs to a confidential performance record and cannot be "
                        "made public.",
                        name=attachment.name,
                    )
                )
