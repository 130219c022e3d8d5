import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * An HR user configures a job group for the school's playworkers (April-March
 * cycle, job chat, mid-year review in November), creates and launches its
 * current cycle, then finds the review it created from the employee form.
 * The Python test (tests/test_ui_tour.py) creates the data and checks the result.
 */
registry.category("web_tour.tours").add("hr_school_performance_launch_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "hr_school_performance.hr_school_performance_menu_root",
            "Open the Performance app"
        ),
        {
            content: "Open the configuration menu",
            trigger: "button[data-menu-xmlid='hr_school_performance.hr_school_performance_menu_config']",
            run: "click",
        },
        {
            content: "Go to Job Groups",
            trigger: "[data-menu-xmlid='hr_school_performance.hr_performance_job_group_menu']",
            run: "click",
        },
        {
            content: "Create a job group",
            trigger: ".o_control_panel:contains('Job Groups') .o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Playworkers",
        },
        {
            content: "Add the job position",
            trigger: ".o_field_widget[name=job_ids] input",
            run: "edit Tour Playworker",
        },
        {
            trigger: ".o_field_widget[name=job_ids] .o-autocomplete--dropdown-item a:contains('Tour Playworker')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=job_ids] .o_tag:contains('Tour Playworker')",
        },
        {
            content: "Cycles start in April",
            trigger: ".o_field_widget[name=cycle_start_month] input",
            run: "click",
        },
        {
            trigger: ".o_select_menu_item:contains('April')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=cycle_start_month] input:value('April')",
        },
        {
            content: "Mid-year review in November",
            trigger: ".o_field_widget[name=midyear_offset_months] input",
            run: "edit 7",
        },
        {
            content: "Abbreviated process (job chat)",
            trigger: ".o_field_widget[name=process] input",
            run: "click",
        },
        {
            trigger: ".o_select_menu_item:contains('Abbreviated (job chat)')",
            run: "click",
        },
        {
            content: "At most five objectives (supervisors only)",
            trigger: ".o_field_widget[name=max_objectives] input",
            run: "edit 5",
        },
        ...stepUtils.saveForm(),
        {
            content: "Create the cycle containing today",
            trigger: "button[name=action_create_cycles]",
            run: "click",
        },
        {
            content: "Open the new cycle",
            trigger: ".o_list_view .o_data_row:contains('Playworkers') .o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "Launch it",
            trigger: ".o_form_view button[name=action_launch]",
            run: "click",
        },
        {
            content: "Confirm the launch",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The cycle is open",
            trigger: ".o_statusbar_status button[data-value=open][aria-checked=true]",
        },
        {
            trigger: "button[name=action_view_reviews] .o_stat_value:contains('2')",
        },
        ...stepUtils.goToAppSteps("hr.menu_hr_root", "Open the Employees app"),
        {
            content: "Find the playworker",
            trigger: ".o_searchview_input",
            run: "edit Olivia Bennett",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Open her employee form",
            trigger: ".o_kanban_record:contains('Olivia Bennett')",
            run: "click",
        },
        stepUtils.autoExpandMoreButtons(),
        {
            content: "Open her reviews",
            trigger: "button[name=action_view_performance_reviews]:contains('Reviews')",
            run: "click",
        },
        {
            content: "Open the review of the new cycle",
            trigger: ".o_list_view .o_data_row:contains('Playworkers') .o_data_cell[name=cycle_id]",
            run: "click",
        },
        {
            content: "The review is at the planning stage, with her line manager as reviewer",
            trigger: ".o_form_view .o_statusbar_status button[data-value=planning][aria-checked=true]",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=reviewer_id]:contains('Maria Manager')",
        },
        {
            content: "The job chat page is there for the abbreviated process",
            trigger: ".o_form_view .o_notebook .nav-link:contains('Job Chat')",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=chat_likes]",
        },
    ],
});
