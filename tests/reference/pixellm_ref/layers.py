"""Small building blocks of the mask head: LayerNorm2d, the SAM-style MLP, text_hidden_fcs (§7.1)
and image_feature_neck (§7.3)."""
import torch
from torch import nn


class LayerNorm2d(nn.Module):
    """Per pixel over channels, as separate ops (§7.3): (x-u)/sqrt(s+1e-6)*w + b. x [B,C,H,W]."""

    def __init__(self, channels, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))   # [C]
        self.bias = nn.Parameter(torch.zeros(channels))    # [C]
        self.eps = eps

    def forward(self, x):
        u = x.mean(1, keepdim=True)                        # [B,1,H,W]
        s = (x - u).pow(2).mean(1, keepdim=True)           # [B,1,H,W]
        x = (x - u) / torch.sqrt(s + self.eps)
        return self.weight[:, None, None] * x + self.bias[:, None, None]


class MLP(nn.Module):
    """Linear layers `layers.{i}` with ReLU after all but the last (§8.1)."""

    def __init__(self, in_dim, hidden_dim, out_dim, num_layers):
        super().__init__()
        dims = [in_dim] + [hidden_dim] * (num_layers - 1)
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims, dims[1:] + [out_dim]))

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = torch.relu(x)
        return x


def make_text_hidden_fcs(hidden, out_dim):
    """§7.1: ModuleList[Sequential(Linear(D,D), ReLU, Linear(D,out), Dropout(0))];
    keys text_hidden_fcs.0.0.* and text_hidden_fcs.0.2.*."""
    return nn.ModuleList([nn.Sequential(nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, out_dim),
                                        nn.Dropout(0.0))])


def make_neck(hidden, out_dim):
    """§7.3: Conv1x1(D->C, no bias) -> LN2d -> Conv3x3(C->C, pad 1, no bias) -> LN2d."""
    return nn.Sequential(nn.Conv2d(hidden, out_dim, 1, bias=False), LayerNorm2d(out_dim),
                         nn.Conv2d(out_dim, out_dim, 3, padding=1, bias=False), LayerNorm2d(out_dim))
