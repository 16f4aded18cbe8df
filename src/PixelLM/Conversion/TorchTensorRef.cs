namespace PixelLM.Conversion;

/// <summary>
/// The arguments of a pickled <c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)</c>:
/// a view of <see cref="Storage"/> starting <see cref="Offset"/> elements in.
/// </summary>
internal sealed record TorchTensorRef(TorchStorageRef Storage, long Offset, long[] Shape, long[] Stride);
