#![no_main]
// The `page_image` target of sohoa::fuzz under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| sohoa::fuzz::run("page_image", data));
