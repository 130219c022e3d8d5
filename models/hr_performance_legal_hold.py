from odoo import api, fields, models
from odoo.exceptions import UserError


class HrPerformanceLegalHold(models.Model):
    """A legal hold: while it runs, nothing it names is disposed of, whatever its retention
    period says (an open appeal, a grievance, a tribunal claim, a subject access request).
    It names reviews (and so everything written about them) and/or a member of staff (and
    so every performance record about them)."""

    _name = "hr.performance.legal.hold"
    _description = "Legal Hold on Performance Records"
    _inherit = ["mail.thread"]
    _order = "date_placed desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, tracking=True)
    reason_kind = fields.Selection(
        [
            ("appeal", "Appeal"),
            ("grievance", "Grievance"),
            ("tribunal", "Employment tribunal"),
            ("sar", "Subject access request"),
        ],
        string="Reason",
        required=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", string="School", required=True, default=lambda self: self.env.company
    )
    employee_id = fields.Many2one(
        "hr.employee",
        string="Member of Staff",
        check_company=True,
        ondelete="restrict",
        tracking=True,
        help="Every performance record about this member of staff is held.",
    )
    review_ids = fields.Many2many(
        "hr.performance.review",
        string="Reviews",
        check_company=True,
        help="These reviews and everything written about them are held.",
    )
    placed_by_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    date_placed = fields.Datetime(string="Placed On", readonly=True, default=fields.Datetime.now)
    released_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_released = fields.Datetime(string="Released On", readonly=True, copy=False)
    state = fields.Selection(
        [("active", "Running"), ("released", "Released")],
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
    )

    @api.depends("date_released")
    def _compute_state(self):
        for hold in self:
            hold.state = "released" if hold.date_released else "active"

    @api.constrains("employee_id", "review_ids")
    def _check_names_something(self):
        for hold in self:
            if not (hold.employee_id or hold.review_ids):
                raise UserError(
                    self.env._(
                        "A legal hold must name the member of staff or the reviews it holds."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # Who placed it and when are the system's, whatever the caller sent.
            vals["placed_by_id"] = self.env.uid
            vals["date_placed"] = fields.Datetime.now()
            vals.pop("released_by_id", None)
            vals.pop("date_released", None)
        holds = super().create(vals_list)
        holds._check_names_something()
        return holds

    def write(self, vals):
        if self.env.su:
            return super().write(vals)
        protected = {"placed_by_id", "date_placed", "released_by_id", "date_released"}
        if protected & set(vals):
            raise UserError(
                self.env._(
                    "Who placed and released a legal hold, and when, is recorded by the system."
                )
            )
        if any(hold.state == "released" for hold in self) and set(vals) - {"name"}:
            raise UserError(self.env._("A released legal hold cannot change."))
        # Narrowing a hold would release part of it without a record: release it and place
        # a new one instead.
        narrowing = any(
            command[0] in (2, 3, 5) for command in vals.get("review_ids") or () if command
        ) or any(
            hold.employee_id and vals.get("employee_id", hold.employee_id.id) != hold.employee_id.id
            for hold in self
        )
        replaced = [c for c in vals.get("review_ids") or () if c and c[0] == 6]
        if replaced and any(
            hold.review_ids - hold.review_ids.browse(replaced[-1][2]) for hold in self
        ):
            narrowing = True
        if narrowing:
            raise UserError(
                self.env._(
                    "A legal hold cannot be narrowed: release it and place a new one for what "
                    "must stay held."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("A legal hold is kept as a record: release it instead of deleting it.")
        )

    def action_release(self):
        """Release the holds of ``self``: what they named may be disposed of again when due."""
        self.check_access("write")
        if any(hold.state == "released" for hold in self):
            raise UserError(self.env._("This legal hold has already been released."))
        # sudo: who released and when are written by the system (refused to callers above).
        self.sudo().write({"released_by_id": self.env.uid, "date_released": fields.Datetime.now()})
        return True
