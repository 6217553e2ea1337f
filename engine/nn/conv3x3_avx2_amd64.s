//go:build amd64 && !purego

#include "textflag.h"

// AVX2 + FMA micro-kernels of the 3×3 convolution in the stacked layout
// (stack.go). Four output channels share every input load; the taps of one
// input channel are packed [ky][kx][m] (36 floats, see packAVX2), each tap
// broadcast once and multiplied into every position vector.

// TAP24 accumulates tap (off, woff) of the current input channel into the
// twelve accumulators: Y12..Y14 hold its three position vectors, Y15 the
// broadcast weight of one output channel at a time.
#define TAP24(off, woff) \
	VMOVUPS off(R13), Y12; \
	VMOVUPS off+32(R13), Y13; \
	VMOVUPS off+64(R13), Y14; \
	VBROADCASTSS woff(BX), Y15; \
	VFMADD231PS Y12, Y15, Y0; \
	VFMADD231PS Y13, Y15, Y1; \
	VFMADD231PS Y14, Y15, Y2; \
	VBROADCASTSS woff+4(BX), Y15; \
	VFMADD231PS Y12, Y15, Y3; \
	VFMADD231PS Y13, Y15, Y4; \
	VFMADD231PS Y14, Y15, Y5; \
	VBROADCASTSS woff+8(BX), Y15; \
	VFMADD231PS Y12, Y15, Y6; \
	VFMADD231PS Y13, Y15, Y7; \
	VFMADD231PS Y14, Y15, Y8; \
	VBROADCASTSS woff+12(BX), Y15; \
	VFMADD231PS Y12, Y15, Y9; \
	VFMADD231PS Y13, Y15, Y10; \
	VFMADD231PS Y14, Y15, Y11

// func conv4x24AVX2(dst *float32, dstStride int, src *float32, plane, wp int, w *float32, cin, nblk int)
//
// For b < nblk, p < 24 and m < 4 it sets
//
//	dst[m·dstStride + 24b + p] = Σ_ci Σ_{ky,kx} w[36ci + 4(3ky+kx) + m] · src[ci·plane + ky·wp + kx + 24b + p],
//
// src pointing at the top-left tap of the first output position. Twelve
// accumulators (4 channels × 3 vectors of 8) stay in registers over all
// 9·cin taps.
TEXT ·conv4x24AVX2(SB), NOSPLIT, $0-64
	MOVQ dst+0(FP), DI
	MOVQ dstStride+8(FP), R8
	SHLQ $2, R8
	MOVQ src+16(FP), SI
	MOVQ plane+24(FP), R9
	SHLQ $2, R9
	MOVQ wp+32(FP), R10
	SHLQ $2, R10
	MOVQ w+40(FP), DX
	MOVQ cin+48(FP), CX
	MOVQ nblk+56(FP), R11
	TESTQ R11, R11
	JLE  done24
	TESTQ CX, CX
	JLE  done24

blk24:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	MOVQ SI, AX // input channel ci at this block
	MOVQ DX, BX // its 36 packed taps
	MOVQ CX, R12

ci24:
	MOVQ AX, R13
	TAP24(0, 0)
	TAP24(4, 16)
	TAP24(8, 32)
	ADDQ R10, R13
	TAP24(0, 48)
	TAP24(4, 64)
	TAP24(8, 80)
	ADDQ R10, R13
	TAP24(0, 96)
	TAP24(4, 112)
	TAP24(8, 128)
	ADDQ R9, AX
	ADDQ $144, BX
	DECQ R12
	JNZ  ci24

	MOVQ    DI, R13
	VMOVUPS Y0, (R13)
	VMOVUPS Y1, 32(R13)
	VMOVUPS Y2, 64(R13)
	ADDQ    R8, R13
	VMOVUPS Y3, (R13)
	VMOVUPS Y4, 32(R13)
	VMOVUPS Y5, 64(R13)
	ADDQ    R8, R13
	VMOVUPS Y6, (R13)
	VMOVUPS Y7, 32(R13)
	VMOVUPS Y8, 64(R13)
	ADDQ    R8, R13
	VMOVUPS Y9, (R13)
	VMOVUPS Y10, 32(R13)
	VMOVUPS Y11, 64(R13)
	ADDQ    $96, DI
	ADDQ    $96, SI
	DECQ    R11
	JNZ     blk24

done24:
	VZEROUPPER
	RET

#define TAP8(off, woff) \
	VMOVUPS off(R13), Y12; \
	VBROADCASTSS woff(BX), Y13; \
	VFMADD231PS Y12, Y13, Y0; \
	VBROADCASTSS woff+4(BX), Y14; \
	VFMADD231PS Y12, Y14, Y1; \
	VBROADCASTSS woff+8(BX), Y15; \
	VFMADD231PS Y12, Y15, Y2; \
	VBROADCASTSS woff+12(BX), Y13; \
	VFMADD231PS Y12, Y13, Y3

// func conv4x8AVX2(dst *float32, dstStride int, src *float32, plane, wp int, w *float32, cin, nblk int)
//
// conv4x24AVX2 for blocks of 8 positions (the tail of a tile).
TEXT ·conv4x8AVX2(SB), NOSPLIT, $0-64
	MOVQ dst+0(FP), DI
	MOVQ dstStride+8(FP), R8
	SHLQ $2, R8
	MOVQ src+16(FP), SI
	MOVQ plane+24(FP), R9
	SHLQ $2, R9
	MOVQ wp+32(FP), R10
	SHLQ $2, R10
	MOVQ w+40(FP), DX
	MOVQ cin+48(FP), CX
	MOVQ nblk+56(FP), R11
	TESTQ R11, R11
	JLE  done8
	TESTQ CX, CX
	JLE  done8

blk8:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	MOVQ   SI, AX
	MOVQ   DX, BX
	MOVQ   CX, R12

ci8:
	MOVQ AX, R13
	TAP8(0, 0)
	TAP8(4, 16)
	TAP8(8, 32)
	ADDQ R10, R13
	TAP8(0, 48)
	TAP8(4, 64)
	TAP8(8, 80)
	ADDQ R10, R13
	TAP8(0, 96)
	TAP8(4, 112)
	TAP8(8, 128)
	ADDQ R9, AX
	ADDQ $144, BX
	DECQ R12
	JNZ  ci8

	MOVQ    DI, R13
	VMOVUPS Y0, (R13)
	ADDQ    R8, R13
	VMOVUPS Y1, (R13)
	ADDQ    R8, R13
	VMOVUPS Y2, (R13)
	ADDQ    R8, R13
	VMOVUPS Y3, (R13)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    R11
	JNZ     blk8

done8:
	VZEROUPPER
	RET

// func corr4x3AVX2(acc *float32, d *float32, x *float32, plane, wp, nci, nvec int)
//
// Weight-gradient partial sums of four output channels (planes d + k·plane,
// k < 4) against nci input channels (planes x + ci·plane, x pointing at the
// top-left tap of the first position), over nvec vectors of 8 positions:
// for every ci, ky, k and kx the eight lanes
//
//	acc[((3ci + ky)·12 + 3k + kx)·8 + l] += Σ_v d[k·plane + 8v + l] · x[ci·plane + ky·wp + kx + 8v + l]
//
// are added to, so that the caller sums the lanes once at the end.
TEXT ·corr4x3AVX2(SB), NOSPLIT, $0-56
	MOVQ acc+0(FP), DI
	MOVQ d+8(FP), SI
	MOVQ x+16(FP), DX
	MOVQ plane+24(FP), R9
	SHLQ $2, R9
	MOVQ wp+32(FP), R10
	SHLQ $2, R10
	MOVQ nci+40(FP), CX
	MOVQ nvec+48(FP), R11
	TESTQ CX, CX
	JLE  donec
	TESTQ R11, R11
	JLE  donec
	LEAQ (SI)(R9*2), R8 // d + 2·plane

cic:
	MOVQ DX, AX // x row of (ci, ky)
	MOVQ $3, R14

kyc:
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	VMOVUPS 128(DI), Y4
	VMOVUPS 160(DI), Y5
	VMOVUPS 192(DI), Y6
	VMOVUPS 224(DI), Y7
	VMOVUPS 256(DI), Y8
	VMOVUPS 288(DI), Y9
	VMOVUPS 320(DI), Y10
	VMOVUPS 352(DI), Y11
	XORQ    BX, BX     // byte offset of the position vector
	MOVQ    R11, R12

vc:
	VMOVUPS     (AX)(BX*1), Y12
	VMOVUPS     4(AX)(BX*1), Y13
	VMOVUPS     8(AX)(BX*1), Y14
	VMOVUPS     (SI)(BX*1), Y15
	VFMADD231PS Y12, Y15, Y0
	VFMADD231PS Y13, Y15, Y1
	VFMADD231PS Y14, Y15, Y2
	LEAQ        (SI)(R9*1), R13
	VMOVUPS     (R13)(BX*1), Y15
	VFMADD231PS Y12, Y15, Y3
	VFMADD231PS Y13, Y15, Y4
	VFMADD231PS Y14, Y15, Y5
	VMOVUPS     (R8)(BX*1), Y15
	VFMADD231PS Y12, Y15, Y6
	VFMADD231PS Y13, Y15, Y7
	VFMADD231PS Y14, Y15, Y8
	LEAQ        (R8)(R9*1), R13
	VMOVUPS     (R13)(BX*1), Y15
	VFMADD231PS Y12, Y15, Y9
	VFMADD231PS Y13, Y15, Y10
	VFMADD231PS Y14, Y15, Y11
	ADDQ        $32, BX
	DECQ        R12
	JNZ         vc

	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	VMOVUPS Y8, 256(DI)
	VMOVUPS Y9, 288(DI)
	VMOVUPS Y10, 320(DI)
	VMOVUPS Y11, 352(DI)
	ADDQ    $384, DI
	ADDQ    R10, AX
	DECQ    R14
	JNZ     kyc

	ADDQ R9, DX
	DECQ CX
	JNZ  cic

donec:
	VZEROUPPER
	RET

// func gemm4x24AVX2(dst *float32, dstStride int, src *float32, srcStride int, w *float32, k, nblk int)
//
// The matrix product of four rows of packed weights with k source rows:
// for b < nblk, p < 24 and m < 4,
//
//	dst[m·dstStride + 24b + p] = Σ_{i<k} w[4i + m] · src[i·srcStride + 24b + p],
//
// the block of conv4x24AVX2 with a single tap per source row (the 2×2
// transposed convolution as a product, convtranspose_gemm.go).
TEXT ·gemm4x24AVX2(SB), NOSPLIT, $0-56
	MOVQ dst+0(FP), DI
	MOVQ dstStride+8(FP), R8
	SHLQ $2, R8
	MOVQ src+16(FP), SI
	MOVQ srcStride+24(FP), R9
	SHLQ $2, R9
	MOVQ w+32(FP), DX
	MOVQ k+40(FP), CX
	MOVQ nblk+48(FP), R11
	TESTQ R11, R11
	JLE  doneg24
	TESTQ CX, CX
	JLE  doneg24

blkg24:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	MOVQ SI, R13
	MOVQ DX, BX
	MOVQ CX, R12

kg24:
	TAP24(0, 0)
	ADDQ R9, R13
	ADDQ $16, BX
	DECQ R12
	JNZ  kg24

	MOVQ    DI, R13
	VMOVUPS Y0, (R13)
	VMOVUPS Y1, 32(R13)
	VMOVUPS Y2, 64(R13)
	ADDQ    R8, R13
	VMOVUPS Y3, (R13)
	VMOVUPS Y4, 32(R13)
	VMOVUPS Y5, 64(R13)
	ADDQ    R8, R13
	VMOVUPS Y6, (R13)
	VMOVUPS Y7, 32(R13)
	VMOVUPS Y8, 64(R13)
	ADDQ    R8, R13
	VMOVUPS Y9, (R13)
	VMOVUPS Y10, 32(R13)
	VMOVUPS Y11, 64(R13)
	ADDQ    $96, DI
	ADDQ    $96, SI
	DECQ    R11
	JNZ     blkg24

doneg24:
	VZEROUPPER
	RET

// func gemm4x8AVX2(dst *float32, dstStride int, src *float32, srcStride int, w *float32, k, nblk int)
//
// gemm4x24AVX2 for blocks of 8 positions.
TEXT ·gemm4x8AVX2(SB), NOSPLIT, $0-56
	MOVQ dst+0(FP), DI
	MOVQ dstStride+8(FP), R8
	SHLQ $2, R8
	MOVQ src+16(FP), SI
	MOVQ srcStride+24(FP), R9
	SHLQ $2, R9
	MOVQ w+32(FP), DX
	MOVQ k+40(FP), CX
	MOVQ nblk+48(FP), R11
	TESTQ R11, R11
	JLE  doneg8
	TESTQ CX, CX
	JLE  doneg8

blkg8:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	MOVQ   SI, R13
	MOVQ   DX, BX
	MOVQ   CX, R12

kg8:
	TAP8(0, 0)
	ADDQ R9, R13
	ADDQ $16, BX
	DECQ R12
	JNZ  kg8

	MOVQ    DI, R13
	VMOVUPS Y0, (R13)
	ADDQ    R8, R13
	VMOVUPS Y1, (R13)
	ADDQ    R8, R13
	VMOVUPS Y2, (R13)
	ADDQ    R8, R13
	VMOVUPS Y3, (R13)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    R11
	JNZ     blkg8

doneg8:
	VZEROUPPER
	RET

// func dot4x3AVX2(acc *float32, a *float32, aStride int, b *float32, bStride, nvec int)
//
// Lane-wise dot products of four rows a + m·aStride with three rows
// b + j·bStride over nvec vectors of 8:
//
//	acc[(3m + j)·8 + l] += Σ_v a[m·aStride + 8v + l] · b[j·bStride + 8v + l].
TEXT ·dot4x3AVX2(SB), NOSPLIT, $0-48
	MOVQ acc+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ aStride+16(FP), R8
	SHLQ $2, R8
	MOVQ b+24(FP), DX
	MOVQ bStride+32(FP), R9
	SHLQ $2, R9
	MOVQ nvec+40(FP), R11
	TESTQ R11, R11
	JLE  doned
	LEAQ (DX)(R9*1), R10 // b row 1
	LEAQ (R10)(R9*1), R12 // b row 2
	LEAQ (SI)(R8*2), CX   // a row 2
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	VMOVUPS 128(DI), Y4
	VMOVUPS 160(DI), Y5
	VMOVUPS 192(DI), Y6
	VMOVUPS 224(DI), Y7
	VMOVUPS 256(DI), Y8
	VMOVUPS 288(DI), Y9
	VMOVUPS 320(DI), Y10
	VMOVUPS 352(DI), Y11
	XORQ    BX, BX

vd:
	VMOVUPS     (DX)(BX*1), Y12
	VMOVUPS     (R10)(BX*1), Y13
	VMOVUPS     (R12)(BX*1), Y14
	VMOVUPS     (SI)(BX*1), Y15
	VFMADD231PS Y12, Y15, Y0
	VFMADD231PS Y13, Y15, Y1
	VFMADD231PS Y14, Y15, Y2
	LEAQ        (SI)(R8*1), R13
	VMOVUPS     (R13)(BX*1), Y15
	VFMADD231PS Y12, Y15, Y3
	VFMADD231PS Y13, Y15, Y4
	VFMADD231PS Y14, Y15, Y5
	VMOVUPS     (CX)(BX*1), Y15
	VFMADD231PS Y12, Y15, Y6
	VFMADD231PS Y13, Y15, Y7
	VFMADD231PS Y14, Y15, Y8
	LEAQ        (CX)(R8*1), R13
	VMOVUPS     (R13)(BX*1), Y15
	VFMADD231PS Y12, Y15, Y9
	VFMADD231PS Y13, Y15, Y10
	VFMADD231PS Y14, Y15, Y11
	ADDQ        $32, BX
	DECQ        R11
	JNZ         vd

	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	VMOVUPS Y8, 256(DI)
	VMOVUPS Y9, 288(DI)
	VMOVUPS Y10, 320(DI)
	VMOVUPS Y11, 352(DI)

doned:
	VZEROUPPER
	RET
