//! End-to-end chat tests: the real handler tree against the fake Bot API.

#[path = "../common/mod.rs"]
mod common;

// attendance
mod attendance;
mod audit;
mod bad_input;
mod binary;
mod broadcasts;
mod catch_up;
mod chaos;
mod chaos_year;
mod clock;
mod committee;
mod concurrency;
mod consent;
mod cross_roles;
mod double_taps;
mod hostile;
mod interruptions;
mod introductions;
mod languages;
mod meetings;
mod moves;
mod notices;
mod officer_digest;
mod onboarding;
mod ops;
mod overview;
mod paging;
mod personal;
mod pressure;
mod redelivery;
mod reports;
mod requests;
mod restart;
mod resubmit;
mod review_year;
mod roles_actions;
mod roster;
mod scale;
mod sheet_delivery;
mod sheet_races;
mod views;
mod ward_admin;
mod year_end;
