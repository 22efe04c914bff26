"""seqgen's Seq2Seq in PyTorch: embedded source -> nn.GRU/LSTM encoder (optionally
bidirectional, packed by length) -> bridge (tanh(Linear) of the final states, per
decoder layer) -> attention decoder (Bahdanau or Luong dot/general, masked softmax,
attentional vector tanh(W [h; context]), Luong input feeding) -> linear head.
The same math as @seqgen/models' Seq2Seq, so exported weights give the same logits."""

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

SEQ2SEQ_TYPE = "seq2seq"

# @seqgen/models' DEFAULT_SEQ2SEQ_CONFIG.
DEFAULTS = {
    "type": SEQ2SEQ_TYPE, "encoderLayers": 1, "decoderLayers": 1, "cell": "gru", "bidirectional": False,
    "attention": "bahdanau", "inputFeeding": True, "tieWeights": False, "dropout": 0.0, "labelSmoothing": 0.0,
    "scheduledSampling": 0.0, "padId": 0, "bosId": 1, "eosId": 2, "seed": 0,
}


class Seq2Seq(nn.Module):
    """Built from a seqgen `seq2seq` config (the `model` of an exported config.json)."""

    def __init__(self, config):
        super().__init__()
        c = {**DEFAULTS, **config}
        if c["type"] != SEQ2SEQ_TYPE:
            raise ValueError(f"config type must be {SEQ2SEQ_TYPE!r}, got {c['type']!r}")
        self.config = c
        E, H = c["embeddingSize"], c["hiddenSize"]
        rnn = nn.LSTM if c["cell"] == "lstm" else nn.GRU
        dirs = 2 if c["bidirectional"] else 1
        D = dirs * H  # width of the memory
        self.parts = ["h", "c"] if c["cell"] == "lstm" else ["h"]
        self.encoder = nn.Module()
        self.encoder.embedding = nn.Embedding(c["sourceVocabSize"], E)
        self.encoder.rnn = rnn(E, H, num_layers=c["encoderLayers"], batch_first=True, bidirectional=c["bidirectional"],
                               dropout=c["dropout"] if c["encoderLayers"] > 1 else 0.0)
        self.bridge = nn.ModuleList(
            nn.ModuleDict({part: nn.Linear(D, H) for part in self.parts}) for _ in range(c["decoderLayers"]))
        attention = c["attention"]
        self.feeding = c["inputFeeding"] and attention != "none"
        self.decoder = nn.Module()
        self.decoder.embedding = nn.Embedding(c["targetVocabSize"], E)
        self.decoder.rnn = rnn(E + (H if self.feeding else 0), H, num_layers=c["decoderLayers"], batch_first=True)
        if attention == "bahdanau":
            self.decoder.attention = nn.Module()
            self.decoder.attention.query = nn.Linear(H, H, bias=False)
            self.decoder.attention.memory = nn.Linear(D, H)
            self.decoder.attention.score = nn.Linear(H, 1, bias=False)
        elif attention == "luong-general":
            self.decoder.attention = nn.Module()
            self.decoder.attention.memory = nn.Linear(D, H, bias=False)
        elif attention not in ("luong-dot", "none"):
            raise ValueError(f"unknown attention {attention!r}")
        if attention != "none":
            self.decoder.combine = nn.Linear(H + D, H, bias=False)
        self.decoder.head = nn.Linear(H, c["targetVocabSize"])
        if c["tieWeights"]:
            if E != H:
                raise ValueError(f"tieWeights needs embeddingSize ({E}) = hiddenSize ({H})")
            self.decoder.head.weight = self.decoder.embedding.weight
        self.drop = nn.Dropout(c["dropout"])

    def encode(self, sources, lengths):
        """sources [B, S] (padded), lengths [B] -> (memory [B, S, D], mask [B, S], keys, decoder start state)."""
        c = self.config
        x = self.drop(self.encoder.embedding(sources))
        packed = pack_padded_sequence(x, torch.as_tensor(lengths, dtype=torch.long).cpu(), batch_first=True,
                                      enforce_sorted=False)
        out, final = self.encoder.rnn(packed)
        memory, _ = pad_packed_sequence(out, batch_first=True, total_length=sources.shape[1])
        finals = final if isinstance(final, tuple) else (final,)
        dirs = 2 if c["bidirectional"] else 1
        starts = {part: [] for part in self.parts}
        for l in range(c["decoderLayers"]):
            # Deeper decoder layers than encoder layers start from the encoder's top layer.
            layer = min(l, c["encoderLayers"] - 1)
            for k, part in enumerate(self.parts):
                s = finals[k]
                last = torch.cat([s[layer * dirs + d] for d in range(dirs)], dim=1)
                starts[part].append(torch.tanh(self.bridge[l][part](last)))
        state = tuple(torch.stack(starts[p]) for p in self.parts)
        state = state if c["cell"] == "lstm" else state[0]
        mask = (torch.arange(sources.shape[1])[None, :] < torch.as_tensor(lengths)[:, None]).float()
        keys = None
        if c["attention"] in ("bahdanau", "luong-general"):
            keys = self.decoder.attention.memory(memory)
        return memory, mask.to(memory.device), keys, state

    def attend(self, h, memory, mask, keys):
        """Attention of the top layer's output h [B, H]: (attentional vector [B, H], weights [B, S])."""
        attention = self.config["attention"]
        if attention == "none":
            return h, None
        if attention == "bahdanau":
            q = self.decoder.attention.query(h)[:, None, :]
            scores = self.decoder.attention.score(torch.tanh(keys + q)).squeeze(2)
        else:
            scores = ((keys if keys is not None else memory) * h[:, None, :]).sum(2)
        weights = torch.softmax(scores + (1 - mask) * -1e9, dim=1) * mask
        context = torch.bmm(weights[:, None, :], memory).squeeze(1)
        attentional = torch.tanh(self.decoder.combine(torch.cat([h, context], dim=1)))
        return self.drop(attentional), weights

    def decode(self, target_inputs, encoded, state=None, feed=None):
        """Teacher-forced decoding of target_inputs [B, T] -> (logits [B, T, V], state, feed)."""
        memory, mask, keys, start = encoded
        state = start if state is None else state
        B, T = target_inputs.shape
        if self.feeding and feed is None:
            feed = memory.new_zeros(B, self.config["hiddenSize"])
        x = self.drop(self.decoder.embedding(target_inputs))
        outputs = []
        for t in range(T):
            step = x[:, t] if not self.feeding else torch.cat([x[:, t], feed], dim=1)
            out, state = self.decoder.rnn(step[:, None, :], state)
            attentional, _ = self.attend(out[:, 0], memory, mask, keys)
            if self.feeding:
                feed = attentional
            outputs.append(attentional)
        logits = self.decoder.head(torch.stack(outputs, dim=1))
        return logits, state, feed

    def forward(self, sources, lengths, target_inputs):
        """Logits [B, T, targetVocabSize] of target_inputs given the (padded) sources."""
        logits, _, _ = self.decode(target_inputs, self.encode(sources, lengths))
        return logits

    def export_state_dict(self):
        sd = self.state_dict()
        if self.config["tieWeights"]:
            sd.pop("decoder.head.weight", None)
        return sd

    def load_export_state_dict(self, sd):
        sd = dict(sd)
        if self.config["tieWeights"]:
            sd["decoder.head.weight"] = sd["decoder.embedding.weight"]
        self.load_state_dict(sd, strict=True)

    @torch.no_grad()
    def generate_greedy(self, source, max_length):
        """Greedy translation of one source (a list of ids): target ids up to eosId (excluded)."""
        was_training = self.training
        self.eval()
        encoded = self.encode(torch.tensor([list(source)], dtype=torch.long), [len(source)])
        token, state, feed, out = self.config["bosId"], None, None, []
        for _ in range(max_length):
            logits, state, feed = self.decode(torch.tensor([[token]], dtype=torch.long), encoded, state, feed)
            token = int(logits[0, -1].argmax())
            if token == self.config["eosId"]:
                break
            out.append(token)
        self.train(was_training)
        return out
