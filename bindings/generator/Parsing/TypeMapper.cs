using System.Text;
using PixelLM.BindingsGenerator.LibClang;

namespace PixelLM.BindingsGenerator.Parsing;

/// <summary>
/// Maps a C type to its blittable C# spelling, or throws <see cref="UnsupportedConstructException"/>.
/// Fixed-width typedefs are recognised by name before anything is desugared, so the mapping does not
/// depend on how the platform's stdint.h spells them (int64_t is <c>long</c> on Linux, <c>long long</c> on Windows).
/// </summary>
internal sealed class TypeMapper(IReadOnlyDictionary<string, string> tagNamesByUsr)
{
    private static readonly Dictionary<string, string> KnownTypedefs = new(StringComparer.Ordinal)
    {
        ["uint8_t"] = "byte",
        ["int8_t"] = "sbyte",
        ["uint16_t"] = "ushort",
        ["int16_t"] = "short",
        ["uint32_t"] = "uint",
        ["int32_t"] = "int",
        ["uint64_t"] = "ulong",
        ["int64_t"] = "long",
        ["size_t"] = "nuint",
        ["ptrdiff_t"] = "nint",
        ["intptr_t"] = "nint",
        ["uintptr_t"] = "nuint",
    };

    public string Map(CXType type)
    {
        type = ClangHelpers.Unelaborate(type);
        switch (type.Kind)
        {
            case CXTypeKind.Typedef:
                return MapTypedef(type);
            case CXTypeKind.Pointer:
                return MapPointer(type);
            case CXTypeKind.Record:
            case CXTypeKind.Enum:
                return MapTag(type);
            case CXTypeKind.Void:
                return "void";
            case CXTypeKind.UChar:
                return "byte";
            case CXTypeKind.SChar:
                return "sbyte";
            case CXTypeKind.UShort:
                return "ushort";
            case CXTypeKind.Short:
                return "short";
            case CXTypeKind.UInt:
                return "uint";
            case CXTypeKind.Int:
                return "int";
            case CXTypeKind.ULongLong:
                return "ulong";
            case CXTypeKind.LongLong:
                return "long";
            case CXTypeKind.Float:
                return "float";
            case CXTypeKind.Double:
                return "double";
            case CXTypeKind.Bool:
                throw new UnsupportedConstructException("C bool (_Bool) has no fixed ABI size across compilers; use int32_t (0 or 1)");
            case CXTypeKind.Char_S:
            case CXTypeKind.Char_U:
                throw new UnsupportedConstructException("plain char is only mapped behind a pointer (UTF-8 text); use uint8_t or int8_t for a value");
            case CXTypeKind.Long:
            case CXTypeKind.ULong:
                throw new UnsupportedConstructException("long has a platform-dependent width (64-bit Linux, 32-bit Windows); use int32_t or int64_t");
            case CXTypeKind.ConstantArray:
            case CXTypeKind.IncompleteArray:
            case CXTypeKind.VariableArray:
                throw new UnsupportedConstructException("arrays (inline arrays, flexible array members, array parameters) are not mirrored; use a pointer and a count");
            case CXTypeKind.FunctionProto:
            case CXTypeKind.FunctionNoProto:
                throw new UnsupportedConstructException("a function type is only mapped behind a pointer");
            default:
                throw new UnsupportedConstructException(
                    $"C type '{ClangHelpers.Spelling(type)}' ({type.Kind}) has no blittable C# mapping; use the fixed-width integer types, float, double, enums, structs and pointers");
        }
    }

    private string MapTypedef(CXType type)
    {
        var declaration = Clang.clang_getTypeDeclaration(type);
        var name = ClangHelpers.Spelling(declaration);
        if (KnownTypedefs.TryGetValue(name, out var known))
        {
            return known;
        }

        if (!ClangHelpers.IsFromMainFile(declaration))
        {
            throw new UnsupportedConstructException(
                $"typedef '{name}' comes from a system header and has no fixed mapping; use the fixed-width integer types");
        }

        return Map(Clang.clang_getTypedefDeclUnderlyingType(declaration));
    }

    private string MapPointer(CXType type)
    {
        var pointee = Clang.clang_getPointeeType(type);
        var canonicalPointee = Clang.clang_getCanonicalType(pointee);
        switch (canonicalPointee.Kind)
        {
            case CXTypeKind.Char_S:
            case CXTypeKind.Char_U:
                return "byte*"; // UTF-8 text; the safe layer marshals it
            case CXTypeKind.FunctionProto:
                return MapFunctionPointer(pointee);
            case CXTypeKind.FunctionNoProto:
                throw new UnsupportedConstructException("a function pointer without a prototype; spell out its parameters (or (void))");
            default:
                return Map(pointee) + "*";
        }
    }

    private string MapFunctionPointer(CXType function)
    {
        if (Clang.clang_isFunctionTypeVariadic(function) != 0)
        {
            throw new UnsupportedConstructException("a variadic function pointer (...) cannot be called blittably");
        }

        var text = new StringBuilder("delegate* unmanaged[Cdecl]<");
        var count = Clang.clang_getNumArgTypes(function);
        for (uint i = 0; i < count; i++)
        {
            text.Append(Map(Clang.clang_getArgType(function, i))).Append(", ");
        }

        text.Append(Map(Clang.clang_getResultType(function))).Append('>');
        return text.ToString();
    }

    private string MapTag(CXType type)
    {
        var declaration = Clang.clang_getTypeDeclaration(type);
        if (Clang.clang_getCursorKind(declaration) == CXCursorKind.UnionDecl)
        {
            throw new UnsupportedConstructException("unions have no portable blittable mirror; use separate fields or a tagged struct");
        }

        var usr = ClangHelpers.Usr(declaration);
        if (tagNamesByUsr.TryGetValue(usr, out var name))
        {
            return name;
        }

        throw new UnsupportedConstructException(
            $"'{ClangHelpers.Spelling(type)}' is not a named struct or enum declared in the header");
    }
}
