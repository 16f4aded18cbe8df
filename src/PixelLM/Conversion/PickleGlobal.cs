namespace PixelLM.Conversion;

/// <summary>
/// A name a pickle's GLOBAL / STACK_GLOBAL opcode pushed, kept as data: the restricted unpickler never
/// resolves it to code, it only recognises the few allowlisted names by string.
/// </summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}
