#![no_main]
// The `book_toml` target of sohoa::fuzz under libFuzzer.
libfuzzer_sys::fuzz_target!(|data: &[u8]| sohoa::fuzz::run("book_toml", data));
