//! Every integration test of scim-sdk, one module per topic, linked into one
//! binary so the SDK and the fake are linked once. Shared helpers live in
//! this package's library (`scim_sdk_integration_tests`).

mod e2e_flows;
mod e2e_operations;
mod environment;
mod etags;
mod fake_faults;
mod fake_interop;
mod fake_props;
mod finding;
mod hardening;
mod models;
mod network;
mod pagination;
mod patch_no_content;
mod rate_limit;
mod replay;
mod request_bodies;
mod retry_after;
mod runtime_auth;
mod runtime_errors;
mod runtime_retry;
mod runtime_safety;
mod runtime_timeouts;
mod runtime_tracing;
mod shared_client;
mod wire;
