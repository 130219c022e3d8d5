import random

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# What the headteacher moderates (seed 003, section 5: options a, b and c).
MODES = [
    ("all", "All statements"),
    ("sample", "A sample of statements"),
    ("none", "No moderation"),
]


class HrPerformanceModeration(models.Model):
    """How the headteacher moderates the signed statements of one cycle of their school
    (seed 003, section 5): all of them, a sample (a number or a percentage), or none.

    The sample is drawn reproducibly: ``random.Random(seed)`` over the cycle's reviews in a
    stable order (by id), with the seed recorded here, so anyone can draw it again and get
    the same reviews. The headteacher may add reviews to it by hand (top-up). Moderation is
    complete when it is closed: every review of the sample confirmed; the outcomes of the
    cycle are then final (``hr.performance.review.outcome_final``)."""

    _name = "hr.performance.moderation"
    _description = "Statement Moderation"
    _inherit = ["mail.thread"]
    _order = "cycle_id desc"
    _rec_name = "cycle_id"
    _check_company_auto = True

    cycle_id = fields.Many2one(
        "hr.performance.cycle",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('state', '!=', 'draft')]",
    )
    company_id = fields.Many2one(
        related="cycle_id.company_id", store=True, index=True, string="School"
    )
    job_group_id = fields.Many2one(related="cycle_id.job_group_id", store=True)
    mode = fields.Selection(
        MODES,
        required=True,
        default="all",
        tracking=True,
    )
    sample_kind = fields.Selection(
        [("number", "Number of statements"), ("percent", "Percentage of statements")],
        string="Sample Size In",
        default="number",
        tracking=True,
    )
    sample_size = fields.Integer(tracking=True)
    sample_seed = fields.Integer(
        readonly=True,
        copy=False,
        tracking=True,
        help="Recorded when the sample is drawn: drawing with the same seed over the same "
        "reviews gives the same sample.",
    )
    date_drawn = fields.Date(string="Sample Drawn On", readonly=True, copy=False)
    date_closed = fields.Date(
        string="Moderation Completed On", readonly=True, copy=False, tracking=True
    )
    review_ids = fields.One2many(
        "hr.performance.review", related="cycle_id.review_ids", string="Reviews"
    )
    to_moderate_count = fields.Integer(compute="_compute_counts")
    confirmed_count = fields.Integer(compute="_compute_counts")
    population_count = fields.Integer(compute="_compute_counts")

    _unique_cycle = models.UniqueIndex("(cycle_id)", "A cycle has one moderation.")

    def _compute_counts(self):
        for moderation in self:
            reviews = moderation._population()
            selected = reviews.filtered("moderation_selected")
            moderation.population_count = len(reviews)
            moderation.to_moderate_count = len(
                selected.filtered(lambda r: r.moderation_state != "confirmed")
            )
            moderation.confirmed_count = len(selected) - moderation.to_moderate_count

    @api.constrains("mode", "sample_kind", "sample_size")
    def _check_sample_size(self):
        for moderation in self:
            if moderation.mode != "sample":
                continue
            if moderation.sample_size <= 0 or (
                moderation.sample_kind == "percent" and moderation.sample_size > 100
            ):
                raise ValidationError(
                    self.env._(
                        "The sample of %(cycle)s must be a positive number of statements or a "
                        "percentage between 1 and 100 (got %(size)s).",
                        cycle=moderation.cycle_id.display_name,
                        size=moderation.sample_size,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_no_stamps(vals)
        moderations = super().create(vals_list)
        moderations._check_headteacher()
        moderations._population()._recompute_moderation()
        return moderations

    def write(self, vals):
        self._check_headteacher()
        self._check_no_stamps(vals)
        if {"mode", "sample_kind", "sample_size", "cycle_id"} & set(vals) and any(
            m.date_drawn or m.date_closed for m in self
        ):
            raise UserError(
                self.env._(
                    "The moderation of %(cycle)s has started: its mode and sample can no "
                    "longer change.",
                    cycle=self[:1].cycle_id.display_name,
                )
            )
        result = super().write(vals)
        self._population()._recompute_moderation()
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_draw_sample(self, seed=None):
        """Draw the sample of a "sample" moderation with a new seed (or ``seed``), and
        record it."""
        self.ensure_one()
        self._check_headteacher()
        if self.mode != "sample":
            raise UserError(self.env._("Only a moderation by sample draws a sample."))
        if self.date_drawn:
            raise UserError(
                self.env._(
                    "The sample of %(cycle)s was drawn on %(date)s with seed %(seed)s: top it "
                    "up by hand rather than drawing again.",
                    cycle=self.cycle_id.display_name,
                    date=self.date_drawn,
                    seed=self.sample_seed,
                )
            )
        population = self._population()
        size = self._sample_count(len(population))
        if size > len(population):
            raise ValidationError(
                self.env._(
                    "The sample of %(size)s statements is larger than the %(count)s reviews of "
                    "%(cycle)s.",
                    size=size,
                    count=len(population),
                    cycle=self.cycle_id.display_name,
                )
            )
        if seed is None:
            seed = random.SystemRandom().randrange(1, 2**31 - 1)
        sample = self._draw(population, size, seed)
        self._write_moderation({"sample_seed": seed, "date_drawn": fields.Date.context_today(self)})
        sample._set_moderation_sampled(True)
        self.message_post(
            body=self.env._(
                "Sample of %(size)s of %(count)s statements drawn with seed %(seed)s.",
                size=size,
                count=len(population),
                seed=seed,
            )
        )
        return True

    def action_close(self):
        """Moderation complete: every review of the sample is confirmed. The outcomes of the
        cycle become final."""
        self._check_headteacher()
        for moderation in self:
            if moderation.mode == "sample" and not moderation.date_drawn:
                raise UserError(self.env._("Draw the sample first."))
            pending = moderation._population().filtered(
                lambda r: r.moderation_selected and r.moderation_state != "confirmed"
            )
            if pending:
                raise UserError(
                    self.env._(
                        "%(count)s statements of %(cycle)s are still to be moderated "
                        "(first: %(review)s).",
                        count=len(pending),
                        cycle=moderation.cycle_id.display_name,
                        review=pending[0].display_name,
                    )
                )
        self._write_moderation({"date_closed": fields.Date.context_today(self)})
        self._population()._recompute_moderation()
        return True

    def action_open_reviews(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_school_performance.hr_performance_review_moderation_action"
        )
        action["domain"] = [("cycle_id", "=", self.cycle_id.id), ("moderation_selected", "=", True)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _population(self):
        """The reviews of the cycles that moderation can cover (not cancelled, not a
        headteacher's own review, which the governors' panel conducts), in a stable
        order."""
        # sudo: the reviews are counted and drawn; the headteacher reads them anyway.
        return (
            self.env["hr.performance.review"]
            .sudo()
            .search(
                [
                    ("cycle_id", "in", self.cycle_id.ids),
                    ("state", "!=", "cancelled"),
                    ("is_headteacher_review", "=", False),
                ]
            )
            .sorted("id")
            .with_env(self.env)
        )

    def _sample_count(self, population):
        self.ensure_one()
        if self.sample_kind == "percent":
            # Round up: a sample of 10 % of 5 statements is one statement.
            return -(-population * self.sample_size // 100)
        return self.sample_size

    @api.model
    def _draw(self, population, size, seed):
        """The ``size`` reviews of ``population`` (ordered by id) that ``seed`` picks."""
        ordered = population.sorted("id")
        picked = random.Random(seed).sample(ordered.ids, size)
        return ordered.browse(sorted(picked))

    def _check_headteacher(self):
        if self.env.su:
            return
        if not self.env.user.has_group(
            "hr_school_performance.hr_school_performance_group_headteacher"
        ):
            raise AccessError(self.env._("Only the headteacher or HR can moderate statements."))
        self.check_access("write")

    def _check_no_stamps(self, vals):
        stamps = {"sample_seed", "date_drawn", "date_closed"} & set(vals)
        if stamps and not self.env.su:
            raise AccessError(
                self.env._(
                    "%(fields)s are recorded by drawing the sample and completing the "
                    "moderation, not written.",
                    fields=", ".join(sorted(stamps)),
                )
            )

    def _write_moderation(self, vals):
        # The seed, drawing and closing dates are stamped by these actions only (readonly
        # fields); _check_headteacher() authorised the caller on these records.
        self._check_headteacher()
        self.sudo().write(vals)
