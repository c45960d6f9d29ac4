// Trunk post-build hook: builds the training worker twice, beside Trunk's page bundle:
//   imagelab-worker-simd.js + _bg.wasm  with WebAssembly SIMD (`-C target-feature=+simd128` and
//                                       burn's SIMD kernels, the worker's default `simd` feature)
//   imagelab-worker.js + _bg.wasm       plain, for browsers without SIMD (Safari 16.0–16.3, or
//                                       SIMD switched off): the CPU only, since no browser
//                                       without SIMD has WebGPU (worker/Cargo.toml)
// www/worker-loader.js loads the first wherever a SIMD module validates, else the second.
//
// Why a hook: Trunk has no per-asset compiler flags, and a module with a single SIMD instruction
// does not even compile where SIMD is missing, so the page (built by Trunk) and the fallback must
// be built without `+simd128`, the fast worker with it. Each build is what Trunk would do —
// cargo, wasm-bindgen `--target no-modules`, then `wasm-opt -Oz` in release — and the SIMD one
// has its own target folder (`<target>/simd128`), so the two sets of compiled crates do not
// overwrite each other. The fallback also passes through tools/wasm-no-simd, which replaces
// gemm's simd128 micro-kernels (always compiled in, never called without SIMD) with a trap and
// fails the build if anything else uses SIMD. Tools come from PATH (scripts/setup.sh), like
// Trunk's (`offline = true`).
import { spawnSync } from 'node:child_process';
import { renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const staging = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!staging) {
  console.error('workers.mjs: no TRUNK_STAGING_DIR (run it as a Trunk hook, or pass the folder)');
  process.exit(2);
}
const release = (process.env.TRUNK_PROFILE || process.argv[3]) === 'release';
const target = resolve(root, process.env.CARGO_TARGET_DIR || 'target');

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error || r.status !== 0) {
    console.error(`workers.mjs: ${cmd} ${args.join(' ')} failed (${r.error ?? `exit ${r.status}`})`);
    process.exit(1);
  }
}

/** Runs `tool` on `file` in place (through a temporary file beside it). */
function inPlace(file, tool) {
  const tmp = `${file}.tmp`;
  tool(tmp);
  renameSync(tmp, file);
}

function build({ name, features, targetDir, env }) {
  run('cargo', [
    'build', '--target=wasm32-unknown-unknown', '--manifest-path', join(root, 'worker/Cargo.toml'),
    '--bin', 'imagelab-worker', '--offline', ...features, ...(release ? ['--release'] : []),
  ], { CARGO_TARGET_DIR: targetDir, ...env });
  const wasm = join(targetDir, 'wasm32-unknown-unknown', release ? 'release' : 'debug', 'imagelab-worker.wasm');
  run('wasm-bindgen', ['--target=no-modules', `--out-dir=${staging}`, `--out-name=${name}`, '--no-typescript', wasm]);
  return join(staging, `${name}_bg.wasm`);
}

/** tools/wasm-no-simd on `file`, allowing the given name prefixes to be turned into traps. */
const noSimd = (file, allow) => inPlace(file, (out) => run('cargo', [
  'run', '-q', '--offline', '-p', 'wasm-no-simd', '--', file, out, ...allow.flatMap((a) => ['--allow', a]),
], { CARGO_TARGET_DIR: target }));

// The user's own flags from the environment reach every build alike (Trunk's page build too); the
// SIMD build adds its flag to them (cargo reads CARGO_ENCODED_RUSTFLAGS, \x1f-separated, before
// RUSTFLAGS). Flags set in a cargo config file (`build.rustflags`) are overridden by these
// variables, so they reach the page and the plain worker but not the SIMD build.
const simdFlags = process.env.CARGO_ENCODED_RUSTFLAGS
  ? { CARGO_ENCODED_RUSTFLAGS: `${process.env.CARGO_ENCODED_RUSTFLAGS}\x1f-C\x1ftarget-feature=+simd128` }
  : { RUSTFLAGS: [process.env.RUSTFLAGS, '-C target-feature=+simd128'].filter(Boolean).join(' ') };
const simd = build({
  name: 'imagelab-worker-simd', features: [], targetDir: join(target, 'simd128'), env: simdFlags,
});
const plain = build({ name: 'imagelab-worker', features: ['--no-default-features'], targetDir: target, env: {} });
noSimd(plain, ['gemm_f32::microkernel::simd128::', 'gemm_f64::microkernel::simd128::']);
if (release) {
  for (const file of [simd, plain]) inPlace(file, (out) => run('wasm-opt', [`--output=${out}`, '-Oz', file]));
  // The check that wasm-opt brought no SIMD into the plain build: nothing may be turned into a trap.
  noSimd(plain, []);
}
