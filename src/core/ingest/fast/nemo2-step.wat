;; The NeMo 2 step-line reader of nemo2-bytes.ts (`fields`, `number`, `digits` and the checks of the reader it
;; returns) in WebAssembly: the same walk, the same declines, the same doubles (an integer mantissa below 2^53 and one
;; exact power of ten: one correctly rounded f64 operation, as in JavaScript). The JavaScript loop costs about 2 ns a
;; byte; this one a fraction of that. Assembled with wabt (bench/ingest/build-wasm.ts) into nemo2-step-wasm.ts; the
;; tables below are written by nemo2-wasm.ts (the keys, the STOP bytes, the powers of ten), so this text knows no key.
;;
;; Precondition (scan-range.ts guarantees it): the line at `ls` ends with a newline inside the view, and the memory
;; holds 64 readable bytes after the view. Every forward walk stops at that newline (it is no digit, no key byte and
;; a STOP byte), so no view end is needed; key and pattern loads may read up to 24 bytes past the newline, where a
;; mismatch is certain (the newline lies inside the compared bytes), as the JavaScript bounds check makes it.
;;
;; Memory layout (below the sieve's data offset; bytes 0-259 are the sieve's; 1216: where a run of lines stopped):
;;   1024  POW10: 23 f64, 10^0 .. 10^22
;;   1280  OUT: the row, 14 f64 (index 0 left to the caller)
;;   1536  STOP: 256 bytes, 1 = ends an unknown key's piece or needs a closer look
;;   1792  KEYS: 15 x 48 bytes: `key: ` as 3 little-endian i64 words (zero-padded), then their 3 masks
;;   2688  HINT: 64 i8, the key each piece of the last line had (-1: none)
;;   2816  VALS: 15 f64, the values by key index (NaN: absent)
;;   2944  KLEN: 15 bytes, the length of `key: ` by key index
;;   3072  EVENT: `TRAINBENCH_EVENT`, 16 bytes
;;   1220  the template's length (0: none), 1224 its number of values, 1228 its text end
;;   3200  the STOP bytes as 4 splats: 32 (below it), 124, 94, 84 (`T`, workload) or 124 again
;;   3584  FIRST: 256 u16, the keys (bit k: key k) starting with that byte
;;   4096  TEMPLATE: the last line read in full (up to 1024 bytes + 16 read past it)
;;   5376  SPANS: its values' starts and ends (48 x 2 i32), 5760 KINDS (48 bytes)
;;   8192  ROWS: the rows of a run of step lines, 112 bytes each (up to 65536)
(module
  (import "m" "m" (memory 1))
  (global $dv (mut i64) (i64.const 0))
  (global $numEnd (mut i32) (i32.const 0))
  (global $base (mut i32) (i32.const 0))
  ;; The end of the bytes that may be read (the view's end; 64 more bytes are readable after it).
  (global $viewEnd (mut i32) (i32.const 0))

  ;; A value's bytes [s, e) of the line being read in full (kind: 0 epoch, 1 iteration, 2 total, 16 + k the number
  ;; of key k, 64 an unknown key's piece), as offsets from its start: SPANS at 5376 (start, end: i32 each), KINDS at
  ;; 5760, their count at 1224 (49: too many to keep).
  (func $span (param $s i32) (param $e i32) (param $kind i32)
    (local $n i32)
    (local.set $n (i32.load (i32.const 1224)))
    (if (i32.lt_u (local.get $n) (i32.const 48))
      (then
        (i32.store offset=5376 (i32.shl (local.get $n) (i32.const 3)) (i32.sub (local.get $s) (global.get $base)))
        (i32.store offset=5380 (i32.shl (local.get $n) (i32.const 3)) (i32.sub (local.get $e) (global.get $base)))
        (i32.store8 offset=5760 (local.get $n) (local.get $kind))))
    (i32.store (i32.const 1224) (select (i32.const 49) (i32.add (local.get $n) (i32.const 1)) (i32.ge_u (local.get $n) (i32.const 48)))))

  ;; 1 to 15 digits at i: their value into $dv; the index after them, or -1.
  (func $digits (param $i i32) (result i32)
    (local $from i32) (local $d i32) (local $v i64)
    (local.set $from (local.get $i))
    (block $done
      (loop $next
        (local.set $d (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
        (br_if $done (i32.gt_u (local.get $d) (i32.const 9)))
        (local.set $v (i64.add (i64.mul (local.get $v) (i64.const 10)) (i64.extend_i32_u (local.get $d))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (global.set $dv (local.get $v))
    (if (result i32)
      (i32.or (i32.eq (local.get $i) (local.get $from))
              (i32.gt_u (i32.sub (local.get $i) (local.get $from)) (i32.const 15)))
      (then (i32.const -1))
      (else (local.get $i))))

  ;; The line's text ends at i: its newline, or a CR just before it.
  (func $ends (param $i i32) (result i32)
    (local $c i32)
    (local.set $c (i32.load8_u (local.get $i)))
    (i32.or (i32.eq (local.get $c) (i32.const 10))
            (i32.and (i32.eq (local.get $c) (i32.const 13))
                     (i32.eq (i32.load8_u offset=1 (local.get $i)) (i32.const 10)))))

  ;; Key k followed by `: ` at pos (1) or not (0).
  (func $keyIs (param $pos i32) (param $k i32) (result i32)
    (local $t i32)
    (local.set $t (i32.add (i32.const 1792) (i32.mul (local.get $k) (i32.const 48))))
    (i32.and
      (i32.and
        (i64.eq (i64.and (i64.load (local.get $pos)) (i64.load offset=24 (local.get $t))) (i64.load (local.get $t)))
        (i64.eq (i64.and (i64.load offset=8 (local.get $pos)) (i64.load offset=32 (local.get $t))) (i64.load offset=8 (local.get $t))))
      (i64.eq (i64.and (i64.load offset=16 (local.get $pos)) (i64.load offset=40 (local.get $t))) (i64.load offset=16 (local.get $t)))))

  ;; The number at s, which must run to the value's end (` |` or the line's end): a plain decimal, optionally with an
  ;; exponent, exactly as Number() reads it; NaN for anything else. Its end goes to $numEnd.
  (func $number (param $s i32) (result f64)
    (local $i i32) (local $c i32) (local $d i32) (local $m i64) (local $nd i32) (local $exp i32) (local $from i32)
    (local $ev i32) (local $neg i32) (local $x f64)
    (local.set $i (local.get $s))
    (block $done
      (loop $next
        (local.set $d (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
        (br_if $done (i32.gt_u (local.get $d) (i32.const 9)))
        (local.set $m (i64.add (i64.mul (local.get $m) (i64.const 10)) (i64.extend_i32_u (local.get $d))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.set $nd (i32.sub (local.get $i) (local.get $s)))
    (local.set $c (i32.load8_u (local.get $i)))
    (if (i32.eq (local.get $c) (i32.const 46))
      (then
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $from (local.get $i))
        (block $done
          (loop $next
            (local.set $d (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
            (br_if $done (i32.gt_u (local.get $d) (i32.const 9)))
            (local.set $m (i64.add (i64.mul (local.get $m) (i64.const 10)) (i64.extend_i32_u (local.get $d))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        (if (i32.eq (local.get $i) (local.get $from)) (then (return (f64.const nan)))) ;; `5.`
        (local.set $nd (i32.add (local.get $nd) (i32.sub (local.get $i) (local.get $from))))
        (local.set $exp (i32.sub (local.get $from) (local.get $i)))
        (local.set $c (i32.load8_u (local.get $i)))))
    (if (i32.or (i32.eqz (local.get $nd)) (i32.gt_u (local.get $nd) (i32.const 15)))
      (then (return (f64.const nan))))
    (if (i32.or (i32.eq (local.get $c) (i32.const 101)) (i32.eq (local.get $c) (i32.const 69)))
      (then
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $c (i32.load8_u (local.get $i)))
        (local.set $neg (i32.eq (local.get $c) (i32.const 45)))
        (if (i32.or (local.get $neg) (i32.eq (local.get $c) (i32.const 43)))
          (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
        (local.set $from (local.get $i))
        (block $done
          (loop $next
            (local.set $d (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
            (br_if $done (i32.gt_u (local.get $d) (i32.const 9)))
            (local.set $ev (i32.add (i32.mul (local.get $ev) (i32.const 10)) (local.get $d)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        (if (i32.or (i32.eq (local.get $i) (local.get $from))
                    (i32.gt_u (i32.sub (local.get $i) (local.get $from)) (i32.const 3)))
          (then (return (f64.const nan))))
        (local.set $exp (i32.add (local.get $exp)
          (select (i32.sub (i32.const 0) (local.get $ev)) (local.get $ev) (local.get $neg))))
        (local.set $c (i32.load8_u (local.get $i)))))
    (if (i32.eq (local.get $c) (i32.const 32))
      (then (if (i32.ne (i32.load8_u offset=1 (local.get $i)) (i32.const 124)) (then (return (f64.const nan)))))
      (else (if (i32.eqz (call $ends (local.get $i))) (then (return (f64.const nan))))))
    (if (i32.or (i32.lt_s (local.get $exp) (i32.const -22)) (i32.gt_s (local.get $exp) (i32.const 22)))
      (then (return (f64.const nan))))
    (global.set $numEnd (local.get $i))
    (local.set $x (f64.convert_i64_u (local.get $m)))
    (if (i32.lt_s (local.get $exp) (i32.const 0))
      (then (return (f64.div (local.get $x)
        (f64.load (i32.add (i32.const 1024) (i32.shl (i32.sub (i32.const 0) (local.get $exp)) (i32.const 3))))))))
    (if (i32.gt_s (local.get $exp) (i32.const 0))
      (then (return (f64.mul (local.get $x)
        (f64.load (i32.add (i32.const 1024) (i32.shl (local.get $exp) (i32.const 3))))))))
    (local.get $x))

  ;; An unknown key's piece from j: where it ends (the space of the next ` |`, the line's newline or the CR before
  ;; it), or -1 where the text path could differ (a control byte, a CR inside, `^`, TRAINBENCH_EVENT).
  (func $walk (param $j i32) (result i32)
    (local $c i32) (local $v v128) (local $bits i32) (local $s32 v128) (local $s124 v128) (local $s94 v128) (local $s84 v128)
    (local.set $s32 (v128.load (i32.const 3200)))
    (local.set $s124 (v128.load (i32.const 3216)))
    (local.set $s94 (v128.load (i32.const 3232)))
    (local.set $s84 (v128.load (i32.const 3248)))
    (block $end
      (loop $walk
        ;; To the next STOP byte, 16 bytes at a time (SIMD): below 32, `|`, `^`, and `T` for the workload.
        (block $stop
          (loop $plain
            (local.set $v (v128.load (local.get $j)))
            (local.set $bits (i8x16.bitmask
              (v128.or
                (v128.or (i8x16.lt_u (local.get $v) (local.get $s32)) (i8x16.eq (local.get $v) (local.get $s124)))
                (v128.or (i8x16.eq (local.get $v) (local.get $s94)) (i8x16.eq (local.get $v) (local.get $s84))))))
            (br_if $stop (local.get $bits))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $plain)))
        (local.set $j (i32.add (local.get $j) (i32.ctz (local.get $bits))))
        (local.set $c (i32.load8_u (local.get $j)))
        (br_if $end (i32.eq (local.get $c) (i32.const 10)))
        (if (i32.eq (local.get $c) (i32.const 124))
          (then
            (if (i32.eq (i32.load8_u (i32.sub (local.get $j) (i32.const 1))) (i32.const 32))
              (then (local.set $j (i32.sub (local.get $j) (i32.const 1))) (br $end))))
          (else
            (if (i32.eq (local.get $c) (i32.const 13))
              (then
                (br_if $end (i32.eq (i32.load8_u offset=1 (local.get $j)) (i32.const 10)))
                (return (i32.const -1))))
            ;; `T` is a STOP byte only for the workload: TRAINBENCH_EVENT sends the line back.
            (if (i32.ne (local.get $c) (i32.const 84)) (then (return (i32.const -1))))
            (if (i32.and
                  (i64.eq (i64.load (local.get $j)) (i64.load (i32.const 3072)))
                  (i64.eq (i64.load offset=8 (local.get $j)) (i64.load (i32.const 3080))))
              (then (return (i32.const -1))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $walk)))
    (local.get $j))

  ;; Some key followed by `: ` starts at pos (1) or none (0).
  (func $anyKey (param $pos i32) (result i32)
    (local $mask i32)
    (local.set $mask (i32.load16_u offset=3584 (i32.shl (i32.load8_u (local.get $pos)) (i32.const 1))))
    (block $none
      (loop $try
        (br_if $none (i32.eqz (local.get $mask)))
        (if (call $keyIs (local.get $pos) (i32.ctz (local.get $mask))) (then (return (i32.const 1))))
        (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
        (br $try)))
    (i32.const 0))

  ;; The line at ls against the last line read in full (TEMPLATE at 4096, its length with the newline at 1220, 0:
  ;; none; its text end at 1228): where every differing byte lies inside one of its values (SPANS), only those
  ;; values are read again, with the same readers, and must end where they ended (the bytes around them are the
  ;; same, so the full walk would take the same steps and keep every other value). The text end, or -1: read in full.
  (func $same (param $ls i32) (result i32)
    (local $len i32) (local $off i32) (local $m i32) (local $p i32) (local $cur i32) (local $n i32)
    (local $dirty i64) (local $s i32) (local $e i32) (local $kind i32) (local $x f64)
    (local.set $len (i32.load (i32.const 1220)))
    (if (i32.eqz (local.get $len)) (then (return (i32.const -1))))
    ;; The blocks compared read up to 15 bytes past the template's length: within the view and its 64 spare bytes.
    (if (i32.gt_u (i32.add (local.get $ls) (local.get $len)) (i32.add (global.get $viewEnd) (i32.const 32)))
      (then (return (i32.const -1))))
    (local.set $n (i32.load (i32.const 1224)))
    (block $compared
      (loop $block
        (br_if $compared (i32.ge_u (local.get $off) (local.get $len)))
        (local.set $m (i32.xor (i32.const 0xffff) (i8x16.bitmask (i8x16.eq
          (v128.load (i32.add (local.get $ls) (local.get $off)))
          (v128.load offset=4096 (local.get $off))))))
        (if (i32.gt_u (i32.add (local.get $off) (i32.const 16)) (local.get $len))
          (then (local.set $m (i32.and (local.get $m)
            (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $len) (local.get $off))) (i32.const 1))))))
        (block $bits
          (loop $bit
            (br_if $bits (i32.eqz (local.get $m)))
            (local.set $p (i32.add (local.get $off) (i32.ctz (local.get $m))))
            (block $at
              (loop $advance
                (br_if $at (i32.ge_u (local.get $cur) (local.get $n)))
                (br_if $at (i32.gt_u (i32.load offset=5380 (i32.shl (local.get $cur) (i32.const 3))) (local.get $p)))
                (local.set $cur (i32.add (local.get $cur) (i32.const 1)))
                (br $advance)))
            (if (i32.ge_u (local.get $cur) (local.get $n)) (then (return (i32.const -1))))
            (if (i32.gt_u (i32.load offset=5376 (i32.shl (local.get $cur) (i32.const 3))) (local.get $p)) (then (return (i32.const -1))))
            (local.set $dirty (i64.or (local.get $dirty) (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $cur)))))
            (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
            (br $bit)))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $block)))
    ;; The changed values, read again.
    (block $done
      (loop $value
        (br_if $done (i64.eqz (local.get $dirty)))
        (local.set $cur (i32.wrap_i64 (i64.ctz (local.get $dirty))))
        (local.set $dirty (i64.and (local.get $dirty) (i64.sub (local.get $dirty) (i64.const 1))))
        (local.set $s (i32.add (local.get $ls) (i32.load offset=5376 (i32.shl (local.get $cur) (i32.const 3)))))
        (local.set $e (i32.add (local.get $ls) (i32.load offset=5380 (i32.shl (local.get $cur) (i32.const 3)))))
        (local.set $kind (i32.load8_u offset=5760 (local.get $cur)))
        (if (i32.lt_u (local.get $kind) (i32.const 3))
          (then
            (if (i32.ne (call $digits (local.get $s)) (local.get $e)) (then (return (i32.const -1))))
            ;; OUT[2] epoch, OUT[1] iteration, OUT[11] total
            (f64.store (select (i32.const 1296) (select (i32.const 1288) (i32.const 1368) (i32.eq (local.get $kind) (i32.const 1)))
                               (i32.eqz (local.get $kind)))
                       (f64.convert_i64_u (global.get $dv))))
          (else
            (if (i32.eq (local.get $kind) (i32.const 64))
              (then
                (if (call $anyKey (local.get $s)) (then (return (i32.const -1))))
                (if (i32.ne (call $walk (local.get $s)) (local.get $e)) (then (return (i32.const -1)))))
              (else
                (local.set $x (call $number (local.get $s)))
                (if (i32.or (f64.ne (local.get $x) (local.get $x)) (i32.ne (global.get $numEnd) (local.get $e)))
                  (then (return (i32.const -1))))
                (f64.store offset=2688 (i32.shl (local.get $kind) (i32.const 3)) (local.get $x)))))) ;; VALS[kind - 16]
        (br $value)))
    (i32.add (local.get $ls) (i32.load (i32.const 1228))))

  ;; The fields of the line at ls into VALS, epoch/iteration/total into OUT; the index where its text ends, or -1.
  (func $fields (param $ls i32) (result i32)
    (local $i i32) (local $pos i32) (local $c i32) (local $k i32) (local $piece i32) (local $seen i32)
    (local $j i32) (local $x f64) (local $h i32) (local $mask i32)
    (local $from i32)
    (global.set $base (local.get $ls))
    (i32.store (i32.const 1224) (i32.const 0))
    ;; `Training epoch ` (15 bytes)
    (if (i32.eqz (i32.and
          (i64.eq (i64.load (local.get $ls)) (i64.const 0x676e696e69617254)) ;; "Training"
          (i64.eq (i64.and (i64.load offset=8 (local.get $ls)) (i64.const 0x00ffffffffffffff))
                  (i64.const 0x002068636f706520)))) ;; " epoch "
      (then (return (i32.const -1))))
    (local.set $i (call $digits (i32.add (local.get $ls) (i32.const 15))))
    (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const -1))))
    (call $span (i32.add (local.get $ls) (i32.const 15)) (local.get $i) (i32.const 0))
    (f64.store offset=1296 (i32.const 0) (f64.convert_i64_u (global.get $dv))) ;; OUT[2] epoch
    ;; `, iteration ` (12 bytes)
    (if (i32.eqz (i32.and
          (i64.eq (i64.load (local.get $i)) (i64.const 0x746172657469202c)) ;; ", iterat"
          (i32.eq (i32.load offset=8 (local.get $i)) (i32.const 0x206e6f69)))) ;; "ion "
      (then (return (i32.const -1))))
    (local.set $from (i32.add (local.get $i) (i32.const 12)))
    (local.set $i (call $digits (local.get $from)))
    (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const -1))))
    (call $span (local.get $from) (local.get $i) (i32.const 1))
    (f64.store offset=1288 (i32.const 0) (f64.convert_i64_u (global.get $dv))) ;; OUT[1] iteration, until a global_step
    (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 47)) (then (return (i32.const -1))))
    (if (i32.eq (i32.load8_u offset=1 (local.get $i)) (i32.const 63))
      (then
        (f64.store offset=1368 (i32.const 0) (f64.const -1)) ;; OUT[11] total `?`
        (local.set $i (i32.add (local.get $i) (i32.const 2))))
      (else
        (local.set $from (i32.add (local.get $i) (i32.const 1)))
        (local.set $i (call $digits (local.get $from)))
        (if (i32.lt_s (local.get $i) (i32.const 0)) (then (return (i32.const -1))))
        (call $span (local.get $from) (local.get $i) (i32.const 2))
        (f64.store offset=1368 (i32.const 0) (f64.convert_i64_u (global.get $dv)))))
    (local.set $k (i32.const 0))
    (loop $clear
      (f64.store offset=2816 (i32.shl (local.get $k) (i32.const 3)) (f64.const nan))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $clear (i32.lt_u (local.get $k) (i32.const 15))))
    (local.set $pos (local.get $i))
    (loop $pieces
      ;; Pieces are separated by ` |`; spaces and `|` before a key are skipped.
      (local.set $c (i32.load8_u (local.get $pos)))
      (block $skipped
        (loop $skip
          (br_if $skipped (i32.and (i32.ne (local.get $c) (i32.const 32)) (i32.ne (local.get $c) (i32.const 124))))
          (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
          (local.set $c (i32.load8_u (local.get $pos)))
          (br $skip)))
      (if (call $ends (local.get $pos)) (then (return (local.get $pos))))
      ;; The one key (keys hold no `:`) followed by `: ` here: the key the last line had here first, then all.
      ;; Only the keys starting with this byte (FIRST) are candidates.
      (local.set $k (i32.const -1))
      (local.set $mask (i32.load16_u offset=3584 (i32.shl (local.get $c) (i32.const 1))))
      (if (i32.and (i32.ne (local.get $mask) (i32.const 0)) (i32.lt_u (local.get $piece) (i32.const 64)))
        (then
          (local.set $h (i32.load8_s offset=2688 (local.get $piece)))
          (if (i32.ge_s (local.get $h) (i32.const 0))
            (then (if (call $keyIs (local.get $pos) (local.get $h)) (then (local.set $k (local.get $h))))))))
      (if (i32.lt_s (local.get $k) (i32.const 0))
        (then
          (block $found
            (loop $try
              (br_if $found (i32.eqz (local.get $mask)))
              (local.set $h (i32.ctz (local.get $mask)))
              (if (call $keyIs (local.get $pos) (local.get $h))
                (then (local.set $k (local.get $h)) (br $found)))
              (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
              (br $try)))))
      (if (i32.lt_u (local.get $piece) (i32.const 64))
        (then (i32.store8 offset=2688 (local.get $piece) (local.get $k))))
      (local.set $piece (i32.add (local.get $piece) (i32.const 1)))
      ;; A key seen before on this line is another key.
      (if (i32.ge_s (local.get $k) (i32.const 0))
        (then (if (i32.and (local.get $seen) (i32.shl (i32.const 1) (local.get $k))) (then (local.set $k (i32.const -1))))))
      (local.set $j (local.get $pos))
      (if (i32.ge_s (local.get $k) (i32.const 0))
        (then
          (local.set $from (i32.add (local.get $pos) (i32.load8_u offset=2944 (local.get $k)))) ;; + the length of `key: `
          (local.set $x (call $number (local.get $from)))
          (if (f64.ne (local.get $x) (local.get $x)) (then (return (i32.const -1))))
          (call $span (local.get $from) (global.get $numEnd) (i32.add (i32.const 16) (local.get $k)))
          (f64.store offset=2816 (i32.shl (local.get $k) (i32.const 3)) (local.get $x))
          (local.set $seen (i32.or (local.get $seen) (i32.shl (i32.const 1) (local.get $k))))
          (local.set $j (global.get $numEnd)))
        (else
          ;; Another key: its piece runs to the next ` |`.
          (local.set $j (call $walk (local.get $pos)))
          (if (i32.lt_s (local.get $j) (i32.const 0)) (then (return (i32.const -1))))
          (call $span (local.get $pos) (local.get $j) (i32.const 64))))
      (if (call $ends (local.get $j)) (then (return (local.get $j))))
      (local.set $pos (i32.add (local.get $j) (i32.const 2)))
      (br $pieces))
    (i32.const -1))

  ;; VALS[k], or VALS[k2] where absent, or VALS[k3].
  (func $pick (param $a i32) (param $b i32) (param $c i32) (result f64)
    (local $x f64)
    (local.set $x (f64.load offset=2816 (i32.shl (local.get $a) (i32.const 3))))
    (if (f64.eq (local.get $x) (local.get $x)) (then (return (local.get $x))))
    (local.set $x (f64.load offset=2816 (i32.shl (local.get $b) (i32.const 3))))
    (if (f64.eq (local.get $x) (local.get $x)) (then (return (local.get $x))))
    (f64.load offset=2816 (i32.shl (local.get $c) (i32.const 3))))

  ;; The step line at ls into the row at dst (dst + 8 .. dst + 104: row numbers 1-13; the caller sets number 0, the
  ;; line's index); the index of its newline (the line's end for the caller), or -1: declined.
  (func $row (param $ls i32) (param $dst i32) (result i32)
    (local $te i32) (local $step f64)
    (local $full i32) (local $len i32)
    (local.set $te (call $same (local.get $ls)))
    (if (i32.lt_s (local.get $te) (i32.const 0))
      (then
        ;; Read in full; the template is kept only once the row is made.
        (i32.store (i32.const 1220) (i32.const 0))
        (local.set $full (i32.const 1))
        (local.set $te (call $fields (local.get $ls)))))
    (if (i32.or (i32.lt_s (local.get $te) (i32.const 0))
                (i32.gt_s (i32.sub (local.get $te) (local.get $ls)) (i32.const 16384)))
      (then (return (i32.const -1))))
    ;; The step as the text path picks it; a fraction would be rounded, a zero time or rate rejected with a warning.
    (local.set $step (f64.load (i32.const 2816)))
    (if (f64.ne (local.get $step) (local.get $step)) (then (local.set $step (f64.load (i32.const 1288)))))
    (if (i32.or (f64.ne (f64.trunc (local.get $step)) (local.get $step))
                (i32.or (f64.eq (f64.load (i32.const 2824)) (f64.const 0))
                        (f64.eq (f64.load (i32.const 2912)) (f64.const 0))))
      (then (i32.store (i32.const 1220) (i32.const 0)) (return (i32.const -1))))
    ;; This line becomes the template (with its newline; at most 1024 bytes and 48 values).
    (if (local.get $full)
      (then
        (local.set $len (i32.add (i32.sub (local.get $te) (local.get $ls))
          (select (i32.const 2) (i32.const 1) (i32.eq (i32.load8_u (local.get $te)) (i32.const 13)))))
        (if (i32.and (i32.le_u (local.get $len) (i32.const 1024)) (i32.le_u (i32.load (i32.const 1224)) (i32.const 48)))
          (then
            (memory.copy (i32.const 4096) (local.get $ls) (local.get $len))
            (i32.store (i32.const 1228) (i32.sub (local.get $te) (local.get $ls)))
            (i32.store (i32.const 1220) (local.get $len))))))
    (f64.store offset=8 (local.get $dst) (local.get $step))
    (f64.store offset=16 (local.get $dst) (f64.load (i32.const 1296)))
    (f64.store offset=24 (local.get $dst) (f64.load (i32.const 2824)))
    (f64.store offset=32 (local.get $dst) (call $pick (i32.const 2) (i32.const 3) (i32.const 4)))
    (f64.store offset=40 (local.get $dst) (f64.load (i32.const 2856)))
    (f64.store offset=48 (local.get $dst) (f64.load (i32.const 2864)))
    (f64.store offset=56 (local.get $dst) (f64.load (i32.const 2872)))
    (f64.store offset=64 (local.get $dst) (call $pick (i32.const 8) (i32.const 9) (i32.const 10)))
    (f64.store offset=72 (local.get $dst) (f64.load (i32.const 2904)))
    (f64.store offset=80 (local.get $dst) (f64.load (i32.const 2912)))
    (f64.store offset=88 (local.get $dst) (f64.load (i32.const 1368)))
    (f64.store offset=96 (local.get $dst) (f64.load (i32.const 2920)))
    (f64.store offset=104 (local.get $dst) (f64.load (i32.const 2928)))
    ;; After a line read against the template, the template takes its bytes (its values are in VALS now).
    (if (i32.eqz (local.get $full)) (then (memory.copy (i32.const 4096) (local.get $ls) (i32.load (i32.const 1220)))))
    (select (i32.add (local.get $te) (i32.const 1)) (local.get $te)
      (i32.eq (i32.load8_u (local.get $te)) (i32.const 13))))

  ;; One line into OUT.
  (func (export "r") (param $ls i32) (param $n i32) (result i32)
    (global.set $viewEnd (local.get $n))
    (call $row (local.get $ls) (i32.const 1280)))

  ;; Consecutive step lines from pos while they are read (not declined), start before `limit` and before `open` (the
  ;; last line without its newline), at most `room` of them: rows into ROWS (8192, 112 bytes each, number 0 = index,
  ;; index + 1, ...). Returns how many; where the next line starts goes to [1216].
  (func (export "m") (param $pos i32) (param $limit i32) (param $open i32) (param $index f64) (param $room i32) (result i32)
    (local $n i32) (local $e i32) (local $dst i32)
    (local.set $dst (i32.const 8192))
    (global.set $viewEnd (local.get $open))
    (block $out
      (loop $next
        (br_if $out (i32.ge_u (local.get $n) (local.get $room)))
        (br_if $out (i32.ge_u (local.get $pos) (local.get $limit)))
        (br_if $out (i32.ge_u (local.get $pos) (local.get $open)))
        (br_if $out (i32.ne (i32.load8_u (local.get $pos)) (i32.const 84)))
        (local.set $e (call $row (local.get $pos) (local.get $dst)))
        (br_if $out (i32.lt_s (local.get $e) (i32.const 0)))
        (f64.store (local.get $dst) (local.get $index))
        (local.set $index (f64.add (local.get $index) (f64.const 1)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 112)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (local.set $pos (i32.add (local.get $e) (i32.const 1)))
        (br $next)))
    (i32.store (i32.const 1216) (local.get $pos))
    (local.get $n))
)
