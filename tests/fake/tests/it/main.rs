//! `scim-fake` over real HTTP, one module per topic, linked into one test
//! binary so the fake and its dependencies are linked once.

mod cli;
mod faults;
mod hardening;
mod indexes;
mod limits;
mod lists;
mod page_cost;
mod protocol;
mod support;
mod users;
