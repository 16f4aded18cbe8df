namespace PixelLM.Gguf;

/// <summary>The type of a GGUF metadata value, numbered as in GGUF (mirrors <c>pxl_gguf_type</c>).</summary>
public enum GgufValueType
{
    /// <summary>8-bit unsigned integer (<see cref="byte"/>).</summary>
    UInt8 = 0,

    /// <summary>8-bit signed integer (<see cref="sbyte"/>).</summary>
    Int8 = 1,

    /// <summary>16-bit unsigned integer (<see cref="ushort"/>).</summary>
    UInt16 = 2,

    /// <summary>16-bit signed integer (<see cref="short"/>).</summary>
    Int16 = 3,

    /// <summary>32-bit unsigned integer (<see cref="uint"/>).</summary>
    UInt32 = 4,

    /// <summary>32-bit signed integer (<see cref="int"/>).</summary>
    Int32 = 5,

    /// <summary>32-bit IEEE float (<see cref="float"/>).</summary>
    Float32 = 6,

    /// <summary>Boolean, stored as one byte (0 or 1).</summary>
    Bool = 7,

    /// <summary>UTF-8 string.</summary>
    String = 8,

    /// <summary>Array of values of one type (which may itself be <see cref="Array"/>).</summary>
    Array = 9,

    /// <summary>64-bit unsigned integer (<see cref="ulong"/>).</summary>
    UInt64 = 10,

    /// <summary>64-bit signed integer (<see cref="long"/>).</summary>
    Int64 = 11,

    /// <summary>64-bit IEEE float (<see cref="double"/>).</summary>
    Float64 = 12,
}
