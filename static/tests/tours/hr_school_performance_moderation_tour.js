import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * The headteacher draws the moderation sample of a cycle, confirms one statement and
 * instructs a revised statement for the other. The Python test
 * (tests/test_moderation_tour.py) creates the data and checks the result.
 */
registry.category("web_tour.tours").add("hr_school_performance_moderation_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "hr_school_performance.hr_school_performance_menu_root",
            "Open the Performance app"
        ),
        {
            content: "Open Moderation & Pay",
            trigger: "button[data-menu-xmlid='hr_school_performance.hr_performance_pay_decision_menu_root']",
            run: "click",
        },
        {
            content: "Go to Moderation",
            trigger: "[data-menu-xmlid='hr_school_performance.hr_performance_moderation_menu']",
            run: "click",
        },
        {
            content: "Open the cycle's moderation",
            trigger: ".o_list_view .o_data_row:contains('Tour Lunchtime') .o_data_cell[name=cycle_id]",
            run: "click",
        },
        {
            content: "Draw the sample",
            trigger: ".o_form_view button[name=action_draw_sample]",
            run: "click",
        },
        {
            content: "The seed is recorded",
            trigger: ".o_form_view .o_field_widget[name=sample_seed]",
        },
        {
            content: "Moderate the statements",
            trigger: ".o_form_view button[name=action_open_reviews]",
            run: "click",
        },
        {
            content: "Confirm the first statement of the sample",
            trigger: ".o_list_view .o_data_row:first button[name=action_moderation_confirm]",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:first .o_field_widget[name=moderation_state]:contains('Confirmed')",
        },
        {
            content: "Instruct a revised statement for the other",
            trigger: ".o_list_view .o_data_row:eq(1) button[name=action_open_moderation_revise]",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Objectives not consistent with colleagues of similar experience.",
        },
        {
            trigger: ".modal .modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The revision is instructed",
            trigger: ".o_list_view .o_data_row:eq(1) .o_field_widget[name=moderation_state]:contains('Revision instructed')",
        },
    ],
});

/**
 * A governor (pay committee) records the pay decision on a final outcome from the list of
 * decisions still outstanding.
 */
registry.category("web_tour.tours").add("hr_school_performance_pay_decision_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "hr_school_performance.hr_school_performance_menu_root",
            "Open the Performance app"
        ),
        {
            trigger: "button[data-menu-xmlid='hr_school_performance.hr_performance_pay_decision_menu_root']",
            run: "click",
        },
        {
            content: "Go to Decisions Outstanding",
            trigger: "[data-menu-xmlid='hr_school_performance.hr_performance_pay_outstanding_menu']",
            run: "click",
        },
        {
            content: "Expand the school",
            trigger: ".o_list_view .o_group_header:contains('Test Primary School')",
            run: "click",
        },
        {
            content: "Record Tom's decision",
            trigger: ".o_list_view .o_data_row:contains('Tom Assistant') button[name=action_record_decision]",
            run: "click",
        },
        {
            content: "Progression awarded",
            trigger: ".o_form_view .o_field_widget[name=awarded] input[data-value=awarded]",
            run: "click",
        },
        {
            // Odoo 19 shows a filled date (today's, by default) as a button until focused.
            content: "Open the decision date",
            trigger: ".o_form_view .o_field_widget[name=date_decision] button",
            run: "click",
        },
        {
            content: "Decided on 15 October",
            trigger: ".o_form_view .o_field_widget[name=date_decision] input",
            run: "edit 10/15/2026 && press Escape",
        },
        {
            content: "Effective from 1 November",
            trigger: ".o_form_view .o_field_widget[name=date_effective] input",
            run: "edit 11/01/2026 && press Escape",
        },
        {
            content: "The recommended point",
            trigger: ".o_form_view .o_field_widget[name=new_point_id] input",
            run: "edit 8",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=new_point_id] .o-autocomplete--dropdown-item a:contains('point 8')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=new_point_id] input:value('Grade 4, point 8')",
        },
        ...stepUtils.saveForm(),
        {
            trigger: ".o_form_view .o_field_widget[name=decided_by_id]:contains('Governor')",
        },
    ],
});

/**
 * The payroll user opens the payroll interface and exports it.
 */
registry.category("web_tour.tours").add("hr_school_performance_payroll_export_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "hr_school_performance.hr_school_performance_menu_root",
            "Open the Performance app"
        ),
        {
            trigger: "button[data-menu-xmlid='hr_school_performance.hr_performance_pay_decision_menu_root']",
            run: "click",
        },
        {
            content: "Go to the payroll interface",
            trigger: "[data-menu-xmlid='hr_school_performance.hr_performance_payroll_outcome_menu']",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains('Tom Assistant'):contains('point 8')",
        },
        {
            content: "Select every row",
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Open the actions",
            trigger: ".o_control_panel .o_cp_action_menus button",
            run: "click",
        },
        {
            content: "Export",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains('Export')",
            run: "click",
        },
        {
            content: "The export dialog offers the list's fields",
            trigger: ".modal .o_export_data_dialog",
        },
        {
            content: "Export (the file itself is checked in tests/test_payroll_interface.py)",
            trigger: ".modal .modal-footer button.o_select_button",
            run: "click",
        },
    ],
});
