//! Clustering of verified links without chaining: union-find where two clusters merge only when
//! enough of their members are linked, so one weak link cannot join two unrelated stories.

use crate::num;

/// A verified link between two articles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Link {
    /// One article.
    pub a: u32,
    /// The other article.
    pub b: u32,
    /// Strength of the evidence (higher first).
    pub score: f32,
}

/// The root of `x` in the union-find forest `parent`, halving the path on the way.
fn root(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[x as usize];
        parent[x as usize] = parent[p as usize];
        x = p;
    }
    x
}

/// Each article's copy class: articles joined by `pairs` (copies of one text) share one
/// root. Empty when there are no pairs.
fn copy_classes(n: usize, pairs: &[(u32, u32)]) -> Vec<u32> {
    if pairs.is_empty() {
        return Vec::new();
    }
    let mut class: Vec<u32> = (0..num::u32_of(n)).collect();
    for &(a, b) in pairs {
        let (ra, rb) = (root(&mut class, a), root(&mut class, b));
        class[ra as usize] = rb;
    }
    for i in 0..num::u32_of(n) {
        class[i as usize] = root(&mut class, i);
    }
    class
}

/// Union-find over article indices with member lists.
struct Clusters {
    parent: Vec<u32>,
    members: Vec<Vec<u32>>,
}

impl Clusters {
    fn new(n: usize) -> Self {
        Clusters {
            parent: (0..num::u32_of(n)).collect(),
            members: (0..num::u32_of(n)).map(|i| vec![i]).collect(),
        }
    }

    fn find(&mut self, x: u32) -> u32 {
        root(&mut self.parent, x)
    }

    fn union(&mut self, a: u32, b: u32) {
        let (big, small) = if self.members[a as usize].len() >= self.members[b as usize].len() {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[small as usize] = big;
        let moved = std::mem::take(&mut self.members[small as usize]);
        self.members[big as usize].extend(moved);
    }
}

/// Groups `n` articles by `links`: strongest links first; two clusters merge when the links
/// between them number at least `link_fraction` of all the pairs across them (average
/// linkage), so an article linked to one member of a large cluster does not join it, and a
/// long article that contains several short ones (a round-up) does not chain them together.
/// Articles joined by `copy_pairs` (the same text sent twice) count as one member there: a
/// version linked to one copy is linked to the text both carry.
/// Returns the clusters (each sorted, in order of their smallest member).
/// Pairs in `forced` are joined first, whatever the links say.
pub(crate) fn cluster(
    n: usize,
    links: &[Link],
    forced: &[(u32, u32)],
    copy_pairs: &[(u32, u32)],
    link_fraction: f32,
) -> Vec<Vec<u32>> {
    let copies = copy_classes(n, copy_pairs);
    let class = |m: u32| copies.get(m as usize).copied().unwrap_or(m);
    let mut adjacency: Vec<Vec<u32>> = vec![Vec::new(); n];
    for l in links {
        adjacency[l.a as usize].push(l.b);
        adjacency[l.b as usize].push(l.a);
    }
    let mut order: Vec<&Link> = links.iter().collect();
    order.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    let mut c = Clusters::new(n);
    for &(a, b) in forced {
        let (ra, rb) = (c.find(a), c.find(b));
        if ra != rb {
            c.union(ra, rb);
        }
    }
    for l in order {
        let (ra, rb) = (c.find(l.a), c.find(l.b));
        if ra == rb {
            continue;
        }
        let (small, big) = if c.members[ra as usize].len() <= c.members[rb as usize].len() {
            (ra, rb)
        } else {
            (rb, ra)
        };
        // Two counts of the same links: between members, and between texts (copies of one
        // text counted once); the clusters merge when either reaches the fraction.
        let texts = |members: &[u32]| {
            let mut t: Vec<u32> = members.iter().map(|&m| class(m)).collect();
            t.sort_unstable();
            t.dedup();
            t.len()
        };
        let need_of = |across: usize| {
            num::usize_of(f64::from((num::f32_of(across) * link_fraction).ceil())).max(1)
        };
        let members_across = c.members[small as usize].len() * c.members[big as usize].len();
        let need = need_of(members_across);
        let mut joined = need <= 1;
        if !joined {
            let mut linked: Vec<(u32, u32)> = Vec::new();
            let small_members = c.members[small as usize].clone();
            for m in small_members {
                for &other in &adjacency[m as usize] {
                    if c.find(other) == big {
                        linked.push((class(m), class(other)));
                    }
                }
            }
            joined = linked.len() >= need;
            if !joined && !copies.is_empty() {
                let text_need =
                    need_of(texts(&c.members[small as usize]) * texts(&c.members[big as usize]));
                linked.sort_unstable();
                linked.dedup();
                joined = linked.len() >= text_need;
            }
        }
        if joined {
            c.union(ra, rb);
        }
    }
    let mut out: Vec<Vec<u32>> = c
        .members
        .into_iter()
        .filter(|m| !m.is_empty())
        .map(|mut m| {
            m.sort_unstable();
            m
        })
        .collect();
    out.sort_unstable_by_key(|m| m[0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(a: u32, b: u32, score: f32) -> Link {
        Link { a, b, score }
    }

    #[test]
    fn linked_articles_form_one_cluster_and_the_rest_stay_alone() {
        let c = cluster(5, &[link(0, 2, 0.9), link(2, 4, 0.8)], &[], &[], 0.5);
        assert_eq!(c, vec![vec![0, 2, 4], vec![1], vec![3]]);
    }

    #[test]
    fn one_weak_link_does_not_chain_two_stories() {
        // Story {0,1,2} and story {3,4,5}, all linked inside; one wrong link 2–3.
        let mut links = vec![];
        for (a, b) in [(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5)] {
            links.push(link(a, b, 0.9));
        }
        links.push(link(2, 3, 0.3));
        let c = cluster(6, &links, &[], &[], 0.5);
        assert_eq!(c, vec![vec![0, 1, 2], vec![3, 4, 5]]);
    }

    #[test]
    fn short_items_contained_in_a_round_up_are_not_chained() {
        // 0 is a round-up containing 1, 2, 3, which are unrelated to each other.
        let links = vec![link(0, 1, 0.9), link(0, 2, 0.9), link(0, 3, 0.9)];
        let c = cluster(4, &links, &[], &[], 0.6);
        assert_eq!(c.len(), 3, "{c:?}");
        assert_eq!(c[0], vec![0, 1]);
    }

    #[test]
    fn a_version_linked_to_half_a_story_joins_it() {
        let links = vec![
            link(0, 1, 0.9),
            link(0, 2, 0.9),
            link(1, 2, 0.9),
            link(3, 0, 0.4),
            link(3, 1, 0.4),
        ];
        assert_eq!(cluster(4, &links, &[], &[], 0.5), vec![vec![0, 1, 2, 3]]);
    }

    #[test]
    fn a_version_linked_to_one_of_two_copies_joins_them() {
        // 0 and 1 are the same text sent twice (days apart); 2 is a shorter take linked to 1
        // only (too far in time from 0 for a link of its own).
        let links = vec![link(0, 1, 1.0), link(1, 2, 0.9)];
        assert_eq!(cluster(3, &links, &[], &[], 0.6), vec![vec![0, 1], vec![2]]);
        assert_eq!(cluster(3, &links, &[], &[(0, 1)], 0.6), vec![vec![0, 1, 2]]);
        // Two different texts in the story (0 and 1 not copies): linked to one of them is not
        // enough.
        assert_eq!(cluster(3, &links, &[], &[], 0.6), vec![vec![0, 1], vec![2]]);
    }
}
