from datetime import date

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.suppression import suppress

TOTAL = "__total__"
REPORT_TYPES = [
    ("governors", "Governors' Annual Report"),
    ("equality", "Equality Monitoring"),
]
AGE_BANDS = [
    ("under_25", "Under 25", 0, 24),
    ("25_34", "25–34", 25, 34),
    ("35_44", "35–44", 35, 44),
    ("45_54", "45–54", 45, 54),
    ("55_plus", "55 and over", 55, 200),
]
DEADLINE_COLUMNS = ("met", "late", "missed", "waived", "closed", "pending")


class HrPerformanceGovernorReport(models.Model):
    """The headteacher's annual report to the governing body on the operation of performance
    management at a school (or, on the trust, at all its schools), and the equality
    monitoring of outcomes, for one academic year (1 September to 31 August).

    Anonymised by construction: the figures are counts, stored already suppressed (a count of
    fewer people than the school's threshold, and every figure that would let such a count
    be worked out, is stored as hidden, never its value), so that a governor reading the
    report learns nothing about one person. Computed by the headteacher or HR with their own
    rights; governors read the governors' report of their school, never the equality
    monitoring.

    Sections about records other features keep (moderation, appeals, pay decisions) read
    hooks (:meth:`_hsp_report_moderation`, :meth:`_hsp_report_appeals`,
    :meth:`_hsp_report_pay_decisions`): until a feature overrides its hook, its section
    says "not recorded"."""

    _name = "hr.performance.governor.report"
    _description = "Governors' Report on Performance Management"
    _order = "year_start desc, company_id, report_type"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    report_type = fields.Selection(
        REPORT_TYPES, string="Kind of Report", required=True, default="governors"
    )
    company_id = fields.Many2one(
        "res.company",
        string="School or Trust",
        required=True,
        default=lambda self: self.env.company,
    )
    year_start = fields.Integer(
        string="Starting Year",
        required=True,
        default=lambda self: self._default_year_start(),
        help="The year the academic year starts in: 2025 for 2025–26.",
    )
    academic_year = fields.Char(compute="_compute_dates", store=True)
    date_from = fields.Date(compute="_compute_dates", store=True)
    date_to = fields.Date(compute="_compute_dates", store=True)
    threshold = fields.Integer(
        string="Smallest Group Reported",
        readonly=True,
        help="The school's threshold when the figures were computed.",
    )
    date_computed = fields.Datetime(string="Computed On", readonly=True)
    computed_by_id = fields.Many2one("res.users", readonly=True)
    line_ids = fields.One2many(
        "hr.performance.governor.report.line", "report_id", string="Figures", readonly=True
    )
    summary_html = fields.Html(
        string="Figures Table", compute="_compute_summary_html", sanitize=False
    )

    _unique_report = models.UniqueIndex(
        "(company_id, report_type, year_start)",
        "There is already a report of this kind for this school and academic year.",
    )

    @api.model
    def _default_year_start(self):
        today = fields.Date.context_today(self)
        return today.year if today.month >= 9 else today.year - 1

    @api.depends("year_start")
    def _compute_dates(self):
        for report in self:
            year = report.year_start or 0
            if year < 2000:
                report.academic_year = report.date_from = report.date_to = False
                continue
            report.date_from = date(year, 9, 1)
            report.date_to = date(year + 1, 8, 31)
            report.academic_year = f"{year}–{str(year + 1)[-2:]}"

    @api.depends("report_type", "company_id.name", "academic_year")
    def _compute_name(self):
        labels = dict(REPORT_TYPES)
        for report in self:
            report.name = self.env._(
                "%(report)s %(year)s – %(company)s",
                report=labels.get(report.report_type, ""),
                year=report.academic_year or "",
                company=report.company_id.name or "",
            )

    @api.constrains("year_start")
    def _check_year_start(self):
        for report in self:
            if not 2000 <= report.year_start <= 2200:
                raise ValidationError(
                    self.env._("Give the year the academic year starts in, e.g. 2025.")
                )

    @api.depends("line_ids")
    def _compute_summary_html(self):
        for report in self:
            report.summary_html = self.env["ir.qweb"]._render(
                "hr_school_performance.report_governor_tables",
                {"doc": report, "tables": report._report_tables()},
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_can_compute()
        return super().create(vals_list)

    def write(self, vals):
        if {"report_type", "company_id", "year_start"} & set(vals) and not self.env.su:
            raise UserError(
                self.env._("A report's school, kind and year cannot change: create another report.")
            )
        return super().write(vals)

    def action_compute(self):
        """(Re)compute the figures of the reports of ``self`` from the records the current
        user may read: the headteacher or HR of every school the report covers."""
        self._check_can_compute()
        self.check_access("write")
        for report in self:
            report._compute_figures()
        return True

    @api.model
    def _check_can_compute(self):
        if self.env.su:
            return
        if not self.env.user.has_group(
            "hr_school_performance.hr_school_performance_group_headteacher"
        ):
            raise AccessError(
                self.env._(
                    "Only the headteacher or HR prepare the governors' report and the "
                    "equality monitoring."
                )
            )

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    def _scope(self):
        """The schools the report covers: the school, or the trust and all its schools
        (the context may narrow it to given companies: the records a trust keeps at its own
        level, see :meth:`_suppressed`). Only the superuser environment of that method
        narrows it: a context key from a caller changes nothing of what a report holds."""
        self.ensure_one()
        narrowed = self.env.su and self.env.context.get("hsp_report_scope_ids")
        if narrowed:
            return self.env["res.company"].sudo().browse(narrowed)
        return self.env["res.company"].sudo().search([("id", "child_of", self.company_id.id)])

    def _reader_env(self):
        """The current user's environment over the schools the report covers: computing
        the report of a school one cannot read is refused, not answered with part of it."""
        self.ensure_one()
        scope = self._scope()
        missing = scope - self.env.user.company_ids
        if missing and not self.env.su:
            raise AccessError(
                self.env._(
                    "This report covers %(schools)s, which you cannot access: ask HR of the "
                    "trust to prepare it.",
                    schools=", ".join(missing.mapped("name")),
                )
            )
        return self.with_context(allowed_company_ids=scope.ids, active_test=False).env

    def _in_scope_reviews(self, env):
        return env["hr.performance.review"].search(
            [
                ("company_id", "in", self._scope().ids),
                ("date_end", ">=", self.date_from),
                ("date_end", "<=", self.date_to),
            ]
        )

    def _compute_figures(self):
        self.ensure_one()
        env = self._reader_env()
        threshold = self.company_id.performance_report_threshold
        tables = self._tables(env)
        cells, relations = self._cells_and_relations(tables)
        hidden = self._suppressed(cells, relations)
        lines = []
        for sequence, table in enumerate(tables):
            lines.extend(self._table_lines(sequence, table, cells, hidden))
        self.line_ids.unlink()
        self.env["hr.performance.governor.report.line"].create(lines)
        # sudo: who computed and when are the system's record (the fields are read-only).
        self.sudo().write(
            {
                "threshold": threshold,
                "date_computed": fields.Datetime.now(),
                "computed_by_id": self.env.uid,
            }
        )

    def _tables(self, env):
        reviews = self._in_scope_reviews(env)
        if self.report_type == "governors":
            return self._governor_tables(env, reviews)
        return self._equality_tables(env, reviews)

    def _suppressed(self, cells, relations):
        """The cells of this report to hide, chosen with those of every report of the same
        kind and year the trust and its schools can publish: a trust's figure is the sum of
        its schools' (and of what the trust keeps at its own level), so a figure hidden in
        one report must not follow from the others by difference (trust minus the other
        schools). Every report of the family is suppressed by the same rule on the same
        figures, so they hide consistently; each cell with its own report's threshold."""
        self.ensure_one()
        Company = self.env["res.company"].sudo()
        root = self.company_id.sudo()
        while root.parent_id:
            root = root.parent_id
        family = Company.search([("id", "child_of", root.id)])
        if len(family) == 1:
            return suppress(cells, relations, self.company_id.performance_report_threshold)
        # sudo: the other reports' figures are counted only to choose what this one hides;
        # nothing of them is stored or shown here.
        # The scope of each report is set here, never taken from the caller's context.
        env = (
            self.sudo()
            .with_context(
                allowed_company_ids=family.ids, active_test=False, hsp_report_scope_ids=False
            )
            .env
        )
        virtual = env[self._name]
        all_cells, all_relations, unpublished, threshold, sums = {}, [], set(), {}, []

        def add(unit, company, unit_cells, unit_relations):
            for key, value in unit_cells.items():
                all_cells[(unit, *key)] = value
                threshold[(unit, *key)] = company.performance_report_threshold
                if unit[0] == "own":
                    unpublished.add((unit, *key))
            all_relations.extend(
                ((unit, *total), [(unit, *member) for member in members])
                for total, members in unit_relations
            )

        for company in family:
            if company == self.company_id:
                unit_cells, unit_relations = cells, relations
            else:
                report = virtual.new(
                    {
                        "company_id": company.id,
                        "report_type": self.report_type,
                        "year_start": self.year_start,
                    }
                )
                unit_cells, unit_relations = self._cells_and_relations(report._tables(env))
            add(("scope", company.id), company, unit_cells, unit_relations)
            children = company.child_ids & family
            if not children:
                continue
            # What the company keeps at its own level: never published on its own.
            own = virtual.with_context(hsp_report_scope_ids=company.ids).new(
                {
                    "company_id": company.id,
                    "report_type": self.report_type,
                    "year_start": self.year_start,
                }
            )
            own_cells, own_relations = self._cells_and_relations(own._tables(env))
            add(("own", company.id), company, own_cells, own_relations)
            sums.append((company, children, unit_cells))
        # A company's figure is the sum of its schools' and of its own (absent: none).
        for company, children, unit_cells in sums:
            parts = [("scope", child.id) for child in children] + [("own", company.id)]
            for key in unit_cells:
                members = [(part, *key) for part in parts if (part, *key) in all_cells]
                if members:
                    all_relations.append(((("scope", company.id), *key), members))
        hidden = suppress(all_cells, all_relations, threshold.__getitem__, unpublished)
        unit = ("scope", self.company_id.id)
        return {key[1:] for key in hidden if key[0] == unit}

    def _spec(self, key, title, rows, cols, counts, **extra):
        """A table spec: ``rows`` and ``cols`` are ``[(key, label)]``, ``counts`` maps
        ``(row key, col key)`` to a count."""
        return {
            "key": key,
            "title": title,
            "rows": rows,
            "cols": cols,
            "counts": counts,
            "row_totals": extra.get("row_totals", True),
            "col_totals": extra.get("col_totals", True),
            "note": extra.get("note", ""),
            "not_recorded": extra.get("not_recorded", False),
            "links": extra.get("links", []),
        }

    def _not_recorded(self, key, title, what):
        return self._spec(
            key,
            title,
            [],
            [],
            {},
            not_recorded=True,
            note=self.env._("Not recorded: %(what)s are not kept in this system yet.", what=what),
        )

    def _governor_tables(self, env, reviews):
        groups = reviews.job_group_id
        exclusions = env["hr.performance.cycle.exclusion"].search(
            [
                ("company_id", "in", self._scope().ids),
                ("cycle_id.date_end", ">=", self.date_from),
                ("cycle_id.date_end", "<=", self.date_to),
                # Staff in no job group are not due a review of this process.
                ("reason", "!=", "no_group"),
            ]
        )
        groups |= exclusions.cycle_id.job_group_id
        group_rows = [(group.id, group.name) for group in groups.sorted("name")]
        counts = {}

        def add(key):
            counts[key] = counts.get(key, 0) + 1

        for exclusion in exclusions:
            add((exclusion.cycle_id.job_group_id.id, "not_launched"))
        for review in reviews:
            group = review.job_group_id.id
            if review.state == "cancelled":
                add((group, "cancelled"))
            elif review.state == "completed":
                on_time = review.date_completed and review.date_completed <= review.date_end
                add((group, "on_time" if on_time else "late"))
            else:
                add((group, "open"))
        review_cols = [
            ("not_launched", self.env._("Not launched (not eligible)")),
            ("on_time", self.env._("Completed on time")),
            ("late", self.env._("Completed late")),
            ("open", self.env._("Not completed")),
            ("cancelled", self.env._("Cancelled")),
        ]
        tables = [
            self._spec(
                "reviews",
                self.env._("Reviews due"),
                group_rows,
                review_cols,
                counts,
                note=self.env._(
                    "Reviews whose review period ended in the academic year. On time: "
                    "completed by the end of the review period. The total is the number of "
                    "reviews due."
                ),
            )
        ]
        # Deadline compliance, per rule.
        today = min(fields.Date.context_today(self), self.date_to)
        deadlines = env["hr.performance.deadline"].search([("review_id", "in", reviews.ids)])
        deadline_counts, rules = {}, {}
        for deadline in deadlines:
            label = deadline.rule_id.name or deadline._kind_label()
            rules.setdefault(label, label)
            status = deadline._status_on(today)
            column = status if status in DEADLINE_COLUMNS else "pending"
            key = (label, column)
            deadline_counts[key] = deadline_counts.get(key, 0) + 1
        tables.append(
            self._spec(
                "deadlines",
                self.env._("Deadline compliance"),
                [(label, label) for label in sorted(rules)],
                [
                    ("met", self.env._("Met")),
                    ("late", self.env._("Met late")),
                    ("missed", self.env._("Missed")),
                    ("waived", self.env._("Waived")),
                    ("closed", self.env._("Closed with the review")),
                    ("pending", self.env._("Not yet due")),
                ],
                deadline_counts,
                note=self.env._(
                    "One line per policy deadline; each figure is a number of reviews."
                ),
            )
        )
        # Outcome distribution by job group.
        completed = reviews.filtered(lambda r: r.state == "completed" and r.outcome_level_id)
        levels = completed.outcome_level_id.sorted(
            lambda level: (level.scale_id.id, level.sequence)
        )
        outcome_counts = {}
        for review in completed:
            key = (review.job_group_id.id, review.outcome_level_id.id)
            outcome_counts[key] = outcome_counts.get(key, 0) + 1
        outcome_rows = [(group.id, group.name) for group in completed.job_group_id.sorted("name")]
        tables.append(
            self._spec(
                "outcomes",
                self.env._("Overall assessment by job group"),
                outcome_rows,
                [(level.id, level.name) for level in levels],
                outcome_counts,
                note=self.env._("Completed reviews."),
                # Completed reviews of a group = on time + late in the first table.
                links=[
                    (
                        ("outcomes", row, TOTAL),
                        [("reviews", row, "on_time"), ("reviews", row, "late")],
                    )
                    for row, __ in outcome_rows
                ],
            )
        )
        tables.extend(self._training_tables(env))
        tables.append(
            self._hsp_report_moderation(reviews)
            or self._not_recorded(
                "moderation", self.env._("Moderation"), self.env._("moderation records")
            )
        )
        tables.append(
            self._hsp_report_appeals(reviews)
            or self._not_recorded(
                "appeals",
                self.env._("Appeals and representations"),
                self.env._("appeals and representations"),
            )
        )
        return tables

    def _training_tables(self, env):
        needs = env["hr.performance.training.need"].search(
            [
                ("company_id", "in", self._scope().ids),
                ("date_identified", ">=", self.date_from),
                ("date_identified", "<=", self.date_to),
            ]
        )
        types = dict(needs._fields["need_type"]._description_selection(self.env))
        states = needs._fields["state"]._description_selection(self.env)
        counts, support = {}, {}
        for need in needs:
            key = (need.need_type, need.state)
            counts[key] = counts.get(key, 0) + 1
            if need.support_not_provided:
                support[(need.need_type, "not_provided")] = (
                    support.get((need.need_type, "not_provided"), 0) + 1
                )
        rows = [
            (key, label) for key, label in types.items() if key in set(needs.mapped("need_type"))
        ]
        return [
            self._spec(
                "training",
                self.env._("Training and development needs"),
                rows,
                [
                    (key, label if key != "done" else self.env._("Met (done)"))
                    for key, label in states
                ],
                counts,
                note=self.env._("Needs identified in the academic year, by type and status."),
            ),
            self._spec(
                "support",
                self.env._("Agreed support that could not be provided"),
                [(key, types[key]) for key, __ in rows if (key, "not_provided") in support],
                [("not_provided", self.env._("Needs"))],
                support,
                row_totals=False,
                note=self.env._("Training needs where the agreed support could not be provided."),
            ),
        ]

    def _equality_tables(self, env, reviews):
        completed = reviews.filtered(lambda r: r.state == "completed" and r.outcome_level_id)
        levels = completed.outcome_level_id.sorted(
            lambda level: (level.scale_id.id, level.sequence)
        )
        cols = [(level.id, level.name) for level in levels]
        # sudo: gender and date of birth are HR fields; they are only counted here, into
        # suppressed figures, never shown per person.
        people = {review.id: review.sudo().employee_id for review in completed}
        sexes = dict(self.env["hr.version"]._fields["sex"]._description_selection(self.env))
        gender_counts, age_counts = {}, {}
        for review in completed:
            employee = people[review.id]
            sex = employee.sex if employee else False
            gender = sex or "unknown"
            key = (gender, review.outcome_level_id.id)
            gender_counts[key] = gender_counts.get(key, 0) + 1
            band = self._age_band(employee.birthday if employee else False)
            key = (band, review.outcome_level_id.id)
            age_counts[key] = age_counts.get(key, 0) + 1
        gender_rows = [*sexes.items()] + [("unknown", self.env._("Not recorded"))]
        age_rows = [(key, label) for key, label, __, __ in AGE_BANDS] + [
            ("unknown", self.env._("Not recorded"))
        ]
        used_gender = {row for row, __ in gender_counts}
        used_age = {row for row, __ in age_counts}
        tables = [
            self._spec(
                "gender",
                self.env._("Overall assessment by gender"),
                [row for row in gender_rows if row[0] in used_gender],
                cols,
                gender_counts,
                note=self.env._("Completed reviews, by the gender recorded on the employee."),
            ),
            self._spec(
                "age",
                self.env._("Overall assessment by age band"),
                [row for row in age_rows if row[0] in used_age],
                cols,
                age_counts,
                note=self.env._("Completed reviews, by age at the end of the academic year."),
                # The same reviews as the gender table: its column totals are linked.
                links=[
                    (
                        ("gender", TOTAL, col),
                        [("age", row, col) for row, __ in age_rows if row in used_age],
                    )
                    for col, __ in cols
                ],
            ),
        ]
        tables.append(
            self._hsp_report_pay_decisions(reviews)
            or self._not_recorded("pay", self.env._("Pay decisions"), self.env._("pay decisions"))
        )
        tables.append(self._consistency_table(completed))
        return tables

    def _age_band(self, birthday):
        if not birthday:
            return "unknown"
        end = self.date_to
        age = end.year - birthday.year - ((end.month, end.day) < (birthday.month, birthday.day))
        for key, __, low, high in AGE_BANDS:
            if low <= age <= high:
                return key
        return "unknown"

    def _consistency_table(self, completed):
        """Job positions whose share of reviews earning pay progression differs between
        schools, or between reviewers, by more than the configured spread. Only groups of at
        least the threshold count; nobody is named."""
        threshold = self.company_id.performance_report_threshold
        spread = self.company_id.performance_equality_spread
        # sudo: the job position and reviewer group the reviews; nothing is shown per person.
        records = completed.sudo()
        flags = []
        for job in records.employee_id.job_id.sorted("name"):
            of_job = records.filtered(lambda r, j=job: r.employee_id.job_id == j)
            for axis, label in (
                ("company_id", self.env._("schools")),
                ("reviewer_id", self.env._("reviewers")),
            ):
                rates = []
                for value in of_job[axis]:
                    group = of_job.filtered(lambda r, a=axis, v=value: r[a] == v)
                    if len(group) >= threshold:
                        eligible = len(group.filtered("pay_progression_eligible"))
                        rates.append(100.0 * eligible / len(group))
                if len(rates) >= 2 and max(rates) - min(rates) > spread:
                    flags.append(
                        self.env._(
                            "%(job)s: between %(axis)s, the share of reviews earning pay "
                            "progression ranges from %(low)s%% to %(high)s%% (%(groups)s groups "
                            "of at least %(size)s reviews; allowed spread %(spread)s points).",
                            job=job.name,
                            axis=label,
                            low=round(min(rates)),
                            high=round(max(rates)),
                            groups=len(rates),
                            size=threshold,
                            spread=round(spread),
                        )
                    )
        table = self._spec(
            "consistency",
            self.env._("Consistency between schools and reviewers"),
            [],
            [],
            {},
            note=self.env._("No job position differs beyond the allowed spread.")
            if not flags
            else "",
        )
        table["flags"] = flags
        return table

    # ------------------------------------------------------------------
    # Hooks for the features that keep moderation, appeals and pay decisions
    # ------------------------------------------------------------------
    def _hsp_report_moderation(self, reviews):
        """The moderation section: a table built with :meth:`_spec` (key ``moderation``)
        from the records the feature keeps about ``reviews``, or None when moderation is not
        recorded."""
        return None

    def _hsp_report_appeals(self, reviews):
        """The appeals and representations section (key ``appeals``), or None."""
        return None

    def _hsp_report_pay_decisions(self, reviews):
        """The pay decisions section of the equality monitoring (key ``pay``): rows by a
        characteristic, columns by decision, or None."""
        return None

    # ------------------------------------------------------------------
    # Suppression and storage
    # ------------------------------------------------------------------
    @api.model
    def _cells_and_relations(self, tables):
        cells, relations = {}, []
        for table in tables:
            key = table["key"]
            rows = [row for row, __ in table["rows"]]
            cols = [col for col, __ in table["cols"]]
            if table["not_recorded"] or not cols:
                continue
            counts = table["counts"]
            for row in rows:
                for col in cols:
                    cells[(key, row, col)] = counts.get((row, col), 0)
            if table["row_totals"]:
                for row in rows:
                    members = [(key, row, col) for col in cols]
                    cells[(key, row, TOTAL)] = sum(cells[m] for m in members)
                    relations.append(((key, row, TOTAL), members))
            if table["col_totals"]:
                for col in cols:
                    members = [(key, row, col) for row in rows]
                    cells[(key, TOTAL, col)] = sum(cells[m] for m in members)
                    relations.append(((key, TOTAL, col), members))
            if table["col_totals"] and table["row_totals"]:
                grand = (key, TOTAL, TOTAL)
                cells[grand] = sum(cells[(key, TOTAL, col)] for col in cols)
                relations.append((grand, [(key, TOTAL, col) for col in cols]))
                relations.append((grand, [(key, row, TOTAL) for row in rows]))
        for table in tables:
            for total, members in table["links"]:
                if total in cells and all(member in cells for member in members):
                    relations.append((total, members))
        return cells, relations

    def _table_lines(self, sequence, table, cells, hidden):
        key = table["key"]
        base = {
            "report_id": self.id,
            "table_key": key,
            "table_title": table["title"],
            "table_sequence": sequence,
            "note": table["note"],
        }
        if table["not_recorded"] or not table["cols"]:
            lines = [dict(base, row_label="", col_label="", not_recorded=table["not_recorded"])]
            for index, flag in enumerate(table.get("flags", [])):
                lines.append(
                    dict(base, row_label=flag, col_label="", row_sequence=index + 1, is_flag=True)
                )
            return lines
        rows = list(table["rows"])
        cols = list(table["cols"])
        if table["col_totals"]:
            rows.append((TOTAL, self.env._("Total")))
        if table["row_totals"]:
            cols.append((TOTAL, self.env._("Total")))
        lines = []
        for row_index, (row, row_label) in enumerate(rows):
            for col_index, (col, col_label) in enumerate(cols):
                cell = (key, row, col)
                if cell not in cells:
                    continue
                is_hidden = cell in hidden
                lines.append(
                    dict(
                        base,
                        row_label=row_label,
                        col_label=col_label,
                        row_sequence=row_index,
                        col_sequence=col_index,
                        is_total=TOTAL in (row, col),
                        suppressed=is_hidden,
                        # A hidden figure is never stored, only that it is hidden.
                        value=0 if is_hidden else cells[cell],
                    )
                )
        return lines

    def _report_tables(self):
        """The stored figures of the report, table by table, for the screen and the PDF."""
        self.ensure_one()
        tables = {}
        for line in self.line_ids.sorted(
            lambda rec: (rec.table_sequence, rec.row_sequence, rec.col_sequence)
        ):
            table = tables.setdefault(
                line.table_sequence,
                {
                    "key": line.table_key,
                    "title": line.table_title,
                    "note": line.note,
                    "not_recorded": False,
                    "cols": [],
                    "rows": {},
                    "flags": [],
                },
            )
            if line.not_recorded:
                table["not_recorded"] = True
                continue
            if line.is_flag:
                table["flags"].append(line.row_label)
                continue
            if not line.col_label:
                continue
            if line.col_label not in table["cols"]:
                table["cols"].append(line.col_label)
            row = table["rows"].setdefault(
                line.row_sequence, {"label": line.row_label, "cells": [], "is_total": False}
            )
            row["cells"].append(line.display_value)
            row["is_total"] = row["is_total"] or (
                line.is_total and line.row_label == self.env._("Total")
            )
        result = []
        for __, table in sorted(tables.items()):
            table["rows"] = [row for __, row in sorted(table["rows"].items())]
            result.append(table)
        return result

    def _report_lang(self):
        """British English when installed, as the policies are written."""
        return "en_GB" if self.env["res.lang"]._lang_get("en_GB") else self.env.lang

    def _suppression_note(self):
        return Markup("%s") % self.env._(
            "— : a figure about fewer than %(threshold)s people, or one that would let such a "
            "figure be worked out, is not shown.",
            threshold=self.threshold,
        )
