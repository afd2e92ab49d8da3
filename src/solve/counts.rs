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
    for (i, _) in csc.column(j as usize) {
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
pub(super) fn enumerate(classes: usize, cap: &[u32]) -> Option<Vec<u32>> {
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
            // Every set containing class k and classes before it only.
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
