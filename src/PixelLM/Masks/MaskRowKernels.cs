using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PixelLM.Masks;

/// <summary>
/// The per-row work of <see cref="CpuMaskKernels.ResizeAndThreshold"/>, vectorised with the widest vectors
/// the machine accelerates (512, then 256 bits) and a scalar tail that rounds exactly like the vector lanes,
/// so the result does not depend on the width.
/// </summary>
internal static class MaskRowKernels
{
    // Byte i of entry b is bit i of b: turns 8 comparison bits into 8 mask bytes with one store.
    private static readonly ulong[] BitsToBytes = CreateBitsToBytes();

    /// <summary>One source row resized horizontally: <c>r[x] = fma(v[i0[x]], λ0[x], v[i1[x]]·λ1[x])</c>.</summary>
    public static void ResizeRow(ReadOnlySpan<float> source, BilinearAxis axis, Span<float> row)
    {
        int[] i0 = axis.Index0, i1 = axis.Index1;
        float[] w0 = axis.Weight0, w1 = axis.Weight1;
        for (int x = 0; x < row.Length; x++)
            row[x] = MathF.FusedMultiplyAdd(source[i0[x]], w0[x], source[i1[x]] * w1[x]);
    }

    /// <summary>
    /// One output row: <c>l = fma(top, wTop, bottom·wBottom)</c> into <paramref name="logits"/>, the bytes
    /// <c>l &gt; 0</c> into <paramref name="binary"/>; adds the row's pixels to <paramref name="statistics"/>.
    /// <paramref name="scratch"/> (one row) receives the sigmoids.
    /// </summary>
    public static void BlendThresholdRow(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, float wTop, float wBottom,
        Span<float> logits, Span<byte> binary, Span<float> scratch, int y, ref BandStatistics statistics)
    {
        int width = logits.Length;
        ref float t = ref MemoryMarshal.GetReference(top);
        ref float b = ref MemoryMarshal.GetReference(bottom);
        ref float l = ref MemoryMarshal.GetReference(logits);
        var row = new RowCount(binary);
        int x = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> vt = Vector512.Create(wTop), vb = Vector512.Create(wBottom);
            for (; x <= width - Vector512<float>.Count; x += Vector512<float>.Count)
            {
                Vector512<float> v = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref t, (nuint)x), vt,
                    Vector512.LoadUnsafe(ref b, (nuint)x) * vb);
                v.StoreUnsafe(ref l, (nuint)x);
                row.Add(x, Vector512.GreaterThan(v, Vector512<float>.Zero).ExtractMostSignificantBits(), Vector512<float>.Count);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> vt = Vector256.Create(wTop), vb = Vector256.Create(wBottom);
            for (; x <= width - Vector256<float>.Count; x += Vector256<float>.Count)
            {
                Vector256<float> v = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref t, (nuint)x), vt,
                    Vector256.LoadUnsafe(ref b, (nuint)x) * vb);
                v.StoreUnsafe(ref l, (nuint)x);
                row.Add(x, Vector256.GreaterThan(v, Vector256<float>.Zero).ExtractMostSignificantBits(), Vector256<float>.Count);
            }
        }
        for (; x < width; x++)
        {
            float v = MathF.FusedMultiplyAdd(top[x], wTop, bottom[x] * wBottom);
            logits[x] = v;
            row.Add(x, v > 0 ? 1u : 0u, 1);
        }
        if (row.Count == 0)
            return;
        statistics.Add(y, row.First, row.Last, row.Count, OnSigmoidSum(logits, scratch));
    }

    /// <summary>Σ σ(l) over the row's pixels with l &gt; 0, accumulated in f32 along the row.</summary>
    private static float OnSigmoidSum(ReadOnlySpan<float> logits, Span<float> sigmoid)
    {
        TensorPrimitives.Sigmoid(logits, sigmoid);
        ref float l = ref MemoryMarshal.GetReference(logits);
        ref float s = ref MemoryMarshal.GetReference(sigmoid);
        float sum = 0;
        int x = 0;
        if (Vector512.IsHardwareAccelerated && logits.Length >= Vector512<float>.Count)
        {
            Vector512<float> acc = Vector512<float>.Zero;
            for (; x <= logits.Length - Vector512<float>.Count; x += Vector512<float>.Count)
            {
                Vector512<float> on = Vector512.GreaterThan(Vector512.LoadUnsafe(ref l, (nuint)x), Vector512<float>.Zero);
                acc += Vector512.ConditionalSelect(on, Vector512.LoadUnsafe(ref s, (nuint)x), Vector512<float>.Zero);
            }
            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && logits.Length >= Vector256<float>.Count)
        {
            Vector256<float> acc = Vector256<float>.Zero;
            for (; x <= logits.Length - Vector256<float>.Count; x += Vector256<float>.Count)
            {
                Vector256<float> on = Vector256.GreaterThan(Vector256.LoadUnsafe(ref l, (nuint)x), Vector256<float>.Zero);
                acc += Vector256.ConditionalSelect(on, Vector256.LoadUnsafe(ref s, (nuint)x), Vector256<float>.Zero);
            }
            sum = Vector256.Sum(acc);
        }
        for (; x < logits.Length; x++)
        {
            if (logits[x] > 0)
                sum += sigmoid[x];
        }
        return sum;
    }

    private static ulong[] CreateBitsToBytes()
    {
        var table = new ulong[256];
        for (int bits = 0; bits < 256; bits++)
        {
            for (int i = 0; i < 8; i++)
                table[bits] |= (ulong)((bits >> i) & 1) << (8 * i);
        }
        return table;
    }

    /// <summary>Writes a row's mask bytes from comparison bits and counts its pixels, first and last.</summary>
    private ref struct RowCount(Span<byte> binary)
    {
        private readonly Span<byte> _binary = binary;

        public long Count;
        public int First = -1;
        public int Last = -1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int x, ulong bits, int lanes)
        {
            ref byte target = ref Unsafe.Add(ref MemoryMarshal.GetReference(_binary), x);
            if (lanes == 1)
                target = (byte)bits;
            else
            {
                for (int i = 0; i < lanes; i += 8)
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref target, i), BitsToBytes[(int)(bits >> i) & 0xFF]);
            }
            if (bits == 0)
                return;
            Count += BitOperations.PopCount(bits);
            if (First < 0)
                First = x + BitOperations.TrailingZeroCount(bits);
            Last = x + 63 - BitOperations.LeadingZeroCount(bits);
        }
    }
}
