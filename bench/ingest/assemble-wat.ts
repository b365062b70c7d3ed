// The step reader's WebAssembly text assembled with wabt (dev dependency): used by build-wasm.ts and by the test that
// checks the committed bytes.
import wabtInit from 'wabt';

export async function assembleNemo2Wat(text: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat('nemo2-step.wat', text, { simd: true, bulk_memory: true });
  try {
    mod.resolveNames();
    mod.validate();
    return new Uint8Array(mod.toBinary({ canonicalize_lebs: true }).buffer);
  } finally {
    mod.destroy();
  }
}
