namespace PixelLM.BindingsGenerator;

/// <summary>
/// The generator could not produce bindings: libclang is missing, the header does not compile, or
/// it declares something that has no blittable C# mirror. The message says what and where.
/// </summary>
public sealed class BindingsGeneratorException : Exception
{
    public BindingsGeneratorException(string message)
        : base(message)
    {
    }

    public BindingsGeneratorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
