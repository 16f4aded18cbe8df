namespace PixelLM;

/// <summary>
/// The result of a native PixelLM call, mirroring <c>pxl_status</c> of <c>pixellm.h</c> value for value.
/// Every failed status surfaces as an exception (see <see cref="PixelLmException"/>); this enum tells which.
/// </summary>
public enum PixelLmStatus
{
    /// <summary>The call succeeded (<c>PXL_STATUS_OK</c>).</summary>
    Ok = 0,

    /// <summary>An argument is null, out of range or inconsistent with another argument.</summary>
    InvalidArgument = 1,

    /// <summary>A file could not be opened, read, written or renamed.</summary>
    IOError = 2,

    /// <summary>A file or buffer is malformed, truncated or hostile; the message names the field and offset.</summary>
    InvalidFormat = 3,

    /// <summary>Well-formed input that this build cannot handle (for example a tensor type it cannot dequantize).</summary>
    Unsupported = 4,

    /// <summary>A native memory allocation failed.</summary>
    OutOfMemory = 5,

    /// <summary>A caller-provided buffer is smaller than the result.</summary>
    BufferTooSmall = 6,

    /// <summary>A named key or tensor does not exist.</summary>
    NotFound = 7,

    /// <summary>A value has another type than the call expects.</summary>
    TypeMismatch = 8,

    /// <summary>A call came at the wrong point of an object's life (for example writing tensor data before the header).</summary>
    InvalidState = 9,

    /// <summary>A long call was cancelled.</summary>
    Canceled = 10,

    /// <summary>A bug in the native library; the message says where.</summary>
    InternalError = 11,

    /// <summary>A sequence's KV cache has no room for the positions a batch adds.</summary>
    ContextFull = 12,
}
