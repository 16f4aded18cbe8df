using System.Runtime.InteropServices;

namespace PixelLM.BindingsGenerator.LibClang;

// Mirrors of the small structs and enums of libclang's C API (clang-c/Index.h, clang-c/CXString.h),
// declared by hand because the libclang development headers are not installed. Layouts are exact:
// these structs travel by value across the boundary.

/// <summary>CXString: { const void* data; unsigned private_flags; }.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CXString
{
    public IntPtr Data;
    public uint PrivateFlags;
}

/// <summary>CXCursor: { enum CXCursorKind kind; int xdata; const void* data[3]; }.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CXCursor
{
    public CXCursorKind Kind;
    public int XData;
    public IntPtr Data0;
    public IntPtr Data1;
    public IntPtr Data2;
}

/// <summary>CXType: { enum CXTypeKind kind; void* data[2]; }.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CXType
{
    public CXTypeKind Kind;
    public IntPtr Data0;
    public IntPtr Data1;
}

/// <summary>CXSourceLocation: { const void* ptr_data[2]; unsigned int_data; }.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CXSourceLocation
{
    public IntPtr PtrData0;
    public IntPtr PtrData1;
    public uint IntData;
}

/// <summary>CXSourceRange: { const void* ptr_data[2]; unsigned begin_int_data; unsigned end_int_data; }.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CXSourceRange
{
    public IntPtr PtrData0;
    public IntPtr PtrData1;
    public uint BeginIntData;
    public uint EndIntData;
}

/// <summary>CXToken: { unsigned int_data[4]; void* ptr_data; }.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CXToken
{
    public uint IntData0;
    public uint IntData1;
    public uint IntData2;
    public uint IntData3;
    public IntPtr PtrData;
}

/// <summary>The subset of enum CXCursorKind the parser looks at.</summary>
internal enum CXCursorKind
{
    UnexposedDecl = 1,
    StructDecl = 2,
    UnionDecl = 3,
    EnumDecl = 5,
    FieldDecl = 6,
    EnumConstantDecl = 7,
    FunctionDecl = 8,
    VarDecl = 9,
    ParmDecl = 10,
    TypedefDecl = 20,
    TranslationUnit = 350,
    MacroDefinition = 501,
    MacroExpansion = 502,
    InclusionDirective = 503,
}

/// <summary>enum CXTypeKind (values as in clang-c/Index.h).</summary>
internal enum CXTypeKind
{
    Invalid = 0,
    Unexposed = 1,
    Void = 2,
    Bool = 3,
    Char_U = 4,
    UChar = 5,
    Char16 = 6,
    Char32 = 7,
    UShort = 8,
    UInt = 9,
    ULong = 10,
    ULongLong = 11,
    UInt128 = 12,
    Char_S = 13,
    SChar = 14,
    WChar = 15,
    Short = 16,
    Int = 17,
    Long = 18,
    LongLong = 19,
    Int128 = 20,
    Float = 21,
    Double = 22,
    LongDouble = 23,
    Complex = 100,
    Pointer = 101,
    Record = 105,
    Enum = 106,
    Typedef = 107,
    FunctionNoProto = 110,
    FunctionProto = 111,
    ConstantArray = 112,
    Vector = 113,
    IncompleteArray = 114,
    VariableArray = 115,
    Elaborated = 119,
}

internal enum CXChildVisitResult
{
    Break = 0,
    Continue = 1,
    Recurse = 2,
}

internal enum CXDiagnosticSeverity
{
    Ignored = 0,
    Note = 1,
    Warning = 2,
    Error = 3,
    Fatal = 4,
}

internal enum CXErrorCode
{
    Success = 0,
    Failure = 1,
    Crashed = 2,
    InvalidArguments = 3,
    ASTReadError = 4,
}

internal enum CX_StorageClass
{
    Invalid = 0,
    None = 1,
    Extern = 2,
    Static = 3,
}

[Flags]
internal enum CXTranslationUnitFlags : uint
{
    None = 0,
    DetailedPreprocessingRecord = 0x01,
    SkipFunctionBodies = 0x40,
}
