using System.Buffers.Binary;
using System.Text;

namespace PixelLM.Conversion;

/// <summary>
/// A pickle interpreter for the <c>data.pkl</c> of a torch zip checkpoint that can only build data.
/// </summary>
/// <remarks>
/// It knows the opcodes <c>torch.save</c>'s protocol-2 pickles use and nothing else. GLOBAL names are
/// compared as strings against an allowlist (OrderedDict, the tensor rebuild functions, storage types,
/// dtypes) and never resolved; REDUCE only builds an OrderedDict or a <see cref="TorchTensorRef"/>; BUILD
/// only accepts the state of a dict (a state_dict's <c>_metadata</c>), which is dropped. Anything else
/// stops the load with the opcode or name and its byte offset, so a hostile file cannot run code.
/// </remarks>
internal sealed class RestrictedUnpickler
{
    private static readonly Dictionary<string, (CheckpointDType Type, int Size)> StorageTypes = new(StringComparer.Ordinal)
    {
        ["FloatStorage"] = (CheckpointDType.F32, 4), ["HalfStorage"] = (CheckpointDType.F16, 2),
        ["BFloat16Storage"] = (CheckpointDType.BF16, 2), ["DoubleStorage"] = (CheckpointDType.Unsupported, 8),
        ["LongStorage"] = (CheckpointDType.Unsupported, 8), ["IntStorage"] = (CheckpointDType.Unsupported, 4),
        ["ShortStorage"] = (CheckpointDType.Unsupported, 2), ["CharStorage"] = (CheckpointDType.Unsupported, 1),
        ["ByteStorage"] = (CheckpointDType.Unsupported, 1), ["BoolStorage"] = (CheckpointDType.Unsupported, 1),
    };

    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "collections.OrderedDict", "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2",
        "torch.float32", "torch.float16", "torch.bfloat16",
    };

    private static readonly object Mark = new();

    private readonly byte[] _data;
    private readonly string _where;
    private readonly List<object?> _stack = [];
    private readonly List<int> _marks = [];
    private readonly Dictionary<long, object?> _memo = [];
    private int _position;

    private RestrictedUnpickler(byte[] data, string where)
    {
        _data = data;
        _where = where;
    }

    /// <summary>Runs the pickle in <paramref name="data"/> and returns the object STOP left on the stack.</summary>
    /// <param name="data">The pickle bytes.</param>
    /// <param name="where">The archive entry, for messages (<c>model.bin:archive/data.pkl</c>).</param>
    internal static object? Load(byte[] data, string where) => new RestrictedUnpickler(data, where).Run();

    private object? Run()
    {
        while (true)
        {
            int at = _position;
            byte op = Byte();
            switch (op)
            {
                case 0x80: Byte(); break;                                   // PROTO
                case 0x95: Bytes(8); break;                                 // FRAME: a length hint only
                case 0x7d: Push(new PickleDictionary()); break;             // EMPTY_DICT
                case 0x5d: Push(new List<object?>()); break;                // EMPTY_LIST
                case 0x29: Push(Array.Empty<object?>()); break;             // EMPTY_TUPLE
                case 0x28: _marks.Add(_stack.Count); Push(Mark); break;     // MARK
                case 0x71: _memo[Byte()] = Peek(at); break;                 // BINPUT
                case 0x72: _memo[BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4))] = Peek(at); break; // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = Peek(at); break;            // MEMOIZE
                case 0x68: Push(Memo(Byte(), at)); break;                   // BINGET
                case 0x6a: Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4)), at)); break; // LONG_BINGET
                case 0x58: Push(Text(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4)), at)); break; // BINUNICODE
                case 0x8c: Push(Text(Byte(), at)); break;                   // SHORT_BINUNICODE
                case 0x8d: Push(Text(BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8)), at)); break; // BINUNICODE8
                case 0x4a: Push((long)BinaryPrimitives.ReadInt32LittleEndian(Bytes(4))); break;      // BININT
                case 0x4b: Push((long)Byte()); break;                       // BININT1
                case 0x4d: Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2))); break;     // BININT2
                case 0x8a: Push(Long1(at)); break;                          // LONG1
                case 0x47: Push(BinaryPrimitives.ReadDoubleBigEndian(Bytes(8))); break;              // BINFLOAT
                case 0x88: Push(true); break;                               // NEWTRUE
                case 0x89: Push(false); break;                              // NEWFALSE
                case 0x4e: Push(null); break;                               // NONE
                case 0x74: Push(PopToMark(at).ToArray()); break;            // TUPLE
                case 0x85: Push(PopTuple(1, at)); break;                    // TUPLE1
                case 0x86: Push(PopTuple(2, at)); break;                    // TUPLE2
                case 0x87: Push(PopTuple(3, at)); break;                    // TUPLE3
                case 0x73: SetItems(PopTuple(2, at), at); break;            // SETITEM
                case 0x75: SetItems(PopToMark(at), at); break;              // SETITEMS
                case 0x61: Append(PopTuple(1, at), at); break;              // APPEND
                case 0x65: Append(PopToMark(at), at); break;                // APPENDS
                case 0x63: Push(Global(Line(at), Line(at), at)); break;     // GLOBAL
                case 0x93:                                                  // STACK_GLOBAL
                {
                    object?[] names = PopTuple(2, at);
                    if (names[0] is not string module || names[1] is not string name)
                        throw Error(at, "STACK_GLOBAL operands are not strings");
                    Push(Global(module, name, at));
                    break;
                }
                case 0x52:                                                  // REDUCE
                {
                    object?[] pair = PopTuple(2, at);
                    Push(Reduce(pair[0], pair[1], at));
                    break;
                }
                case 0x62:                                                  // BUILD
                {
                    object? state = PopTuple(1, at)[0];
                    if (Peek(at) is not PickleDictionary || state is not (PickleDictionary or null))
                        throw Error(at, "BUILD is only allowed to set a dict's attributes");
                    break;
                }
                case 0x51: Push(PersistentLoad(PopTuple(1, at)[0], at)); break; // BINPERSID
                case 0x2e:                                                  // STOP
                    if (_stack.Count != 1 || _marks.Count != 0)
                        throw Error(at, "STOP with an unbalanced stack");
                    return _stack[0];
                default:
                    throw Error(at, $"opcode 0x{op:x2} is not allowed in a weights-only checkpoint");
            }
        }
    }

    private PixelLmFormatException Error(int at, string message) =>
        ConversionErrors.Format($"{_where}: byte {at}: {message}");

    private byte Byte()
    {
        if (_position >= _data.Length)
            throw Error(_position, "the pickle ends without STOP");
        return _data[_position++];
    }

    private ReadOnlySpan<byte> Bytes(ulong count)
    {
        if (count > (ulong)(_data.Length - _position))
            throw Error(_position, $"an operand of {count} bytes runs past the end of the pickle");
        var span = new ReadOnlySpan<byte>(_data, _position, (int)count);
        _position += (int)count;
        return span;
    }

    private string Text(ulong length, int at)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(Bytes(length));
        }
        catch (DecoderFallbackException)
        {
            throw Error(at, "a string is not valid UTF-8");
        }
    }

    private string Line(int at)
    {
        int end = Array.IndexOf(_data, (byte)'\n', _position);
        if (end < 0)
            throw Error(at, "GLOBAL operand without a newline");
        string text = Text((ulong)(end - _position), at);
        _position++;
        return text;
    }

    private long Long1(int at)
    {
        ReadOnlySpan<byte> bytes = Bytes(Byte());
        if (bytes.Length > 8)
            throw Error(at, $"LONG1 of {bytes.Length} bytes does not fit in 64 bits");
        long value = 0;
        for (int i = bytes.Length - 1; i >= 0; i--)
            value = (value << 8) | bytes[i];
        // Sign-extend from the operand's top bit (two's complement of its own width).
        if (bytes.Length is > 0 and < 8 && (bytes[^1] & 0x80) != 0)
            value -= 1L << (8 * bytes.Length);
        return value;
    }

    private void Push(object? value) => _stack.Add(value);

    private object? Peek(int at)
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _marks[^1] == _stack.Count - 1))
            throw Error(at, "stack underflow");
        return _stack[^1];
    }

    private object? Memo(long key, int at) =>
        _memo.TryGetValue(key, out object? value) ? value : throw Error(at, $"memo key {key} was never set");

    private object?[] PopTuple(int count, int at)
    {
        int floor = _marks.Count > 0 ? _marks[^1] + 1 : 0;
        if (_stack.Count - count < floor)
            throw Error(at, "stack underflow");
        object?[] items = _stack.GetRange(_stack.Count - count, count).ToArray();
        _stack.RemoveRange(_stack.Count - count, count);
        return items;
    }

    private List<object?> PopToMark(int at)
    {
        if (_marks.Count == 0)
            throw Error(at, "no MARK on the stack");
        int mark = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        List<object?> items = _stack.GetRange(mark + 1, _stack.Count - mark - 1);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private void SetItems(IReadOnlyList<object?> items, int at)
    {
        if (items.Count % 2 != 0 || Peek(at) is not PickleDictionary dict)
            throw Error(at, "SETITEM(S) needs a dict and key/value pairs");
        for (int i = 0; i < items.Count; i += 2)
            dict.Entries.Add(new(items[i], items[i + 1]));
    }

    private void Append(IReadOnlyList<object?> items, int at)
    {
        if (Peek(at) is not List<object?> list)
            throw Error(at, "APPEND(S) needs a list");
        list.AddRange(items);
    }

    private PickleGlobal Global(string module, string name, int at)
    {
        var global = new PickleGlobal(module, name);
        string full = global.ToString();
        bool storage = module == "torch" && StorageTypes.ContainsKey(name);
        if (!storage && !Allowed.Contains(full))
            throw Error(at, $"GLOBAL '{full}' is not on the allowlist of a weights-only checkpoint; nothing was executed");
        return global;
    }

    private object Reduce(object? callable, object? args, int at)
    {
        if (callable is not PickleGlobal global || args is not object?[] tuple)
            throw Error(at, "REDUCE of something that is not an allowlisted callable with a tuple");
        switch (global.ToString())
        {
            case "collections.OrderedDict" when tuple.Length == 0:
                return new PickleDictionary();
            case "torch._utils._rebuild_tensor_v2" when tuple.Length is 6 or 7:
            case "torch._utils._rebuild_tensor" when tuple.Length == 4:
                if (tuple[0] is not TorchStorageRef storage || tuple[1] is not long offset
                    || !TryDims(tuple[2], out long[] shape) || !TryDims(tuple[3], out long[] stride) || shape.Length != stride.Length)
                    throw Error(at, $"{global} with malformed arguments");
                return new TorchTensorRef(storage, offset, shape, stride);
            default:
                throw Error(at, $"REDUCE of '{global}' with {tuple.Length} arguments is not allowed");
        }
    }

    private static bool TryDims(object? value, out long[] dims)
    {
        dims = [];
        if (value is not object?[] items)
            return false;
        dims = new long[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (items[i] is not long n || n < 0)
                return false;
            dims[i] = n;
        }

        return true;
    }

    private TorchStorageRef PersistentLoad(object? pid, int at)
    {
        if (pid is not object?[] { Length: 5 } t || t[0] is not "storage" || t[1] is not PickleGlobal type
            || !StorageTypes.TryGetValue(type.Name, out var dtype) || type.Module != "torch"
            || t[2] is not string key || t[4] is not long count || count < 0)
            throw Error(at, "BINPERSID with an id that is not ('storage', torch.<Type>Storage, key, location, numel)");
        return new TorchStorageRef(key, type.ToString(), dtype.Type, dtype.Size, count);
    }
}
