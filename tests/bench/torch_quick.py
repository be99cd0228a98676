"""bench_torch.py with fewer repeats (npm run bench -- --quick): runs that file's own workload
definitions (everything above its timing loop) unchanged, then times them best of K.
Run: /usr/bin/python3 torch_quick.py PATH/bench_torch.py K"""
import json, sys, time

src = open(sys.argv[1]).read()
defs = src[: src.index("t0 = time.perf_counter()")]  # imports, data and workload functions
ns = {"__name__": "bench_torch_defs"}
exec(compile(defs, sys.argv[1], "exec"), ns)
k = int(sys.argv[2])
torch = ns["torch"]
for name, fn in [("book-sgd", lambda: ns["book"]("SGD", 1e-2, 5000, ns["t_un"])),
                 ("book-adam", lambda: ns["book"]("Adam", 1e-1, 2000, ns["t_u"])),
                 ("playground-mlp", ns["mlp"]), ("matmul-256", ns["matmul"])]:
    s, r = ns["best"](fn, k)
    extra = {"gflops": r / s / 1e9} if name == "matmul-256" else {"final_loss": r}
    print(json.dumps(dict(workload=name, torch=torch.__version__, seconds=s, threads=torch.get_num_threads(), **extra)))
