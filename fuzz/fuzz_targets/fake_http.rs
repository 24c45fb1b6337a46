#![no_main]
// No `#![forbid(unsafe_code)]`: the fuzz_target! macro exports an
// unmangled symbol, which the 2024 edition counts as unsafe.

// The check lives in scim-fuzz-checks, so that the stable replay of the
// corpus runs exactly what this target runs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| scim_fuzz_checks::fake_http(data));
