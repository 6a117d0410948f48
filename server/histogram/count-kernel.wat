;; Source of the counting kernel; scripts/build-count-kernel.mjs compiles it to count-kernel-wasm.ts.
;; Counting kernel for server/histogram/count-pixels.ts, in WebAssembly with SIMD (Node 20's V8
;; has both; JavaScript typed arrays pay a bounds check per access and cannot use SIMD).
;;
;; What bounds the speed is the increments themselves: one 32-bit load and one store per
;; channel per pixel (4 per RGB pixel with luma), which V8 cannot fuse into one read-modify-write
;; instruction. So everything else is kept off the scalar path:
;; - SIMD widens 16 bytes at a time to u16 and multiplies them by 4, so each counter's byte offset
;;   is one extract_lane (shared by two lanes) plus a mask or a shift;
;; - SIMD computes luma = (19595 R + 38470 G + 7471 B + 32768) >> 16 exactly (Pillow's ITU-R 601-2
;;   fixed-point formula), 4 pixels per i32x4.dot_i16x8_s pair: the G weight is split as 2 × 19235
;;   so every weight fits a signed 16-bit lane, (R, G) and (B, G) byte pairs are gathered by
;;   i8x16.swizzle, and the products (≤ 255 × 19595 + 255 × 19235) never overflow 32 bits;
;; - pixel k of every 4 goes to copy k of each histogram, and the increments run in pixel order,
;;   so equal values in neighbouring pixels (runs in photographs) hit different counters and the
;;   same counter is touched again only 16 increments later (measured: counting one channel after
;;   the other, with the same counter 4 increments apart, was 15-20 % slower).
;; The host puts its running counts in copy 0 (copies 1-3 are zero between calls), copies
;; pixels to PIXELS a chunk at a time, calls a count function per chunk, then fold() and reads
;; copy 0 back. The kernel never grows its memory.
;;
;; Memory layout (bytes):
;;   [0, 112)          constants (data segment below): swizzle masks, luma weights, rounding
;;   [1024, 21504)     histograms: copy c (0-3), slot s at 1024 + (5c + s) × 1024, i32 × 256 each;
;;                     slots: 0 red (or gray), 1 green (or the alpha of gray+alpha), 2 blue,
;;                     3 alpha, 4 luma
;;   [32768, ...)      PIXELS: the current chunk (768 KiB) and 16 bytes of slack, because an RGB
;;                     group of 4 pixels is read as one 16-byte vector
(module
  (memory (export "memory") 13)
  ;; 0: rgb: bytes R,G of 4 pixels as u16 pairs
  ;; 16: rgb: bytes B,G of 4 pixels as u16 pairs
  ;; 32: rgba: bytes R,G of 4 pixels as u16 pairs
  ;; 48: rgba: bytes B,G of 4 pixels as u16 pairs
  ;; 64: i16 × 4: 19595, 19235 (R, G weights)
  ;; 80: i16 × 4: 7471, 19235 (B, G weights)
  ;; 96: i32 × 4: 32768 (rounding)
  (data (i32.const 0) "\00\80\01\80\03\80\04\80\06\80\07\80\09\80\0a\80\02\80\01\80\05\80\04\80\08\80\07\80\0b\80\0a\80\00\80\01\80\04\80\05\80\08\80\09\80\0c\80\0d\80\02\80\01\80\06\80\05\80\0a\80\09\80\0e\80\0d\80\8b\4c\23\4b\8b\4c\23\4b\8b\4c\23\4b\8b\4c\23\4b\2f\1d\23\4b\2f\1d\23\4b\2f\1d\23\4b\2f\1d\23\4b\00\80\00\00\00\80\00\00\00\80\00\00\00\80\00\00")
  ;; countRgb(p, n): counts n pixels (rounded down to a multiple of 16) of 3 bytes from byte p.
  (func (export "countRgb") (param $p i32) (param $n i32)
    (local $end i32) (local $a i32) (local $w i32) (local $wl i32) (local $v v128)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $x4 v128) (local $x5 v128) (local $x6 v128) (local $x7 v128)
    (local $l0 v128) (local $l1 v128) (local $l2 v128) (local $l3 v128)
    (local $mRG v128) (local $mBG v128) (local $kRG v128) (local $kBG v128) (local $round v128)
    (local.set $mRG (v128.load (i32.const 0))) (local.set $mBG (v128.load (i32.const 16)))
    (local.set $kRG (v128.load (i32.const 64))) (local.set $kBG (v128.load (i32.const 80))) (local.set $round (v128.load (i32.const 96)))
    (local.set $end (i32.add (local.get $p) (i32.mul (i32.and (local.get $n) (i32.const -16)) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      ;; 16 pixels as 4 groups of 4, one (unaligned) vector load each (bytes 12-15 belong to the next group):
      ;; x(2g), x(2g+1) = bytes 0-7 and 8-15 of group g widened to u16 and multiplied by 4 (byte
      ;; offsets of 32-bit counters); l(g) = 4 × luma of its 4 pixels as i32.
      (local.set $v (v128.load offset=0 align=1 (local.get $p)))
      (local.set $x0 (i16x8.shl (i16x8.extend_low_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $x1 (i16x8.shl (i16x8.extend_high_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $l0 (i32x4.shl (i32x4.shr_u (i32x4.add (i32x4.add
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $mRG)) (local.get $kRG))
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $mBG)) (local.get $kBG))) (local.get $round)) (i32.const 16)) (i32.const 2)))
      (local.set $v (v128.load offset=12 align=1 (local.get $p)))
      (local.set $x2 (i16x8.shl (i16x8.extend_low_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $x3 (i16x8.shl (i16x8.extend_high_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $l1 (i32x4.shl (i32x4.shr_u (i32x4.add (i32x4.add
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $mRG)) (local.get $kRG))
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $mBG)) (local.get $kBG))) (local.get $round)) (i32.const 16)) (i32.const 2)))
      (local.set $v (v128.load offset=24 align=1 (local.get $p)))
      (local.set $x4 (i16x8.shl (i16x8.extend_low_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $x5 (i16x8.shl (i16x8.extend_high_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $l2 (i32x4.shl (i32x4.shr_u (i32x4.add (i32x4.add
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $mRG)) (local.get $kRG))
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $mBG)) (local.get $kBG))) (local.get $round)) (i32.const 16)) (i32.const 2)))
      (local.set $v (v128.load offset=36 align=1 (local.get $p)))
      (local.set $x6 (i16x8.shl (i16x8.extend_low_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $x7 (i16x8.shl (i16x8.extend_high_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $l3 (i32x4.shl (i32x4.shr_u (i32x4.add (i32x4.add
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $mRG)) (local.get $kRG))
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $mBG)) (local.get $kBG))) (local.get $round)) (i32.const 16)) (i32.const 2)))
      ;; the 16 lumas as u16: l0 = pixels 0-7, l1 = pixels 8-15
      (local.set $l0 (i16x8.narrow_i32x4_u (local.get $l0) (local.get $l1)))
      (local.set $l1 (i16x8.narrow_i32x4_u (local.get $l2) (local.get $l3)))
      ;; pixel 0: copy 0
      (local.set $w (i32x4.extract_lane 0 (local.get $x0)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=1024 (local.get $a) (i32.add (i32.load offset=1024 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=2048 (local.get $a) (i32.add (i32.load offset=2048 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 1 (local.get $x0)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=3072 (local.get $a) (i32.add (i32.load offset=3072 (local.get $a)) (i32.const 1)))
      (local.set $wl (i32x4.extract_lane 0 (local.get $l0)))
      (local.set $a (i32.and (local.get $wl) (i32.const 0xffff))) (i32.store offset=5120 (local.get $a) (i32.add (i32.load offset=5120 (local.get $a)) (i32.const 1)))
      ;; pixel 1: copy 1
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=6144 (local.get $a) (i32.add (i32.load offset=6144 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 2 (local.get $x0)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=7168 (local.get $a) (i32.add (i32.load offset=7168 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=8192 (local.get $a) (i32.add (i32.load offset=8192 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $wl) (i32.const 16))) (i32.store offset=10240 (local.get $a) (i32.add (i32.load offset=10240 (local.get $a)) (i32.const 1)))
      ;; pixel 2: copy 2
      (local.set $w (i32x4.extract_lane 3 (local.get $x0)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=11264 (local.get $a) (i32.add (i32.load offset=11264 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=12288 (local.get $a) (i32.add (i32.load offset=12288 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 0 (local.get $x1)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=13312 (local.get $a) (i32.add (i32.load offset=13312 (local.get $a)) (i32.const 1)))
      (local.set $wl (i32x4.extract_lane 1 (local.get $l0)))
      (local.set $a (i32.and (local.get $wl) (i32.const 0xffff))) (i32.store offset=15360 (local.get $a) (i32.add (i32.load offset=15360 (local.get $a)) (i32.const 1)))
      ;; pixel 3: copy 3
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=16384 (local.get $a) (i32.add (i32.load offset=16384 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 1 (local.get $x1)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=17408 (local.get $a) (i32.add (i32.load offset=17408 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=18432 (local.get $a) (i32.add (i32.load offset=18432 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $wl) (i32.const 16))) (i32.store offset=20480 (local.get $a) (i32.add (i32.load offset=20480 (local.get $a)) (i32.const 1)))
      ;; pixel 4: copy 0
      (local.set $w (i32x4.extract_lane 0 (local.get $x2)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=1024 (local.get $a) (i32.add (i32.load offset=1024 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=2048 (local.get $a) (i32.add (i32.load offset=2048 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 1 (local.get $x2)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=3072 (local.get $a) (i32.add (i32.load offset=3072 (local.get $a)) (i32.const 1)))
      (local.set $wl (i32x4.extract_lane 2 (local.get $l0)))
      (local.set $a (i32.and (local.get $wl) (i32.const 0xffff))) (i32.store offset=5120 (local.get $a) (i32.add (i32.load offset=5120 (local.get $a)) (i32.const 1)))
      ;; pixel 5: copy 1
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=6144 (local.get $a) (i32.add (i32.load offset=6144 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 2 (local.get $x2)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=7168 (local.get $a) (i32.add (i32.load offset=7168 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=8192 (local.get $a) (i32.add (i32.load offset=8192 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $wl) (i32.const 16))) (i32.store offset=10240 (local.get $a) (i32.add (i32.load offset=10240 (local.get $a)) (i32.const 1)))
      ;; pixel 6: copy 2
      (local.set $w (i32x4.extract_lane 3 (local.get $x2)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=11264 (local.get $a) (i32.add (i32.load offset=11264 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=12288 (local.get $a) (i32.add (i32.load offset=12288 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 0 (local.get $x3)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=13312 (local.get $a) (i32.add (i32.load offset=13312 (local.get $a)) (i32.const 1)))
      (local.set $wl (i32x4.extract_lane 3 (local.get $l0)))
      (local.set $a (i32.and (local.get $wl) (i32.const 0xffff))) (i32.store offset=15360 (local.get $a) (i32.add (i32.load offset=15360 (local.get $a)) (i32.const 1)))
      ;; pixel 7: copy 3
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=16384 (local.get $a) (i32.add (i32.load offset=16384 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 1 (local.get $x3)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=17408 (local.get $a) (i32.add (i32.load offset=17408 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=18432 (local.get $a) (i32.add (i32.load offset=18432 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $wl) (i32.const 16))) (i32.store offset=20480 (local.get $a) (i32.add (i32.load offset=20480 (local.get $a)) (i32.const 1)))
      ;; pixel 8: copy 0
      (local.set $w (i32x4.extract_lane 0 (local.get $x4)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=1024 (local.get $a) (i32.add (i32.load offset=1024 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=2048 (local.get $a) (i32.add (i32.load offset=2048 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 1 (local.get $x4)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=3072 (local.get $a) (i32.add (i32.load offset=3072 (local.get $a)) (i32.const 1)))
      (local.set $wl (i32x4.extract_lane 0 (local.get $l1)))
      (local.set $a (i32.and (local.get $wl) (i32.const 0xffff))) (i32.store offset=5120 (local.get $a) (i32.add (i32.load offset=5120 (local.get $a)) (i32.const 1)))
      ;; pixel 9: copy 1
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=6144 (local.get $a) (i32.add (i32.load offset=6144 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 2 (local.get $x4)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=7168 (local.get $a) (i32.add (i32.load offset=7168 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=8192 (local.get $a) (i32.add (i32.load offset=8192 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $wl) (i32.const 16))) (i32.store offset=10240 (local.get $a) (i32.add (i32.load offset=10240 (local.get $a)) (i32.const 1)))
      ;; pixel 10: copy 2
      (local.set $w (i32x4.extract_lane 3 (local.get $x4)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=11264 (local.get $a) (i32.add (i32.load offset=11264 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=12288 (local.get $a) (i32.add (i32.load offset=12288 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 0 (local.get $x5)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=13312 (local.get $a) (i32.add (i32.load offset=13312 (local.get $a)) (i32.const 1)))
      (local.set $wl (i32x4.extract_lane 1 (local.get $l1)))
      (local.set $a (i32.and (local.get $wl) (i32.const 0xffff))) (i32.store offset=15360 (local.get $a) (i32.add (i32.load offset=15360 (local.get $a)) (i32.const 1)))
      ;; pixel 11: copy 3
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=16384 (local.get $a) (i32.add (i32.load offset=16384 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 1 (local.get $x5)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=17408 (local.get $a) (i32.add (i32.load offset=17408 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=18432 (local.get $a) (i32.add (i32.load offset=18432 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $wl) (i32.const 16))) (i32.store offset=20480 (local.get $a) (i32.add (i32.load offset=20480 (local.get $a)) (i32.const 1)))
      ;; pixel 12: copy 0
      (local.set $w (i32x4.extract_lane 0 (local.get $x6)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=1024 (local.get $a) (i32.add (i32.load offset=1024 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=2048 (local.get $a) (i32.add (i32.load offset=2048 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 1 (local.get $x6)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=3072 (local.get $a) (i32.add (i32.load offset=3072 (local.get $a)) (i32.const 1)))
      (local.set $wl (i32x4.extract_lane 2 (local.get $l1)))
      (local.set $a (i32.and (local.get $wl) (i32.const 0xffff))) (i32.store offset=5120 (local.get $a) (i32.add (i32.load offset=5120 (local.get $a)) (i32.const 1)))
      ;; pixel 13: copy 1
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=6144 (local.get $a) (i32.add (i32.load offset=6144 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 2 (local.get $x6)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=7168 (local.get $a) (i32.add (i32.load offset=7168 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=8192 (local.get $a) (i32.add (i32.load offset=8192 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $wl) (i32.const 16))) (i32.store offset=10240 (local.get $a) (i32.add (i32.load offset=10240 (local.get $a)) (i32.const 1)))
      ;; pixel 14: copy 2
      (local.set $w (i32x4.extract_lane 3 (local.get $x6)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=11264 (local.get $a) (i32.add (i32.load offset=11264 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=12288 (local.get $a) (i32.add (i32.load offset=12288 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 0 (local.get $x7)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=13312 (local.get $a) (i32.add (i32.load offset=13312 (local.get $a)) (i32.const 1)))
      (local.set $wl (i32x4.extract_lane 3 (local.get $l1)))
      (local.set $a (i32.and (local.get $wl) (i32.const 0xffff))) (i32.store offset=15360 (local.get $a) (i32.add (i32.load offset=15360 (local.get $a)) (i32.const 1)))
      ;; pixel 15: copy 3
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=16384 (local.get $a) (i32.add (i32.load offset=16384 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 1 (local.get $x7)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=17408 (local.get $a) (i32.add (i32.load offset=17408 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=18432 (local.get $a) (i32.add (i32.load offset=18432 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $wl) (i32.const 16))) (i32.store offset=20480 (local.get $a) (i32.add (i32.load offset=20480 (local.get $a)) (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 48)))
      (br $next))))
  ;; countRgba(p, n): counts n pixels (rounded down to a multiple of 16) of 4 bytes from byte p.
  (func (export "countRgba") (param $p i32) (param $n i32)
    (local $end i32) (local $a i32) (local $w i32) (local $wl i32) (local $v v128)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $x4 v128) (local $x5 v128) (local $x6 v128) (local $x7 v128)
    (local $l0 v128) (local $l1 v128) (local $l2 v128) (local $l3 v128)
    (local $mRG v128) (local $mBG v128) (local $kRG v128) (local $kBG v128) (local $round v128)
    (local.set $mRG (v128.load (i32.const 32))) (local.set $mBG (v128.load (i32.const 48)))
    (local.set $kRG (v128.load (i32.const 64))) (local.set $kBG (v128.load (i32.const 80))) (local.set $round (v128.load (i32.const 96)))
    (local.set $end (i32.add (local.get $p) (i32.mul (i32.and (local.get $n) (i32.const -16)) (i32.const 4))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      ;; 16 pixels as 4 groups of 4, one (unaligned) vector load each:
      ;; x(2g), x(2g+1) = bytes 0-7 and 8-15 of group g widened to u16 and multiplied by 4 (byte
      ;; offsets of 32-bit counters); l(g) = 4 × luma of its 4 pixels as i32.
      (local.set $v (v128.load offset=0 align=1 (local.get $p)))
      (local.set $x0 (i16x8.shl (i16x8.extend_low_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $x1 (i16x8.shl (i16x8.extend_high_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $l0 (i32x4.shl (i32x4.shr_u (i32x4.add (i32x4.add
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $mRG)) (local.get $kRG))
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $mBG)) (local.get $kBG))) (local.get $round)) (i32.const 16)) (i32.const 2)))
      (local.set $v (v128.load offset=16 align=1 (local.get $p)))
      (local.set $x2 (i16x8.shl (i16x8.extend_low_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $x3 (i16x8.shl (i16x8.extend_high_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $l1 (i32x4.shl (i32x4.shr_u (i32x4.add (i32x4.add
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $mRG)) (local.get $kRG))
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $mBG)) (local.get $kBG))) (local.get $round)) (i32.const 16)) (i32.const 2)))
      (local.set $v (v128.load offset=32 align=1 (local.get $p)))
      (local.set $x4 (i16x8.shl (i16x8.extend_low_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $x5 (i16x8.shl (i16x8.extend_high_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $l2 (i32x4.shl (i32x4.shr_u (i32x4.add (i32x4.add
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $mRG)) (local.get $kRG))
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $mBG)) (local.get $kBG))) (local.get $round)) (i32.const 16)) (i32.const 2)))
      (local.set $v (v128.load offset=48 align=1 (local.get $p)))
      (local.set $x6 (i16x8.shl (i16x8.extend_low_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $x7 (i16x8.shl (i16x8.extend_high_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $l3 (i32x4.shl (i32x4.shr_u (i32x4.add (i32x4.add
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $mRG)) (local.get $kRG))
        (i32x4.dot_i16x8_s (i8x16.swizzle (local.get $v) (local.get $mBG)) (local.get $kBG))) (local.get $round)) (i32.const 16)) (i32.const 2)))
      ;; the 16 lumas as u16: l0 = pixels 0-7, l1 = pixels 8-15
      (local.set $l0 (i16x8.narrow_i32x4_u (local.get $l0) (local.get $l1)))
      (local.set $l1 (i16x8.narrow_i32x4_u (local.get $l2) (local.get $l3)))
      ;; pixel 0: copy 0
      (local.set $w (i32x4.extract_lane 0 (local.get $x0)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=1024 (local.get $a) (i32.add (i32.load offset=1024 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=2048 (local.get $a) (i32.add (i32.load offset=2048 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 1 (local.get $x0)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=3072 (local.get $a) (i32.add (i32.load offset=3072 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=4096 (local.get $a) (i32.add (i32.load offset=4096 (local.get $a)) (i32.const 1)))
      (local.set $wl (i32x4.extract_lane 0 (local.get $l0)))
      (local.set $a (i32.and (local.get $wl) (i32.const 0xffff))) (i32.store offset=5120 (local.get $a) (i32.add (i32.load offset=5120 (local.get $a)) (i32.const 1)))
      ;; pixel 1: copy 1
      (local.set $w (i32x4.extract_lane 2 (local.get $x0)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=6144 (local.get $a) (i32.add (i32.load offset=6144 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=7168 (local.get $a) (i32.add (i32.load offset=7168 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 3 (local.get $x0)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=8192 (local.get $a) (i32.add (i32.load offset=8192 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=9216 (local.get $a) (i32.add (i32.load offset=9216 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $wl) (i32.const 16))) (i32.store offset=10240 (local.get $a) (i32.add (i32.load offset=10240 (local.get $a)) (i32.const 1)))
      ;; pixel 2: copy 2
      (local.set $w (i32x4.extract_lane 0 (local.get $x1)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=11264 (local.get $a) (i32.add (i32.load offset=11264 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=12288 (local.get $a) (i32.add (i32.load offset=12288 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 1 (local.get $x1)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=13312 (local.get $a) (i32.add (i32.load offset=13312 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=14336 (local.get $a) (i32.add (i32.load offset=14336 (local.get $a)) (i32.const 1)))
      (local.set $wl (i32x4.extract_lane 1 (local.get $l0)))
      (local.set $a (i32.and (local.get $wl) (i32.const 0xffff))) (i32.store offset=15360 (local.get $a) (i32.add (i32.load offset=15360 (local.get $a)) (i32.const 1)))
      ;; pixel 3: copy 3
      (local.set $w (i32x4.extract_lane 2 (local.get $x1)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=16384 (local.get $a) (i32.add (i32.load offset=16384 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=17408 (local.get $a) (i32.add (i32.load offset=17408 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 3 (local.get $x1)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=18432 (local.get $a) (i32.add (i32.load offset=18432 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=19456 (local.get $a) (i32.add (i32.load offset=19456 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $wl) (i32.const 16))) (i32.store offset=20480 (local.get $a) (i32.add (i32.load offset=20480 (local.get $a)) (i32.const 1)))
      ;; pixel 4: copy 0
      (local.set $w (i32x4.extract_lane 0 (local.get $x2)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=1024 (local.get $a) (i32.add (i32.load offset=1024 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=2048 (local.get $a) (i32.add (i32.load offset=2048 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 1 (local.get $x2)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=3072 (local.get $a) (i32.add (i32.load offset=3072 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=4096 (local.get $a) (i32.add (i32.load offset=4096 (local.get $a)) (i32.const 1)))
      (local.set $wl (i32x4.extract_lane 2 (local.get $l0)))
      (local.set $a (i32.and (local.get $wl) (i32.const 0xffff))) (i32.store offset=5120 (local.get $a) (i32.add (i32.load offset=5120 (local.get $a)) (i32.const 1)))
      ;; pixel 5: copy 1
      (local.set $w (i32x4.extract_lane 2 (local.get $x2)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=6144 (local.get $a) (i32.add (i32.load offset=6144 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=7168 (local.get $a) (i32.add (i32.load offset=7168 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 3 (local.get $x2)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=8192 (local.get $a) (i32.add (i32.load offset=8192 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=9216 (local.get $a) (i32.add (i32.load offset=9216 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $wl) (i32.const 16))) (i32.store offset=10240 (local.get $a) (i32.add (i32.load offset=10240 (local.get $a)) (i32.const 1)))
      ;; pixel 6: copy 2
      (local.set $w (i32x4.extract_lane 0 (local.get $x3)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=11264 (local.get $a) (i32.add (i32.load offset=11264 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=12288 (local.get $a) (i32.add (i32.load offset=12288 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 1 (local.get $x3)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=13312 (local.get $a) (i32.add (i32.load offset=13312 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=14336 (local.get $a) (i32.add (i32.load offset=14336 (local.get $a)) (i32.const 1)))
      (local.set $wl (i32x4.extract_lane 3 (local.get $l0)))
      (local.set $a (i32.and (local.get $wl) (i32.const 0xffff))) (i32.store offset=15360 (local.get $a) (i32.add (i32.load offset=15360 (local.get $a)) (i32.const 1)))
      ;; pixel 7: copy 3
      (local.set $w (i32x4.extract_lane 2 (local.get $x3)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=16384 (local.get $a) (i32.add (i32.load offset=16384 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=17408 (local.get $a) (i32.add (i32.load offset=17408 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 3 (local.get $x3)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=18432 (local.get $a) (i32.add (i32.load offset=18432 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=19456 (local.get $a) (i32.add (i32.load offset=19456 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $wl) (i32.const 16))) (i32.store offset=20480 (local.get $a) (i32.add (i32.load offset=20480 (local.get $a)) (i32.const 1)))
      ;; pixel 8: copy 0
      (local.set $w (i32x4.extract_lane 0 (local.get $x4)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=1024 (local.get $a) (i32.add (i32.load offset=1024 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=2048 (local.get $a) (i32.add (i32.load offset=2048 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 1 (local.get $x4)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=3072 (local.get $a) (i32.add (i32.load offset=3072 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=4096 (local.get $a) (i32.add (i32.load offset=4096 (local.get $a)) (i32.const 1)))
      (local.set $wl (i32x4.extract_lane 0 (local.get $l1)))
      (local.set $a (i32.and (local.get $wl) (i32.const 0xffff))) (i32.store offset=5120 (local.get $a) (i32.add (i32.load offset=5120 (local.get $a)) (i32.const 1)))
      ;; pixel 9: copy 1
      (local.set $w (i32x4.extract_lane 2 (local.get $x4)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=6144 (local.get $a) (i32.add (i32.load offset=6144 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=7168 (local.get $a) (i32.add (i32.load offset=7168 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 3 (local.get $x4)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=8192 (local.get $a) (i32.add (i32.load offset=8192 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=9216 (local.get $a) (i32.add (i32.load offset=9216 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $wl) (i32.const 16))) (i32.store offset=10240 (local.get $a) (i32.add (i32.load offset=10240 (local.get $a)) (i32.const 1)))
      ;; pixel 10: copy 2
      (local.set $w (i32x4.extract_lane 0 (local.get $x5)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=11264 (local.get $a) (i32.add (i32.load offset=11264 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=12288 (local.get $a) (i32.add (i32.load offset=12288 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 1 (local.get $x5)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=13312 (local.get $a) (i32.add (i32.load offset=13312 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=14336 (local.get $a) (i32.add (i32.load offset=14336 (local.get $a)) (i32.const 1)))
      (local.set $wl (i32x4.extract_lane 1 (local.get $l1)))
      (local.set $a (i32.and (local.get $wl) (i32.const 0xffff))) (i32.store offset=15360 (local.get $a) (i32.add (i32.load offset=15360 (local.get $a)) (i32.const 1)))
      ;; pixel 11: copy 3
      (local.set $w (i32x4.extract_lane 2 (local.get $x5)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=16384 (local.get $a) (i32.add (i32.load offset=16384 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=17408 (local.get $a) (i32.add (i32.load offset=17408 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 3 (local.get $x5)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=18432 (local.get $a) (i32.add (i32.load offset=18432 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=19456 (local.get $a) (i32.add (i32.load offset=19456 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $wl) (i32.const 16))) (i32.store offset=20480 (local.get $a) (i32.add (i32.load offset=20480 (local.get $a)) (i32.const 1)))
      ;; pixel 12: copy 0
      (local.set $w (i32x4.extract_lane 0 (local.get $x6)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=1024 (local.get $a) (i32.add (i32.load offset=1024 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=2048 (local.get $a) (i32.add (i32.load offset=2048 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 1 (local.get $x6)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=3072 (local.get $a) (i32.add (i32.load offset=3072 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=4096 (local.get $a) (i32.add (i32.load offset=4096 (local.get $a)) (i32.const 1)))
      (local.set $wl (i32x4.extract_lane 2 (local.get $l1)))
      (local.set $a (i32.and (local.get $wl) (i32.const 0xffff))) (i32.store offset=5120 (local.get $a) (i32.add (i32.load offset=5120 (local.get $a)) (i32.const 1)))
      ;; pixel 13: copy 1
      (local.set $w (i32x4.extract_lane 2 (local.get $x6)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=6144 (local.get $a) (i32.add (i32.load offset=6144 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=7168 (local.get $a) (i32.add (i32.load offset=7168 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 3 (local.get $x6)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=8192 (local.get $a) (i32.add (i32.load offset=8192 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=9216 (local.get $a) (i32.add (i32.load offset=9216 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $wl) (i32.const 16))) (i32.store offset=10240 (local.get $a) (i32.add (i32.load offset=10240 (local.get $a)) (i32.const 1)))
      ;; pixel 14: copy 2
      (local.set $w (i32x4.extract_lane 0 (local.get $x7)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=11264 (local.get $a) (i32.add (i32.load offset=11264 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=12288 (local.get $a) (i32.add (i32.load offset=12288 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 1 (local.get $x7)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=13312 (local.get $a) (i32.add (i32.load offset=13312 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=14336 (local.get $a) (i32.add (i32.load offset=14336 (local.get $a)) (i32.const 1)))
      (local.set $wl (i32x4.extract_lane 3 (local.get $l1)))
      (local.set $a (i32.and (local.get $wl) (i32.const 0xffff))) (i32.store offset=15360 (local.get $a) (i32.add (i32.load offset=15360 (local.get $a)) (i32.const 1)))
      ;; pixel 15: copy 3
      (local.set $w (i32x4.extract_lane 2 (local.get $x7)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=16384 (local.get $a) (i32.add (i32.load offset=16384 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=17408 (local.get $a) (i32.add (i32.load offset=17408 (local.get $a)) (i32.const 1)))
      (local.set $w (i32x4.extract_lane 3 (local.get $x7)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=18432 (local.get $a) (i32.add (i32.load offset=18432 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=19456 (local.get $a) (i32.add (i32.load offset=19456 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $wl) (i32.const 16))) (i32.store offset=20480 (local.get $a) (i32.add (i32.load offset=20480 (local.get $a)) (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 64)))
      (br $next))))
  ;; countGray(p, n): counts n pixels (rounded down to a multiple of 16) of 1 byte from byte p.
  (func (export "countGray") (param $p i32) (param $n i32)
    (local $end i32) (local $a i32) (local $w i32) (local $v v128) (local $lo v128) (local $hi v128)
    (local.set $end (i32.add (local.get $p) (i32.mul (i32.and (local.get $n) (i32.const -16)) (i32.const 1))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $v (v128.load (local.get $p)))
      (local.set $lo (i16x8.shl (i16x8.extend_low_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $hi (i16x8.shl (i16x8.extend_high_i8x16_u (local.get $v)) (i32.const 2)))
      ;; pixel 0: copy 0
      (local.set $w (i32x4.extract_lane 0 (local.get $lo)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=1024 (local.get $a) (i32.add (i32.load offset=1024 (local.get $a)) (i32.const 1)))
      ;; pixel 1: copy 1
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=6144 (local.get $a) (i32.add (i32.load offset=6144 (local.get $a)) (i32.const 1)))
      ;; pixel 2: copy 2
      (local.set $w (i32x4.extract_lane 1 (local.get $lo)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=11264 (local.get $a) (i32.add (i32.load offset=11264 (local.get $a)) (i32.const 1)))
      ;; pixel 3: copy 3
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=16384 (local.get $a) (i32.add (i32.load offset=16384 (local.get $a)) (i32.const 1)))
      ;; pixel 4: copy 0
      (local.set $w (i32x4.extract_lane 2 (local.get $lo)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=1024 (local.get $a) (i32.add (i32.load offset=1024 (local.get $a)) (i32.const 1)))
      ;; pixel 5: copy 1
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=6144 (local.get $a) (i32.add (i32.load offset=6144 (local.get $a)) (i32.const 1)))
      ;; pixel 6: copy 2
      (local.set $w (i32x4.extract_lane 3 (local.get $lo)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=11264 (local.get $a) (i32.add (i32.load offset=11264 (local.get $a)) (i32.const 1)))
      ;; pixel 7: copy 3
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=16384 (local.get $a) (i32.add (i32.load offset=16384 (local.get $a)) (i32.const 1)))
      ;; pixel 8: copy 0
      (local.set $w (i32x4.extract_lane 0 (local.get $hi)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=1024 (local.get $a) (i32.add (i32.load offset=1024 (local.get $a)) (i32.const 1)))
      ;; pixel 9: copy 1
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=6144 (local.get $a) (i32.add (i32.load offset=6144 (local.get $a)) (i32.const 1)))
      ;; pixel 10: copy 2
      (local.set $w (i32x4.extract_lane 1 (local.get $hi)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=11264 (local.get $a) (i32.add (i32.load offset=11264 (local.get $a)) (i32.const 1)))
      ;; pixel 11: copy 3
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=16384 (local.get $a) (i32.add (i32.load offset=16384 (local.get $a)) (i32.const 1)))
      ;; pixel 12: copy 0
      (local.set $w (i32x4.extract_lane 2 (local.get $hi)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=1024 (local.get $a) (i32.add (i32.load offset=1024 (local.get $a)) (i32.const 1)))
      ;; pixel 13: copy 1
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=6144 (local.get $a) (i32.add (i32.load offset=6144 (local.get $a)) (i32.const 1)))
      ;; pixel 14: copy 2
      (local.set $w (i32x4.extract_lane 3 (local.get $hi)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=11264 (local.get $a) (i32.add (i32.load offset=11264 (local.get $a)) (i32.const 1)))
      ;; pixel 15: copy 3
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=16384 (local.get $a) (i32.add (i32.load offset=16384 (local.get $a)) (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $next))))
  ;; countGrayAlpha(p, n): counts n pixels (rounded down to a multiple of 8) of 2 bytes from byte p.
  (func (export "countGrayAlpha") (param $p i32) (param $n i32)
    (local $end i32) (local $a i32) (local $w i32) (local $v v128) (local $lo v128) (local $hi v128)
    (local.set $end (i32.add (local.get $p) (i32.mul (i32.and (local.get $n) (i32.const -8)) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $v (v128.load (local.get $p)))
      (local.set $lo (i16x8.shl (i16x8.extend_low_i8x16_u (local.get $v)) (i32.const 2)))
      (local.set $hi (i16x8.shl (i16x8.extend_high_i8x16_u (local.get $v)) (i32.const 2)))
      ;; pixel 0: copy 0
      (local.set $w (i32x4.extract_lane 0 (local.get $lo)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=1024 (local.get $a) (i32.add (i32.load offset=1024 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=2048 (local.get $a) (i32.add (i32.load offset=2048 (local.get $a)) (i32.const 1)))
      ;; pixel 1: copy 1
      (local.set $w (i32x4.extract_lane 1 (local.get $lo)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=6144 (local.get $a) (i32.add (i32.load offset=6144 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=7168 (local.get $a) (i32.add (i32.load offset=7168 (local.get $a)) (i32.const 1)))
      ;; pixel 2: copy 2
      (local.set $w (i32x4.extract_lane 2 (local.get $lo)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=11264 (local.get $a) (i32.add (i32.load offset=11264 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=12288 (local.get $a) (i32.add (i32.load offset=12288 (local.get $a)) (i32.const 1)))
      ;; pixel 3: copy 3
      (local.set $w (i32x4.extract_lane 3 (local.get $lo)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=16384 (local.get $a) (i32.add (i32.load offset=16384 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=17408 (local.get $a) (i32.add (i32.load offset=17408 (local.get $a)) (i32.const 1)))
      ;; pixel 4: copy 0
      (local.set $w (i32x4.extract_lane 0 (local.get $hi)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=1024 (local.get $a) (i32.add (i32.load offset=1024 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=2048 (local.get $a) (i32.add (i32.load offset=2048 (local.get $a)) (i32.const 1)))
      ;; pixel 5: copy 1
      (local.set $w (i32x4.extract_lane 1 (local.get $hi)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=6144 (local.get $a) (i32.add (i32.load offset=6144 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=7168 (local.get $a) (i32.add (i32.load offset=7168 (local.get $a)) (i32.const 1)))
      ;; pixel 6: copy 2
      (local.set $w (i32x4.extract_lane 2 (local.get $hi)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=11264 (local.get $a) (i32.add (i32.load offset=11264 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=12288 (local.get $a) (i32.add (i32.load offset=12288 (local.get $a)) (i32.const 1)))
      ;; pixel 7: copy 3
      (local.set $w (i32x4.extract_lane 3 (local.get $hi)))
      (local.set $a (i32.and (local.get $w) (i32.const 0xffff))) (i32.store offset=16384 (local.get $a) (i32.add (i32.load offset=16384 (local.get $a)) (i32.const 1)))
      (local.set $a (i32.shr_u (local.get $w) (i32.const 16))) (i32.store offset=17408 (local.get $a) (i32.add (i32.load offset=17408 (local.get $a)) (i32.const 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $next))))
  ;; fold(): adds copies 1-3 of every histogram into copy 0 and zeroes copies 1-3, so the host
  ;; reads one copy and can leave its own running counts in copy 0 for the next count call.
  (func (export "fold")
    (local $i i32) (local $zero v128)
    (loop $next
      (v128.store offset=1024 (local.get $i) (i32x4.add
        (i32x4.add (v128.load offset=1024 (local.get $i)) (v128.load offset=6144 (local.get $i)))
        (i32x4.add (v128.load offset=11264 (local.get $i)) (v128.load offset=16384 (local.get $i)))))
      (v128.store offset=6144 (local.get $i) (local.get $zero))
      (v128.store offset=11264 (local.get $i) (local.get $zero))
      (v128.store offset=16384 (local.get $i) (local.get $zero))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 5120)))))
)
