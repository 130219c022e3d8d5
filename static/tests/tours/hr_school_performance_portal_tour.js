import { registry } from "@web/core/registry";

/**
 * A member of staff without a back-office login signs up from her invitation (the start
 * URL carries the sign-up code, as the e-mail link and the letter do), opens her review
 * and completes the job chat, on a phone-sized screen. The Python test
 * (tests/test_portal_tour.py) sends the invitation and checks what was saved.
 */
registry.category("web_tour.tours").add("hr_school_performance_portal_tour", {
    steps: () => [
        {
            content: "Choose a password",
            trigger: ".o_hsp_join_form input[name=password]",
            run: "edit lunchtime-2026",
        },
        {
            content: "Confirm it",
            trigger: ".o_hsp_join_form input[name=confirm]",
            run: "edit lunchtime-2026",
        },
        {
            content: "Sign up",
            trigger: ".o_hsp_join_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the review",
            trigger: ".o_hsp_portal_reviews a:contains('Tina Assistant')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "What I like about my job",
            trigger: "#section_job_chat textarea[name=chat_likes]",
            run: "edit Helping the children at lunchtime",
        },
        {
            content: "What I dislike",
            trigger: "#section_job_chat textarea[name=chat_dislikes]",
            run: "edit Wet play in the hall",
        },
        {
            content: "What I need to do my job properly",
            trigger: "#section_job_chat textarea[name=chat_needs]",
            run: "edit Wet-weather games",
        },
        {
            content: "What I need to provide a good service",
            trigger: "#section_job_chat textarea[name=chat_service_needs]",
            run: "edit A radio to reach the office",
        },
        {
            content: "Training I would like",
            trigger: "#section_job_chat textarea[name=chat_training]",
            run: "edit Paediatric first aid",
        },
        {
            content: "Ideas for the team",
            trigger: "#section_job_chat textarea[name=chat_team_ideas]",
            run: "edit Play leaders from Year 6",
        },
        {
            content: "Send it to the reviewer",
            trigger: "#section_job_chat button[name=return_form]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Saved",
            trigger: ".o_hsp_portal_message:contains('Saved.')",
        },
    ],
});
