"""run.json: defaults, type checking and ``--set key.sub=value`` overrides.

The launcher writes run.json; the schema is documented in workload/README.md and must stay stable.
Every key is optional (defaults below); unknown keys and wrong types are errors naming the key (exit 3).
"""
import copy
import json

from . import ConfigError

DEFAULTS = {
    "model": {"layers": 2, "hidden": 256, "ffn": 896, "heads": 4, "kv_heads": 1, "vocab": 8192,
              "rope_theta": 10000.0, "norm_eps": 1e-5},
    "task": "pretrain",
    "lora": {"rank": 8, "alpha": 16.0},
    "sft": {"prompt_fraction": 0.25},
    "seq_len": 256,
    "micro_batch": 2,
    "global_batch": 8,
    "steps": 30,
    "dtype": "bf16",
    "param_dtype": "fp32",
    "lr": 3e-4,
    "warmup_steps": 0,
    "weight_decay": 0.0,
    "grad_clip": 1.0,
    "seed": 1234,
    "data": {"kind": "mock"},
    "checkpoint": {"dir": None, "every": 0},
    "device": "auto",
    "cuda_event_timing": False,
    "compile": False,
    "activation_checkpointing": False,
    "ce_chunk": 0,
    "attention": "sdpa",
    "rms_norm": "explicit",
    "cpu_threads": 0,
    "dist_timeout_s": 600,
    "report_checksums": False,
}

CHOICES = {
    "task": ("pretrain", "sft", "lora"),
    "dtype": ("bf16", "fp32"),
    "param_dtype": ("fp32", "bf16"),
    "device": ("auto", "cpu", "cuda"),
    "attention": ("sdpa", "flash", "cudnn", "efficient", "math", "tune"),
    "rms_norm": ("explicit", "fused"),
}

# Keys whose value may be null besides their default's type.
NULLABLE = {"checkpoint.dir": str}
DATA_KINDS = {"mock": {"kind": str}, "megatron": {"kind": str, "prefix": str}}


def _type_name(v):
    return {bool: "boolean", int: "integer", float: "number", str: "string", dict: "object"}.get(type(v), type(v).__name__)


def _check_value(path, value, default):
    if path in NULLABLE:
        if value is None or isinstance(value, NULLABLE[path]):
            return value
        raise ConfigError("config key '%s' must be a string or null, got %s" % (path, _type_name(value)))
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise ConfigError("config key '%s' must be %s, got %s (%r)" % (path, _type_name(default), _type_name(value), value))
    if path in CHOICES and value not in CHOICES[path]:
        raise ConfigError("config key '%s' must be one of %s, got %r" % (path, "|".join(CHOICES[path]), value))
    return value


def _merge(base, over, prefix):
    for key, value in over.items():
        path = prefix + key
        if path == "data":
            # A new kind starts a fresh data object; otherwise fields merge (so --set data.prefix=... works).
            if not isinstance(value, dict):
                raise ConfigError("config key 'data' must be an object, got %s" % _type_name(value))
            if "kind" in value and value["kind"] != base["data"].get("kind"):
                base["data"] = dict(value)
            else:
                base["data"].update(value)
        elif key not in base:
            raise ConfigError("unknown config key '%s' (known: %s)" % (path, ", ".join(sorted(base))))
        elif isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise ConfigError("config key '%s' must be an object, got %s" % (path, _type_name(value)))
            _merge(base[key], value, path + ".")
        else:
            base[key] = _check_value(path, value, base[key])


def _check_data(value):
    if not isinstance(value, dict):
        raise ConfigError("config key 'data' must be an object, got %s" % _type_name(value))
    kind = value.get("kind")
    if kind not in DATA_KINDS:
        raise ConfigError("config key 'data.kind' must be one of %s, got %r" % ("|".join(DATA_KINDS), kind))
    spec = DATA_KINDS[kind]
    for key, v in value.items():
        if key not in spec:
            raise ConfigError("unknown config key 'data.%s' for data.kind=%s (known: %s)" % (key, kind, ", ".join(spec)))
        if not isinstance(v, spec[key]):
            raise ConfigError("config key 'data.%s' must be a string, got %s" % (key, _type_name(v)))
    for key in spec:
        if key not in value:
            raise ConfigError("config key 'data.%s' is required for data.kind=%s" % (key, kind))
    return dict(value)


def _parse_override(text):
    if "=" not in text:
        raise ConfigError("--set expects key.sub=value, got %r" % text)
    key, raw = text.split("=", 1)
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw  # bare strings: --set task=lora
    node = {}
    root = node
    parts = key.split(".")
    for part in parts[:-1]:
        node[part] = {}
        node = node[part]
    node[parts[-1]] = value
    return key, root


def _validate_relations(cfg):
    cfg["data"] = _check_data(cfg["data"])
    for path in ("model.layers", "model.hidden", "model.ffn", "model.heads", "model.kv_heads", "model.vocab",
                 "seq_len", "micro_batch", "global_batch", "steps", "lora.rank"):
        sec, _, key = path.rpartition(".")
        value = cfg[sec][key] if sec else cfg[key]
        if value < 1:
            raise ConfigError("config key '%s' must be >= 1, got %d" % (path, value))
    m = cfg["model"]
    if m["hidden"] % m["heads"]:
        raise ConfigError("config key 'model.hidden' (%d) must be divisible by 'model.heads' (%d)" % (m["hidden"], m["heads"]))
    if m["heads"] % m["kv_heads"]:
        raise ConfigError("config key 'model.heads' (%d) must be divisible by 'model.kv_heads' (%d)" % (m["heads"], m["kv_heads"]))
    if (m["hidden"] // m["heads"]) % 2:
        raise ConfigError("head size model.hidden/model.heads must be even for RoPE")
    if cfg["checkpoint"]["every"] < 0 or cfg["ce_chunk"] < 0 or cfg["warmup_steps"] < 0:
        raise ConfigError("config keys 'checkpoint.every', 'ce_chunk' and 'warmup_steps' must be >= 0")
    if not 0.0 <= cfg["sft"]["prompt_fraction"] < 1.0:
        raise ConfigError("config key 'sft.prompt_fraction' must be in [0, 1)")


def load_config(path, overrides):
    """Returns the complete config dict: defaults <- run.json <- --set overrides (in order)."""
    cfg = copy.deepcopy(DEFAULTS)
    if path:
        try:
            with open(path) as f:
                written = json.load(f)
        except OSError as e:
            raise ConfigError("cannot read config file %s: %s" % (path, e.strerror))
        except ValueError as e:
            raise ConfigError("config file %s is not valid JSON: %s" % (path, e))
        if not isinstance(written, dict):
            raise ConfigError("config file %s must hold a JSON object" % path)
        _merge(cfg, written, "")
    for text in overrides:
        _key, tree = _parse_override(text)
        _merge(cfg, tree, "")
    _validate_relations(cfg)
    return cfg


def grad_accum_steps(cfg, world_size):
    per_step = cfg["micro_batch"] * world_size
    if cfg["global_batch"] % per_step:
        raise ConfigError(
            "global_batch (%d) must be divisible by micro_batch (%d) x world_size (%d) = %d"
            % (cfg["global_batch"], cfg["micro_batch"], world_size, per_step))
    return cfg["global_batch"] // per_step
