#![no_main]
// The `page_result` target of sohoa::fuzz under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| sohoa::fuzz::run("page_result", data));
