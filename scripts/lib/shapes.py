"""What the measurement scripts run: the generator options of every circuit they use (SHAPES),
the engine targets, and the default lists per script. `--shape NAME='KIND --opt value ...'`
replaces one SHAPES entry for a run."""

# name -> (generator options at full size, options at --quick size). Option names follow the
# generator shapes (LayeredShape nodes/width/depth/fanIn/ops, MLPShape layerSizes, GridShape
# rows/columns, TreeShape leaves as --inputs, ChainShape length as --nodes); edit here if `circuitgrad generate` spells
# them differently; `--shape NAME='...'` overrides one entry for a run.
# Every op of the spec, for generator mixes that use them all.
ALL_OPS = "add,sub,mul,div,neg,recip,square,sqrt,exp,log,sin,cos,tanh,sigmoid,relu,abs,max,min,pow,scale,offset,powc,const"
SHAPES = {
    # strong scaling: one fixed circuit per kind
    "layered":      ("layered --nodes 200000 --width 1000", "layered --nodes 4000 --width 100"),
    "mlp":          ("mlp --layers 64,512,512,512,1", "mlp --layers 8,32,32,1"),
    "grid":         ("grid --rows 400 --columns 400", "grid --rows 40 --columns 40"),
    "tree":         ("tree --inputs 131072", "tree --inputs 2048"),
    "chain":        ("chain --nodes 100000", "chain --nodes 2000"),
    # sweep-shape: same node count, different shapes and op mixes
    "wide":         ("layered --nodes 200000 --width 10000", "layered --nodes 4000 --width 1000"),
    "square":       ("layered --nodes 200000 --width 450", "layered --nodes 4000 --width 64"),
    "deep":         ("layered --nodes 200000 --width 50", "layered --nodes 4000 --width 8"),
    "fanout-heavy": ("layered --nodes 200000 --width 1000 --fan-in 8 --ops add:1,mul:1,max:1", "layered --nodes 4000 --width 100 --fan-in 8 --ops add:1,mul:1,max:1"),
    "transcendental": ("layered --nodes 200000 --width 1000 --ops sin:1,cos:1,exp:1,tanh:1,sigmoid:1,log:1",
                       "layered --nodes 4000 --width 100 --ops sin:1,cos:1,exp:1,tanh:1,sigmoid:1,log:1"),
    # compare: the circuits every peer runs (JAX must compile them in about a minute)
    "cmp-mlp":      ("mlp --layers 16,64,64,1", "mlp --layers 4,8,1"),
    "cmp-layered":  ("layered --nodes 5000 --width 100 --params 4", "layered --nodes 500 --width 20 --params 4"),
    "cmp-addtree":  ("tree --inputs 10001 --ops add", "tree --inputs 257 --ops add"),
    "cmp-transcendental": ("layered --nodes 5000 --width 100 --ops sin:1,cos:1,exp:1,tanh:1,sigmoid:1,log:1",
                           "layered --nodes 500 --width 20 --ops sin:1,cos:1,exp:1,tanh:1,sigmoid:1,log:1"),
    # compare: circuits that mix every op the way users' circuits do (elementary functions beside adds)
    "mix-layered10k":  ("layered --nodes 10000 --ops " + ALL_OPS, "layered --nodes 1000 --ops " + ALL_OPS),
    "mix-layered200k": ("layered --nodes 200000 --ops " + ALL_OPS, "layered --nodes 4000 --ops " + ALL_OPS),
    "mix-chain100k":   ("chain --nodes 100000", "chain --nodes 2000"),
    "mix-tree10k":     ("tree --inputs 10000 --ops add:1,mul:1,sin:1,cos:1,tanh:1,sigmoid:1",
                        "tree --inputs 1000 --ops add:1,mul:1,sin:1,cos:1,tanh:1,sigmoid:1"),
    "mix-grid300":     ("grid --rows 300 --columns 300", "grid --rows 30 --columns 30"),
    "mix-fanin4":      ("layered --nodes 10000 --fan-in 4 --ops " + ALL_OPS, "layered --nodes 1000 --fan-in 4 --ops " + ALL_OPS),
    # engine-targets: the circuits the engine's performance targets are stated for
    "t-layered1m":  ("layered --nodes 1000000 --width 1000 --ops add:1,mul:1", "layered --nodes 20000 --width 200 --ops add:1,mul:1"),
    "t-layered100k": ("layered --nodes 100000 --width 1000 --ops add:1,mul:1", "layered --nodes 5000 --width 100 --ops add:1,mul:1"),
    "t-mlp":        ("mlp --layers 64,256,256,10", "mlp --layers 8,32,32,2"),
    "t-grid":       ("grid --rows 300 --columns 300", "grid --rows 30 --columns 30"),
    "t-wide-batch1": ("layered --nodes 300000 --width 10000", "layered --nodes 20000 --width 2000"),
    "t-chain-batch1": ("chain --nodes 100000", "chain --nodes 5000"),
}
# (shape, batch, what is checked): "rate" = 1-thread node-evaluations/s at least the bound;
# "speedup" = 2-thread total time speedup at least the bound; every row also checks backward ≤ 2.5× forward.
TARGETS = [
    ("t-layered1m", 64, "rate", 150e6),
    ("t-layered100k", 64, "speedup", 1.8),
    ("t-mlp", 64, "speedup", 1.8),
    ("t-grid", 64, "speedup", 1.8),
    ("t-wide-batch1", 1, "speedup", 1.8),
    ("t-chain-batch1", 1, "speedup", 0.95),
]
STRONG_KINDS = ["layered", "mlp", "grid", "tree", "chain"]
SHAPE_SWEEP = ["wide", "square", "deep", "fanout-heavy", "transcendental"]
MIX_CIRCUITS = ["mix-layered10k", "mix-layered200k", "mix-chain100k", "mix-tree10k", "mix-grid300", "mix-fanin4"]
COMPARE_CIRCUITS = ["cmp-mlp", "cmp-layered", "cmp-addtree", "cmp-transcendental"] + MIX_CIRCUITS
PEERS = ["numpy", "jax", "torch", "micrograd"]
SINGLE_CORE_ENV = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                   "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"}
