from lxml import etree

from odoo.tests import tagged, users, warmup

from .common import HEAD_A, HR_TRUST, REVIEWEE, REVIEWER, HrSchoolPerformanceCase

LOGIN = "hsp.%s"

# Fields that the list view's ``list_activity`` widget reads with ``activity_ids``
# (mail/static/src/views/web/fields/list_activity/list_activity.js).
LIST_ACTIVITY_FIELDS = {
    "activity_exception_decoration": {},
    "activity_exception_icon": {},
    "activity_state": {},
    "activity_summary": {},
    "activity_type_icon": {},
    "activity_type_id": {"fields": {"display_name": {}}},
}


def view_spec(model, view_type):
    """The ``specification`` the web client sends for ``model``'s default view of
    ``view_type`` as the current user: the view's fields, the display name of each
    relation, and the fields of the inline lists of its x2many fields."""
    views = model.get_views([(False, view_type)])
    arch = etree.fromstring(views["views"][view_type]["arch"])
    return _node_spec(arch, model._name, views["models"])


def _node_spec(node, model_name, models):
    fields_info = models[model_name]["fields"]
    spec = {}
    level = node.xpath("count(ancestor-or-self::field)")
    for field_node in node.xpath(f".//field[count(ancestor::field) = {level}]"):
        name = field_node.get("name")
        info = fields_info.get(name, {})
        if info.get("type") == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif info.get("type") in ("one2many", "many2many"):
            sub_list = field_node.find("list")
            if sub_list is not None:
                spec[name] = {"fields": _node_spec(sub_list, info["relation"], models)}
            else:
                spec[name] = {"fields": {"display_name": {}}}
        else:
            spec.setdefault(name, {})
        if field_node.get("widget") == "list_activity":
            spec.update(LIST_ACTIVITY_FIELDS)
    return spec


@tagged("post_install", "-at_install")
class TestQueryBudgets(HrSchoolPerformanceCase):
    """What the screens people open every day cost in queries, measured as the users who
    open them. A budget that grows is a regression to explain, not a number to bump.

    The reviewer and the headteacher each review half of a team of 10 and of a team of
    100 (the fixture's ``_group_with_staff``); the HR officer sees both teams. A list of
    100 reviews must cost what a list of 10 costs, but for the pager's count.

    Budgets measured on 2 December 2026: the form 34 queries (its web_read with the
    objectives, grants, access log and deadlines, and the access-log entry written); the
    list 12 for the reviewee, 11 for the reviewer, 13 for the headteacher and 12 for the
    trust's HR officer, one more past 80 rows. ``test_scale_query_budgets`` holds the
    same screens to issue 14's goals with 20 objectives on the form."""

    freeze_today = "2026-10-01 09:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.review = cls._launched_review(cls.ta_1)
        cls.small = cls._group_with_staff("Small team", 10)
        cls.large = cls._group_with_staff("Large team", 100)
        cls._launch(cls.small | cls.large)

    def _as_user(self, records):
        return records.with_env(self.env)

    @users(LOGIN % REVIEWER)
    @warmup
    def test_open_review_form_as_reviewer(self):
        """Opening the form: the web_read of the form's fields, and the access-log entry
        that the opening writes."""
        review = self._as_user(self.review)
        spec = view_spec(review, "form")
        log_before = self.env["hr.performance.access.log"].sudo().search_count([])
        with self.assertQueryCount(34):
            review.web_read(spec)
        self.assertEqual(
            self.env["hr.performance.access.log"].sudo().search_count([]), log_before + 1
        )

    @users(LOGIN % REVIEWEE)
    @warmup
    def test_review_list_as_reviewee(self):
        Review = self._as_user(self.env["hr.performance.review"])
        spec = view_spec(Review, "list")
        with self.assertQueryCount(12):
            result = Review.web_search_read([], spec, limit=80)
        self.assertEqual(result["length"], 1)

    @users(LOGIN % REVIEWER, LOGIN % HEAD_A, LOGIN % HR_TRUST)
    @warmup
    def test_review_list_of_10_and_of_100(self):
        Review = self._as_user(self.env["hr.performance.review"])
        spec = view_spec(Review, "list")
        budget = {LOGIN % REVIEWER: 11, LOGIN % HEAD_A: 13, LOGIN % HR_TRUST: 12}
        # The reviewer reviews every other member of each team; the others see them all.
        share = 2 if self.env.user == self.reviewer_user else 1
        # Each opens the list of both teams: the same number of queries for 10 and for 100
        # reviews, but for the pager's count of the rows past the first 80 (one query).
        for cycle, size in ((self.small, 10), (self.large, 100)):
            pager = 1 if size // share > 80 else 0
            self.env.invalidate_all()
            with self.assertQueryCount(**{login: n + pager for login, n in budget.items()}):
                result = Review.web_search_read([("cycle_id", "=", cycle.id)], spec, limit=80)
            self.assertEqual(result["length"], size // share)
