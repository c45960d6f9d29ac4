#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| imagelab_core::fuzzing::table(data));
