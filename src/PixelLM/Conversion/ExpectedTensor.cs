namespace PixelLM.Conversion;

/// <summary>A tensor the configuration says a checkpoint must hold, with its PyTorch shape.</summary>
internal sealed record ExpectedTensor(string Name, long[] Shape, TensorRole Role);
