using System.Text.Json;
using PixelLM.Gguf;

namespace PixelLM.Cli.Output;

/// <summary>
/// Writes GGUF metadata values as JSON: numbers as numbers (non-finite floats as the strings
/// <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>, which JSON cannot hold as numbers), bools as
/// booleans, strings as strings, and arrays in full as JSON arrays (nested arrays nested).
/// </summary>
internal static class GgufJson
{
    // Elements copied per native call for numeric arrays: bounded memory for huge arrays.
    private const int Chunk = 4096;

    /// <summary>Writes <paramref name="value"/> at the writer's current position.</summary>
    internal static void WriteValue(Utf8JsonWriter writer, GgufValue value)
    {
        switch (value.Type)
        {
            case GgufValueType.UInt8: writer.WriteNumberValue(value.AsUInt8()); break;
            case GgufValueType.Int8: writer.WriteNumberValue(value.AsInt8()); break;
            case GgufValueType.UInt16: writer.WriteNumberValue(value.AsUInt16()); break;
            case GgufValueType.Int16: writer.WriteNumberValue(value.AsInt16()); break;
            case GgufValueType.UInt32: writer.WriteNumberValue(value.AsUInt32()); break;
            case GgufValueType.Int32: writer.WriteNumberValue(value.AsInt32()); break;
            case GgufValueType.UInt64: writer.WriteNumberValue(value.AsUInt64()); break;
            case GgufValueType.Int64: writer.WriteNumberValue(value.AsInt64()); break;
            case GgufValueType.Float32: WriteFloat(writer, value.AsFloat32()); break;
            case GgufValueType.Float64: WriteDouble(writer, value.AsFloat64()); break;
            case GgufValueType.Bool: writer.WriteBooleanValue(value.AsBoolean()); break;
            case GgufValueType.String: writer.WriteStringValue(value.AsString()); break;
            case GgufValueType.Array: WriteArray(writer, value); break;
            default: writer.WriteNullValue(); break;
        }
    }

    private static void WriteArray(Utf8JsonWriter writer, GgufValue array)
    {
        writer.WriteStartArray();
        switch (array.ElementType)
        {
            case GgufValueType.UInt8: WriteNumbers<byte>(writer, array, static (w, x) => w.WriteNumberValue(x)); break;
            case GgufValueType.Int8: WriteNumbers<sbyte>(writer, array, static (w, x) => w.WriteNumberValue(x)); break;
            case GgufValueType.UInt16: WriteNumbers<ushort>(writer, array, static (w, x) => w.WriteNumberValue(x)); break;
            case GgufValueType.Int16: WriteNumbers<short>(writer, array, static (w, x) => w.WriteNumberValue(x)); break;
            case GgufValueType.UInt32: WriteNumbers<uint>(writer, array, static (w, x) => w.WriteNumberValue(x)); break;
            case GgufValueType.Int32: WriteNumbers<int>(writer, array, static (w, x) => w.WriteNumberValue(x)); break;
            case GgufValueType.UInt64: WriteNumbers<ulong>(writer, array, static (w, x) => w.WriteNumberValue(x)); break;
            case GgufValueType.Int64: WriteNumbers<long>(writer, array, static (w, x) => w.WriteNumberValue(x)); break;
            case GgufValueType.Float32: WriteNumbers<float>(writer, array, WriteFloat); break;
            case GgufValueType.Float64: WriteNumbers<double>(writer, array, WriteDouble); break;
            case GgufValueType.Bool: WriteNumbers<bool>(writer, array, static (w, x) => w.WriteBooleanValue(x)); break;
            case GgufValueType.String:
                foreach (string text in array.ToStringArray())
                    writer.WriteStringValue(text);
                break;
            default:
                foreach (GgufValue element in array.EnumerateElements())
                    WriteValue(writer, element);
                break;
        }

        writer.WriteEndArray();
    }

    private static void WriteNumbers<T>(Utf8JsonWriter writer, GgufValue array, Action<Utf8JsonWriter, T> write)
        where T : unmanaged
    {
        var buffer = new T[(int)Math.Min(array.Count, Chunk)];
        for (long first = 0; first < array.Count; first += buffer.Length)
        {
            Span<T> chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, array.Count - first));
            array.CopyTo(first, chunk);
            foreach (T item in chunk)
                write(writer, item);
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteStringValue(float.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }
}
