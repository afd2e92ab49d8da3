//! Maximum bipartite matchings (people to posts, or posts to people) and Hall violators: the
//! exact "how many at once" behind the supply check's bounds. Iterative, so no input can overflow
//! the stack.

/// No mate.
pub(super) const NONE: u32 = u32::MAX;

/// A maximum bipartite matching: `left[u]` / `right[v]` is the mate or `NONE`.
pub(super) struct Matching {
    pub size: usize,
    pub left: Vec<u32>,
    pub right: Vec<u32>,
}

/// Maximum matching of left vertices (adjacency lists into `0..n_right`). When the lists are
/// short next to `n_right` (a team's few posts among many candidates), right vertices are first
/// renumbered densely so that the work stays proportional to the edges.
pub(super) fn max_matching(adj: &[Vec<u32>], n_right: usize) -> Matching {
    let edges: usize = adj.iter().map(Vec::len).sum();
    if edges.saturating_mul(4) >= n_right {
        return matching_dense(adj, n_right);
    }
    let mut ids: Vec<u32> = adj.iter().flatten().copied().collect();
    ids.sort_unstable();
    ids.dedup();
    let local: Vec<Vec<u32>> = adj
        .iter()
        .map(|l| {
            l.iter()
                .map(|v| ids.binary_search(v).unwrap_or(0) as u32)
                .collect()
        })
        .collect();
    let m = matching_dense(&local, ids.len());
    let mut right = vec![NONE; n_right];
    for (i, &u) in m.right.iter().enumerate() {
        right[ids[i] as usize] = u;
    }
    let left = m
        .left
        .iter()
        .map(|&v| if v == NONE { NONE } else { ids[v as usize] })
        .collect();
    Matching {
        size: m.size,
        left,
        right,
    }
}

/// Maximum matching by augmenting paths found breadth first (no recursion, so no depth limit),
/// after a greedy start. Each left vertex is tried once: one that cannot be augmented now never
/// can be later.
fn matching_dense(adj: &[Vec<u32>], n_right: usize) -> Matching {
    let mut left = vec![NONE; adj.len()];
    let mut right = vec![NONE; n_right];
    let mut size = 0;
    for (u, edges) in adj.iter().enumerate() {
        if let Some(&v) = edges.iter().find(|&&v| right[v as usize] == NONE) {
            left[u] = v;
            right[v as usize] = u as u32;
            size += 1;
        }
    }
    let mut seen = vec![0u32; n_right];
    let mut from = vec![NONE; n_right];
    let mut queue: Vec<u32> = Vec::new();
    for root in 0..adj.len() {
        if left[root] != NONE {
            continue;
        }
        let stamp = root as u32 + 1;
        queue.clear();
        queue.push(root as u32);
        let mut head = 0;
        'search: while head < queue.len() {
            let x = queue[head] as usize;
            head += 1;
            for &v in &adj[x] {
                let v = v as usize;
                if seen[v] == stamp {
                    continue;
                }
                seen[v] = stamp;
                from[v] = x as u32;
                if right[v] == NONE {
                    // Flip the path back to the root.
                    let mut v = v;
                    loop {
                        let x = from[v] as usize;
                        let previous = left[x];
                        left[x] = v as u32;
                        right[v] = x as u32;
                        if previous == NONE {
                            break;
                        }
                        v = previous as usize;
                    }
                    size += 1;
                    break 'search;
                }
                queue.push(right[v]);
            }
        }
    }
    Matching { size, left, right }
}

/// After a maximum matching: the left vertices reachable by alternating paths from unmatched
/// ones, and their neighbours. Every neighbour is matched inside the set, so the set has exactly
/// (unmatched) more vertices than neighbours: a violation of Hall's condition.
pub(super) fn hall_violator(adj: &[Vec<u32>], m: &Matching) -> (Vec<usize>, Vec<usize>) {
    let mut in_s = vec![false; adj.len()];
    let mut in_n = vec![false; m.right.len()];
    let mut queue: Vec<usize> = (0..adj.len()).filter(|&u| m.left[u] == NONE).collect();
    for &u in &queue {
        in_s[u] = true;
    }
    let mut head = 0;
    while head < queue.len() {
        let x = queue[head];
        head += 1;
        for &v in &adj[x] {
            let v = v as usize;
            if !in_n[v] {
                in_n[v] = true;
                let mate = m.right[v] as usize;
                if m.right[v] != NONE && !in_s[mate] {
                    in_s[mate] = true;
                    queue.push(mate);
                }
            }
        }
    }
    let set = |flags: Vec<bool>| {
        flags
            .iter()
            .enumerate()
            .filter(|(_, &f)| f)
            .map(|(i, _)| i)
            .collect()
    };
    (set(in_s), set(in_n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The largest matching by trying every assignment (left vertices in order).
    fn brute(adj: &[Vec<u32>], used: &mut Vec<bool>, u: usize) -> usize {
        if u == adj.len() {
            return 0;
        }
        let mut best = brute(adj, used, u + 1);
        for &v in &adj[u] {
            if !used[v as usize] {
                used[v as usize] = true;
                best = best.max(1 + brute(adj, used, u + 1));
                used[v as usize] = false;
            }
        }
        best
    }

    #[test]
    fn matchings_are_maximum_and_hall_sets_are_violators() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..3000 {
            let n_left = rng.gen_range(0..7);
            // A wide right side sometimes, so that the renumbered path runs too.
            let n_right = if rng.gen_bool(0.3) {
                60
            } else {
                rng.gen_range(1..7)
            };
            let density = rng.gen_range(0.05..0.8);
            let adj: Vec<Vec<u32>> = (0..n_left)
                .map(|_| {
                    (0..n_right as u32)
                        .filter(|_| {
                            rng.gen_bool(if n_right > 10 {
                                density / 10.0
                            } else {
                                density
                            })
                        })
                        .collect()
                })
                .collect();
            let m = max_matching(&adj, n_right);
            assert_eq!(m.size, brute(&adj, &mut vec![false; n_right], 0), "{adj:?}");
            // The matching is consistent and uses edges only.
            let mut size = 0;
            for (u, &v) in m.left.iter().enumerate() {
                if v != NONE {
                    size += 1;
                    assert!(adj[u].contains(&v));
                    assert_eq!(m.right[v as usize], u as u32);
                }
            }
            assert_eq!(size, m.size);
            let (set, neighbours) = hall_violator(&adj, &m);
            assert_eq!(set.len() - neighbours.len(), n_left - m.size);
            let mut all: Vec<usize> = set
                .iter()
                .flat_map(|&u| adj[u].iter().map(|&v| v as usize))
                .collect();
            all.sort_unstable();
            all.dedup();
            assert_eq!(all, neighbours);
        }
    }
}
