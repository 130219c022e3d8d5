"""The performance portal: staff without a back-office login take part in their own reviews.

Every route reads and writes as the signed-in portal user: the record rules give a portal
user their own reviews only, and the rights engine (hr.performance.confidential.mixin)
decides which fields they may write in which state, exactly as for a reviewee with a
back-office login. Each record route checks access first (``_performance_record``) and
answers 404 for anything else, so a refused id says nothing about whose it is.

Route families: ``/my/performance`` (list), ``/my/performance/<review>`` (the review, its
forms), ``/my/performance/<review>/save`` (a form section), ``/my/performance/objective/...``
(self-evaluation and mid-year progress), ``/my/performance/observation/...`` (acknowledge,
comment), ``/my/performance/<review>/print/<form>`` (downloads) and the public sign-up page
``/performance/join``. The statement pages (read the draft, comment, sign, download the
signed copy) are one more family, ``/my/performance/statement/<statement>/...``, built the
same way on ``hr.performance.statement``.
"""

import re
from urllib.parse import urlencode

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal

# The forms of the review page: section -> the review fields it edits.
REVIEW_SECTIONS = {
    "job_chat": (
        "chat_likes",
        "chat_dislikes",
        "chat_needs",
        "chat_service_needs",
        "chat_training",
        "chat_ideas",
        "chat_team_ideas",
        "career_now",
        "career_future",
        "career_options",
    ),
    "pre_review": (
        "pre_successes",
        "pre_helping_factors",
        "pre_hindering_factors",
        "pre_training_received",
        "pre_future_areas",
        "pre_learning_needs",
        "pre_jd_amendments",
        "pre_career_goals",
    ),
    "self_evaluation": (
        "self_contributions",
        "self_improvement",
        "self_support_wanted",
        "self_new_skills",
        "self_other_matters",
    ),
    "midyear": ("midyear_contributions",),
    "development_plan": ("development_plan_comment",),
    "comments": ("reviewee_comment",),
}
# Per objective: the self-evaluation (academy trust policy, Appendix 2) and mid-year progress.
OBJECTIVE_FIELDS = (
    "self_actions",
    "self_barriers",
    "self_training",
    "self_notes",
    "midyear_progress",
    "disagreement_note",
)
# ... in the order the page shows them.
OBJECTIVE_FORM = (
    "midyear_progress",
    "self_actions",
    "self_barriers",
    "self_training",
    "self_notes",
)
# The printed forms a reviewee downloads: key -> report.
PRINTED_FORMS = {
    "invitation_memo": "hr_school_performance.hr_performance_review_report_invitation_memo",
    "pre_review": "hr_school_performance.hr_performance_review_report_pre_review",
    "self_evaluation": "hr_school_performance.hr_performance_review_report_self_evaluation",
    "midyear": "hr_school_performance.hr_performance_review_report_midyear",
    "training_needs": "hr_school_performance.hr_performance_review_report_training_needs",
}
OBSERVATION_REPORT = "hr_school_performance.hr_performance_observation_report_record"


class PerformancePortal(CustomerPortal):
    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def _performance_record(self, model, record_id):
        """The record as the signed-in user, after checking they may read it; 404 for
        anything else, whether it exists or not."""
        try:
            self._document_check_access(model, record_id)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        return request.env[model].browse(record_id)

    def _performance_writable(self, record):
        """The fields the signed-in user may write on ``record`` now: the rights engine's
        answer, so the page offers only what the server accepts."""
        roles = record._get_user_roles()[record.id]
        return record._rights_fields_allowed(roles, record._get_rights_state())

    # ------------------------------------------------------------------
    # Home
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "performance_review_count" in counters:
            Review = request.env["hr.performance.review"]
            values["performance_review_count"] = (
                Review.search_count([("employee_user_id", "=", request.env.uid)])
                if Review.has_access("read")
                else 0
            )
        return values

    @http.route("/my/performance", type="http", auth="user", website=True)
    def portal_my_performance(self, **kw):
        reviews = request.env["hr.performance.review"].search(
            [("employee_user_id", "=", request.env.uid)]
        )
        values = self._prepare_portal_layout_values()
        values.update({"reviews": reviews, "page_name": "performance"})
        return request.render("hr_school_performance.portal_my_performance_reviews", values)

    # ------------------------------------------------------------------
    # A review and its forms
    # ------------------------------------------------------------------
    @http.route(
        "/my/performance/<int:review_id>", type="http", auth="user", website=True, readonly=False
    )
    def portal_performance_review(self, review_id, message=None, error=None, **kw):
        review = self._performance_record("hr.performance.review", review_id)
        values = self._prepare_portal_layout_values()
        values.update(self._performance_review_values(review))
        values.update({"message": message, "error": error})
        return request.render("hr_school_performance.portal_performance_review", values)

    def _performance_review_values(self, review):
        writable = self._performance_writable(review)
        objectives = review.objective_ids if review.has_objectives_section else review.browse()
        objective_writable = {o.id: self._performance_writable(o) for o in objectives}
        observations = review.observation_ids.filtered(lambda o: o.state == "shared")
        # sudo: the reviewee knows who reviews them; the employee record itself stays closed.
        reviewer_name = review.sudo().reviewer_id.name
        return {
            "page_name": "performance_review",
            "review": review,
            "reviewer_name": reviewer_name,
            "writable": writable,
            "sections": REVIEW_SECTIONS,
            "objectives": objectives,
            "objective_writable": objective_writable,
            "objective_editable": {
                o.id: [f for f in OBJECTIVE_FORM if f in objective_writable[o.id]]
                for o in objectives
            },
            "objective_filled": {o.id: [f for f in OBJECTIVE_FORM if o[f]] for o in objectives},
            "observations": observations,
            "observation_writable": {o.id: self._performance_writable(o) for o in observations},
            "behaviours": review.behaviour_ids,
            "development_plan": review.development_plan_ids,
            "field_labels": {
                name: field._description_string(request.env)
                for model in (review, review.objective_ids)
                for name, field in model._fields.items()
            },
            "printed_forms": self._performance_printed_forms(review),
        }

    def _performance_printed_forms(self, review):
        labels = {
            "invitation_memo": request.env._("Invitation memo"),
            "pre_review": request.env._("Pre-review meeting form"),
            "self_evaluation": request.env._("Self-evaluation form"),
            "midyear": request.env._("Mid-year review form"),
            "training_needs": request.env._("Training and development needs"),
        }
        return [(key, labels[key]) for key in PRINTED_FORMS]

    def _performance_redirect(self, review, message=None, error=None):
        url = f"/my/performance/{review.id}"
        if error:
            return request.redirect(f"{url}?{self._performance_query('error', error)}")
        if message:
            return request.redirect(f"{url}?{self._performance_query('message', message)}")
        return request.redirect(url)

    def _performance_query(self, key, text):
        return urlencode({key: text})

    def _performance_save(self, record, vals, review):
        """Write ``vals`` as the signed-in user; a refusal comes back to the page, saying
        why, with nothing written."""
        if not vals:
            return self._performance_redirect(review)
        try:
            with request.env.cr.savepoint():
                record.write(vals)
        except (AccessError, UserError, ValidationError) as error:
            return self._performance_redirect(review, error=str(error))
        return self._performance_redirect(review, message=request.env._("Saved."))

    @http.route(
        "/my/performance/<int:review_id>/save",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_performance_review_save(self, review_id, section=None, **post):
        review = self._performance_record("hr.performance.review", review_id)
        if section not in REVIEW_SECTIONS:
            raise NotFound()
        vals = {name: post[name] for name in REVIEW_SECTIONS[section] if name in post}
        if post.get("return_form") and section in ("job_chat", "pre_review"):
            if not review.date_self_evaluation:
                vals["date_self_evaluation"] = fields.Date.context_today(review)
        return self._performance_save(review, vals, review)

    @http.route(
        "/my/performance/objective/<int:objective_id>/save",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_performance_objective_save(self, objective_id, **post):
        objective = self._performance_record("hr.performance.objective", objective_id)
        vals = {name: post[name] for name in OBJECTIVE_FIELDS if name in post}
        return self._performance_save(objective, vals, objective.review_id)

    @http.route(
        "/my/performance/observation/<int:observation_id>/save",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_performance_observation_save(self, observation_id, **post):
        observation = self._performance_record("hr.performance.observation", observation_id)
        review = observation.review_id
        try:
            with request.env.cr.savepoint():
                if "reviewee_comments" in post:
                    observation.write({"reviewee_comments": post["reviewee_comments"]})
                if post.get("acknowledge") and not observation.date_acknowledged:
                    observation.action_acknowledge_record()
        except (AccessError, UserError, ValidationError) as error:
            return self._performance_redirect(review, error=str(error))
        return self._performance_redirect(review, message=request.env._("Saved."))

    # ------------------------------------------------------------------
    # Downloads
    # ------------------------------------------------------------------
    @http.route(
        "/my/performance/<int:review_id>/print/<string:form>",
        type="http",
        auth="user",
        website=True,
        readonly=False,
    )
    def portal_performance_print(self, review_id, form, **kw):
        review = self._performance_record("hr.performance.review", review_id)
        if form not in PRINTED_FORMS:
            raise NotFound()
        return self._performance_pdf(review, PRINTED_FORMS[form])

    @http.route(
        "/my/performance/observation/<int:observation_id>/print",
        type="http",
        auth="user",
        website=True,
        readonly=False,
    )
    def portal_performance_observation_print(self, observation_id, **kw):
        observation = self._performance_record("hr.performance.observation", observation_id)
        if observation.state != "shared":
            raise NotFound()
        return self._performance_pdf(observation, OBSERVATION_REPORT)

    def _performance_pdf(self, record, report_ref):
        """The printed form of ``record``, which the caller was checked to read. Rendered as
        superuser as Odoo's portal does (``_show_report``): the form reads the reviewee's
        employee record, which a portal user may not read directly."""
        # sudo: access to the one record was checked by _performance_record.
        Report = request.env["ir.actions.report"].sudo().with_company(record.company_id)
        pdf, __ = Report._render_qweb_pdf(report_ref, record.ids)
        name = Report._get_report(report_ref).name
        filename = re.sub(r"\W+", "_", f"{name} {record.sudo().display_name}") + ".pdf"
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    # ------------------------------------------------------------------
    # Sign-up from an invitation
    # ------------------------------------------------------------------
    @http.route(
        "/performance/join",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        sitemap=False,
        readonly=False,
    )
    def performance_join(self, code=None, password=None, confirm=None, **kw):
        template = "hr_school_performance.portal_performance_join"
        values = {"code": code or "", "error": None}
        if request.httprequest.method != "POST":
            return request.render(template, values)
        # sudo: the refused sign-ups are the system's record (the visitor is public); they
        # are counted in the database so that every worker of the server sees them.
        Attempt = request.env["hr.performance.portal.join.attempt"].sudo()
        address = request.httprequest.remote_addr
        until = Attempt._locked_until(address, code)
        if until:
            # Refused before the code is even looked at: a right code too, until the end.
            values["error"] = Attempt._lock_message(until)
            return request.render(template, values, status=429)
        if (password or "") != (confirm or ""):
            Attempt._record_failure(address, code, "password")
            values["error"] = request.env._("The two passwords differ.")
            return request.render(template, values)
        # sudo: a visitor holding a valid one-time code sets the password of the portal
        # user it was made for; the code is checked against its hash, once.
        Invitation = request.env["hr.performance.portal.invitation"].sudo()
        try:
            with request.env.cr.savepoint():
                invitation = Invitation._redeem(code, password)
        except UserError as error:
            found = Invitation._find_by_code(code)
            reason = "password" if found and found.state == "open" else "code"
            Attempt._record_failure(address, code, reason)
            values["error"] = str(error)
            return request.render(template, values)
        credential = {
            "login": invitation.user_id.login,
            "password": password,
            "type": "password",
        }
        request.session.authenticate(request.env, credential)
        return request.redirect("/my/performance")
