from odoo import api, fields, models
from odoo.fields import Command

from .hr_performance_review import OPEN_STATES
from .hr_performance_review_behaviour import BEHAVIOUR_RANK

# The county abbreviated process: "There's space for 5 objectives; there shouldn't be more".
JOB_CHAT_MAX_OBJECTIVES = 5


class HrJob(models.Model):
    _inherit = "hr.job"

    performance_supervisor = fields.Boolean(
        string="Supervisory Post",
        help="Holders of this position supervise others: in the abbreviated process (job "
        "chat) only supervisors agree objectives, at most five.",
    )


class HrPerformanceJobGroup(models.Model):
    _inherit = "hr.performance.job.group"

    behaviour_ids = fields.Many2many(
        "hr.performance.behaviour",
        "hr_performance_behaviour_job_group_rel",
        "job_group_id",
        "behaviour_id",
        string="Behavioural Attributes",
        help="The attributes the group's reviews assess, each at an operating level; the "
        "overall assessment combines them with the objectives.",
    )


class HrPerformanceReview(models.Model):
    """The county abbreviated process ("job chat", seed 001) on the review."""

    _inherit = "hr.performance.review"

    # The group's process, unless the reviewee opted into the full one ("Who is it for?").
    process = fields.Selection(
        [("full", "Full review"), ("abbreviated", "Abbreviated (job chat)")],
        related=None,
        compute="_compute_process",
        store=True,
        index=True,
    )
    full_process_opt_in = fields.Boolean(
        string="Opted into the Full Process",
        tracking=True,
        help="A member of staff of a job-chat group with specific career aspirations takes "
        "part in the full performance-management process instead: the same review follows "
        "the full process (no second review).",
    )
    is_supervisor = fields.Boolean(
        string="Supervisor",
        compute="_compute_is_supervisor",
        store=True,
        readonly=False,
        tracking=True,
        help="Supervisors agree objectives in the job chat (at most five); other staff have "
        "no objectives section. Taken from the job position's “Supervisory Post”; the "
        "headteacher or HR may set it for one person.",
    )
    has_objectives_section = fields.Boolean(compute="_compute_has_objectives_section")
    # The job chat questions (seed 001, "What is the abbreviated performance management
    # process?"), one field each.
    chat_needs = fields.Text(string="What I Need to Do My Job Properly")
    chat_service_needs = fields.Text(string="What I Need to Provide a Good Service")
    chat_ideas = fields.Text(string="Ideas for the Future: for Me")
    chat_team_ideas = fields.Text(string="Ideas for the Future: for My Team")
    behaviour_ids = fields.One2many(
        "hr.performance.review.behaviour", "review_id", string="Behavioural Attributes"
    )
    suggested_level_id = fields.Many2one(
        "hr.performance.scale.level",
        compute="_compute_suggested_level_id",
        string="Level the Assessments Point To",
        help="The four-level scale combines objectives and behaviours (county abbreviated "
        "process): Exceeded needs every objective exceeded and behaviour beyond "
        "expectations; Achieved every objective achieved and behaviour to the required "
        "standard; Progressing where some objectives were not achieved or behaviour falls "
        "short on some occasions; Underperformed where most objectives were not achieved "
        "or behaviour is unacceptable.",
    )
    # Personal development plan: the agreed development activities are training needs the
    # CPD leader receives (hr.performance.training.need with development_plan set).
    development_plan_ids = fields.One2many(
        "hr.performance.training.need",
        "review_id",
        string="Personal Development Plan",
        domain=[("development_plan", "=", True)],
    )
    development_plan_comment = fields.Text(
        string="My Comments on the Development Plan",
        help="The reviewee's comments on the personal development plan.",
    )

    @api.depends("job_group_id.process", "full_process_opt_in")
    def _compute_process(self):
        for review in self:
            group_process = review.job_group_id.process
            review.process = (
                "full" if group_process and review.full_process_opt_in else group_process
            )

    @api.depends("employee_id.job_id.performance_supervisor")
    def _compute_is_supervisor(self):
        for review in self:
            # sudo: the job position of the reviewee decides the flag, whoever launches.
            review.is_supervisor = review.employee_id.sudo().job_id.performance_supervisor

    @api.depends("process", "is_supervisor")
    def _compute_has_objectives_section(self):
        for review in self:
            review.has_objectives_section = review.process != "abbreviated" or review.is_supervisor

    @api.depends(
        "scale_id.level_ids",
        "objective_ids.assessment_level_id",
        "objective_ids.outside_control",
        "behaviour_ids.level",
    )
    def _compute_suggested_level_id(self):
        for review in self:
            levels = review.scale_id.level_ids.sorted(lambda level: (level.sequence, level.id))
            ranks = review._job_chat_ranks(levels)
            review.suggested_level_id = levels[max(ranks)] if ranks and len(levels) == 4 else False

    def _job_chat_ranks(self, levels):
        """The rank (0 best, 3 worst) the objectives and the behaviours each point to, as
        seed 001's table reads: the overall level is the worse of the two ("and/or")."""
        self.ensure_one()
        ranks = []
        position = {level: index for index, level in enumerate(levels)}
        # Objectives missed for reasons outside the reviewee's control do not count.
        objectives = self.objective_ids.filtered(
            lambda o: o.assessment_level_id and not o.outside_control
        )
        if objectives:
            scores = [position.get(o.assessment_level_id, 3) for o in objectives]
            not_achieved = sum(1 for score in scores if score >= 2)
            if all(score == 0 for score in scores):
                ranks.append(0)
            elif not not_achieved:
                ranks.append(1)
            elif not_achieved * 2 > len(scores):
                ranks.append(3)
            else:
                ranks.append(2)
        assessed = [BEHAVIOUR_RANK[line.level] for line in self.behaviour_ids if line.level]
        if assessed:
            if all(rank == 0 for rank in assessed):
                ranks.append(0)
            elif max(assessed) == 3:
                ranks.append(3)
            elif max(assessed) == 2:
                ranks.append(2)
            else:
                ranks.append(1)
        return ranks

    @api.onchange("suggested_level_id")
    def _onchange_suggested_level_id(self):
        if self.suggested_level_id and not self.outcome_level_id:
            self.outcome_level_id = self.suggested_level_id

    @api.model_create_multi
    def create(self, vals_list):
        cycles = self.env["hr.performance.cycle"].browse(
            {vals["cycle_id"] for vals in vals_list if vals.get("cycle_id")}
        )
        # sudo: the attributes configured on the group, whoever launches the cycle.
        behaviours = {cycle.id: cycle.sudo().job_group_id.behaviour_ids for cycle in cycles}
        for vals in vals_list:
            attributes = behaviours.get(vals.get("cycle_id"))
            if attributes and "behaviour_ids" not in vals:
                vals["behaviour_ids"] = [
                    Command.create({"behaviour_id": behaviour.id}) for behaviour in attributes
                ]
        return super().create(vals_list)

    @api.model
    def _get_write_rights(self):
        rights = super()._get_write_rights()
        planning = ("planning",)
        # The reviewee's answers to the job chat, before the chat.
        rights["reviewee"].update(
            dict.fromkeys(("chat_service_needs", "chat_team_ideas"), planning)
        )
        # Their comments on the personal development plan (seed 001, PDP): their own words,
        # recorded by the reviewer for a reviewee without a login.
        rights["reviewee"]["development_plan_comment"] = OPEN_STATES
        rights["reviewee_proxy"]["development_plan_comment"] = OPEN_STATES
        rights["reviewer"].pop("development_plan_comment", None)
        # The process and who supervises are settled before the chat: the reviewer records
        # the reviewee's choice of the full process; who supervises follows the post, and
        # only the headteacher or HR set it for one person.
        rights["reviewer"]["full_process_opt_in"] = planning
        rights["reviewer"].pop("is_supervisor", None)
        rights["reviewer"]["behaviour_ids"] = OPEN_STATES
        return rights
