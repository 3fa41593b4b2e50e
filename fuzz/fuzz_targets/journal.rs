#![no_main]
// The `journal` target of sohoa::fuzz under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| sohoa::fuzz::run("journal", data));
