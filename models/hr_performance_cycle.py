from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class HrPerformanceCycle(models.Model):
    """A concrete performance-management period of a job group at one school."""

    _name = "hr.performance.cycle"
    _description = "Performance Cycle"
    _inherit = ["mail.thread"]
    _order = "date_start desc, job_group_id, company_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True, readonly=False)
    job_group_id = fields.Many2one(
        "hr.performance.job.group",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        string="School",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    date_start = fields.Date(required=True, tracking=True)
    date_end = fields.Date(required=True, tracking=True)
    date_midyear = fields.Date(
        string="Mid-Year Review",
        compute="_compute_date_midyear",
        store=True,
        readonly=False,
        help="When the mid-year reviews of this cycle are due.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("open", "Open"), ("closed", "Closed")],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
    )
    date_launched = fields.Datetime(readonly=True, copy=False)
    review_ids = fields.One2many("hr.performance.review", "cycle_id", string="Reviews")
    # The headteacher's moderation of the cycle (hr.performance.moderation): one at most.
    moderation_ids = fields.One2many("hr.performance.moderation", "cycle_id", readonly=True)
    review_count = fields.Integer(compute="_compute_review_stats")
    review_done_count = fields.Integer(compute="_compute_review_stats")
    exclusion_ids = fields.One2many(
        "hr.performance.cycle.exclusion", "cycle_id", string="Not Launched", readonly=True
    )
    exclusion_count = fields.Integer(compute="_compute_exclusion_count")
    over_cap_reviewer_ids = fields.Many2many(
        "hr.employee",
        string="Reviewers over the Cap",
        readonly=True,
        copy=False,
        help="Reviewers the last launch left with more reviewees than the school's maximum "
        "per reviewer: appoint other reviewers for some of their reviewees.",
    )

    _check_dates = models.Constraint(
        "CHECK(date_end > date_start)", "A cycle must end after it starts."
    )
    _unique_period = models.UniqueIndex(
        "(job_group_id, company_id, date_start)",
        "This job group already has a cycle starting on that date at this school.",
    )

    @api.depends("job_group_id.name", "company_id.name", "date_start", "date_end")
    def _compute_name(self):
        for cycle in self:
            if not (cycle.job_group_id and cycle.date_start and cycle.date_end):
                cycle.name = cycle.name or False
                continue
            years = str(cycle.date_start.year)
            if cycle.date_end.year != cycle.date_start.year:
                years = f"{years}–{cycle.date_end.strftime('%y')}"
            cycle.name = self.env._(
                "%(group)s %(years)s, %(school)s",
                group=cycle.job_group_id.name,
                years=years,
                school=cycle.company_id.name,
            )

    @api.depends("date_start", "job_group_id.midyear_offset_months", "company_id")
    def _compute_date_midyear(self):
        # The working days of all the schools, loaded together (issue 14).
        calendars = (self.company_id | self.env.company)._performance_working_calendars()
        for cycle in self:
            if cycle.date_start and cycle.job_group_id:
                midyear = cycle.date_start + relativedelta(
                    months=cycle.job_group_id.midyear_offset_months
                )
                # On a working day of the school.
                company = cycle.company_id or self.env.company
                cycle.date_midyear = calendars[company].add(midyear, 0)
            else:
                cycle.date_midyear = cycle.date_midyear or False

    def _compute_review_stats(self):
        groups = self.env["hr.performance.review"]._read_group(
            [("cycle_id", "in", self.ids)], ["cycle_id", "state"], ["__count"]
        )
        total, done = {}, {}
        for cycle, state, count in groups:
            total[cycle] = total.get(cycle, 0) + count
            if state == "completed":
                done[cycle] = done.get(cycle, 0) + count
        for cycle in self:
            cycle.review_count = total.get(cycle, 0)
            cycle.review_done_count = done.get(cycle, 0)

    def _compute_exclusion_count(self):
        counts = dict(
            self.env["hr.performance.cycle.exclusion"]._read_group(
                [("cycle_id", "in", self.ids)], ["cycle_id"], ["__count"]
            )
        )
        for cycle in self:
            cycle.exclusion_count = counts.get(cycle, 0)

    @api.onchange("job_group_id")
    def _onchange_job_group_id(self):
        if self.job_group_id and not self.date_start:
            start, end = self.job_group_id._cycle_bounds(fields.Date.context_today(self))
            self.date_start, self.date_end = start, end

    @api.constrains("date_midyear", "date_start", "date_end")
    def _check_date_midyear(self):
        for cycle in self:
            if cycle.date_midyear and not cycle.date_start < cycle.date_midyear < cycle.date_end:
                raise ValidationError(
                    self.env._(
                        "The mid-year review date of %(cycle)s must fall inside the cycle "
                        "(%(start)s – %(end)s).",
                        cycle=cycle.display_name,
                        start=cycle.date_start,
                        end=cycle.date_end,
                    )
                )

    @api.constrains("date_start", "date_end", "job_group_id", "company_id")
    def _check_overlap(self):
        for cycle in self:
            overlapping = self.search_count(
                [
                    ("id", "!=", cycle.id),
                    ("job_group_id", "=", cycle.job_group_id.id),
                    ("company_id", "=", cycle.company_id.id),
                    ("date_start", "<=", cycle.date_end),
                    ("date_end", ">=", cycle.date_start),
                ],
                limit=1,
            )
            if overlapping:
                raise ValidationError(
                    self.env._(
                        "%(cycle)s overlaps another cycle of the same job group at this school.",
                        cycle=cycle.display_name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_launched(self):
        if any(cycle.state != "draft" for cycle in self):
            raise UserError(
                self.env._("Only draft cycles can be deleted; close the cycle instead.")
            )

    def write(self, vals):
        frozen = {"job_group_id", "company_id", "date_start", "date_end"} & set(vals)
        if frozen and any(cycle.state != "draft" for cycle in self):
            raise UserError(
                self.env._(
                    "The job group, school and dates of a launched cycle cannot change: "
                    "reviews already run on them."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------
    @api.model
    def _check_hr_officer(self):
        if not self.env.user.has_group(
            "hr_school_performance.hr_school_performance_group_hr_officer"
        ):
            raise AccessError(self.env._("Only HR officers can run performance cycles."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_launch(self):
        """Create one review per eligible employee, in one batch, and record who was
        not launched and why."""
        self._check_hr_officer()
        for cycle in self:
            if cycle.state != "draft":
                raise UserError(
                    self.env._(
                        "%(cycle)s has already been launched on %(date)s.",
                        cycle=cycle.display_name,
                        date=cycle.date_launched,
                    )
                )
        reviews = self._launch_reviews()
        self.write({"state": "open", "date_launched": fields.Datetime.now()})
        # One note per cycle, created in one batch (issue 14: launching a trust's 60
        # cycles costs what launching one does). The caller is an HR officer (checked above).
        by_cycle = reviews.grouped("cycle_id")
        self._message_log_batch(
            {
                cycle.id: Markup("<p>%s</p>")
                % self.env._(
                    "Cycle launched: %(reviews)s reviews created, %(excluded)s staff not launched.",
                    reviews=len(by_cycle.get(cycle, reviews.browse())),
                    excluded=cycle.exclusion_count,
                )
                + cycle._over_cap_note()
                for cycle in self
            }
        )
        return reviews

    def action_add_eligible(self):
        """On an open cycle: create reviews for staff who have become eligible since the
        launch (probation ended, new starters), without touching existing reviews."""
        self._check_hr_officer()
        if any(cycle.state != "open" for cycle in self):
            raise UserError(self.env._("Staff can only be added to an open cycle."))
        reviews = self._launch_reviews()
        for cycle in self:
            added = reviews.filtered(lambda r, c=cycle: r.cycle_id == c)
            cycle.message_post(
                body=self.env._(
                    "%(count)s reviews added for newly eligible staff.", count=len(added)
                )
                + cycle._over_cap_note()
            )
        return reviews

    def action_close(self):
        self._check_hr_officer()
        if any(cycle.state != "open" for cycle in self):
            raise UserError(self.env._("Only an open cycle can be closed."))
        unfinished = self.review_ids.filtered(lambda r: r.state not in ("completed", "cancelled"))
        if unfinished:
            raise UserError(
                self.env._(
                    "%(count)s reviews of this cycle are not completed or cancelled yet, "
                    "e.g. %(review)s.",
                    count=len(unfinished),
                    review=unfinished[0].display_name,
                )
            )
        self.write({"state": "closed"})

    def action_reopen(self):
        self._check_hr_officer()
        if any(cycle.state != "closed" for cycle in self):
            raise UserError(self.env._("Only a closed cycle can be reopened."))
        self.write({"state": "open"})

    def action_view_reviews(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "hr_school_performance.hr_performance_review_action"
        )
        action["domain"] = [("cycle_id", "=", self.id)]
        action["context"] = {"default_cycle_id": self.id, "search_default_group_state": 1}
        return action

    # ------------------------------------------------------------------
    # Launch machinery: a fixed number of queries whatever the headcount
    # ------------------------------------------------------------------
    def _launch_reviews(self):
        Review = self.env["hr.performance.review"]
        Exclusion = self.env["hr.performance.cycle.exclusion"]
        # HR officers may lack hr.group_hr_manager, which guards contract dates:
        # read the employees' dates as superuser, for eligibility only.
        Employee = self.env["hr.employee"].sudo().with_context(active_test=False)
        review_vals, exclusion_vals = [], []
        self.exclusion_ids.unlink()
        # The same queries for 1 cycle and for a trust's 60 (issue 14): the staff of every
        # school, the job groups over them and the reviews already there, read once.
        staff = Employee.search(
            [
                ("company_id", "in", self.company_id.ids),
                "|",
                ("active", "=", True),
                ("departure_date", ">=", min(self.mapped("date_start"))),
            ]
        )
        # Every school's staff and their employment versions (job, contract and trial
        # dates) read in one query each: read as they are used, 10,000 staff were read
        # 1,000 at a time (the prefetch), 2 queries per 1,000.
        staff.fetch(
            [
                "company_id",
                "active",
                "current_version_id",
                "parent_id",
                "category_ids",
                "performance_capability",
            ]
        )
        staff.current_version_id.fetch(
            ["job_id", "departure_date", "trial_date_end", "contract_date_start"]
        )
        staff_by_company = staff.grouped("company_id")
        ancestors = {
            company: {int(id_) for id_ in company.parent_path.split("/") if id_}
            for company in self.company_id
        }
        all_groups = self.env["hr.performance.job.group"].search(
            [("company_id", "parent_of", self.company_id.ids)]
        )
        existing = (
            Review.with_context(active_test=False)
            .search([("cycle_id", "in", self.ids)])
            .grouped("cycle_id")
        )
        for cycle in self:
            group = cycle.job_group_id
            # Filtering keeps only the filtered records in the prefetch set: give it back the
            # whole staff, or their job positions (on hr.version) are read school by school.
            school_staff = (
                staff_by_company.get(cycle.company_id, Employee)
                .filtered(lambda e, c=cycle: e.active or e.departure_date >= c.date_start)
                .with_prefetch(staff._prefetch_ids)
            )
            members = school_staff.filtered_domain(group._member_domain())
            grouped = school_staff.filtered_domain(
                all_groups.filtered(
                    lambda g, c=cycle: g.company_id.id in ancestors[c.company_id]
                )._member_domain()
            )
            already = set(existing.get(cycle, Review).employee_id.ids)
            for employee in school_staff - grouped:
                if employee.active:
                    exclusion_vals.append(cycle._exclusion_vals(employee, "no_group"))
            for employee in members:
                if employee.id in already:
                    continue
                reason, until = cycle._exclusion_reason(employee)
                if reason:
                    exclusion_vals.append(cycle._exclusion_vals(employee, reason, until))
                    continue
                review_vals.append(cycle._prepare_review_vals(employee))
        Exclusion.create(exclusion_vals)
        reviews = Review.create(review_vals)
        reviews._carry_forward_objectives()
        reviews._schedule_next_activity()
        # The launch report: who the launch put over the school's cap (one query).
        over_cap = reviews._reviewers_over_cap()
        for cycle in self:
            reviewers = over_cap.get(cycle.company_id, self.env["hr.employee"])
            if reviewers or cycle.over_cap_reviewer_ids:
                cycle.over_cap_reviewer_ids = reviewers
        return reviews

    def _over_cap_note(self):
        """The sentence of the launch message naming the reviewers over the cap."""
        self.ensure_one()
        if not self.over_cap_reviewer_ids:
            return ""
        return " " + self.env._(
            "Over the school's maximum of %(cap)s reviewees per reviewer: %(names)s.",
            cap=self.company_id.performance_reviewee_cap,
            names=", ".join(self.over_cap_reviewer_ids.sudo().mapped("name")),
        )

    def _exclusion_vals(self, employee, reason, until=False):
        return {
            "cycle_id": self.id,
            "employee_id": employee.id,
            "reason": reason,
            "date_until": until,
        }

    def _exclusion_reason(self, employee):
        """Why ``employee`` (read as superuser) gets no review in this cycle, if so."""
        self.ensure_one()
        if not employee.active:
            return "archived", employee.departure_date or False
        if employee.performance_capability:
            return "capability", False
        if employee.trial_date_end and employee.trial_date_end >= self.date_start:
            if employee.trial_date_end >= fields.Date.context_today(self):
                return "probation", employee.trial_date_end
        start = employee.contract_date_start
        if start and start > self.date_end:
            return "not_started", start
        return False, False

    def _prepare_review_vals(self, employee):
        self.ensure_one()
        start = self.date_start
        if employee.contract_date_start and employee.contract_date_start > start:
            start = employee.contract_date_start  # mid-cycle starter: shortened first cycle
        if employee.trial_date_end and employee.trial_date_end >= start:
            start = employee.trial_date_end + relativedelta(days=1)
        reviewer = employee.parent_id
        return {
            "cycle_id": self.id,
            "employee_id": employee.id,
            "reviewer_id": reviewer.id if reviewer and reviewer != employee else False,
            "date_start": start,
            "date_end": self.date_end,
        }
