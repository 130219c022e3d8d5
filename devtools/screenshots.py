"""Screenshots of each demo role's screens, taken in real headless Chromium.

Run against a running demo (``make demo`` in another terminal), e.g.::

    make screenshots                      # every role, into .build/screenshots/
    make screenshots ROLES="payroll observer" SIZE=390x844

For each demo login (password = login) it signs in through the normal login page and
opens the screens that role works from, saving one PNG per screen. The pictures are for
people to look at (and for the README); nothing here asserts anything, the tests do.
Chromium is driven over the DevTools protocol with ``websocket-client`` (an Odoo
requirement), the same way Odoo's own test browser drives it.
"""

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

A = "hr_school_performance"
# What each role opens: (file name, path). Paths are Odoo 19 web client URLs.
SCREENS = {
    "hr.manager": [
        ("job_groups", f"/odoo/action-{A}.hr_performance_job_group_action"),
        ("scales", f"/odoo/action-{A}.hr_performance_scale_action"),
    ],
    "hr.officer": [
        ("cycles", f"/odoo/action-{A}.hr_performance_cycle_action"),
        ("reviews", f"/odoo/action-{A}.hr_performance_review_action"),
        ("deadlines", f"/odoo/action-{A}.hr_performance_deadline_action"),
        ("access_log", f"/odoo/action-{A}.hr_performance_access_log_action"),
    ],
    "head.oakfield": [
        ("reviews", f"/odoo/action-{A}.hr_performance_review_action"),
        ("deadlines", f"/odoo/action-{A}.hr_performance_deadline_action"),
        ("moderate", f"/odoo/action-{A}.hr_performance_review_moderation_action"),
        ("workload", f"/odoo/action-{A}.hr_performance_reviewer_workload_action"),
        ("completion", f"/odoo/action-{A}.hr_performance_review_analysis_action_completion"),
        ("statements", f"/odoo/action-{A}.hr_performance_statement_action"),
        ("appeals", f"/odoo/action-{A}.hr_performance_appeal_action"),
    ],
    "reviewer.ta": [
        ("reviews", f"/odoo/action-{A}.hr_performance_review_action"),
        ("objectives", f"/odoo/action-{A}.hr_performance_objective_action"),
    ],
    "reviewee.ta": [
        ("reviews", f"/odoo/action-{A}.hr_performance_review_action"),
        ("objectives", f"/odoo/action-{A}.hr_performance_objective_action"),
    ],
    "cpd.leader": [("training_needs", f"/odoo/action-{A}.hr_performance_training_need_action")],
    "payroll": [
        ("pay_progression", f"/odoo/action-{A}.hr_performance_pay_eligibility_action"),
        ("payroll_interface", f"/odoo/action-{A}.hr_performance_payroll_outcome_action"),
    ],
    "governor": [
        # The headteacher's review she reviews as the chair of the governors' panel.
        ("headteacher_review", f"/odoo/action-{A}.hr_performance_review_action"),
        ("pay_progression", f"/odoo/action-{A}.hr_performance_pay_eligibility_action"),
        ("outstanding", f"/odoo/action-{A}.hr_performance_pay_eligibility_action_outstanding"),
        ("governors_report", f"/odoo/action-{A}.hr_performance_governor_report_action"),
    ],
    "steve.collins": [("my_performance", "/my/performance")],
    "observer": [("observations", f"/odoo/action-{A}.hr_performance_observation_action")],
}
# The first record of the role's first list, opened as a form, when the list has one.
OPEN_FIRST = {"reviewer.ta", "reviewee.ta", "head.oakfield", "observer", "governor"}

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """One headless Chromium page, driven over the DevTools protocol."""

    def __init__(self, width, height):
        self.profile = tempfile.mkdtemp(prefix="hsp-chromium-")
        port = free_port()
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if not binary:
            sys.exit("ERROR: chromium not found (Debian package 'chromium')")
        self.proc = subprocess.Popen(  # noqa: S603
            [
                binary,
                *CHROMIUM_FLAGS,
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        targets = None
        for _attempt in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as resp:  # noqa: S310
                    targets = [t for t in json.load(resp) if t["type"] == "page"]
                if targets:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        if not targets:
            self.close()
            sys.exit("ERROR: chromium did not start")
        # No Origin header: newer Chromium refuses DevTools connections from an origin it
        # was not told to allow.
        self.ws = websocket.create_connection(
            targets[0]["webSocketDebuggerUrl"], timeout=60, suppress_origin=True
        )
        self.next_id = 0
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, expression, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(expression):
                return True
            time.sleep(0.25)
        return False

    def goto(self, url):
        self.send("Page.navigate", url=url)
        time.sleep(0.5)
        self.wait_for("document.readyState === 'complete'")

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def close(self):
        if getattr(self, "ws", None):
            self.ws.close()
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


# The web client has finished loading a view: its control panel is there and no
# request is pending (the loading indicator is gone).
VIEW_READY = (
    "!!document.querySelector('.o_action_manager .o_control_panel, .o_portal_wrap, .o_portal')"
    " && !document.querySelector('.o_loading_indicator, .o_blockUI')"
)


def shoot_role(base, login, out_dir, width, height):
    browser = Browser(width, height)
    taken = []
    try:
        browser.goto(f"{base}/web/login")
        browser.evaluate(
            f"document.querySelector('input[name=login]').value = {json.dumps(login)};"
            f"document.querySelector('input[name=password]').value = {json.dumps(login)};"
            "document.querySelector('form.oe_login_form').submit();"
        )
        time.sleep(1)
        if not browser.wait_for("!location.pathname.startsWith('/web/login')", timeout=30):
            print(f"  {login}: could not sign in", file=sys.stderr)
            return taken
        for name, path in SCREENS[login]:
            browser.goto(base + path)
            browser.wait_for(VIEW_READY)
            time.sleep(1.5)
            target = out_dir / f"{login.replace('.', '_')}-{name}.png"
            browser.screenshot(target)
            taken.append(target)
            if login in OPEN_FIRST and name == SCREENS[login][0][0]:
                opened = browser.evaluate(
                    "(() => { const row = document.querySelector('.o_data_row .o_data_cell,"
                    " .o_kanban_record'); if (row) { row.click(); return true; }"
                    " return false; })()"
                )
                if opened and browser.wait_for("!!document.querySelector('.o_form_view')"):
                    time.sleep(2)
                    target = out_dir / f"{login.replace('.', '_')}-{name}-form.png"
                    browser.screenshot(target)
                    taken.append(target)
    finally:
        browser.close()
    return taken


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("HSP_URL", "http://127.0.0.1:8069"))
    parser.add_argument("--out", default=".build/screenshots")
    parser.add_argument("--size", default="1440x900", help="viewport, e.g. 390x844 for a phone")
    parser.add_argument("roles", nargs="*", help=f"logins (default: {' '.join(SCREENS)})")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    unknown = set(args.roles) - set(SCREENS)
    if unknown:
        sys.exit(f"ERROR: unknown role(s) {', '.join(sorted(unknown))}; known: {' '.join(SCREENS)}")
    try:
        urllib.request.urlopen(f"{args.url}/web/login", timeout=10).close()  # noqa: S310
    except OSError as exc:
        sys.exit(f"ERROR: no Odoo at {args.url} ({exc}); start it with 'make demo' first")
    for login in args.roles or SCREENS:
        for path in shoot_role(args.url, login, out_dir, width, height):
            print(path)


if __name__ == "__main__":
    main()
