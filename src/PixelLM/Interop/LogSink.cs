namespace PixelLM.Interop;

/// <summary>The process-wide target of native log messages; see <see cref="LogBridge"/>.</summary>
internal sealed class LogSink
{
    private volatile Action<PixelLmLogLevel, string>? _logger;

    /// <summary>The current logger, or null to drop messages.</summary>
    internal Action<PixelLmLogLevel, string>? Logger
    {
        get => _logger;
        set => _logger = value;
    }
}
