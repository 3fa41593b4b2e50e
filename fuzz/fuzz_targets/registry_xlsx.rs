#![no_main]
// The `registry_xlsx` target of sohoa::fuzz under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| sohoa::fuzz::run("registry_xlsx", data));
