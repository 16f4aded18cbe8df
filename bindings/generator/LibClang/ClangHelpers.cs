using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PixelLM.BindingsGenerator.LibClang;

/// <summary>Managed conveniences over the raw <see cref="Clang"/> calls: strings, children, locations.</summary>
internal static unsafe class ClangHelpers
{
    /// <summary>Copies a CXString into a managed string and disposes it.</summary>
    public static string Consume(CXString text)
    {
        try
        {
            var pointer = Clang.clang_getCString(text);
            return pointer == null ? string.Empty : Marshal.PtrToStringUTF8((IntPtr)pointer) ?? string.Empty;
        }
        finally
        {
            Clang.clang_disposeString(text);
        }
    }

    public static string Spelling(CXCursor cursor) => Consume(Clang.clang_getCursorSpelling(cursor));

    public static string Spelling(CXType type) => Consume(Clang.clang_getTypeSpelling(type));

    public static string KindSpelling(CXCursorKind kind) => Consume(Clang.clang_getCursorKindSpelling(kind));

    public static string Usr(CXCursor cursor) => Consume(Clang.clang_getCursorUSR(cursor));

    public static string? RawComment(CXCursor cursor)
    {
        var text = Consume(Clang.clang_Cursor_getRawCommentText(cursor));
        return text.Length == 0 ? null : text;
    }

    public static bool IsFromMainFile(CXCursor cursor) =>
        Clang.clang_Location_isFromMainFile(Clang.clang_getCursorLocation(cursor)) != 0;

    public static bool IsNull(CXCursor cursor) => Clang.clang_Cursor_isNull(cursor) != 0;

    /// <summary>The 1-based line and 0-based byte offset of a location in its file.</summary>
    public static (int Line, int Offset) FilePosition(CXSourceLocation location)
    {
        uint line, column, offset;
        Clang.clang_getFileLocation(location, null, &line, &column, &offset);
        return ((int)line, (int)offset);
    }

    public static int Line(CXCursor cursor) => FilePosition(Clang.clang_getCursorLocation(cursor)).Line;

    /// <summary>The direct children of a cursor, in source order.</summary>
    public static List<CXCursor> Children(CXCursor parent)
    {
        var children = new List<CXCursor>();
        var handle = GCHandle.Alloc(children);
        try
        {
            Clang.clang_visitChildren(parent, &CollectChild, GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
        }

        return children;
    }

    [UnmanagedCallersOnly(CallConvs = new[] { typeof(CallConvCdecl) })]
    private static CXChildVisitResult CollectChild(CXCursor cursor, CXCursor parent, IntPtr clientData)
    {
        var children = (List<CXCursor>)GCHandle.FromIntPtr(clientData).Target!;
        children.Add(cursor);
        return CXChildVisitResult.Continue;
    }

    /// <summary>
    /// The spellings of the tokens of a cursor's extent (for a macro definition: its name, then its body).
    /// Tokens starting at or after the extent's end are dropped; some libclang versions return one extra.
    /// </summary>
    public static List<string> Tokens(IntPtr translationUnit, CXCursor cursor)
    {
        var extent = Clang.clang_getCursorExtent(cursor);
        var endOffset = FilePosition(Clang.clang_getRangeEnd(extent)).Offset;
        CXToken* tokens = null;
        uint count = 0;
        Clang.clang_tokenize(translationUnit, extent, &tokens, &count);
        var spellings = new List<string>((int)count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var start = FilePosition(Clang.clang_getTokenLocation(translationUnit, tokens[i])).Offset;
                if (start >= endOffset)
                {
                    break;
                }

                spellings.Add(Consume(Clang.clang_getTokenSpelling(translationUnit, tokens[i])));
            }
        }
        finally
        {
            if (tokens != null)
            {
                Clang.clang_disposeTokens(translationUnit, tokens, count);
            }
        }

        return spellings;
    }

    /// <summary>Removes typedef-free sugar (elaborated <c>struct X</c>) without losing typedef names.</summary>
    public static CXType Unelaborate(CXType type)
    {
        while (type.Kind == CXTypeKind.Elaborated)
        {
            type = Clang.clang_Type_getNamedType(type);
        }

        return type;
    }
}
