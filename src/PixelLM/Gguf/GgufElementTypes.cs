namespace PixelLM.Gguf;

/// <summary>Maps .NET element types to the GGUF metadata types they are stored as.</summary>
internal static class GgufElementTypes
{
    /// <summary>The GGUF type of <typeparamref name="T"/>, or null when GGUF has none.</summary>
    internal static GgufValueType? Of<T>()
        where T : unmanaged
    {
        // Each branch is a JIT-time constant for a given T.
        if (typeof(T) == typeof(byte)) return GgufValueType.UInt8;
        if (typeof(T) == typeof(sbyte)) return GgufValueType.Int8;
        if (typeof(T) == typeof(ushort)) return GgufValueType.UInt16;
        if (typeof(T) == typeof(short)) return GgufValueType.Int16;
        if (typeof(T) == typeof(uint)) return GgufValueType.UInt32;
        if (typeof(T) == typeof(int)) return GgufValueType.Int32;
        if (typeof(T) == typeof(ulong)) return GgufValueType.UInt64;
        if (typeof(T) == typeof(long)) return GgufValueType.Int64;
        if (typeof(T) == typeof(float)) return GgufValueType.Float32;
        if (typeof(T) == typeof(double)) return GgufValueType.Float64;
        if (typeof(T) == typeof(bool)) return GgufValueType.Bool;
        return null;
    }
}
