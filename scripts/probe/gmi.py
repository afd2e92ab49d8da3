# Prototype: c-MIR (GMI-style) cuts from tableau rows of the cut LP, on the restricted model.
import highspy, numpy as np, scipy.sparse as sp, sys, time, math
MPS = sys.argv[1] if len(sys.argv) > 1 else "/tmp/pf/mps/mip-1.mps"
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
h = highspy.Highs(); h.setOptionValue("output_flag", False); h.setOptionValue("threads", 1)
h.readModel(MPS)
lp = h.getLp()
n, m = lp.num_col_, lp.num_row_
integer = np.array([int(v) == 1 for v in lp.integrality_]) if len(lp.integrality_) else np.zeros(n, bool)
h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.zeros(n, dtype=np.uint8))
A = sp.csc_matrix((np.array(lp.a_matrix_.value_), np.array(lp.a_matrix_.index_), np.array(lp.a_matrix_.start_)), shape=(m, n))
collo, colup = np.array(lp.col_lower_), np.array(lp.col_upper_)
cuts_all = []  # (coef over n cols, rhs) meaning coef.x <= rhs
def solve():
    h.run(); return h.getInfo().objective_function_value
z = solve(); print("LP", z, flush=True)
def rows_now():
    l = h.getLp(); return np.array(l.row_lower_), np.array(l.row_upper_)
def csr_now():
    l = h.getLp(); M = l.num_row_
    return sp.csc_matrix((np.array(l.a_matrix_.value_), np.array(l.a_matrix_.index_), np.array(l.a_matrix_.start_)), shape=(M, n)).tocsr()
def mir(a, beta, x, lo, up, is_int, deltas):
    """a.x <= beta over vars with bounds [lo,up]; returns best (coef, rhs) MIR cut or None."""
    best = None
    # continuous: bound substitution
    cont = ~is_int & (a != 0)
    use_up = cont & np.isfinite(up) & ((up - x) < (x - lo))
    use_lo = cont & ~use_up
    b = beta - np.sum(a[use_lo] * lo[use_lo]) - np.sum(a[use_up] * up[use_up])
    # y' coefficient: a for lo-substituted, -a for up-substituted; negative ones form s
    cprime = np.where(use_up, -a, a)
    sneg = cont & (cprime < 0)
    # integers: complement those closer to upper
    ints = is_int & (a != 0)
    comp = ints & (x > 0.5 * (lo + up))
    aint = np.where(comp, -a, a)
    b2 = b - np.sum(a[comp] * up[comp]) - np.sum(a[ints & ~comp] * lo[ints & ~comp])
    xs = np.where(comp, up - x, x - lo)
    frac_ints = ints & (xs > 1e-6) & (xs < (up - lo) - 1e-6)
    cand = set(np.round(np.abs(aint[frac_ints]), 12)) | {1.0}
    cand = [d for d in cand if d > 1e-6][:8]
    svals = np.where(use_up, up - x, x - lo)
    for d in cand:
        bt = b2 / d
        f0 = bt - math.floor(bt)
        if f0 < 0.01 or f0 > 0.99: continue
        at = aint / d
        fj = at - np.floor(at)
        F = np.floor(at) + np.maximum(0, fj - f0) / (1 - f0)
        # cut: sum_ints d*F x' - sum_{sneg} |c'|/(1-f0) y' <= d*floor(bt)
        lhs = np.sum(d * F[ints] * xs[ints]) - np.sum(np.abs(cprime[sneg]) * svals[sneg]) / (1 - f0)
        rhs = d * math.floor(bt)
        viol = lhs - rhs
        coef = np.zeros_like(a); r = rhs
        # back to original x: x' = x - lo (not comp) or up - x (comp)
        ci = d * F
        coef[ints & ~comp] += ci[ints & ~comp]; r += np.sum(ci[ints & ~comp] * lo[ints & ~comp])
        coef[ints & comp] -= ci[ints & comp]; r -= np.sum(ci[ints & comp] * up[ints & comp])
        cc = np.abs(cprime) / (1 - f0)
        # y' = y - lo (use_lo) or up - y (use_up); term -cc*y'
        m1 = sneg & use_lo; coef[m1] -= cc[m1]; r -= np.sum(cc[m1] * lo[m1])
        m2 = sneg & use_up; coef[m2] += cc[m2]; r += np.sum(cc[m2] * up[m2])
        norm = np.linalg.norm(coef[np.isfinite(coef)]) + 1e-12
        eff = viol / norm
        if viol > 1e-6 and (best is None or eff > best[2]):
            best = (coef, r, eff, viol)
    return best
for rnd in range(ROUNDS):
    t = time.time()
    sol = h.getSolution(); x = np.array(sol.col_value)
    rlo, rup = rows_now(); R = csr_now(); M = R.shape[0]
    rowact = R @ x
    basic = np.array(h.getBasicVariables()[1])
    newcuts = []
    fracs = [(r, int(b)) for r, b in enumerate(basic) if b >= 0 and integer[b] and 1e-6 < x[b] - math.floor(x[b]) < 1 - 1e-6]
    for (r, j) in fracs:
        st, u, nnz, idx = h.getBasisInverseRowSparse(r)
        uu = np.zeros(M); uu[idx[:nnz]] = u[idx[:nnz]]
        # identity: sum_j (u.A_j) x_j - sum_i u_i r_i = 0, r_i in [rlo_i, rup_i]
        ax = R.T @ uu
        sel = np.nonzero(uu)[0]
        # variables: n structural + len(sel) row activities
        a = np.concatenate([ax, -uu[sel]])
        xv = np.concatenate([x, rowact[sel]])
        lo = np.concatenate([collo, rlo[sel]]); up = np.concatenate([colup, rup[sel]])
        isint = np.concatenate([integer, np.zeros(len(sel), bool)])
        a[np.abs(a) < 1e-11] = 0
        for sign in (1, -1):
            res = mir(sign * a, 0.0, xv, lo, up, isint, None)
            if res is None: continue
            coef, rhs, eff, viol = res
            # expand row activities r_i = A_i x
            c = coef[:n] + R[sel].T @ coef[n:]
            c[np.abs(c) < 1e-12] = 0
            act = c @ x
            if act - rhs > 1e-5:
                newcuts.append((c, rhs, act - rhs))
    newcuts.sort(key=lambda e: -e[2] / (np.linalg.norm(e[0]) + 1e-12))
    newcuts = newcuts[:200]
    for c, rhs, v in newcuts:
        nz = np.nonzero(c)[0]
        h.addRow(-highspy.kHighsInf, rhs + 1e-9 * max(1, abs(rhs)), len(nz), nz.astype(np.int32), c[nz])
    z = solve()
    print(f"round {rnd}: {len(fracs)} fractional basics, {len(newcuts)} cuts, LP {z:.6f}, {time.time()-t:.1f}s, sizes {[len(np.nonzero(c)[0]) for c,_,_ in newcuts[:5]]}", flush=True)
