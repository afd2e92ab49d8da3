import highspy, pickle, numpy as np, sys
pools = pickle.load(open("/tmp/probe/pools.pkl","rb")); cuts = pools[-1]
def lp_with(sel):
    h = highspy.Highs(); h.setOptionValue("output_flag", False); h.setOptionValue("threads", 1)
    h.readModel("/tmp/pf/mps/mip-1.mps")
    n = h.getLp().num_col_
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.zeros(n, dtype=np.uint8))
    for k in sel:
        idx, val, lo, up = cuts[k]
        h.addRow(lo, up, len(idx), np.array(idx, dtype=np.int32), np.array(val))
    h.run(); return h.getInfo().objective_function_value
allc = list(range(len(cuts)))
print("all", lp_with(allc))
for k in [int(a) for a in sys.argv[1:]] or allc:
    print("only", k, lp_with([k]), "without", lp_with([c for c in allc if c != k]))
