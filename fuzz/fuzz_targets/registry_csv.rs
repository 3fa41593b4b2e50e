#![no_main]
// The `registry_csv` target of sohoa::fuzz under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| sohoa::fuzz::run("registry_csv", data));
