// The tokenizer worker, as source text run with `new Worker(source, { eval: true })`: the same file then works from
// the TypeScript sources (tests) and from dist/ (users), and loads its libraries from the URLs in the spec.
// Protocol: in {id, firstLine, bytes, jsonKey}; out {id, lengths, tokens, bad, bytes} (buffers transferred).

export const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const spec = workerData.spec;

// The spec names a CommonJS entry (require.resolve); its exports may arrive only as the default export.
function namedExports(module) {
  return module.default && typeof module.default === 'object' ? { ...module.default, ...module } : module;
}

async function makeEncoder() {
  if (spec.kind === 'tiktoken') {
    const { get_encoding } = namedExports(await import(spec.module));
    const encoding = get_encoding(spec.encoding);
    return (text) => encoding.encode(text, [], []);
  }
  const { Tokenizer } = namedExports(await import(spec.module));
  const json = JSON.parse(readFileSync(spec.tokenizerJson, 'utf8'));
  const config = spec.tokenizerConfig ? JSON.parse(readFileSync(spec.tokenizerConfig, 'utf8')) : {};
  const tokenizer = new Tokenizer(json, config);
  return (text) => tokenizer.encode(text, { add_special_tokens: false }).ids;
}

function describe(value) {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

makeEncoder().then((encode) => {
  const decoder = new TextDecoder();
  parentPort.on('message', ({ id, firstLine, bytes, jsonKey }) => {
    const lines = decoder.decode(bytes).split('\n');
    let tokens = new Uint32Array(1 << 16);
    let fill = 0;
    const lengths = [];
    const bad = [];
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
      const line = firstLine + i;
      let record;
      if (raw.trim() === '') { bad.push({ line, reason: 'empty line (expected a JSON object)' }); continue; }
      try { record = JSON.parse(raw); } catch (error) { bad.push({ line, reason: 'invalid JSON: ' + error.message }); continue; }
      if (record === null || typeof record !== 'object' || Array.isArray(record)) { bad.push({ line, reason: 'not a JSON object but ' + describe(record) }); continue; }
      if (!Object.prototype.hasOwnProperty.call(record, jsonKey)) { bad.push({ line, reason: 'missing key "' + jsonKey + '"' }); continue; }
      const text = record[jsonKey];
      if (typeof text !== 'string') { bad.push({ line, reason: 'key "' + jsonKey + '" is ' + describe(text) + ', not a string' }); continue; }
      const ids = encode(text);
      // Megatron --append-eod: EOD after every non-empty document; an empty document stays empty.
      const length = ids.length > 0 ? ids.length + 1 : 0;
      if (fill + length > tokens.length) {
        const grown = new Uint32Array(Math.max(tokens.length * 2, fill + length));
        grown.set(tokens.subarray(0, fill));
        tokens = grown;
      }
      tokens.set(ids, fill);
      if (length > 0) tokens[fill + ids.length] = spec.eod;
      fill += length;
      lengths.push(length);
    }
    const out = tokens.slice(0, fill);
    const lengthArray = Int32Array.from(lengths);
    parentPort.postMessage({ id, lengths: lengthArray, tokens: out, bad, bytes: bytes.byteLength }, [out.buffer, lengthArray.buffer]);
  });
  parentPort.postMessage({ ready: true });
}, (error) => { parentPort.postMessage({ fatal: String(error && error.stack || error) }); });
`;
