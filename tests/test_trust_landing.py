from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .common import COLLEAGUE, HR_MANAGER, HrSchoolPerformanceCase


@tagged("post_install", "-at_install")
class TestTrustLanding(HrSchoolPerformanceCase, HttpCase):
    """A trust-level user opens the web client on the trust and the schools under it,
    not on the trust alone (where no review lives)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The trust's HR manager signs in on the trust; a company outside the trust that
        # they are also allowed in is not landed on.
        cls.outsider = cls.env["res.company"].create({"name": "Landing Outsider"})
        cls.trust_officer = cls.users[HR_MANAGER]
        cls.trust_officer.company_ids = [Command.link(cls.outsider.id)]
        cls.school_user = cls.users[COLLEAGUE]

    def _open_web_client(self, login, cookies=None):
        self.authenticate(login, login)
        if cookies:
            self.opener.cookies.update(cookies)
        response = self.url_open("/odoo")
        self.assertEqual(response.status_code, 200)
        return response

    def test_trust_user_lands_on_trust_and_schools(self):
        response = self._open_web_client(self.trust_officer.login)
        schools = self.school | self.other_school
        expected = "-".join(map(str, [self.trust.id, *sorted(schools.ids)]))
        self.assertEqual(response.cookies.get("cids"), expected)
        # the session info the web client boots from names the trust as default company
        info = self.url_open(
            "/web/session/get_session_info", json={"jsonrpc": "2.0", "params": {}}
        ).json()["result"]
        self.assertEqual(info["user_companies"]["current_company"], self.trust.id)

    def test_own_choice_is_kept(self):
        response = self._open_web_client(
            self.trust_officer.login, cookies={"cids": str(self.other_school.id)}
        )
        self.assertNotIn("cids", response.cookies)

    def test_school_user_unchanged(self):
        response = self._open_web_client(self.school_user.login)
        self.assertNotIn("cids", response.cookies)
