namespace PixelLM.BindingsGenerator.Model;

// The header as the emitters see it: C names verbatim, every type already mapped to its C# spelling.
// Lists keep declaration order. Doc is the text of the declaration's /** */ comment as paragraphs
// of lines (comment markers stripped, not XML-escaped), or empty when it has none.

/// <summary>Everything the generator emits for one header.</summary>
/// <param name="HeaderDisplayPath">The header's path as written into generated files (relative, '/' separated).</param>
public sealed record HeaderModel(
    string HeaderDisplayPath,
    IReadOnlyList<ConstantModel> Constants,
    IReadOnlyList<TypeModel> Types,
    IReadOnlyList<FunctionModel> Functions)
{
    public IEnumerable<StructModel> Structs => Types.OfType<StructModel>();

    public IEnumerable<EnumModel> Enums => Types.OfType<EnumModel>();
}

/// <summary>An object-like macro whose body is one integer literal.</summary>
/// <param name="CSharpType">int, uint, long or ulong: the C# type that holds the literal as C types it.</param>
/// <param name="Value">The literal in decimal.</param>
public sealed record ConstantModel(string Name, string CSharpType, string Value, int Line, Documentation Doc);

/// <summary>An enum, struct or opaque handle type, in declaration order.</summary>
public abstract record TypeModel(string Name, int Line, Documentation Doc);

public sealed record EnumModel(string Name, int Line, Documentation Doc, IReadOnlyList<EnumValueModel> Values)
    : TypeModel(Name, Line, Doc);

public sealed record EnumValueModel(string Name, long Value, Documentation Doc);

/// <summary>A struct with a definition in the header, mirrored field by field.</summary>
/// <param name="CName">How C code spells the type: the typedef name, or <c>struct tag</c> without one.</param>
public sealed record StructModel(string Name, string CName, int Line, Documentation Doc, IReadOnlyList<FieldModel> Fields)
    : TypeModel(Name, Line, Doc);

public sealed record FieldModel(string Name, string CSharpType, Documentation Doc);

/// <summary>A struct declared but never defined: only ever used through pointers.</summary>
public sealed record OpaqueTypeModel(string Name, int Line, Documentation Doc) : TypeModel(Name, Line, Doc);

public sealed record FunctionModel(
    string Name,
    string ReturnType,
    IReadOnlyList<ParameterModel> Parameters,
    int Line,
    Documentation Doc);

public sealed record ParameterModel(string Name, string CSharpType);

/// <summary>A doc comment as paragraphs of plain-text lines.</summary>
public sealed record Documentation(IReadOnlyList<IReadOnlyList<string>> Paragraphs)
{
    public static readonly Documentation None = new(Array.Empty<IReadOnlyList<string>>());

    public bool IsEmpty => Paragraphs.Count == 0;
}
