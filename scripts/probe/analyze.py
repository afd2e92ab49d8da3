import highspy, pickle, re, collections, numpy as np
pools = pickle.load(open("/tmp/probe/pools.pkl","rb"))
cuts = pools[-1]
side = open("/tmp/pf/mps/side-36674.txt").read().split("\n")
rowkind = [l[2:] for l in side if l.startswith("R ")]
colkind = [l[2:] for l in side if l.startswith("C ")]
h = highspy.Highs(); h.setOptionValue("output_flag", False)
h.readModel("/tmp/pf/mps/mip-1.mps")
lp = h.getLp()
A = lp.a_matrix_
start, index, value = np.array(A.start_), np.array(A.index_), np.array(A.value_)
ncol = lp.num_col_
def rows_of(j):
    return [(int(index[k]), float(value[k])) for k in range(start[j], start[j+1])]
def describe(j):
    k = colkind[j]
    if k.startswith("Pair"):
        post = cand = None; others = []
        for i, a in rows_of(j):
            rk = rowkind[i]
            if rk.startswith("PostOnce"): post = rk
            elif rk.startswith("CandidateOnce"): cand = rk
            else: others.append((rk, round(a, 3)))
        return ("pair", post, cand, tuple(others))
    return ("other", k)
# LP relaxation with and without cuts
h.setOptionValue("solver", "simplex")
for j in range(ncol):
    pass
h2 = highspy.Highs(); h2.setOptionValue("output_flag", False); h2.readModel("/tmp/pf/mps/mip-1.mps")
integ = [highspy.HighsVarType.kContinuous]*ncol
h2.changeColsIntegrality(ncol, np.arange(ncol, dtype=np.int32), np.array([0]*ncol, dtype=np.uint8))
h2.run(); print("LP", h2.getInfo().objective_function_value)
x0 = np.array(h2.getSolution().col_value)
for n, (idx, val, lo, up) in enumerate(cuts):
    act = sum(v * x0[i] for i, v in zip(idx, val))
    kinds = collections.Counter(colkind[i].split(" ")[0].split("(")[0] for i in idx)
    shorts = [colkind[i] for i in idx if colkind[i].startswith("Short")]
    teams = set(re.findall(r"team: Some\((\d+)\)", " ".join(shorts)))
    rules = collections.Counter(re.findall(r"rule: (\d+)", " ".join(shorts)))
    print(f"cut {n}: {len(idx)} entries {dict(kinds)} lo {lo:.4g} up {up:.4g} act@LP {act:.4f} viol {max(lo-act, act-up):.4f}; shortfall teams {len(teams)} rules {dict(rules)}")
    h2.addRow(lo, up, len(idx), np.array(idx, dtype=np.int32), np.array(val))
h2.run(); print("LP with pool cuts", h2.getInfo().objective_function_value)
pickle.dump((x0,), open("/tmp/probe/x0.pkl","wb"))
