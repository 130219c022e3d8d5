from odoo import api, fields, models

# The operating levels of a behavioural attribute, best first, as the county abbreviated
# process words them in "What do these assessment levels mean?" (Behaviours column).
BEHAVIOUR_LEVELS = [
    ("exceeds", "Exceeds expectations"),
    ("meets", "Meets the required standards"),
    ("short", "Falls short on some occasions"),
    ("unacceptable", "Unacceptable"),
]
BEHAVIOUR_RANK = {level: rank for rank, (level, _label) in enumerate(BEHAVIOUR_LEVELS)}


class HrPerformanceReviewBehaviour(models.Model):
    """The operating level a reviewee showed on one behavioural attribute in one review."""

    _name = "hr.performance.review.behaviour"
    _description = "Behavioural Attribute Assessment"
    _inherit = ["hr.performance.confidential.mixin", "mail.thread"]
    _order = "review_id, sequence, id"
    _check_company_auto = True

    review_id = fields.Many2one(
        "hr.performance.review", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    behaviour_id = fields.Many2one(
        "hr.performance.behaviour", string="Attribute", required=True, ondelete="restrict"
    )
    sequence = fields.Integer(related="behaviour_id.sequence", store=True)
    description = fields.Text(related="behaviour_id.description")
    level = fields.Selection(BEHAVIOUR_LEVELS, string="Operating Level", tracking=True)
    notes = fields.Text(string="Evidence and Comments")

    _unique_behaviour = models.UniqueIndex(
        "(review_id, behaviour_id)", "An attribute is assessed once per review."
    )

    def _get_performance_review(self):
        return self.review_id

    @api.model
    def _get_write_rights(self):
        open_states = ("planning", "agreed", "in_progress", "final_review")
        assessed = {"level": open_states, "notes": open_states}
        content = dict.fromkeys(self._rights_content_fields())
        return {
            # The reviewer summarises how the attributes were shown (seed 001, "Overall
            # Assessment"); the headteacher and HR correct any line.
            "reviewer": assessed,
            "headteacher": content,
            "hr": content,
        }
