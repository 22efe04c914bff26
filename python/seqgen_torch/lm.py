"""seqgen's RecurrentLanguageModel in PyTorch: token embedding -> nn.LSTM/GRU/RNN
stack -> linear head (optionally tied to the embedding). Same math as seqgen's
forward and step, so exported weights give the same logits (1e-5)."""

import torch
from torch import nn

RECURRENT_LM_TYPE = "recurrent-lm"

# The defaults of @seqgen/models' DEFAULT_RECURRENT_LM_CONFIG, so a saved config is complete.
DEFAULTS = {
    "type": RECURRENT_LM_TYPE, "cell": "lstm", "numLayers": 1, "projSize": None, "dropout": 0.0,
    "recurrentDropout": 0.0, "embeddingDropout": 0.0, "outputDropout": 0.0, "tieWeights": False,
    "layerNorm": False, "forgetBias": 1.0, "resetAfter": True, "activation": "tanh", "seed": 0,
}


class RecurrentLM(nn.Module):
    """Built from a seqgen `recurrent-lm` config (the `model` of an exported config.json)."""

    def __init__(self, config):
        super().__init__()
        c = {**DEFAULTS, **config}
        if c["type"] != RECURRENT_LM_TYPE:
            raise ValueError(f"config type must be {RECURRENT_LM_TYPE!r}, got {c['type']!r}")
        if c["layerNorm"]:
            raise ValueError("layerNorm has no nn.LSTM counterpart")
        if c["cell"] == "gru" and not c["resetAfter"]:
            raise ValueError("a GRU needs resetAfter: true (nn.GRU applies the reset gate after the matmul)")
        if c["recurrentDropout"]:
            raise ValueError("recurrentDropout has no nn.LSTM/GRU/RNN counterpart")
        self.config = c
        V, E, H, L = c["vocabSize"], c["embeddingSize"], c["hiddenSize"], c["numLayers"]
        self.embedding = nn.Embedding(V, E)
        common = dict(input_size=E, hidden_size=H, num_layers=L, batch_first=True,
                      dropout=c["dropout"] if L > 1 else 0.0)
        if c["cell"] == "lstm":
            self.rnn = nn.LSTM(**common, proj_size=c["projSize"] or 0)
        elif c["cell"] == "gru":
            self.rnn = nn.GRU(**common)
        else:
            self.rnn = nn.RNN(**common, nonlinearity=c["activation"])
        top = c["projSize"] or H
        self.head = nn.Linear(top, V)
        if c["tieWeights"]:
            if top != E:
                raise ValueError(f"tieWeights needs embeddingSize ({E}) = the top layer's output size ({top})")
            self.head.weight = self.embedding.weight

    def forward(self, ids, state=None):
        """ids [B, T] int64 -> (logits [B, T, V], state); state is nn.LSTM's (h, c) or nn.GRU/RNN's h."""
        c = self.config
        weight = self.embedding.weight
        if self.training and c["embeddingDropout"] > 0:
            # Whole vocabulary rows dropped (a dropped token type is zero everywhere), as seqgen does.
            keep = torch.bernoulli(torch.full((weight.shape[0], 1), 1 - c["embeddingDropout"], device=weight.device))
            weight = weight * keep / (1 - c["embeddingDropout"])
        x = nn.functional.embedding(ids, weight)
        out, state = self.rnn(x, state)
        if self.training and c["outputDropout"] > 0:
            # One mask per sequence, shared over time.
            p = c["outputDropout"]
            keep = torch.bernoulli(torch.full((out.shape[0], 1, out.shape[2]), 1 - p, device=out.device))
            out = out * keep / (1 - p)
        return self.head(out), state

    def export_state_dict(self):
        """The state dict seqgen imports: with tied weights, `head.weight` is `embedding.weight` and is left out."""
        sd = self.state_dict()
        if self.config["tieWeights"]:
            sd.pop("head.weight", None)
        return sd

    def load_export_state_dict(self, sd):
        """Loads a state dict as seqgen exports it (strict: every name and shape must fit)."""
        sd = dict(sd)
        if self.config["tieWeights"]:
            sd["head.weight"] = sd["embedding.weight"]
        self.load_state_dict(sd, strict=True)

    @torch.no_grad()
    def generate_greedy(self, prompt, steps):
        """The `steps` most likely next tokens after `prompt` (a list of ids), one at a time with carried state."""
        was_training = self.training
        self.eval()
        ids = torch.tensor([list(prompt)], dtype=torch.long)
        logits, state = self(ids)
        out = []
        for _ in range(steps):
            token = int(logits[0, -1].argmax())
            out.append(token)
            logits, state = self(torch.tensor([[token]], dtype=torch.long), state)
        self.train(was_training)
        return out
