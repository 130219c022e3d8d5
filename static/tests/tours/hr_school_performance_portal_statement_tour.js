import { registry } from "@web/core/registry";

/**
 * A member of staff without a back-office login, on a phone-sized screen, comments on the
 * statement her reviewer sent, signs it with the portal signature widget once it is final,
 * and downloads the signed copy. The Python test (tests/test_portal_statement.py) runs the
 * reviewer's steps between these tours and checks what was saved.
 */
registry.category("web_tour.tours").add("hr_school_performance_portal_statement_comment_tour", {
    steps: () => [
        {
            content: "Open the statement from the review",
            trigger: ".o_hsp_portal_statement_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Comment on the draft",
            trigger: "textarea[name=reviewee_comments]",
            run: "edit Please add the first-aid refresher.",
        },
        {
            content: "Ask for changes",
            trigger: "input[name=change_requested]",
            run: "click",
        },
        {
            content: "Return the comments",
            trigger: ".o_hsp_statement_return",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Returned",
            trigger: ".o_hsp_portal_message:contains('returned to your reviewer')",
        },
    ],
});

registry.category("web_tour.tours").add("hr_school_performance_portal_statement_sign_tour", {
    steps: () => [
        {
            content: "The name is filled in",
            trigger: ".o_hsp_statement_sign .o_web_sign_name_and_signature input:value(Tina Assistant)",
        },
        {
            content: "The typed signature is drawn",
            trigger: ".o_hsp_statement_sign canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            content: "Sign",
            trigger: ".o_hsp_statement_sign .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Signed by both",
            trigger: ".o_hsp_portal_message:contains('you signed the statement')",
        },
        {
            trigger: ".o_hsp_statement_download",
        },
    ],
});

registry.category("web_tour.tours").add("hr_school_performance_portal_statement_download_tour", {
    steps: () => [
        {
            content: "The download is the signed PDF",
            trigger: ".o_hsp_statement_download",
            async run() {
                const link = document.querySelector(".o_hsp_statement_download");
                const response = await fetch(link.getAttribute("href"));
                const bytes = new Uint8Array(await response.arrayBuffer());
                const head = String.fromCharCode(...bytes.slice(0, 4));
                if (response.status !== 200 || head !== "%PDF") {
                    throw new Error(`Not the signed PDF: ${response.status} ${head}`);
                }
            },
        },
    ],
});
