from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class HrPerformanceObservation(models.Model):
    """The reviewee acknowledges the written record of an observation shared with them
    (and may append comments, see ``reviewee_comments``)."""

    _inherit = "hr.performance.observation"

    date_acknowledged = fields.Date(
        string="Record Acknowledged",
        tracking=True,
        copy=False,
        help="When the reviewee acknowledged receiving the written record.",
    )

    @api.constrains("date_acknowledged", "state")
    def _check_acknowledged_shared(self):
        for observation in self:
            if observation.date_acknowledged and observation.state != "shared":
                raise ValidationError(
                    self.env._(
                        "A written record is acknowledged once it has been shared with the "
                        "reviewee (%(observation)s).",
                        observation=observation.display_name,
                    )
                )

    @api.model
    def _get_write_rights(self):
        rights = super()._get_write_rights()
        rights["reviewee"]["date_acknowledged"] = None
        for role in ("reviewer", "observer"):
            rights[role].pop("date_acknowledged", None)
        return rights

    def action_acknowledge_record(self):
        """The reviewee acknowledges the shared written record, today."""
        roles = self._get_user_roles()
        for observation in self:
            if "reviewee" not in roles[observation.id] and not self.env.su:
                raise AccessError(
                    self.env._("Only the member of staff observed acknowledges the record.")
                )
        self.write({"date_acknowledged": fields.Date.context_today(self)})
