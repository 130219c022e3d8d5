import ast

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

# The models a preset line may set, and what it is set on when the preset is applied.
TARGET_MODELS = [
    ("res.company", "School or trust"),
    ("hr.performance.job.group", "Job group"),
    ("hr.performance.deadline.rule", "Deadline rule of a job group"),
]
# Settings a running cycle depends on: changing them re-times its reviews' deadlines, or
# changes at once what its reviews are held to (which statements are moderated, where and
# until when an appeal may go, when a reviewer's access ends, when its records are disposed
# of). Applying a preset that changes one lists the running cycles and asks to go ahead.
RUNNING_CYCLE_FIELDS = {
    "res.company": {"performance_retention_years", "performance_reviewer_access_months"},
    "hr.performance.job.group": {
        "cycle_start_month",
        "cycle_start_day",
        "cycle_length_months",
        "midyear_offset_months",
        "process",
        "pay_progression",
        "pay_decision_month",
        "pay_decision_day",
        "moderation",
        "appeal_route",
        "appeal_window_days",
    },
    "hr.performance.deadline.rule": {"days", "day_kind", "direction", "event"},
}


class HrPerformancePolicyPreset(models.Model):
    """A performance-management policy as data: one setting line per field of the school,
    the job group or one of its deadline rules, each citing the section of the policy it
    comes from. Applying a preset (hr.performance.policy.preset.apply) previews, records and
    can undo what it changes. A new setting of the addon joins a preset as one more line."""

    _name = "hr.performance.policy.preset"
    _description = "Policy Preset"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    source = fields.Char(
        string="Policy", required=True, help="The policy document the preset reproduces."
    )
    description = fields.Text(translate=True)
    line_ids = fields.One2many(
        "hr.performance.policy.preset.line", "preset_id", string="Settings", copy=True
    )

    def _planned_changes(self, company=None, job_groups=None):
        """What applying the preset would change: a list of dicts ``record``, ``field``,
        ``old`` and ``new`` (values as the ORM writes them), ``line``. Applied to a school
        or trust (``company``): the settings of the company and of the schools under it
        (a trust's schools each hold their own: retention, reviewer access), and those of
        the company's job groups; applied to ``job_groups``: theirs only."""
        self.ensure_one()
        if company is not None and job_groups is None:
            job_groups = self.env["hr.performance.job.group"].search(
                [("company_id", "=", company.id)]
            )
        job_groups = job_groups or self.env["hr.performance.job.group"]
        changes = []
        for line in self.line_ids:
            if line.target_model == "res.company":
                targets = (
                    self.env["res.company"].search([("id", "child_of", company.id)])
                    if company
                    else self.env["res.company"]
                )
            elif line.target_model == "hr.performance.job.group":
                targets = job_groups
            else:
                targets = job_groups.deadline_rule_ids.filtered(
                    lambda rule, code=line.rule_code: rule.code == code
                )
            new = line._parsed_value()
            for record in targets:
                old = line._current_value(record)
                if old != new:
                    changes.append(
                        {
                            "record": record,
                            "field": line.field_name,
                            "old": old,
                            "new": new,
                            "line": line,
                        }
                    )
        return changes

    @api.model
    def _running_cycles(self, changes):
        """The open cycles that depend on the settings ``changes`` would change (see
        ``RUNNING_CYCLE_FIELDS``), with those changes."""
        result = {}
        Cycle = self.env["hr.performance.cycle"]
        for change in changes:
            record = change["record"]
            if change["field"] not in RUNNING_CYCLE_FIELDS.get(record._name, ()):
                continue
            if record._name == "res.company":
                cycles = Cycle.search([("company_id", "=", record.id), ("state", "=", "open")])
            else:
                group = (
                    record if record._name == "hr.performance.job.group" else record.job_group_id
                )
                cycles = group.cycle_ids.filtered(lambda c: c.state == "open")
            for cycle in cycles:
                result.setdefault(cycle, []).append(change)
        return result

    @api.model
    def _write_changes(self, changes, values="new"):
        """Write ``changes`` (``values``: their ``new`` or ``old`` values), all the settings of
        one record at once, so that its constraints (a minimum below its maximum) judge the
        settings together. Refused, naming the record, where the user may not change it
        (a school's own settings need the right to edit the company)."""
        by_record = {}
        for change in changes:
            by_record.setdefault(change["record"], {})[change["field"]] = change[values]
        for record, vals in by_record.items():
            try:
                record.check_access("write")
            except AccessError as error:
                raise AccessError(
                    self.env._(
                        "You may not change the settings of %(record)s (%(settings)s): ask "
                        "an administrator to apply the preset, or apply it to a job group.",
                        record=record.display_name,
                        settings=", ".join(
                            record._fields[fname]._description_string(self.env) for fname in vals
                        ),
                    )
                ) from error
        for record, vals in by_record.items():
            record.write(vals)


class HrPerformancePolicyPresetLine(models.Model):
    """One setting of a preset: a field of a target model and its value, with the section
    of the policy it comes from."""

    _name = "hr.performance.policy.preset.line"
    _description = "Policy Preset Setting"
    _order = "preset_id, sequence, id"

    preset_id = fields.Many2one(
        "hr.performance.policy.preset", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    target_model = fields.Selection(TARGET_MODELS, string="Applies To", required=True)
    rule_code = fields.Char(
        help="For a deadline rule: the code of the job group's rule the line sets."
    )
    field_name = fields.Char(string="Setting", required=True, help="Technical field name.")
    field_label = fields.Char(compute="_compute_field_label", string="Setting Name")
    value = fields.Char(
        required=True,
        help="A Python literal (5, 'working', True), or ref:module.xml_id for a record.",
    )
    section = fields.Char(string="Policy Section", required=True, help="Where the policy says so.")

    @api.depends("target_model", "field_name")
    def _compute_field_label(self):
        for line in self:
            field = line.target_model and self.env[line.target_model]._fields.get(
                line.field_name or ""
            )
            line.field_label = field._description_string(self.env) if field else line.field_name

    @api.constrains("target_model", "field_name", "value", "rule_code")
    def _check_setting(self):
        for line in self:
            field = self.env[line.target_model]._fields.get(line.field_name)
            if not field or not field.store or field.type in ("one2many", "many2many"):
                raise ValidationError(
                    self.env._(
                        "“%(field)s” is not a setting of %(model)s a preset can set.",
                        field=line.field_name,
                        model=line.target_model,
                    )
                )
            if line.target_model == "hr.performance.deadline.rule" and not line.rule_code:
                raise ValidationError(
                    self.env._("A deadline setting names the rule it sets (its code).")
                )
            line._parsed_value()

    def _parsed_value(self):
        """The line's value as the ORM writes it."""
        self.ensure_one()
        field = self.env[self.target_model]._fields[self.field_name]
        text = (self.value or "").strip()
        try:
            if text.startswith("ref:"):
                return self.env.ref(text[4:]).id
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError) as error:
            raise ValidationError(
                self.env._(
                    "The value “%(value)s” of “%(field)s” cannot be read.",
                    value=self.value,
                    field=self.field_name,
                )
            ) from error
        if field.type == "selection" and not isinstance(value, str):
            value = str(value)
        return value

    def _current_value(self, record):
        value = record[self.field_name]
        if isinstance(value, models.BaseModel):
            return value.id
        return value


class HrPerformanceJobGroup(models.Model):
    _inherit = "hr.performance.job.group"

    policy_preset_id = fields.Many2one(
        "hr.performance.policy.preset",
        string="Adopted Policy Preset",
        tracking=True,
        help="The preset last applied to the group; “Differences from Preset” shows where "
        "the group's settings now depart from it.",
    )

    def action_open_preset_differences(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.performance.policy.preset.apply",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_preset_id": self.policy_preset_id.id,
                "default_job_group_id": self.id,
            },
        }
