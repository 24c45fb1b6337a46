//! The sync engine's integration tests over real HTTP against `scim-fake`,
//! one module per behaviour, linked into one binary.

mod dead_server;
mod diff_props;
mod engine;
mod exact_apply;
mod exclusions;
mod group_guards;
mod incremental;
mod listing_cost;
mod lost_answers;
mod matching;
mod on_demand;
mod pacing;
mod plan_safety;
mod rehires;
mod report_counts;
mod retry_budget;
mod saved_plans;
mod toolkit;
mod user_groups;
mod work_queue;
mod write_scope;
mod writes_by_id;
