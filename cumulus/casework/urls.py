from django.urls import path

from cumulus.casework import views

app_name = "casework"

urlpatterns = [
    path("tasks/", views.tasks, name="tasks"),
    path("children/<int:child_id>/", views.journey, name="journey"),
    path("children/<int:child_id>/allocate/", views.allocate, name="allocate"),
    path("contacts/<int:contact_id>/dsl-review/", views.contact_dsl_review, name="dsl-review"),
    path("assessments/<int:assessment_id>/take-on/", views.assessment_take_on, name="take-on"),
    path(
        "assessments/<int:assessment_id>/complete/",
        views.assessment_complete,
        name="assessment-complete",
    ),
    path(
        "referrals/<int:referral_id>/strategy-discussion/",
        views.strategy_discussion,
        name="strategy-discussion",
    ),
    path("referrals/<int:referral_id>/close/", views.referral_close, name="referral-close"),
    path("referrals/<int:referral_id>/looked-after/", views.looked_after, name="looked-after"),
    path("conferences/<int:conference_id>/", views.conference, name="conference"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("plans/<int:plan_id>/outcomes/new/", views.outcome_new, name="outcome-new"),
    path("outcomes/<int:outcome_id>/", views.outcome_update, name="outcome-update"),
    path("plans/<int:plan_id>/statements/new/", views.statement_new, name="statement-new"),
    path("plans/<int:plan_id>/measures/new/", views.measure_new, name="measure-new"),
    path("plans/<int:plan_id>/team/new/", views.team_new, name="team-new"),
    path("plans/<int:plan_id>/reviews/new/", views.review_new, name="review-new"),
    path("reviews/<int:review_id>/", views.review, name="review"),
    path("plans/<int:plan_id>/step-down/", views.step_down, name="step-down"),
    path("plans/<int:plan_id>/step-up/", views.step_up, name="step-up"),
]
