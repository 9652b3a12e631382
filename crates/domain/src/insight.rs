//! School and trust insight without exposing anyone: which groups' numbers may
//! be shown for a component, so that no person's level can be recovered from
//! any view or any pair of views.
//!
//! A group is a *population*: the people who match a school, a team and a role
//! (each possibly "any"). Every heatmap cell, filter and drill-down is one
//! population's distribution of levels for one component. A population is
//! released only when
//!
//! 1. it has at least the threshold of people (default 5) with a judgement that
//!    counts for the component;
//! 2. for every other released population nested in it or around it, the
//!    difference is empty or at least the threshold (so subtracting one view
//!    from another never isolates fewer people than the threshold);
//! 3. for every way of splitting a released population by one more attribute
//!    (a school into its teams, the trust into schools or roles), the people in
//!    no released part are none or at least the threshold (so subtracting the
//!    shown parts from the whole does not isolate anyone either).
//!
//! Populations failing a rule are suppressed, smallest first, until every rule
//! holds ([`release`]); suppressing only ever shrinks what is shown, so this ends.

use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeSet, HashMap};

/// The fewest people a shown number may describe. A trust administrator may
/// raise it, never lower it below [`Threshold::MIN`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Threshold(u32);

impl Threshold {
    pub const MIN: u32 = 5;

    pub fn new(value: u32) -> Result<Self, crate::ValidationError> {
        if value < Self::MIN {
            return Err(crate::ValidationError::new(
                "threshold",
                format!(
                    "The threshold can be raised, never set below {}.",
                    Self::MIN
                ),
            ));
        }
        Ok(Self(value))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for Threshold {
    fn default() -> Self {
        Self(Self::MIN)
    }
}

/// Who a person is for grouping: their school, team and role, as opaque ids
/// (0 for none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Attributes {
    pub school: i64,
    pub team: i64,
    pub role: i64,
}

/// A population: each attribute either a value or "any".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Population {
    pub school: Option<i64>,
    pub team: Option<i64>,
    pub role: Option<i64>,
}

impl Population {
    /// Everyone.
    pub const ALL: Population = Population {
        school: None,
        team: None,
        role: None,
    };

    pub fn contains(&self, person: &Attributes) -> bool {
        self.school.is_none_or(|s| s == person.school)
            && self.team.is_none_or(|t| t == person.team)
            && self.role.is_none_or(|r| r == person.role)
    }

    /// Whether every person `other` can contain is in `self` too.
    pub fn includes(&self, other: &Population) -> bool {
        fn wider(a: Option<i64>, b: Option<i64>) -> bool {
            match (a, b) {
                (None, _) => true,
                (Some(x), Some(y)) => x == y,
                (Some(_), None) => false,
            }
        }
        wider(self.school, other.school)
            && wider(self.team, other.team)
            && wider(self.role, other.role)
    }
}

/// What every member of a population has in common on an attribute it leaves open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shared {
    One(i64),
    Mixed,
}

/// A population of the lattice: how many people are in it and, for each
/// attribute it leaves open, whether its members happen to share one value.
#[derive(Debug, Clone, Copy)]
struct Members {
    size: u32,
    shared: [Option<Shared>; 3],
}

impl Members {
    /// The narrowest population with exactly these members: this one with every
    /// open attribute its members all share fixed. Two populations with the same
    /// members (a team and that team within its school) are one group of people,
    /// and a population is nested in every population wider than its closure
    /// (a team inside its school), whatever the attributes say.
    fn closure(&self, population: &Population) -> Population {
        let mut values = population.attributes();
        for (value, shared) in values.iter_mut().zip(self.shared) {
            if let (None, Some(Shared::One(v))) = (*value, shared) {
                *value = Some(v);
            }
        }
        Population::from_attributes(values)
    }
}

/// Every population the people's attributes make (each attribute a value some
/// person has, or any), with how many of `counted` people are in it and what
/// they share. People with the same attributes are counted together first, so
/// the work grows with the number of distinct (school, team, role)
/// combinations, not of people.
fn lattice(counted: &[(Attributes, u32)]) -> FxHashMap<Population, Members> {
    let mut same: FxHashMap<Attributes, u32> = FxHashMap::default();
    for (person, n) in counted {
        if *n > 0 {
            *same.entry(*person).or_default() += n;
        }
    }
    let mut lattice: FxHashMap<Population, Members> =
        FxHashMap::with_capacity_and_hasher(same.len() * 8, Default::default());
    for (person, n) in same {
        let values = [person.school, person.team, person.role];
        for school in [None, Some(person.school)] {
            for team in [None, Some(person.team)] {
                for role in [None, Some(person.role)] {
                    let population = Population { school, team, role };
                    let open = population.attributes().map(|v| v.is_none());
                    let members = lattice.entry(population).or_insert(Members {
                        size: 0,
                        shared: [0, 1, 2].map(|i| open[i].then_some(Shared::One(values[i]))),
                    });
                    members.size += n;
                    for i in 0..3 {
                        if members.shared[i] != Some(Shared::One(values[i])) && open[i] {
                            members.shared[i] = Some(Shared::Mixed);
                        }
                    }
                }
            }
        }
    }
    lattice
}

impl Population {
    fn attributes(&self) -> [Option<i64>; 3] {
        [self.school, self.team, self.role]
    }

    fn from_attributes(values: [Option<i64>; 3]) -> Self {
        Population {
            school: values[0],
            team: values[1],
            role: values[2],
        }
    }

    /// Every wider population: this one with any non-empty set of its fixed
    /// attributes opened (at most seven).
    fn ancestors(&self) -> impl Iterator<Item = Population> + '_ {
        let values = self.attributes();
        (1u8..8).filter_map(move |mask| {
            let mut wider = values;
            for (i, value) in wider.iter_mut().enumerate() {
                if mask & (1 << i) != 0 {
                    if value.is_none() {
                        return None;
                    }
                    *value = None;
                }
            }
            Some(Population::from_attributes(wider))
        })
    }
}

/// The populations whose numbers may be shown, for the people who count for one
/// component (their attributes, one entry per person).
///
/// Each round checks every shown population against its wider shown ones (rule
/// 2, at most seven each) and, if none fails, every shown split (rule 3), and
/// withholds every failing population at once; rounds repeat until none fails.
/// Withholding more at once can only show less, never more.
pub fn release(counted: &[Attributes], threshold: Threshold) -> BTreeSet<Population> {
    let weighted: Vec<(Attributes, u32)> = counted.iter().map(|who| (*who, 1)).collect();
    release_weighted(&weighted, threshold)
}

/// [`release`] for people already counted together: each entry is a set of
/// attributes and how many people have them (the storage layer counts them in
/// SQL, so the work grows with the attribute combinations, not with people).
pub fn release_weighted(
    counted: &[(Attributes, u32)],
    threshold: Threshold,
) -> BTreeSet<Population> {
    let k = threshold.get();
    let lattice = lattice(counted);
    let size = |p: &Population| lattice.get(p).map_or(0, |m| m.size);
    let closure = |p: &Population| lattice.get(p).map_or(*p, |m| m.closure(p));
    // Populations with the same members stand or fall together: showing one
    // and withholding the other would show what was withheld.
    let mut same_members: FxHashMap<Population, Vec<Population>> = FxHashMap::default();
    for (population, members) in lattice.iter().filter(|(_, m)| m.size >= k) {
        let narrowest = members.closure(population);
        if narrowest != *population {
            same_members.entry(narrowest).or_default().push(*population);
        }
    }
    // A hash set while working (every round looks populations up many times);
    // each round's outcome does not depend on the order it is visited in.
    let mut released: FxHashSet<Population> = lattice
        .iter()
        .filter(|(_, m)| m.size >= k)
        .map(|(p, _)| *p)
        .collect();
    let isolates = |difference: u32| difference > 0 && difference < k;
    loop {
        let mut suppress: Vec<Population> = Vec::new();
        // Rule 2: nested pairs, nested by who is in them (a team lies inside
        // its school even though "this team" names no school).
        for inner in &released {
            let narrowest = closure(inner);
            if narrowest
                .ancestors()
                .chain((narrowest != *inner).then_some(narrowest))
                .any(|outer| released.contains(&outer) && isolates(size(&outer) - size(inner)))
            {
                suppress.push(*inner);
            }
        }
        // Rule 3: a population split by one more attribute.
        if suppress.is_empty() {
            // (whole, attribute) -> (people in shown parts, the smallest shown part)
            let mut splits: FxHashMap<(Population, usize), (u32, (u32, Population))> =
                FxHashMap::default();
            for part in &released {
                let values = part.attributes();
                for attribute in 0..3 {
                    if values[attribute].is_none() {
                        continue;
                    }
                    let mut whole = values;
                    whole[attribute] = None;
                    let whole = Population::from_attributes(whole);
                    if !released.contains(&whole) {
                        continue;
                    }
                    let entry = splits
                        .entry((whole, attribute))
                        .or_insert((0, (u32::MAX, *part)));
                    entry.0 += size(part);
                    entry.1 = entry.1.min((size(part), *part));
                }
            }
            for ((whole, _), (shown, (_, smallest))) in splits {
                if isolates(size(&whole) - shown) {
                    // The smallest shown part joins the rest.
                    suppress.push(smallest);
                }
            }
        }
        if suppress.is_empty() {
            return released.into_iter().collect();
        }
        for population in suppress {
            let narrowest = closure(&population);
            released.remove(&narrowest);
            for same in same_members.get(&narrowest).into_iter().flatten() {
                released.remove(same);
            }
        }
    }
}

/// Whether `population` is among [`release_weighted`]'s populations, without
/// working out all of them when the answer is plain: everyone together is
/// never withheld for a rule (it is wider than every other population, so
/// never the inner one of a pair, and never a part of a split), only for
/// having fewer people than the threshold. A test checks it against the whole
/// release.
pub fn is_released(
    counted: &[(Attributes, u32)],
    threshold: Threshold,
    population: &Population,
) -> bool {
    if *population == Population::ALL {
        let everyone: u64 = counted.iter().map(|(_, n)| u64::from(*n)).sum();
        return everyone >= u64::from(threshold.get());
    }
    release_weighted(counted, threshold).contains(population)
}

/// Whether `part` is `whole` narrowed by exactly one attribute (0 school, 1
/// team, 2 role) that `whole` leaves open (the tests check rule 3 with it).
#[cfg(test)]
fn is_split_of(whole: &Population, part: &Population, attribute: usize) -> bool {
    let (w, p) = (
        [whole.school, whole.team, whole.role],
        [part.school, part.team, part.role],
    );
    w[attribute].is_none()
        && p[attribute].is_some()
        && (0..3).all(|i| i == attribute || w[i] == p[i])
}

/// One person's judgement of one component, for counting: their attributes and
/// their level's rank on the scale (`None` for "not yet"); "not in my role" and
/// no judgement are left out before this point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub who: Attributes,
    pub rank: Option<usize>,
}

/// A population's distribution for one component: how many at "not yet" and at
/// each level (lowest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    pub people: u32,
    pub not_yet: u32,
    pub per_level: Vec<u32>,
}

/// What a cell shows: the numbers, or that they are withheld.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Shown(Distribution),
    /// Fewer people than the threshold, or shown numbers would let someone
    /// work out fewer than that by subtraction.
    Suppressed,
}

/// The cells for `populations` on one component, each shown only if released.
pub fn cells(
    judgements: &[Counted],
    levels: usize,
    populations: &[Population],
    threshold: Threshold,
) -> Vec<Cell> {
    let counted: Vec<Attributes> = judgements.iter().map(|j| j.who).collect();
    let released = release(&counted, threshold);
    populations
        .iter()
        .map(|population| {
            if !released.contains(population) {
                return Cell::Suppressed;
            }
            let mut distribution = Distribution {
                people: 0,
                not_yet: 0,
                per_level: vec![0; levels],
            };
            for judgement in judgements.iter().filter(|j| population.contains(&j.who)) {
                distribution.people += 1;
                match judgement.rank {
                    None => distribution.not_yet += 1,
                    Some(rank) if rank < levels => distribution.per_level[rank] += 1,
                    Some(_) => {}
                }
            }
            Cell::Shown(distribution)
        })
        .collect()
}

/// How many people with the same attributes made the same judgement of one
/// component (`rank` as in [`Counted`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub who: Attributes,
    pub rank: Option<usize>,
    pub people: u32,
}

/// Every population that may be shown for one component, with its
/// distribution: what the storage layer keeps precomputed, so that a heatmap
/// reads a few rows instead of counting every judgement. The same numbers as
/// [`cells`] gives for each released population (a test checks it).
pub fn released_cells(
    tallies: &[Tally],
    levels: usize,
    threshold: Threshold,
) -> Vec<(Population, Distribution)> {
    let weighted: Vec<(Attributes, u32)> = tallies.iter().map(|t| (t.who, t.people)).collect();
    let released = release_weighted(&weighted, threshold);
    let mut out: HashMap<Population, Distribution> = released
        .into_iter()
        .map(|p| {
            (
                p,
                Distribution {
                    people: 0,
                    not_yet: 0,
                    per_level: vec![0; levels],
                },
            )
        })
        .collect();
    for tally in tallies {
        for school in [None, Some(tally.who.school)] {
            for team in [None, Some(tally.who.team)] {
                for role in [None, Some(tally.who.role)] {
                    if let Some(d) = out.get_mut(&Population { school, team, role }) {
                        d.people += tally.people;
                        match tally.rank {
                            None => d.not_yet += tally.people,
                            Some(rank) if rank < levels => d.per_level[rank] += tally.people,
                            Some(_) => {}
                        }
                    }
                }
            }
        }
    }
    let mut cells: Vec<(Population, Distribution)> = out.into_iter().collect();
    cells.sort_by_key(|(p, _)| *p);
    cells
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn person(school: i64, team: i64, role: i64) -> Attributes {
        Attributes { school, team, role }
    }

    fn school(s: i64) -> Population {
        Population {
            school: Some(s),
            team: None,
            role: None,
        }
    }

    #[test]
    fn the_threshold_can_be_raised_but_never_lowered() {
        assert!(Threshold::new(4).is_err());
        assert_eq!(Threshold::new(7).unwrap().get(), 7);
        assert_eq!(Threshold::default().get(), 5);
    }

    #[test]
    fn a_small_school_is_suppressed_and_so_is_the_next_smallest_so_the_trust_total_gives_nothing_away()
     {
        // School 1: 6 people; school 2: 7; school 3: 2.
        let mut people = Vec::new();
        people.extend((0..6).map(|_| person(1, 0, 1)));
        people.extend((0..7).map(|_| person(2, 0, 1)));
        people.extend((0..2).map(|_| person(3, 0, 1)));
        let released = release(&people, Threshold::default());
        assert!(released.contains(&Population::ALL));
        assert!(!released.contains(&school(3)), "2 people");
        // Trust minus schools 1 and 2 would be school 3's two people: one more
        // school is withheld, the smaller.
        assert!(!released.contains(&school(1)));
        assert!(released.contains(&school(2)));
    }

    #[test]
    fn a_team_is_nested_in_its_school_though_it_names_no_school() {
        // School 1: 17 people in team 11 and 3 in no team; school 2: 8 in no team.
        let mut people = Vec::new();
        people.extend((0..17).map(|_| person(1, 11, 1)));
        people.extend((0..3).map(|_| person(1, 0, 1)));
        people.extend((0..8).map(|_| person(2, 0, 1)));
        let released = release(&people, Threshold::default());
        let team = Population {
            school: None,
            team: Some(11),
            role: None,
        };
        // School 1 minus team 11 would be the three people with no team.
        assert!(
            !(released.contains(&school(1)) && released.contains(&team)),
            "{released:?}"
        );
        // "Team 11" and "team 11 in school 1" are the same people: both or neither.
        let in_school = Population {
            school: Some(1),
            ..team
        };
        assert_eq!(released.contains(&team), released.contains(&in_school));
    }

    #[test]
    fn shown_numbers_count_levels_and_not_yet() {
        let judgements: Vec<Counted> = (0..6)
            .map(|i| Counted {
                who: person(1, 0, 1),
                rank: if i == 0 { None } else { Some(i % 3) },
            })
            .collect();
        let cells = cells(
            &judgements,
            3,
            &[Population::ALL, school(9)],
            Threshold::default(),
        );
        assert_eq!(
            cells[0],
            Cell::Shown(Distribution {
                people: 6,
                not_yet: 1,
                per_level: vec![1, 2, 2],
            })
        );
        assert_eq!(cells[1], Cell::Suppressed);
    }

    fn people() -> impl Strategy<Value = Vec<Attributes>> {
        proptest::collection::vec(
            // Teams belong to one school; "no team" (0) is found in every school.
            (1i64..4, 0i64..3, 1i64..4)
                .prop_map(|(s, t, r)| person(s, if t == 0 { 0 } else { s * 10 + t }, r)),
            0..60,
        )
    }

    /// Every population some person is in.
    fn people_populations(people: &[Attributes]) -> BTreeSet<Population> {
        let weighted: Vec<(Attributes, u32)> = people.iter().map(|a| (*a, 1)).collect();
        lattice(&weighted).into_keys().collect()
    }

    proptest! {
        /// No released population has fewer people than the threshold, no two
        /// nested released populations differ by fewer, and no released
        /// population split by one more attribute leaves fewer unshown.
        #[test]
        fn no_view_or_pair_of_views_isolates_fewer_than_the_threshold(people in people(), k in 5u32..8) {
            let threshold = Threshold::new(k).unwrap();
            let released = release(&people, threshold);
            let size = |p: &Population| people.iter().filter(|a| p.contains(a)).count() as u32;
            let members = |p: &Population| -> BTreeSet<usize> {
                people.iter().enumerate().filter(|(_, a)| p.contains(a)).map(|(i, _)| i).collect()
            };
            for p in &released {
                prop_assert!(size(p) >= k);
                for q in &released {
                    // Nested by who is in them, not only by what they name.
                    if p != q && members(q).is_subset(&members(p)) {
                        let difference = size(p) - size(q);
                        prop_assert!(difference == 0 || difference >= k, "{p:?} - {q:?} = {difference}");
                    }
                }
                for q in people_populations(&people) {
                    if members(&q) == members(p) {
                        prop_assert!(released.contains(&q), "{p:?} shown, {q:?} (the same people) withheld");
                    }
                }
                for attribute in 0..3 {
                    let shown: u32 = released.iter().filter(|q| is_split_of(p, q, attribute)).map(size).sum();
                    let rest = size(p) - shown;
                    prop_assert!(shown == 0 || rest == 0 || rest >= k, "{p:?} by {attribute}: {rest} unshown");
                }
            }
        }

        /// Changing one person's level changes no shown cell by a count that
        /// pins down that person: every shown population holding them holds at
        /// least the threshold, so their level is one of at least k.
        #[test]
        fn precomputed_cells_are_exactly_the_released_cells(people in people(), ranks in proptest::collection::vec(proptest::option::of(0usize..3), 1..60)) {
            let threshold = Threshold::default();
            let judgements: Vec<Counted> = people
                .iter()
                .zip(ranks.iter().cycle())
                .map(|(who, rank)| Counted { who: *who, rank: *rank })
                .collect();
            let mut tallies: Vec<Tally> = Vec::new();
            for j in &judgements {
                match tallies.iter_mut().find(|t| t.who == j.who && t.rank == j.rank) {
                    Some(t) => t.people += 1,
                    None => tallies.push(Tally { who: j.who, rank: j.rank, people: 1 }),
                }
            }
            let precomputed = released_cells(&tallies, 3, threshold);
            let counted: Vec<Attributes> = judgements.iter().map(|j| j.who).collect();
            let released: Vec<Population> = release(&counted, threshold).into_iter().collect();
            prop_assert_eq!(precomputed.iter().map(|(p, _)| *p).collect::<Vec<_>>(), released.clone());
            let direct = cells(&judgements, 3, &released, threshold);
            for ((_, distribution), cell) in precomputed.iter().zip(direct) {
                prop_assert_eq!(Cell::Shown(distribution.clone()), cell);
            }
        }

        #[test]
        fn everyone_together_is_released_exactly_when_the_whole_release_says_so(people in people(), k in 5u32..8) {
            let threshold = Threshold::new(k).unwrap();
            let weighted: Vec<(Attributes, u32)> = people.iter().map(|a| (*a, 1)).collect();
            for population in people_populations(&people).iter().chain([&Population::ALL]) {
                prop_assert_eq!(
                    is_released(&weighted, threshold, population),
                    release_weighted(&weighted, threshold).contains(population)
                );
            }
        }

        #[test]
        fn one_persons_level_is_never_alone_in_a_shown_cell(people in people()) {
            let threshold = Threshold::default();
            let released = release(&people, threshold);
            for (i, who) in people.iter().enumerate() {
                for p in released.iter().filter(|p| p.contains(who)) {
                    let others = people.iter().enumerate().filter(|(j, a)| *j != i && p.contains(a)).count();
                    prop_assert!(others + 1 >= threshold.get() as usize);
                }
            }
        }
    }
}

/// How one person's judgement of one component moved between two cycles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move {
    pub who: Attributes,
    /// Rank before and after; `None` is "not yet", below every level.
    pub from: Option<usize>,
    pub to: Option<usize>,
    /// How many people with these attributes moved this way.
    pub people: u32,
}

/// Moved up, stayed, moved down.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Growth {
    pub up: u32,
    pub same: u32,
    pub down: u32,
}

impl Growth {
    pub fn people(&self) -> u32 {
        self.up + self.same + self.down
    }

    /// Adds `people` who moved from rank `from` to rank `to` (`None`: not yet).
    pub fn count(&mut self, from: Option<usize>, to: Option<usize>, people: u32) {
        self.add(&Move {
            who: Attributes {
                school: 0,
                team: 0,
                role: 0,
            },
            from,
            to,
            people,
        });
    }

    fn add(&mut self, movement: &Move) {
        // "Not yet" sits below every level.
        let rank = |r: Option<usize>| r.map_or(0, |r| r + 1);
        let n = movement.people;
        match rank(movement.to).cmp(&rank(movement.from)) {
            std::cmp::Ordering::Greater => self.up += n,
            std::cmp::Ordering::Equal => self.same += n,
            std::cmp::Ordering::Less => self.down += n,
        }
    }
}

/// Growth of `population` on one component: `None` when withheld (the people
/// judged in both cycles are too few, or recoverable by subtraction).
pub fn growth(moves: &[Move], population: &Population, threshold: Threshold) -> Option<Growth> {
    let counted: Vec<(Attributes, u32)> = moves.iter().map(|m| (m.who, m.people)).collect();
    if !release_weighted(&counted, threshold).contains(population) {
        return None;
    }
    let mut growth = Growth::default();
    for movement in moves.iter().filter(|m| population.contains(&m.who)) {
        growth.add(movement);
    }
    Some(growth)
}

/// Every population whose growth may be shown for one component, with its
/// growth: what the storage layer keeps precomputed per pair of cycles, so the
/// growth view reads a row per component instead of every person's two
/// judgements. The same populations and numbers as [`growth`] gives for each
/// (a test checks it).
pub fn released_growth(moves: &[Move], threshold: Threshold) -> Vec<(Population, Growth)> {
    let weighted: Vec<(Attributes, u32)> = moves.iter().map(|m| (m.who, m.people)).collect();
    let mut out: FxHashMap<Population, Growth> = release_weighted(&weighted, threshold)
        .into_iter()
        .map(|p| (p, Growth::default()))
        .collect();
    for movement in moves {
        for school in [None, Some(movement.who.school)] {
            for team in [None, Some(movement.who.team)] {
                for role in [None, Some(movement.who.role)] {
                    if let Some(g) = out.get_mut(&Population { school, team, role }) {
                        g.add(movement);
                    }
                }
            }
        }
    }
    let mut cells: Vec<(Population, Growth)> = out.into_iter().collect();
    cells.sort_by_key(|(p, _)| *p);
    cells
}

/// A component's place in the professional development priorities, with the
/// numbers behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Priority {
    /// Index of the component in the order given.
    pub component: usize,
    /// People counted (a judgement that counts), when shown.
    pub people: u32,
    /// Of them, at "not yet" or the lowest level.
    pub low: u32,
    /// People with a goal on the component, when at least the threshold.
    pub goals: Option<u32>,
    /// Of the components their coach judged, how many at "not yet" or the lowest level.
    pub coach_low: Option<u32>,
    pub score: f64,
}

/// Per component, for one population: its distribution of levels (for low levels),
/// how many people set a goal on it and the coach-agreed judgements.
#[derive(Debug, Clone, Default)]
pub struct PriorityInput {
    /// The population's distribution of levels, when it may be shown.
    pub judged: Option<Distribution>,
    pub goal_setters: Vec<Attributes>,
    pub coach_judgements: Vec<Counted>,
}

/// Ranks components for `population`: the share at "not yet" or the lowest
/// level weighs most (1.0), then the share who chose it for a goal (0.5), then
/// the share their coaches put low (0.5). Components whose numbers are withheld
/// are left out, and withheld goal or coach counts add nothing, so the order
/// gives nothing away that the numbers do not.
pub fn priorities(
    inputs: &[PriorityInput],
    population: &Population,
    threshold: Threshold,
) -> Vec<Priority> {
    let k = threshold.get();
    let low = |c: &Counted| c.rank.is_none_or(|r| r == 0);
    let mut ranked: Vec<Priority> = inputs
        .iter()
        .enumerate()
        .filter_map(|(component, input)| {
            let judged = input.judged.as_ref()?;
            let people = judged.people;
            let low_count = judged.not_yet + judged.per_level.first().copied().unwrap_or(0);
            let goal_count = input
                .goal_setters
                .iter()
                .filter(|a| population.contains(a))
                .count() as u32;
            let goals = (goal_count >= k).then_some(goal_count);
            let coach: Vec<&Counted> = input
                .coach_judgements
                .iter()
                .filter(|j| population.contains(&j.who))
                .collect();
            let coach_low =
                (coach.len() as u32 >= k).then(|| coach.iter().filter(|j| low(j)).count() as u32);
            let share = |n: u32, of: u32| {
                if of == 0 {
                    0.0
                } else {
                    f64::from(n) / f64::from(of)
                }
            };
            let score = share(low_count, people)
                + 0.5 * share(goals.unwrap_or(0), people)
                + 0.5 * coach_low.map_or(0.0, |n| share(n, coach.len() as u32));
            Some(Priority {
                component,
                people,
                low: low_count,
                goals,
                coach_low,
                score,
            })
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.component.cmp(&b.component))
    });
    ranked
}

#[cfg(test)]
mod growth_tests {
    use super::*;

    fn at(school: i64) -> Attributes {
        Attributes {
            school,
            team: 0,
            role: 1,
        }
    }

    #[test]
    fn growth_counts_up_same_and_down_with_not_yet_lowest() {
        let moves = vec![
            Move {
                who: at(1),
                from: None,
                to: Some(0),
                people: 1,
            },
            Move {
                who: at(1),
                from: Some(0),
                to: Some(2),
                people: 1,
            },
            Move {
                who: at(1),
                from: Some(1),
                to: Some(1),
                people: 1,
            },
            Move {
                who: at(1),
                from: Some(2),
                to: Some(1),
                people: 1,
            },
            Move {
                who: at(1),
                from: Some(0),
                to: None,
                people: 1,
            },
        ];
        let all = growth(&moves, &Population::ALL, Threshold::default()).unwrap();
        assert_eq!(
            all,
            Growth {
                up: 2,
                same: 1,
                down: 2
            }
        );
        assert_eq!(
            growth(&moves[..4], &Population::ALL, Threshold::default()),
            None
        );
    }

    proptest::proptest! {
        #[test]
        fn precomputed_growth_is_exactly_the_growth_of_each_released_population(
            moves in proptest::collection::vec(
                ((1i64..4, 0i64..3, 1i64..4), proptest::option::of(0usize..3), proptest::option::of(0usize..3), 1u32..4),
                0..40,
            ),
            k in 5u32..7,
        ) {
            let moves: Vec<Move> = moves
                .into_iter()
                .map(|((s, t, r), from, to, people)| Move {
                    who: Attributes { school: s, team: if t == 0 { 0 } else { s * 10 + t }, role: r },
                    from,
                    to,
                    people,
                })
                .collect();
            let threshold = Threshold::new(k).unwrap();
            let precomputed = released_growth(&moves, threshold);
            let weighted: Vec<(Attributes, u32)> = moves.iter().map(|m| (m.who, m.people)).collect();
            let released: Vec<Population> = release_weighted(&weighted, threshold).into_iter().collect();
            proptest::prop_assert_eq!(precomputed.iter().map(|(p, _)| *p).collect::<Vec<_>>(), released);
            for (population, shown) in &precomputed {
                proptest::prop_assert_eq!(growth(&moves, population, threshold), Some(*shown));
            }
        }
    }

    #[test]
    fn priorities_rank_low_levels_first_and_leave_out_what_is_withheld() {
        // The whole trust's distribution, as the heatmap's cells give it.
        let judged = |ranks: &[Option<usize>]| -> Option<Distribution> {
            let counted: Vec<Counted> = ranks
                .iter()
                .map(|&rank| Counted { who: at(1), rank })
                .collect();
            match cells(&counted, 3, &[Population::ALL], Threshold::default()).remove(0) {
                Cell::Shown(distribution) => Some(distribution),
                Cell::Suppressed => None,
            }
        };
        let inputs = vec![
            // Mostly high: low share 1/6.
            PriorityInput {
                judged: judged(&[Some(2), Some(2), Some(1), Some(1), Some(2), Some(0)]),
                ..Default::default()
            },
            // Mostly low: 4/6, and five people chose it for a goal.
            PriorityInput {
                judged: judged(&[None, Some(0), Some(0), None, Some(1), Some(2)]),
                goal_setters: vec![at(1); 5],
                coach_judgements: Vec::new(),
            },
            // Only three judged it: withheld, left out.
            PriorityInput {
                judged: judged(&[None, None, None]),
                ..Default::default()
            },
        ];
        let ranked = priorities(&inputs, &Population::ALL, Threshold::default());
        assert_eq!(
            ranked.iter().map(|p| p.component).collect::<Vec<_>>(),
            [1, 0]
        );
        assert_eq!(
            (ranked[0].people, ranked[0].low, ranked[0].goals),
            (6, 4, Some(5))
        );
        assert_eq!(ranked[1].goals, None, "no goals, fewer than five");
        assert!((ranked[0].score - (4.0 / 6.0 + 0.5 * 5.0 / 6.0)).abs() < 1e-9);
    }
}
