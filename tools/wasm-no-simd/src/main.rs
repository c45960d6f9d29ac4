//! `wasm-no-simd IN OUT [--allow PREFIX …]`: makes ImageLab's fallback training worker compile in
//! browsers without WebAssembly SIMD.
//!
//! A wasm module with a single SIMD instruction is rejected as a whole where SIMD is missing,
//! even if that instruction never runs. The fallback worker is built without `+simd128` and
//! without burn's SIMD kernels, yet the matrix-multiply crate `gemm` always compiles its simd128
//! micro-kernels for wasm (with `#[target_feature(enable = "simd128")]`) and picks them at run
//! time only when told SIMD is there (`gemm_common::set_wasm_simd128`, off unless its
//! `wasm-simd128-enable` feature is on, which only burn's `simd` feature turns on). Those kernels
//! are dead code in that build, but present.
//!
//! This step finds every function whose body uses SIMD (an instruction with the 0xFD prefix, or a
//! `v128` local), checks by the module's name section that each one is on the allow list (name
//! prefixes, e.g. `gemm_f32::microkernel::simd128::`), and replaces its body with `unreachable`:
//! if one were ever called it would trap loudly instead of computing. Anything else that uses SIMD,
//! a SIMD type in a signature or global, or a missing name section is an error, so a dependency
//! that starts using SIMD for real stops the build instead of being silently cut out. `simd128` is
//! also dropped from the `target_features` section, so binaryen (`wasm-opt`, which enables what
//! that section lists) cannot bring SIMD back. Finally the result is validated with SIMD switched
//! off. Run again on the optimised file with no allow list, it is the check that nothing did.

use std::collections::HashMap;
use std::ops::Range;
use std::process::ExitCode;
use wasmparser::{CompositeInnerType, KnownCustom, Name, Parser, Payload, TypeRef, ValType, Validator, WasmFeatures};

/// The body of a stubbed function: no locals, `unreachable`, `end`.
const STUB: [u8; 3] = [0x00, 0x00, 0x0b];
/// The prefix byte of every SIMD instruction.
const SIMD_PREFIX: u8 = 0xfd;
/// The code section's id.
const CODE_SECTION: u8 = 10;
/// Custom sections' id.
const CUSTOM_SECTION: u8 = 0;
/// Features dropped from the `target_features` section.
const SIMD_FEATURES: [&str; 2] = ["simd128", "relaxed-simd"];

/// What was changed.
#[derive(Debug, PartialEq)]
pub struct Report {
    /// Names of the functions replaced by a trap.
    pub stubbed: Vec<String>,
}

/// Rewrites `wasm` as described in the crate documentation.
pub fn strip(wasm: &[u8], allow: &[String]) -> Result<(Vec<u8>, Report), String> {
    let mut imported_functions = 0u32;
    let mut names: HashMap<u32, String> = HashMap::new();
    let mut code: Option<Range<usize>> = None;
    // Whole sections (id and size included) to replace, and by what.
    let mut edits: Vec<(Range<usize>, Vec<u8>)> = Vec::new();
    let mut bodies: Vec<(Range<usize>, bool)> = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| format!("not a readable wasm module: {e}"))? {
            Payload::TypeSection(reader) => {
                for group in reader {
                    let group = group.map_err(|e| e.to_string())?;
                    for ty in group.types() {
                        if let CompositeInnerType::Func(f) = &ty.composite_type.inner
                            && f.params().iter().chain(f.results()).any(|t| *t == ValType::V128)
                        {
                            return Err(format!("a function type uses v128: {f:?}"));
                        }
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if matches!(import.map_err(|e| e.to_string())?.ty, TypeRef::Func(_) | TypeRef::FuncExact(_)) {
                        imported_functions += 1;
                    }
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader {
                    if global.map_err(|e| e.to_string())?.ty.content_type == ValType::V128 {
                        return Err("a global is a v128".into());
                    }
                }
            }
            Payload::CodeSectionStart { range, .. } => code = Some(range),
            Payload::CodeSectionEntry(body) => {
                let mut simd = false;
                for local in body.get_locals_reader().map_err(|e| e.to_string())? {
                    simd |= local.map_err(|e| e.to_string())?.1 == ValType::V128;
                }
                let mut ops = body.get_operators_reader().map_err(|e| e.to_string())?;
                while !simd && !ops.eof() {
                    let (_, offset) = ops.read_with_offset().map_err(|e| e.to_string())?;
                    simd = wasm[offset] == SIMD_PREFIX;
                }
                bodies.push((body.range(), simd));
            }
            Payload::CustomSection(reader) if reader.name() == "target_features" => {
                let start = section_start(wasm, CUSTOM_SECTION, &reader.range())?;
                let section = without_simd_features(reader.data())?;
                edits.push((start..reader.range().end, section));
            }
            Payload::CustomSection(reader) => {
                if let KnownCustom::Name(reader) = reader.as_known() {
                    for name in reader {
                        if let Ok(Name::Function(map)) = name {
                            for naming in map.into_iter().flatten() {
                                names.insert(naming.index, naming.name.to_string());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let Some(code) = code else {
        return Err("the module has no code section".into());
    };
    if !allow.is_empty() && bodies.iter().any(|(_, simd)| *simd) && names.is_empty() {
        return Err("the module uses SIMD and has no function names to check them against".into());
    }

    // The new code section: the same bodies, the SIMD ones replaced by the stub.
    let mut section = Vec::new();
    leb(&mut section, bodies.len() as u64);
    let mut stubbed = Vec::new();
    let mut refused = Vec::new();
    for (i, (range, simd)) in bodies.iter().enumerate() {
        let body: &[u8] = if *simd {
            let index = imported_functions + i as u32;
            let name = names.get(&index).cloned().unwrap_or_else(|| format!("function #{index}"));
            if allow.iter().any(|prefix| name.starts_with(prefix.as_str())) {
                stubbed.push(name);
                &STUB
            } else {
                refused.push(name);
                &wasm[range.clone()]
            }
        } else {
            &wasm[range.clone()]
        };
        leb(&mut section, body.len() as u64);
        section.extend_from_slice(body);
    }
    if !refused.is_empty() {
        return Err(format!("{} function(s) use SIMD and are not on the allow list: {}", refused.len(), refused.join(", ")));
    }

    let mut whole = vec![CODE_SECTION];
    leb(&mut whole, section.len() as u64);
    whole.extend_from_slice(&section);
    edits.push((section_start(wasm, CODE_SECTION, &code)?..code.end, whole));

    // Splice the new sections in place of the old ones.
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = Vec::with_capacity(wasm.len());
    let mut at = 0;
    for (range, section) in edits {
        out.extend_from_slice(&wasm[at..range.start]);
        out.extend_from_slice(&section);
        at = range.end;
    }
    out.extend_from_slice(&wasm[at..]);

    let features = WasmFeatures::default() - WasmFeatures::SIMD - WasmFeatures::RELAXED_SIMD;
    Validator::new_with_features(features).validate_all(&out).map_err(|e| format!("the result does not validate without SIMD: {e}"))?;
    Ok((out, Report { stubbed }))
}

/// Where the section whose contents are `contents` starts: its id and size come just before.
fn section_start(wasm: &[u8], id: u8, contents: &Range<usize>) -> Result<usize, String> {
    let mut header = vec![id];
    leb(&mut header, (contents.end - contents.start) as u64);
    let start = contents.start.checked_sub(header.len());
    match start {
        Some(start) if wasm[start..contents.start] == header[..] => Ok(start),
        _ => Err(format!("unexpected header of section {id} (a padded size?)")),
    }
}

/// The whole `target_features` custom section for `data` (its entries: a prefix byte and a
/// name each), without the SIMD features.
fn without_simd_features(data: &[u8]) -> Result<Vec<u8>, String> {
    let bad = || "damaged target_features section".to_string();
    let mut pos = 0;
    let count = read_leb(data, &mut pos).ok_or_else(bad)?;
    let mut kept: Vec<&[u8]> = Vec::new();
    for _ in 0..count {
        let start = pos;
        pos += 1;
        let len = read_leb(data, &mut pos).ok_or_else(bad)? as usize;
        let name = data.get(pos..).and_then(|rest| rest.get(..len)).ok_or_else(bad)?;
        pos += len;
        if !SIMD_FEATURES.iter().any(|f| f.as_bytes() == name) {
            kept.push(&data[start..pos]);
        }
    }
    if pos != data.len() {
        return Err(bad());
    }
    let mut contents = Vec::new();
    leb(&mut contents, "target_features".len() as u64);
    contents.extend_from_slice(b"target_features");
    leb(&mut contents, kept.len() as u64);
    for entry in kept {
        contents.extend_from_slice(entry);
    }
    let mut section = vec![CUSTOM_SECTION];
    leb(&mut section, contents.len() as u64);
    section.extend(contents);
    Ok(section)
}

/// Reads an unsigned LEB128 number at `*pos`.
fn read_leb(data: &[u8], pos: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *data.get(*pos)?;
        *pos += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// Appends `value` as an unsigned LEB128 number.
fn leb(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut files, mut allow) = (Vec::new(), Vec::new());
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        if a == "--allow" {
            let Some(prefix) = it.next() else {
                eprintln!("wasm-no-simd: --allow needs a name prefix");
                return ExitCode::from(2);
            };
            allow.push(prefix);
        } else {
            files.push(a);
        }
    }
    let [input, output] = files.as_slice() else {
        eprintln!("usage: wasm-no-simd IN.wasm OUT.wasm [--allow NAME_PREFIX …]");
        return ExitCode::from(2);
    };
    let result =
        std::fs::read(input).map_err(|e| format!("{input}: {e}")).and_then(|wasm| strip(&wasm, &allow)).and_then(|(out, report)| {
            std::fs::write(output, out).map_err(|e| format!("{output}: {e}"))?;
            Ok(report)
        });
    match result {
        Ok(report) => {
            println!("wasm-no-simd: {} function(s) replaced by a trap", report.stubbed.len());
            for name in report.stubbed {
                println!("  {name}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("wasm-no-simd: {input}: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module of three functions: `keep` (plain), `gemm::simd128::k` (uses SIMD), and a second
    /// SIMD function named `other`, hand-assembled with a name section.
    fn module(with_other: bool) -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        // types: [] -> [i32]
        m.extend([0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f]);
        let n = if with_other { 3 } else { 2 };
        m.extend([0x03, 1 + n, n]);
        m.extend(std::iter::repeat_n(0x00, n as usize));
        // keep: i32.const 7
        let keep = [0x00, 0x41, 0x07, 0x0b];
        // simd: v128.const 0; i32x4.extract_lane 0
        let mut simd = vec![0x00, 0xfd, 0x0c];
        simd.extend([0u8; 16]);
        simd.extend([0xfd, 0x1b, 0x00, 0x0b]);
        let mut code = vec![n];
        for body in [&keep[..], &simd[..]].into_iter().chain(with_other.then_some(&simd[..])) {
            code.push(body.len() as u8);
            code.extend_from_slice(body);
        }
        m.push(CODE_SECTION);
        m.push(code.len() as u8);
        m.extend(code);
        // name section: function names
        let mut map = vec![n];
        for (i, name) in ["keep", "gemm::simd128::k", "other"].iter().take(n as usize).enumerate() {
            map.push(i as u8);
            map.push(name.len() as u8);
            map.extend(name.bytes());
        }
        let mut sub = vec![0x01, map.len() as u8];
        sub.extend(map);
        let mut custom = vec![4];
        custom.extend(b"name");
        custom.extend(sub);
        m.push(0x00);
        m.push(custom.len() as u8);
        m.extend(custom);
        // target_features: +simd128, +sign-ext
        let mut features = vec![15];
        features.extend(b"target_features");
        features.push(2);
        for name in ["simd128", "sign-ext"] {
            features.push(b'+');
            features.push(name.len() as u8);
            features.extend(name.bytes());
        }
        m.push(0x00);
        m.push(features.len() as u8);
        m.extend(features);
        m
    }

    #[test]
    fn the_hand_made_module_uses_simd() {
        let wasm = module(false);
        Validator::new().validate_all(&wasm).expect("valid with SIMD");
        let features = WasmFeatures::default() - WasmFeatures::SIMD;
        assert!(Validator::new_with_features(features).validate_all(&wasm).is_err());
    }

    #[test]
    fn allowed_simd_functions_become_traps_and_the_rest_is_kept() {
        let wasm = module(false);
        let (out, report) = strip(&wasm, &["gemm::simd128::".into()]).unwrap();
        assert_eq!(report.stubbed, vec!["gemm::simd128::k".to_string()]);
        assert!(out.len() < wasm.len());
        // The plain function's body is unchanged, the name section is kept.
        assert!(out.windows(4).any(|w| w == [0x00, 0x41, 0x07, 0x0b]));
        assert!(out.windows(4).any(|w| w == b"keep"));
        let features = WasmFeatures::default() - WasmFeatures::SIMD;
        Validator::new_with_features(features).validate_all(&out).unwrap();
    }

    #[test]
    fn simd128_is_dropped_from_the_target_features() {
        let wasm = module(false);
        let (out, _) = strip(&wasm, &["gemm::".into()]).unwrap();
        let has = |m: &[u8], s: &[u8]| m.windows(s.len()).any(|w| w == s);
        assert!(has(&wasm, b"\x2b\x07simd128") && !has(&out, b"\x2b\x07simd128"));
        assert!(has(&out, b"\x2b\x08sign-ext"), "the other features are kept");
        for payload in Parser::new(0).parse_all(&out) {
            payload.unwrap();
        }
    }

    #[test]
    fn simd_outside_the_allow_list_is_an_error() {
        let err = strip(&module(true), &["gemm::simd128::".into()]).unwrap_err();
        assert!(err.contains("not on the allow list: other"), "{err}");
    }

    #[test]
    fn simd_is_refused_without_an_allow_list_and_a_second_pass_changes_nothing() {
        let wasm = module(false);
        assert!(strip(&wasm, &[]).unwrap_err().contains("gemm::simd128::k"));
        let (out, report) = strip(&wasm, &["gemm::".into()]).unwrap();
        assert_eq!(report.stubbed.len(), 1);
        let (again, report) = strip(&out, &[]).unwrap();
        assert!(report.stubbed.is_empty());
        assert_eq!(again, out);
    }
}
