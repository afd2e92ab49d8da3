import highspy, sys, pickle, time
mps = sys.argv[1]
h = highspy.Highs()
h.setOptionValue("output_flag", True)
h.setOptionValue("log_to_console", False)
h.setOptionValue("log_file", "/tmp/probe/probe.log")
h.readModel(mps)
h.setOptionValue("presolve", "off")
h.setOptionValue("mip_max_nodes", 1)
h.setOptionValue("threads", 1)
h.setOptionValue("mip_heuristic_run_feasibility_jump", False)
pools = []
def on_pool(e):
    d = e.data_out
    n = d.cutpool_num_cut
    cuts = []
    for k in range(n):
        s, t = d.cutpool_start[k], d.cutpool_start[k+1]
        cuts.append((list(map(int, d.cutpool_index[s:t])), list(map(float, d.cutpool_value[s:t])), float(d.cutpool_lower[k]), float(d.cutpool_upper[k])))
    pools.append(cuts)
h.cbMipGetCutPool.subscribe(on_pool)
t = time.time()
h.run()
print("run", time.time() - t, "pools", [len(p) for p in pools], "dual bound", h.getInfo().mip_dual_bound)
pickle.dump(pools, open("/tmp/probe/pools.pkl", "wb"))
