import { registry } from "@web/core/registry";

/**
 * The planning and review statement in a real browser, one tour per person and step
 * (tests/test_statement_http.py runs them in turn with the right login and checks the
 * result): the reviewer drafts and sends it, the reviewee comments, the reviewer
 * finalises and signs, the reviewee signs, then downloads the signed PDF.
 */
const sign = [
    {
        content: "Open the signing form",
        trigger: ".o_form_statusbar button[name=action_open_sign]",
        run: "click",
    },
    {
        content: "Sign with the signature widget",
        trigger: ".modal .o_field_widget[name=signature] .o_signature",
        run: "click",
    },
    {
        content: "Adopt the typed signature",
        trigger: ".modal-footer button.btn-primary:contains('Adopt'):enabled",
        run: "click",
    },
    {
        trigger: ".modal .o_field_widget[name=signature] img.o_signature",
    },
    {
        content: "Confirm",
        trigger: ".modal-footer button[name=action_confirm]",
        run: "click",
    },
    {
        trigger: "body:not(:has(.modal))",
    },
];

registry.category("web_tour.tours").add("hr_school_performance_statement_draft_tour", {
    steps: () => [
        {
            content: "Draft the statement from the review",
            trigger: ".o_form_statusbar button[name=action_draft_statement]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=state] .o_arrow_button_current:contains('Draft')",
        },
        {
            content: "Write the overall assessment",
            trigger: ".o_field_widget[name=overall_assessment] textarea",
            run: "edit A year of steady progress in phonics.",
        },
        {
            content: "Send it to the reviewee",
            trigger: ".o_form_statusbar button[name=action_send]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Sent')",
        },
    ],
});

registry.category("web_tour.tours").add("hr_school_performance_statement_comment_tour", {
    steps: () => [
        {
            content: "Open the comments",
            trigger: ".o_notebook a:contains('Reviewee')",
            run: "click",
        },
        {
            content: "Comment on the draft",
            trigger: ".o_field_widget[name=reviewee_comments] textarea",
            run: "edit I agree; please add the Makaton course.",
        },
        {
            content: "Return the comments",
            trigger: ".o_form_statusbar button[name=action_return_comments]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Comments')",
        },
    ],
});

registry.category("web_tour.tours").add("hr_school_performance_statement_finalise_tour", {
    steps: () => [
        {
            content: "Finalise",
            trigger: ".o_form_statusbar button[name=action_finalise]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Final')",
        },
        ...sign,
    ],
});

registry.category("web_tour.tours").add("hr_school_performance_statement_sign_tour", {
    steps: () => [
        ...sign,
        {
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Signed')",
        },
    ],
});

registry.category("web_tour.tours").add("hr_school_performance_statement_download_tour", {
    steps: () => [
        {
            content: "Keep the URL the download opens",
            trigger: ".o_form_statusbar button[name=action_download_signed_pdf]",
            run() {
                const { browser } = odoo.loader.modules.get("@web/core/browser/browser");
                window.hspOpened = [];
                browser.open = (url) => window.hspOpened.push(url);
            },
        },
        {
            content: "Download the signed PDF",
            trigger: ".o_form_statusbar button[name=action_download_signed_pdf]",
            run: "click",
        },
        {
            content: "The download is the signed PDF",
            trigger: "body",
            async run() {
                for (let i = 0; i < 50 && !window.hspOpened.length; i++) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }
                const response = await fetch(window.hspOpened[0]);
                const bytes = new Uint8Array(await response.arrayBuffer());
                const head = String.fromCharCode(...bytes.slice(0, 4));
                if (response.status !== 200 || head !== "%PDF") {
                    throw new Error(`Not the signed PDF: ${response.status} ${head}`);
                }
            },
        },
    ],
});
