import ast

from odoo import api, fields, models
from odoo.exceptions import UserError


class HrPerformancePolicyPresetApplication(models.Model):
    """A preset applied to a school, a trust or a job group: what it changed (old and new
    value of each setting), so that it can be undone."""

    _name = "hr.performance.policy.preset.application"
    _description = "Policy Preset Applied"
    _order = "create_date desc, id desc"

    name = fields.Char(compute="_compute_name")
    preset_id = fields.Many2one(
        "hr.performance.policy.preset", required=True, ondelete="restrict", readonly=True
    )
    company_id = fields.Many2one("res.company", string="School or Trust", readonly=True)
    job_group_id = fields.Many2one("hr.performance.job.group", ondelete="set null", readonly=True)
    state = fields.Selection(
        [("applied", "Applied"), ("undone", "Undone")], default="applied", readonly=True
    )
    change_ids = fields.One2many(
        "hr.performance.policy.preset.change", "application_id", string="Changes", readonly=True
    )
    kept_cycle_note = fields.Text(
        string="Running Cycles",
        readonly=True,
        help="The open cycles whose dates were kept as they were.",
    )

    undo_running_cycles = fields.Html(
        compute="_compute_undo_running_cycles",
        sanitize=False,
        help="The open cycles that depend on settings the undo would restore.",
    )
    has_undo_running_cycles = fields.Boolean(compute="_compute_undo_running_cycles")

    @api.depends("state", "change_ids")
    def _compute_undo_running_cycles(self):
        Apply = self.env["hr.performance.policy.preset.apply"]
        for application in self:
            running = application._undo_running_cycles() if application.state == "applied" else {}
            application.has_undo_running_cycles = bool(running)
            application.undo_running_cycles = Apply._render_running(running)

    def _restores(self):
        """What undoing restores: each changed setting's record, field and old value (and the
        change, for its label)."""
        self.ensure_one()
        return [
            {
                "record": change._record(),
                "field": change.field_name,
                "old": change._old(),
                "line": change,
            }
            for change in self.change_ids
            if change._record()
        ]

    def _undo_running_cycles(self):
        """The open cycles that depend on the settings undoing would restore, as applying
        lists them (``hr.performance.policy.preset._running_cycles``)."""
        self.ensure_one()
        return self.preset_id._running_cycles(self._restores())

    @api.depends("preset_id", "company_id", "job_group_id", "create_date")
    def _compute_name(self):
        for application in self:
            target = application.job_group_id or application.company_id
            application.name = self.env._(
                "%(preset)s on %(target)s",
                preset=application.preset_id.name or "",
                target=target.display_name or "",
            )

    def _job_groups(self):
        """The job groups the application changed (directly or through their rules)."""
        groups = self.env["hr.performance.job.group"]
        for change in self.change_ids:
            record = change._record()
            if record._name == "hr.performance.job.group":
                groups |= record
            elif record._name == "hr.performance.deadline.rule":
                groups |= record.job_group_id
        return groups | self.job_group_id

    @api.model
    def _record_changes(self, preset, company, job_group, changes, kept_note):
        """Record ``changes`` (see hr.performance.policy.preset._planned_changes) once they
        are written."""
        return self.create(
            {
                "preset_id": preset.id,
                "company_id": (company or job_group.company_id).id,
                "job_group_id": job_group.id if job_group else False,
                "kept_cycle_note": kept_note or False,
                "change_ids": [
                    fields.Command.create(
                        {
                            "res_model": change["record"]._name,
                            "res_id": change["record"].id,
                            "record_name": change["record"].display_name,
                            "field_name": change["field"],
                            "old_value": repr(change["old"]),
                            "new_value": repr(change["new"]),
                            "section": change["line"].section,
                        }
                    )
                    for change in changes
                ],
            }
        )

    def action_undo(self, confirm_running=False):
        """Restore every setting the application changed, as it was before. Refused, saying
        which, when a setting was changed again since (adjust it by hand instead), and, as
        applying is, when running cycles depend on a setting it restores, unless
        ``confirm_running`` (the form's "Undo for the Running Cycles Too")."""
        for application in self:
            if application.state != "applied":
                raise UserError(self.env._("This preset has already been undone."))
            later = self.search(
                [
                    ("id", ">", application.id),
                    ("state", "=", "applied"),
                    ("change_ids.res_id", "in", application.change_ids.mapped("res_id")),
                ]
            ).filtered(lambda a, app=application: a.change_ids._overlaps(app.change_ids))
            if later:
                raise UserError(
                    self.env._(
                        "Undo “%(later)s” first: it changed the same settings afterwards.",
                        later=later[0].name,
                    )
                )
            changed = application.change_ids.filtered(lambda c: not c._still_as_applied())
            if changed:
                raise UserError(
                    self.env._(
                        "These settings were changed again since the preset was applied: "
                        "%(settings)s. Adjust them by hand.",
                        settings=", ".join(changed.mapped("display_name")),
                    )
                )
            running = application._undo_running_cycles()
            if running and not confirm_running:
                raise UserError(
                    self.env._(
                        "Running cycles depend on these settings: %(cycles)s. Their dates are "
                        "kept, but their reviews would follow the restored settings "
                        "(deadlines re-timed, moderation, appeals, access and disposal): use "
                        "“Undo for the Running Cycles Too” to go ahead.",
                        cycles=", ".join(cycle.display_name for cycle in running),
                    )
                )
            groups = application._job_groups()
            restore = application._restores()
            with self.env["hr.performance.policy.preset.apply"]._keeping_cycle_dates(groups):
                application.preset_id._write_changes(restore, values="old")
            # The preset the groups had adopted before.
            previous = self.search(
                [
                    ("id", "<", application.id),
                    ("state", "=", "applied"),
                    ("company_id", "=", application.company_id.id),
                ],
                limit=1,
            )
            groups.write({"policy_preset_id": previous.preset_id.id})
            application.state = "undone"
        return True

    def action_undo_confirm_running(self):
        """Undo, knowing that running cycles depend on the settings it restores."""
        return self.action_undo(confirm_running=True)


class HrPerformancePolicyPresetChange(models.Model):
    """One setting a preset application changed."""

    _name = "hr.performance.policy.preset.change"
    _description = "Policy Preset Change"
    _order = "application_id, id"

    application_id = fields.Many2one(
        "hr.performance.policy.preset.application",
        required=True,
        ondelete="cascade",
        index=True,
    )
    res_model = fields.Char(required=True)
    res_id = fields.Integer(required=True)
    record_name = fields.Char(string="Where")
    field_name = fields.Char(string="Setting", required=True)
    field_label = fields.Char(compute="_compute_display_name")
    old_value = fields.Char(string="Before")
    new_value = fields.Char(string="After")
    section = fields.Char(string="Policy Section")

    @api.depends("res_model", "field_name", "record_name")
    def _compute_display_name(self):
        for change in self:
            field = self.env[change.res_model]._fields.get(change.field_name)
            change.field_label = field._description_string(self.env) if field else ""
            change.display_name = f"{change.record_name}: {change.field_label}"

    def _record(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id).exists()

    def _old(self):
        return ast.literal_eval(self.old_value)

    def _still_as_applied(self):
        record = self._record()
        if not record:
            return True
        value = record[self.field_name]
        if isinstance(value, models.BaseModel):
            value = value.id
        return value == ast.literal_eval(self.new_value)

    def _overlaps(self, others):
        keys = {(c.res_model, c.res_id, c.field_name) for c in others}
        return any((c.res_model, c.res_id, c.field_name) in keys for c in self)
