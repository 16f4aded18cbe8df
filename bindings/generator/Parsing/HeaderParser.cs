using System.Runtime.InteropServices;
using System.Text;
using PixelLM.BindingsGenerator.LibClang;
using PixelLM.BindingsGenerator.Model;

namespace PixelLM.BindingsGenerator.Parsing;

/// <summary>
/// Parses a C header with libclang and walks the declarations of that file (not of the headers it
/// includes) into a <see cref="HeaderModel"/>, in declaration order. Every construct without a
/// blittable mirror is collected as an error naming the declaration and its line; any error fails
/// the whole parse.
/// </summary>
internal sealed unsafe class HeaderParser
{
    private readonly IntPtr translationUnit;
    private readonly string displayPath;
    private readonly byte[] sourceBytes;
    private readonly string source;
    private readonly List<string> errors = [];
    private readonly Dictionary<string, string> tagNamesByUsr = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CXCursor> typedefsByTagUsr = new(StringComparer.Ordinal);
    private readonly HashSet<string> emittedTypes = new(StringComparer.Ordinal);
    private readonly HashSet<string> emittedFunctions = new(StringComparer.Ordinal);
    private readonly List<ConstantModel> constants = [];
    private readonly List<TypeModel> types = [];
    private readonly List<FunctionModel> functions = [];
    private readonly TypeMapper typeMapper;

    private HeaderParser(IntPtr translationUnit, string displayPath, byte[] sourceBytes)
    {
        this.translationUnit = translationUnit;
        this.displayPath = displayPath;
        this.sourceBytes = sourceBytes;
        source = Encoding.UTF8.GetString(sourceBytes);
        typeMapper = new TypeMapper(tagNamesByUsr);
    }

    /// <param name="headerPath">The header to parse.</param>
    /// <param name="displayPath">How messages and generated files name the header (no absolute paths).</param>
    public static HeaderModel Parse(string headerPath, string displayPath)
    {
        var fullPath = Path.GetFullPath(headerPath);
        if (!File.Exists(fullPath))
        {
            throw new BindingsGeneratorException($"Header not found: {fullPath}");
        }

        var sourceBytes = File.ReadAllBytes(fullPath);
        LibClangLoader.EnsureLoaded();
        var index = Clang.clang_createIndex(0, 0);
        try
        {
            var translationUnit = ParseTranslationUnit(index, fullPath, displayPath);
            try
            {
                return new HeaderParser(translationUnit, displayPath, sourceBytes).Walk();
            }
            finally
            {
                Clang.clang_disposeTranslationUnit(translationUnit);
            }
        }
        finally
        {
            Clang.clang_disposeIndex(index);
        }
    }

    private static IntPtr ParseTranslationUnit(IntPtr index, string fullPath, string displayPath)
    {
        string[] arguments = ["-x", "c", "-std=c11", "-I" + Path.GetDirectoryName(fullPath)];
        var utf8Arguments = arguments.Select(Utf8Z).ToArray();
        var utf8Path = Utf8Z(fullPath);
        var argumentPointers = new byte*[utf8Arguments.Length];
        var handles = utf8Arguments.Select(argument => GCHandle.Alloc(argument, GCHandleType.Pinned)).ToList();
        try
        {
            for (var i = 0; i < handles.Count; i++)
            {
                argumentPointers[i] = (byte*)handles[i].AddrOfPinnedObject();
            }

            IntPtr translationUnit;
            CXErrorCode result;
            fixed (byte* path = utf8Path)
            fixed (byte** argv = argumentPointers)
            {
                result = Clang.clang_parseTranslationUnit2(
                    index, path, argv, argumentPointers.Length, IntPtr.Zero, 0,
                    CXTranslationUnitFlags.DetailedPreprocessingRecord | CXTranslationUnitFlags.SkipFunctionBodies,
                    &translationUnit);
            }

            if (result != CXErrorCode.Success || translationUnit == IntPtr.Zero)
            {
                throw new BindingsGeneratorException($"libclang could not parse {displayPath}: {result}.");
            }

            var diagnostics = ErrorDiagnostics(translationUnit);
            if (diagnostics.Count > 0)
            {
                Clang.clang_disposeTranslationUnit(translationUnit);
                var hint = diagnostics.Any(d => d.Contains("file not found", StringComparison.Ordinal))
                    ? Environment.NewLine + "  (stddef.h and stdint.h come from clang's builtin headers: Debian package libclang-common-14-dev, and libc6-dev)"
                    : string.Empty;
                throw new BindingsGeneratorException(
                    $"{displayPath} does not compile as C11 (clang {string.Join(" ", arguments)}):" + Environment.NewLine
                    + string.Join(Environment.NewLine, diagnostics) + hint);
            }

            return translationUnit;
        }
        finally
        {
            foreach (var handle in handles)
            {
                handle.Free();
            }
        }
    }

    private static List<string> ErrorDiagnostics(IntPtr translationUnit)
    {
        var messages = new List<string>();
        var count = Clang.clang_getNumDiagnostics(translationUnit);
        var options = Clang.clang_defaultDiagnosticDisplayOptions();
        for (uint i = 0; i < count; i++)
        {
            var diagnostic = Clang.clang_getDiagnostic(translationUnit, i);
            try
            {
                if (Clang.clang_getDiagnosticSeverity(diagnostic) >= CXDiagnosticSeverity.Error)
                {
                    messages.Add("  " + ClangHelpers.Consume(Clang.clang_formatDiagnostic(diagnostic, options)));
                }
            }
            finally
            {
                Clang.clang_disposeDiagnostic(diagnostic);
            }
        }

        return messages;
    }

    private static byte[] Utf8Z(string text) => Encoding.UTF8.GetBytes(text + "\0");

    private HeaderModel Walk()
    {
        var declarations = ClangHelpers.Children(Clang.clang_getTranslationUnitCursor(translationUnit))
            .Where(ClangHelpers.IsFromMainFile)
            .ToList();
        RegisterTagNames(declarations);

        foreach (var declaration in declarations)
        {
            try
            {
                Visit(declaration);
            }
            catch (UnsupportedConstructException exception)
            {
                errors.Add($"{displayPath}:{exception.Line ?? ClangHelpers.Line(declaration)}: {exception.Message}");
            }
        }

        if (errors.Count > 0)
        {
            throw new BindingsGeneratorException(
                $"{displayPath} declares constructs that have no blittable C# mirror:" + Environment.NewLine
                + string.Join(Environment.NewLine, errors.Select(e => "  " + e)));
        }

        return new HeaderModel(displayPath, constants, types, functions);
    }

    /// <summary>
    /// A struct or enum is named in C# as C code names it: by its typedef when it has one
    /// (<c>typedef struct pxl_gguf pxl_gguf;</c>), else by its tag.
    /// </summary>
    private void RegisterTagNames(List<CXCursor> declarations)
    {
        foreach (var declaration in declarations.Where(d => Clang.clang_getCursorKind(d) == CXCursorKind.TypedefDecl))
        {
            var underlying = ClangHelpers.Unelaborate(Clang.clang_getTypedefDeclUnderlyingType(declaration));
            if (underlying.Kind is CXTypeKind.Record or CXTypeKind.Enum)
            {
                var tag = Clang.clang_getTypeDeclaration(underlying);
                if (ClangHelpers.IsFromMainFile(tag))
                {
                    var usr = ClangHelpers.Usr(tag);
                    typedefsByTagUsr.TryAdd(usr, declaration);
                    tagNamesByUsr.TryAdd(usr, ClangHelpers.Spelling(declaration));
                }
            }
        }

        foreach (var declaration in declarations)
        {
            var kind = Clang.clang_getCursorKind(declaration);
            if ((kind is CXCursorKind.StructDecl or CXCursorKind.EnumDecl) && !IsAnonymous(declaration))
            {
                tagNamesByUsr.TryAdd(ClangHelpers.Usr(declaration), ClangHelpers.Spelling(declaration));
            }
        }
    }

    private void Visit(CXCursor declaration)
    {
        switch (Clang.clang_getCursorKind(declaration))
        {
            case CXCursorKind.MacroDefinition:
                VisitMacro(declaration);
                break;
            case CXCursorKind.StructDecl:
                VisitStruct(declaration);
                break;
            case CXCursorKind.EnumDecl:
                VisitEnum(declaration);
                break;
            case CXCursorKind.TypedefDecl:
                VisitTypedef(declaration);
                break;
            case CXCursorKind.FunctionDecl:
                VisitFunction(declaration);
                break;
            case CXCursorKind.UnionDecl:
                throw new UnsupportedConstructException(
                    $"union '{DescribeTag(declaration)}': unions have no portable blittable mirror; use separate fields or a tagged struct");
            case CXCursorKind.VarDecl:
                throw new UnsupportedConstructException(
                    $"variable '{ClangHelpers.Spelling(declaration)}': exported variables are not part of the ABI; use a function");
            case CXCursorKind.InclusionDirective:
            case CXCursorKind.MacroExpansion:
                break;
            default:
                throw new UnsupportedConstructException(
                    $"'{ClangHelpers.Spelling(declaration)}': a {ClangHelpers.KindSpelling(Clang.clang_getCursorKind(declaration))} is not supported by the bindings generator");
        }
    }

    private void VisitMacro(CXCursor macro)
    {
        if (Clang.clang_Cursor_isMacroBuiltin(macro) != 0 || Clang.clang_Cursor_isMacroFunctionLike(macro) != 0)
        {
            return;
        }

        var tokens = ClangHelpers.Tokens(translationUnit, macro);
        if (tokens.Count < 2 || !IntegerMacro.TryParse(tokens.GetRange(1, tokens.Count - 1), out var csharpType, out var value))
        {
            return; // include guards, export macros and other non-integer macros have no C# mirror
        }

        var byteOffset = ClangHelpers.FilePosition(Clang.clang_getCursorLocation(macro)).Offset;
        var charOffset = Encoding.UTF8.GetCharCount(sourceBytes, 0, Math.Min(byteOffset, sourceBytes.Length));
        var doc = DocComments.Parse(DocComments.FindPrecedingDocComment(source, charOffset));
        constants.Add(new ConstantModel(ClangHelpers.Spelling(macro), csharpType, value, ClangHelpers.Line(macro), doc));
    }

    private void VisitStruct(CXCursor declaration)
    {
        var usr = ClangHelpers.Usr(declaration);
        if (emittedTypes.Contains(usr))
        {
            return;
        }

        if (Clang.clang_isCursorDefinition(declaration) == 0)
        {
            if (ClangHelpers.IsNull(Clang.clang_getCursorDefinition(declaration)))
            {
                AddOpaqueType(declaration, usr);
            }

            return; // a forward declaration of a struct defined further down
        }

        var name = CSharpTagName(usr, "struct");
        var fields = new List<FieldModel>();
        foreach (var member in ClangHelpers.Children(declaration))
        {
            var memberKind = Clang.clang_getCursorKind(member);
            var memberName = ClangHelpers.Spelling(member);
            if (memberKind == CXCursorKind.UnionDecl)
            {
                throw new UnsupportedConstructException(
                    $"struct '{name}' contains a union; unions have no portable blittable mirror", ClangHelpers.Line(member));
            }

            if (memberKind != CXCursorKind.FieldDecl)
            {
                throw new UnsupportedConstructException(
                    $"struct '{name}' contains a {ClangHelpers.KindSpelling(memberKind)} '{memberName}'; only plain fields are mirrored",
                    ClangHelpers.Line(member));
            }

            if (Clang.clang_Cursor_isBitField(member) != 0)
            {
                throw new UnsupportedConstructException(
                    $"field '{name}.{memberName}' is a bit field; bit fields have no portable layout", ClangHelpers.Line(member));
            }

            var fieldType = MapOrExplain(Clang.clang_getCursorType(member), $"field '{name}.{memberName}'", ClangHelpers.Line(member));
            fields.Add(new FieldModel(memberName, fieldType, DocComments.Parse(ClangHelpers.RawComment(member))));
        }

        if (fields.Count == 0)
        {
            throw new UnsupportedConstructException($"struct '{name}' has no fields; declare an opaque handle instead");
        }

        emittedTypes.Add(usr);
        types.Add(new StructModel(name, CName(declaration, usr), ClangHelpers.Line(declaration), TagDoc(declaration, usr), fields));
    }

    private void AddOpaqueType(CXCursor declaration, string usr)
    {
        var name = CSharpTagName(usr, "struct");
        emittedTypes.Add(usr);
        types.Add(new OpaqueTypeModel(name, ClangHelpers.Line(declaration), TagDoc(declaration, usr)));
    }

    private void VisitEnum(CXCursor declaration)
    {
        var usr = ClangHelpers.Usr(declaration);
        if (emittedTypes.Contains(usr) || Clang.clang_isCursorDefinition(declaration) == 0)
        {
            return;
        }

        var name = CSharpTagName(usr, "enum");
        var size = Clang.clang_Type_getSizeOf(Clang.clang_getCursorType(declaration));
        if (size != sizeof(int))
        {
            throw new UnsupportedConstructException(
                $"enum '{name}' is {size} bytes wide; enums are mirrored as C# int and must fit C's int");
        }

        var values = new List<EnumValueModel>();
        foreach (var member in ClangHelpers.Children(declaration))
        {
            if (Clang.clang_getCursorKind(member) != CXCursorKind.EnumConstantDecl)
            {
                continue;
            }

            var value = Clang.clang_getEnumConstantDeclValue(member);
            var valueName = ClangHelpers.Spelling(member);
            if (value < int.MinValue || value > int.MaxValue)
            {
                throw new UnsupportedConstructException(
                    $"enum value '{valueName}' = {value} does not fit C's int", ClangHelpers.Line(member));
            }

            values.Add(new EnumValueModel(valueName, value, DocComments.Parse(ClangHelpers.RawComment(member))));
        }

        emittedTypes.Add(usr);
        types.Add(new EnumModel(name, ClangHelpers.Line(declaration), TagDoc(declaration, usr), values));
    }

    private void VisitTypedef(CXCursor declaration)
    {
        var name = ClangHelpers.Spelling(declaration);
        var underlying = ClangHelpers.Unelaborate(Clang.clang_getTypedefDeclUnderlyingType(declaration));
        if (underlying.Kind is CXTypeKind.Record or CXTypeKind.Enum)
        {
            // The tag is emitted at its own declaration; an opaque handle whose tag clang did not
            // report separately is emitted here.
            var tag = Clang.clang_getTypeDeclaration(underlying);
            if (Clang.clang_getCursorKind(tag) == CXCursorKind.StructDecl && ClangHelpers.IsFromMainFile(tag))
            {
                VisitStruct(tag);
            }

            return;
        }

        // Other typedefs (fixed-width aliases, function pointers) are inlined at each use; check
        // them here so that an unusable one fails even before anything uses it.
        MapOrExplain(Clang.clang_getTypedefDeclUnderlyingType(declaration), $"typedef '{name}'");
    }

    private void VisitFunction(CXCursor declaration)
    {
        var name = ClangHelpers.Spelling(declaration);
        var description = $"function '{name}'";
        if (Clang.clang_getCursorType(declaration).Kind == CXTypeKind.FunctionNoProto)
        {
            throw new UnsupportedConstructException($"{description} is declared without a prototype; write {name}(void)");
        }

        if (Clang.clang_Cursor_isVariadic(declaration) != 0)
        {
            throw new UnsupportedConstructException($"{description} is variadic (...); varargs cannot be called blittably");
        }

        if (Clang.clang_Cursor_getStorageClass(declaration) == CX_StorageClass.Static || Clang.clang_isCursorDefinition(declaration) != 0)
        {
            throw new UnsupportedConstructException($"{description} is defined in the header (static or inline); only exported functions can be imported");
        }

        if (!emittedFunctions.Add(name))
        {
            return; // a redeclaration
        }

        var returnType = MapOrExplain(Clang.clang_getCursorResultType(declaration), $"{description}: the return type");
        var parameters = new List<ParameterModel>();
        var count = Clang.clang_Cursor_getNumArguments(declaration);
        for (uint i = 0; i < count; i++)
        {
            var parameter = Clang.clang_Cursor_getArgument(declaration, i);
            var parameterName = ClangHelpers.Spelling(parameter);
            if (parameterName.Length == 0)
            {
                parameterName = $"arg{i}";
            }

            var parameterType = MapOrExplain(Clang.clang_getCursorType(parameter), $"{description}: parameter '{parameterName}'");
            parameters.Add(new ParameterModel(parameterName, parameterType));
        }

        functions.Add(new FunctionModel(name, returnType, parameters, ClangHelpers.Line(declaration), DocComments.Parse(ClangHelpers.RawComment(declaration))));
    }

    private string MapOrExplain(CXType type, string what, int? line = null)
    {
        try
        {
            return typeMapper.Map(type);
        }
        catch (UnsupportedConstructException exception)
        {
            throw new UnsupportedConstructException($"{what} has type '{ClangHelpers.Spelling(type)}': {exception.Message}", line);
        }
    }

    private string CSharpTagName(string usr, string keyword)
    {
        if (tagNamesByUsr.TryGetValue(usr, out var name))
        {
            return name;
        }

        throw new UnsupportedConstructException($"an anonymous {keyword} without a typedef name cannot be mirrored; name it");
    }

    /// <summary>How C code spells the struct: its typedef name, or "struct tag".</summary>
    private string CName(CXCursor declaration, string usr) =>
        typedefsByTagUsr.TryGetValue(usr, out var typedef)
            ? ClangHelpers.Spelling(typedef)
            : "struct " + ClangHelpers.Spelling(declaration);

    /// <summary>The tag's own doc comment, else the one on its typedef.</summary>
    private Documentation TagDoc(CXCursor declaration, string usr)
    {
        var comment = ClangHelpers.RawComment(declaration);
        if (comment is null && typedefsByTagUsr.TryGetValue(usr, out var typedef))
        {
            comment = ClangHelpers.RawComment(typedef);
        }

        return DocComments.Parse(comment);
    }

    private static bool IsAnonymous(CXCursor declaration)
    {
        var spelling = ClangHelpers.Spelling(declaration);
        return spelling.Length == 0 || spelling.Contains("(unnamed", StringComparison.Ordinal)
            || spelling.Contains("(anonymous", StringComparison.Ordinal) || Clang.clang_Cursor_isAnonymous(declaration) != 0;
    }

    private string DescribeTag(CXCursor declaration) =>
        IsAnonymous(declaration) ? "(anonymous)" : ClangHelpers.Spelling(declaration);
}
