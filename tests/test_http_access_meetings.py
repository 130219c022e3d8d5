import json

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import (
    COLLEAGUE,
    CPD_LEADER,
    FORMER_REVIEWER,
    HEAD_B,
    PAYROLL,
    REVIEWEE,
)
from .test_leak_paths_meetings import PerformanceMeetingCase


@tagged("post_install", "-at_install")
class TestHttpAccessMeetings(PerformanceMeetingCase, HttpCase):
    """The browser's routes around a review: the meeting invitation through /web/content,
    the chatter and followers through the /mail data routes."""

    freeze_today = False

    @mute_logger("odoo.http")
    def test_invitation_download(self):
        ics = self.ics.filtered(lambda a: a.name == "invitation.ics")[:1]
        self.assertTrue(ics)
        url = f"/web/content/{ics.id}?download=true"
        for role in (COLLEAGUE, PAYROLL, CPD_LEADER, HEAD_B, FORMER_REVIEWER):
            with self.subTest(role=role):
                self._login(role)
                response = self.url_open(url)
                self.assertIn(response.status_code, (403, 404))
                self.assertNotIn(b"VCALENDAR", response.content)
        self._login(REVIEWEE)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"BEGIN:VCALENDAR", response.content)

    def test_mail_routes(self):
        self.meeting.message_post(
            body="Room changed to the library", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        with self.former_reviewer_back():
            sent = self.review.message_post(
                body="Please prepare the mid-year notes",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.users[FORMER_REVIEWER].partner_id.ids,
            )
        self.env.cr.flush()
        reviewee_name = self.users[REVIEWEE].name
        for role in (COLLEAGUE, PAYROLL, HEAD_B):
            with self.subTest(role=role):
                self._login(role)
                messages = self.make_jsonrpc_request(
                    "/mail/thread/messages",
                    {"thread_model": "calendar.event", "thread_id": self.meeting.id},
                )
                self.assertEqual(messages["messages"], [])
                self.assertNotIn("library", json.dumps(messages))
                data = self.make_jsonrpc_request(
                    "/mail/data",
                    {
                        "fetch_params": [
                            [
                                "mail.thread",
                                {
                                    "thread_model": "calendar.event",
                                    "thread_id": self.meeting.id,
                                    "request_list": ["followers", "attachments"],
                                },
                            ]
                        ]
                    },
                )
                dumped = json.dumps(data)
                self.assertNotIn("invitation.ics", dumped)
                self.assertNotIn(reviewee_name, dumped)
        # The replaced reviewer's inbox no longer shows what was sent to him on the review.
        self._login(FORMER_REVIEWER)
        inbox = self.make_jsonrpc_request("/mail/inbox/messages", {})
        self.assertNotIn(sent.id, inbox["messages"])
        self.assertNotIn("mid-year notes", json.dumps(inbox))
        # The reviewee still reads the meeting's chatter.
        self._login(REVIEWEE)
        messages = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "calendar.event", "thread_id": self.meeting.id},
        )
        self.assertIn("library", json.dumps(messages))
