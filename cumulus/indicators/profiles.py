"""Booklet profiles: each seed partnership's indicators, in its strategy's order and sections."""

from __future__ import annotations

PROFILES: dict[str, dict[str, list[str]]] = {
    "newcastle": {
        "Outcome indicators (10.1)": [
            "early_help_assessments_neglect",
            "repeat_cp_plans_neglect",
            "repeat_referrals_after_assessment",
            "persistent_absence_neglect",
            "children_looked_after",
            "neglect_training_uptake",
            "neglect_training_evaluation",
            "immunisations_missed",
            "health_visitor_mandated_checks",
        ],
        "Context (1.2)": [
            "neglect_cp_plans_starting_rate",
            "cp_plans_starting_neglect_share",
            "cp_plans_open_neglect_share",
        ],
    },
    "hillingdon": {
        "Measures of success (7.1)": [
            "voice_of_child_in_audits",
            "training_places_filled",
            "repeat_cp_plans_neglect",
            "repeat_referrals_after_assessment",
            "early_help_plans_neglect",
            "gcp2_use_neglect_plans",
            "neglect_cp_plan_length",
            "gcp2_in_audited_cases",
        ],
    },
    "bury": {
        "Workforce": [
            "neglect_training_uptake",
            "communication_training_uptake",
            "neglect_training_evaluation",
            "whole_family_training_uptake",
        ],
        "Early help": [
            "gcp2_use_by_agency",
            "gcp2_use_neglect_plans",
            "gcp2_in_audited_cases",
            "early_help_assessments_neglect",
            "children_receiving_early_help_neglect",
            "early_help_to_referrals_neglect",
        ],
        "Children's social care": [
            "referrals_neglect_share",
            "neglect_referrals_to_statutory_assessment",
            "cin_plans_over_6_months",
            "neglect_outcomes_achieved",
            "repeat_referrals_within_2_years_neglect",
            "children_on_cp_plan_neglect",
            "cp_reregistration_within_2_years_neglect",
            "cin_plans_neglect",
            "cin_plans_neglect_duration",
            "looked_after_neglect",
            "step_downs",
        ],
        "Health and education": [
            "under_5s_childcare_neglect",
            "school_attendance_neglect",
            "neet_16_17_neglect",
            "dental_extractions",
            "health_appointments_not_brought",
        ],
        "Learning": ["learning_reviews_neglect"],
    },
    "norfolk": {
        "Dashboard": [
            "cp_plans_starting_neglect_share",
            "neglect_cp_plans_starting_rate",
            "neglect_cp_contributory_factors",
            "adolescent_neglect_referrals",
            "neglect_by_type_and_age",
        ],
    },
    "cumbria": {
        "Impact Framework: quantify": [
            "neglect_by_type_and_age",
            "adolescent_neglect_referrals",
            "toolkit_use_neglect_cases",
        ],
    },
}
