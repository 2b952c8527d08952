#!/usr/bin/env python3
"""Regenerates the golden state-dict inventories in this folder from the OFFICIAL SAM2 code.

The expansion in QSam2.Spec is checked against these files, so they must not come from it. This script
runs the real module constructors of facebookresearch/sam2 (commit 2b90b9f, the one sam2-architecture.md
describes) on the real YAML configs, with a stand-in `torch` that only records what each constructor
registers (parameters, buffers, submodules, in registration order) -- no PyTorch needed, no weights.
`state_dict()` order is reproduced as PyTorch defines it: a module's own parameters, then its persistent
buffers, then each child module recursively.

The stand-in is validated first: for the fixture-a configuration it must reproduce, key for key and shape
for shape, the state dict stored in the real checkpoint (fixture-a/checkpoint.pt, written by PyTorch).

Usage: make_golden.py <sam2 checkout (contains sam2/)> <fixture-a dir> <output dir>
Output: <name>.state_dict.txt, one "key [d0, d1, ...]" line per entry, for the released configs + fixture-a.
"""
import collections, copy, importlib, math, pickle, sys, types, zipfile

sam2_root, fixture_dir, out_dir = sys.argv[1:4]


# ---------------------------------------------------------------- stand-in torch
class Anything:
    """Absorbs every runtime-only torch/numpy use in constructors (RoPE tables, caches...)."""
    def __init__(self, *a, **k): pass
    def __call__(self, *a, **k): return Anything()
    def __getattr__(self, n): return Anything()
    def __getitem__(self, k): return Anything()
    def __setitem__(self, k, v): pass
    def __iter__(self): return iter(())
    def __bool__(self): return False
    def __mro_entries__(self, bases): return (object,)
    def _op(self, *a): return Anything()


for _n in ("add sub mul truediv floordiv mod pow matmul and or xor lshift rshift".split()):
    setattr(Anything, f"__{_n}__", Anything._op)
    setattr(Anything, f"__r{_n}__", Anything._op)
for _n in ("neg", "pos", "abs", "invert"):
    setattr(Anything, f"__{_n}__", Anything._op)


class Tensor:
    def __init__(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)): shape = tuple(shape[0])
        self.shape = tuple(int(s) for s in shape)
    def _same(self, *a): return Tensor(self.shape)
    __add__ = __radd__ = __mul__ = __rmul__ = __sub__ = __truediv__ = __neg__ = _same
    def to(self, *a, **k): return self
    def item(self): return 0.0
    def size(self, i=None): return self.shape if i is None else self.shape[i]


class Parameter(Tensor):
    def __init__(self, t, requires_grad=True): super().__init__(t.shape)


def _mod(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    m.__getattr__ = lambda n: Anything()
    sys.modules[name] = m
    return m


class Module:
    def __init__(self, *a, **k):
        object.__setattr__(self, "_parameters", collections.OrderedDict())
        object.__setattr__(self, "_buffers", collections.OrderedDict())
        object.__setattr__(self, "_modules", collections.OrderedDict())
    def __setattr__(self, n, v):
        if isinstance(v, Parameter): self._parameters[n] = v
        elif isinstance(v, Module): self._modules[n] = v
        elif n in self._parameters: self._parameters[n] = v
        elif n in self._modules: self._modules[n] = v
        else: object.__setattr__(self, n, v)
    def __getattr__(self, n):
        for d in ("_parameters", "_buffers", "_modules"):
            if n in self.__dict__.get(d, {}): return self.__dict__[d][n]
        raise AttributeError(n)
    def register_buffer(self, n, t, persistent=True):
        self._buffers[n] = (t, persistent)
    def add_module(self, n, m): self._modules[n] = m
    def state_dict_shapes(self, prefix=""):
        out = []
        for n, p in self._parameters.items():
            if p is not None: out.append((prefix + n, p.shape))
        for n, (b, persistent) in self._buffers.items():
            if persistent and b is not None: out.append((prefix + n, b.shape))
        for n, m in self._modules.items():
            if m is not None: out += m.state_dict_shapes(prefix + n + ".")
        return out
    def __call__(self, *a, **k): return Anything()


class Identity(Module): pass


class Linear(Module):
    def __init__(self, in_features, out_features, bias=True):
        super().__init__(); self.weight = Parameter(Tensor(out_features, in_features))
        if bias: self.bias = Parameter(Tensor(out_features))


def _pair(v): return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


class Conv2d(Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, **k):
        super().__init__(); kh, kw = _pair(kernel_size)
        self.weight = Parameter(Tensor(out_channels, in_channels // groups, kh, kw))
        if bias: self.bias = Parameter(Tensor(out_channels))


class ConvTranspose2d(Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True, **k):
        super().__init__(); kh, kw = _pair(kernel_size)
        self.weight = Parameter(Tensor(in_channels, out_channels, kh, kw))
        if bias: self.bias = Parameter(Tensor(out_channels))


class LayerNorm(Module):
    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, **k):
        super().__init__(); self.weight = Parameter(Tensor(normalized_shape)); self.bias = Parameter(Tensor(normalized_shape))


class Embedding(Module):
    def __init__(self, num_embeddings, embedding_dim, **k):
        super().__init__(); self.weight = Parameter(Tensor(num_embeddings, embedding_dim))


class ModuleList(Module):
    def __init__(self, mods=()):
        super().__init__()
        for m in mods: self.append(m)
    def append(self, m): self._modules[str(len(self._modules))] = m; return self
    def __iter__(self): return iter(self._modules.values())
    def __len__(self): return len(self._modules)
    def __getitem__(self, i): return list(self._modules.values())[i]


class Sequential(ModuleList):
    def __init__(self, *mods):
        super().__init__(mods)


class _NoParams(Module):
    def __init__(self, *a, **k): super().__init__()


nn_names = dict(Module=Module, Parameter=Parameter, Identity=Identity, Linear=Linear, Conv2d=Conv2d,
                ConvTranspose2d=ConvTranspose2d, LayerNorm=LayerNorm, Embedding=Embedding,
                ModuleList=ModuleList, Sequential=Sequential, GELU=_NoParams, ReLU=_NoParams,
                Dropout=_NoParams, MaxPool2d=_NoParams, SiLU=_NoParams)


def fresh(*shape): return Tensor(*shape)


torch = _mod("torch", Tensor=Tensor, zeros=fresh, ones=fresh, randn=fresh, empty=fresh,
             linspace=lambda a, b, n: [Tensor() for _ in range(int(n))],
             cuda=types.SimpleNamespace(is_available=lambda: False), float32="float32", bfloat16="bfloat16")
nn = _mod("torch.nn", **nn_names)
torch.nn = nn
nn.functional = _mod("torch.nn.functional")
nn.init = _mod("torch.nn.init", trunc_normal_=lambda *a, **k: None)
torch.distributed = _mod("torch.distributed")
_mod("numpy")
_mod("iopath"); _mod("iopath.common"); _mod("iopath.common.file_io", g_pathmgr=Anything())
_mod("tqdm"); _mod("PIL", Image=Anything()); _mod("PIL.Image")

# The sam2 package without its __init__ (which only initialises hydra).
pkg = types.ModuleType("sam2"); pkg.__path__ = [sam2_root + "/sam2"]; sys.modules["sam2"] = pkg


# ---------------------------------------------------------------- hydra-style instantiate
def instantiate(node):
    if isinstance(node, dict):
        args = {k: instantiate(v) for k, v in node.items() if k != "_target_"}
        if "_target_" not in node: return args
        mod, _, cls = node["_target_"].rpartition(".")
        return getattr(importlib.import_module(mod), cls)(**args)
    if isinstance(node, list): return [instantiate(v) for v in node]
    if isinstance(node, str):
        # OmegaConf (hydra) reads YAML floats like 1e-6 that plain YAML 1.1 leaves as strings.
        try: return float(node)
        except ValueError: return node
    return node


def shapes_of(model_cfg):
    return instantiate(model_cfg).state_dict_shapes()


def write(name, entries):
    with open(f"{out_dir}/{name}.state_dict.txt", "w") as f:
        for k, s in entries: f.write(f"{k} [{', '.join(map(str, s))}]\n")
    print(name, len(entries), "keys", sum(math.prod(s) for _, s in entries), "elements")


# ---------------------------------------------------------------- 1. validate against the real checkpoint
import json
cfg = json.load(open(fixture_dir + "/config.json"))
fixture = shapes_of(copy.deepcopy(cfg["model"]))


class CkptUnpickler(pickle.Unpickler):
    def find_class(self, m, n):
        if n == "_rebuild_tensor_v2": return lambda storage, off, size, *a: tuple(size)
        if n == "OrderedDict": return collections.OrderedDict
        return lambda *a, **k: None
    def persistent_load(self, pid): return pid


z = zipfile.ZipFile(fixture_dir + "/checkpoint.pt")
real = [(k, tuple(v)) for k, v in CkptUnpickler(z.open([n for n in z.namelist() if n.endswith("data.pkl")][0])).load()["model"].items()]
if real != [(k, tuple(s)) for k, s in fixture]:
    sys.exit("stand-in torch does NOT reproduce the fixture-a checkpoint; refusing to write golden files")
write("fixture-a", real)

# ---------------------------------------------------------------- 2. the released configs
import yaml
for name, path in [("sam2.1_hiera_t", "sam2.1/sam2.1_hiera_t"), ("sam2.1_hiera_s", "sam2.1/sam2.1_hiera_s"),
                   ("sam2.1_hiera_b+", "sam2.1/sam2.1_hiera_b+"), ("sam2.1_hiera_l", "sam2.1/sam2.1_hiera_l"),
                   ("sam2_hiera_t", "sam2/sam2_hiera_t")]:
    model = yaml.safe_load(open(f"{sam2_root}/sam2/configs/{path}.yaml"))["model"]
    write(name, shapes_of(model))
