//! The count vectors of a hull-cut unit: how many of a set of classes' pairs one plan can hold
//! (maximum matchings), and every count vector within those caps (see `cuts` for the hull).

use std::collections::BTreeMap;

use super::columns::Csc;
use super::cuts::MAX_VECTORS;
use crate::model::{Model, RowKind};

/// A pair's post and candidate: (tag, index) each, as [`post_and_candidate`] gives them.
pub(super) type Ends = ((u8, usize), (u8, usize));

/// Which post and which candidate a pair column takes part in: its `PostOnce` and
/// `CandidateOnce` rows, or (no such row: the only pair of its post or candidate) the column
/// itself, kept apart by the tag.
pub(super) fn post_and_candidate(m: &Model, csc: &Csc, j: u32) -> Ends {
    let mut post = (1, j as usize);
    let mut cand = (1, j as usize);
    for i in csc.once_rows(j as usize) {
        match m.rows[i].kind {
            RowKind::PostOnce(_) => post = (0, i),
            RowKind::CandidateOnce(_) => cand = (0, i),
            _ => {}
        }
    }
    (post, cand)
}

/// The largest number of pairs of every set S of classes (bit mask) that one plan can hold: the
/// size ν(S) of a maximum matching between the posts and candidates of S's pairs (each post and
/// each candidate in at most one placement). Never above `upper` (min of distinct posts and
/// candidates), where the search stops early. Augmenting paths (Kuhn) from the side with fewer
/// vertices in S: a team's own posts when people join it, its sitting candidates when they
/// leave (national-hard's units: thousands of candidates or posts on the other side).
pub(super) fn matching_caps(
    ends: &[[u32; 2]],
    members: &[(u32, u16)],
    vertices: usize,
    classes: usize,
    upper: &[u32],
) -> Vec<u32> {
    // ends[i]: member i's post (side 0) and candidate (side 1), numbered below `vertices`.
    // adj[side][v]: (other side's vertex, class); kinds[side][v]: classes of v's pairs as a
    // bit mask.
    let mut adj: [Vec<Vec<(u32, u16)>>; 2] =
        [vec![Vec::new(); vertices], vec![Vec::new(); vertices]];
    let mut kinds: [Vec<u32>; 2] = [vec![0; vertices], vec![0; vertices]];
    for (&[p, c], &(_, k)) in ends.iter().zip(members) {
        adj[0][p as usize].push((c, k));
        adj[1][c as usize].push((p, k));
        kinds[0][p as usize] |= 1 << k;
        kinds[1][c as usize] |= 1 << k;
    }
    /// One augmenting path from v within S (`mask`); `touched` gets every vertex matched for
    /// the first time, so the next set starts clean without a pass over all of them.
    fn augment(
        v: u32,
        mask: usize,
        adj: &[Vec<(u32, u16)>],
        owner: &mut [u32],
        seen: &mut [u32],
        stamp: u32,
        touched: &mut Vec<u32>,
    ) -> bool {
        for &(w, k) in &adj[v as usize] {
            if mask >> k & 1 == 0 || seen[w as usize] == stamp {
                continue;
            }
            seen[w as usize] = stamp;
            let o = owner[w as usize];
            if o == u32::MAX || augment(o, mask, adj, owner, seen, stamp, touched) {
                if o == u32::MAX {
                    touched.push(w);
                }
                owner[w as usize] = v;
                return true;
            }
        }
        false
    }
    let mut caps = vec![0u32; 1 << classes];
    let mut owner = [vec![u32::MAX; adj[1].len()], vec![u32::MAX; adj[0].len()]];
    let mut seen = [vec![0u32; adj[1].len()], vec![0u32; adj[0].len()]];
    let mut stamp = 0u32;
    let mut from: Vec<u32> = Vec::new();
    let mut touched: Vec<u32> = Vec::new();
    // Vertices grouped by the classes of their pairs (few distinct sets), in vertex order.
    let groups: [Vec<(u32, Vec<u32>)>; 2] = [0, 1].map(|side| {
        let mut g: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for (v, &kv) in kinds[side].iter().enumerate() {
            g.entry(kv).or_default().push(v as u32);
        }
        g.into_iter().collect()
    });
    for mask in 1..1usize << classes {
        // The vertices with a pair in S, on the smaller side.
        let count = |side: usize| -> usize {
            groups[side]
                .iter()
                .filter(|(kv, _)| *kv as usize & mask != 0)
                .map(|(_, vs)| vs.len())
                .sum()
        };
        let side = if count(0) <= count(1) { 0 } else { 1 };
        from.clear();
        for (kv, vs) in &groups[side] {
            if *kv as usize & mask != 0 {
                from.extend_from_slice(vs);
            }
        }
        let mut size = 0u32;
        for &v in &from {
            if size >= upper[mask] {
                break;
            }
            stamp += 1;
            let (owner, seen) = (&mut owner[side], &mut seen[side]);
            if augment(v, mask, &adj[side], owner, seen, stamp, &mut touched) {
                size += 1;
            }
        }
        caps[mask] = size;
        for w in touched.drain(..) {
            owner[side][w as usize] = u32::MAX;
        }
    }
    caps
}

/// Every count vector within the caps of every set of classes, in lexicographic order and
/// flattened; `None` when there are more than [`MAX_VECTORS`].
///
/// Depth-first over the classes, class 0 outermost. `partial[S]` holds `Σ_{i∈S} v_i` for every
/// set S of the classes fixed so far, so the largest count class k can take is one minimum,
/// `min_{S ⊆ {0..k−1}} cap[S ∪ {k}] − partial[S]`, and fixing it fills the sums of the sets
/// with class k: `O(2^k)` a count instead of `O(k·2^k)` a count tried (session 23: this
/// enumeration was 12% of province-hard's samples during the cut rounds, where refined units
/// with up to 12 classes are enumerated afresh).
pub(super) fn enumerate(classes: usize, cap: &[u32]) -> Option<Vec<u32>> {
    fn go(
        k: usize,
        v: &mut [u32],
        partial: &mut [u32],
        cap: &[u32],
        out: &mut Vec<u32>,
        classes: usize,
    ) -> bool {
        if k == classes {
            if out.len() / classes >= MAX_VECTORS {
                return false;
            }
            out.extend_from_slice(v);
            return true;
        }
        let high = 1usize << k;
        // The largest n with partial[rest] + n <= cap[rest | high] for every rest (none when
        // some set is already over its cap).
        let mut most = i64::MAX;
        for rest in 0..high {
            most = most.min(i64::from(cap[rest | high]) - i64::from(partial[rest]));
        }
        for n in 0..=most.max(-1) {
            let n = n as u32;
            v[k] = n;
            for rest in 0..high {
                partial[rest | high] = partial[rest] + n;
            }
            if !go(k + 1, v, partial, cap, out, classes) {
                return false;
            }
        }
        v[k] = 0;
        true
    }
    let mut out = Vec::new();
    let mut v = vec![0u32; classes];
    let mut partial = vec![0u32; 1 << classes];
    go(0, &mut v, &mut partial, cap, &mut out, classes).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The enumeration before session 23, kept as the oracle: every set checked by summing
    /// its counts afresh at every count tried.
    fn enumerate_by_sums(classes: usize, cap: &[u32]) -> Option<Vec<u32>> {
        fn go(k: usize, v: &mut Vec<u32>, cap: &[u32], out: &mut Vec<u32>, classes: usize) -> bool {
            if k == classes {
                if out.len() / classes >= MAX_VECTORS {
                    return false;
                }
                out.extend_from_slice(v);
                return true;
            }
            let high = 1usize << k;
            for n in 0..=cap[high] {
                v[k] = n;
                let fits = (0..high).all(|rest| {
                    let mask = rest | high;
                    (0..=k)
                        .filter(|i| mask >> i & 1 == 1)
                        .map(|i| v[i])
                        .sum::<u32>()
                        <= cap[mask]
                });
                if !fits {
                    break;
                }
                if !go(k + 1, v, cap, out, classes) {
                    return false;
                }
            }
            v[k] = 0;
            true
        }
        let mut out = Vec::new();
        let mut v = vec![0u32; classes];
        go(0, &mut v, cap, &mut out, classes).then_some(out)
    }

    /// Caps as matchings give them (monotone under set inclusion), and arbitrary ones (not
    /// monotone, some sets over their cap from the start), from 1 to 7 classes: the same
    /// vectors in the same order, or `None` alike past [`MAX_VECTORS`].
    #[test]
    fn incremental_sums_enumerate_what_summing_afresh_does() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound) as u32
        };
        let mut nonempty = 0;
        for case in 0..600 {
            let classes = 1 + case % 7;
            let monotone = case % 2 == 0;
            let mut cap = vec![0u32; 1 << classes];
            for mask in 1..1usize << classes {
                cap[mask] = if monotone {
                    // The largest cap of a subset, plus a little.
                    let most = (0..classes)
                        .filter(|i| mask >> i & 1 == 1)
                        .map(|i| cap[mask & !(1 << i)])
                        .max()
                        .unwrap_or(0);
                    most + next(3)
                } else {
                    next(6)
                };
            }
            let (got, want) = (enumerate(classes, &cap), enumerate_by_sums(classes, &cap));
            assert_eq!(got, want, "classes {classes}, caps {cap:?}");
            if got.is_some_and(|v| v.len() > classes) {
                nonempty += 1;
            }
        }
        assert!(
            nonempty > 200,
            "too few cases with more than the zero vector: {nonempty}"
        );
    }

    /// Past the limit both give up.
    #[test]
    fn too_many_vectors_is_none() {
        let classes = 6;
        let cap = vec![20u32; 1 << classes];
        assert!(enumerate(classes, &cap).is_none());
    }
}
