namespace PixelLM.Conversion;

/// <summary>
/// A storage a torch zip checkpoint refers to through BINPERSID:
/// <c>('storage', torch.HalfStorage, key, location, numel)</c>; its bytes are the entry <c>data/{key}</c>.
/// </summary>
internal sealed record TorchStorageRef(string Key, string TypeName, CheckpointDType DType, int ElementSize, long ElementCount);
