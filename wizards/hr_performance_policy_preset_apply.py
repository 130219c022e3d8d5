from contextlib import contextmanager

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class HrPerformancePolicyPresetApply(models.TransientModel):
    """Preview a policy preset against a school, trust or job group (the differences, and
    the running cycles that depend on them), then apply it. Opened from a job group with its
    adopted preset, it is the one screen of differences from that preset."""

    _name = "hr.performance.policy.preset.apply"
    _description = "Apply Policy Preset"

    preset_id = fields.Many2one("hr.performance.policy.preset", required=True)
    company_id = fields.Many2one(
        "res.company", string="School or Trust", help="Its job groups take the preset."
    )
    job_group_id = fields.Many2one("hr.performance.job.group")
    preview = fields.Html(compute="_compute_preview", sanitize=False, string="What Will Change")
    change_count = fields.Integer(compute="_compute_preview")
    running_cycles = fields.Html(compute="_compute_preview", sanitize=False)
    has_running_cycles = fields.Boolean(compute="_compute_preview")
    confirm_running = fields.Boolean(
        string="Apply to the reviews of the running cycles",
        help="The new settings apply to the reviews of the running cycles listed (deadlines, "
        "moderation, appeals, reviewer access, disposal dates). Their cycle dates (start, "
        "end, mid-year) are kept whatever the preset says.",
    )

    def _targets(self):
        self.ensure_one()
        if self.job_group_id:
            return None, self.job_group_id
        return self.company_id, None

    def _changes(self):
        company, groups = self._targets()
        return self.preset_id._planned_changes(company=company, job_groups=groups)

    @api.depends("preset_id", "company_id", "job_group_id")
    def _compute_preview(self):
        for wizard in self:
            if not wizard.preset_id or not (wizard.company_id or wizard.job_group_id):
                wizard.preview = wizard.running_cycles = False
                wizard.change_count = 0
                wizard.has_running_cycles = False
                continue
            changes = wizard._changes()
            wizard.change_count = len(changes)
            wizard.preview = wizard._render_changes(changes)
            running = wizard.preset_id._running_cycles(changes)
            wizard.has_running_cycles = bool(running)
            wizard.running_cycles = wizard._render_running(running)

    def _format(self, record, fname, value):
        field = record._fields[fname]
        if field.type == "many2one":
            return self.env[field.comodel_name].browse(value).display_name if value else "—"
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value)
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        return "—" if value is False else str(value)

    def _render_changes(self, changes):
        if not changes:
            return Markup("<p>%s</p>") % self.env._(
                "No difference: the settings already follow the preset."
            )
        rows = Markup().join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
            % (
                change["record"].display_name,
                change["line"].field_label,
                self._format(change["record"], change["field"], change["old"]),
                self._format(change["record"], change["field"], change["new"]),
                change["line"].section,
            )
            for change in changes
        )
        head = Markup("<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>") % (
            self.env._("Where"),
            self.env._("Setting"),
            self.env._("Now"),
            self.env._("Preset"),
            self.env._("Policy section"),
        )
        return Markup(
            '<table class="table table-sm o_hsp_preset_preview">'
            "<thead>%s</thead><tbody>%s</tbody></table>"
        ) % (head, rows)

    def _render_running(self, running):
        if not running:
            return False
        items = Markup().join(
            Markup("<li>%s: %s</li>")
            % (
                cycle.display_name,
                ", ".join(sorted({change["line"].field_label for change in changes})),
            )
            for cycle, changes in running.items()
        )
        return Markup("<ul>%s</ul>") % items

    @api.model
    @contextmanager
    def _keeping_cycle_dates(self, job_groups):
        """Within the block, changing a job group's cycle template leaves the dates of its
        running cycles as they are (start and end never change once launched; the mid-year
        date, computed from the template, is put back): the new timing applies from the
        next cycle."""
        cycles = job_groups.cycle_ids.filtered(lambda c: c.state == "open")
        midyears = {cycle: cycle.date_midyear for cycle in cycles}
        yield
        for cycle, midyear in midyears.items():
            if cycle.date_midyear != midyear:
                cycle.date_midyear = midyear

    def action_apply(self):
        """Apply the preset: write every difference, keep running cycles' dates, record
        what changed (for undo) and the preset the target adopted."""
        self.ensure_one()
        changes = self._changes()
        if not changes:
            raise UserError(
                self.env._("Nothing to change: the settings already follow the preset.")
            )
        running = self.preset_id._running_cycles(changes)
        if running and not self.confirm_running:
            raise UserError(
                self.env._(
                    "Running cycles depend on these settings: %(cycles)s. Their dates are "
                    "kept, but their reviews would follow the new settings (deadlines "
                    "re-timed, moderation, appeals, access and disposal): tick “Apply to the "
                    "reviews of the running cycles” to go ahead.",
                    cycles=", ".join(cycle.display_name for cycle in running),
                )
            )
        company, groups = self._targets()
        groups = groups or self.env["hr.performance.job.group"].search(
            [("company_id", "=", company.id)]
        )
        with self._keeping_cycle_dates(groups):
            self.preset_id._write_changes(changes)
        kept = "\n".join(cycle.display_name for cycle in running) if running else False
        application = self.env["hr.performance.policy.preset.application"]._record_changes(
            self.preset_id, company, self.job_group_id, changes, kept
        )
        groups.write({"policy_preset_id": self.preset_id.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": application._name,
            "res_id": application.id,
            "view_mode": "form",
            "target": "current",
        }
