//! How good are the suggestions? Measured against the curated alignment set:
//! for each Toolkit component with curated links to a framework, the suggester
//! ranks that framework's items, and we count how many curated targets it finds.
//!
//! precision at 5 = curated targets among the first five, over five;
//! recall at 10   = curated targets among the first ten, over the curated count.
//!
//! Run with `cargo test -p leadkit-align --test against_curated -- --nocapture`
//! to see the figures.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use leadkit_align::Suggester;
use leadkit_domain::alignment::{AlignmentSet, ItemRef};
use leadkit_domain::framework::Framework;

struct Figures {
    queries: usize,
    precision_at_5: f64,
    recall_at_10: f64,
    /// What picking five items at random would score, for comparison.
    random_precision_at_5: f64,
}

fn measure(toolkit: &Framework, target: &Framework, curated: &AlignmentSet) -> Figures {
    let suggester = Suggester::for_framework(target);
    let candidates = target.reflectable_items().count() as f64;
    let (mut queries, mut precision, mut recall, mut random) = (0usize, 0.0, 0.0, 0.0);
    for component in toolkit.reflectable_items() {
        let here = ItemRef {
            framework: toolkit.key.clone(),
            item: component.code.clone(),
        };
        let wanted: BTreeSet<_> = curated
            .from_item(&here)
            .filter(|a| a.to.framework == target.key)
            .map(|a| a.to.item.clone())
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let ranked: Vec<_> = suggester
            .suggest_for(toolkit, component, 10)
            .into_iter()
            .map(|s| s.item)
            .collect();
        let hits_in = |n: usize| {
            ranked
                .iter()
                .take(n)
                .filter(|c| wanted.contains(*c))
                .count()
        };
        queries += 1;
        precision += hits_in(5) as f64 / 5.0;
        recall += hits_in(10) as f64 / wanted.len() as f64;
        random += wanted.len() as f64 / candidates;
    }
    let n = queries.max(1) as f64;
    Figures {
        queries,
        precision_at_5: precision / n,
        recall_at_10: recall / n,
        random_precision_at_5: random / n,
    }
}

#[test]
fn suggestions_find_the_curated_alignments_far_better_than_chance() {
    let toolkit = leadkit_content::toolkit().unwrap();
    let curated = leadkit_content::alignments().unwrap();
    let others = [
        leadkit_content::nssl().unwrap(),
        leadkit_content::npqsl().unwrap(),
        leadkit_content::wales().unwrap(),
    ];
    println!("suggestions against the curated set (BM25, Toolkit component → framework item)");
    println!(
        "{:<45} {:>7} {:>6} {:>7} {:>15}",
        "target", "queries", "P@5", "R@10", "P@5 at random"
    );
    let mut all = Vec::new();
    for target in &others {
        let figures = measure(&toolkit, target, &curated);
        println!(
            "{:<45} {:>7} {:>6.3} {:>7.3} {:>15.3}",
            target.title,
            figures.queries,
            figures.precision_at_5,
            figures.recall_at_10,
            figures.random_precision_at_5
        );
        assert!(
            figures.queries >= 40,
            "{}: only {} components have curated links",
            target.title,
            figures.queries
        );
        // The suggester must be a real help to a curator: several times better
        // than chance at the top of the list, and finding a fair share by ten.
        assert!(
            figures.precision_at_5 > 3.0 * figures.random_precision_at_5,
            "{}: P@5 {:.3} is not well above chance {:.3}",
            target.title,
            figures.precision_at_5,
            figures.random_precision_at_5
        );
        assert!(
            figures.recall_at_10 > 0.2,
            "{}: R@10 {:.3}",
            target.title,
            figures.recall_at_10
        );
        all.push(figures);
    }
    let queries: usize = all.iter().map(|f| f.queries).sum();
    let weighted = |get: fn(&Figures) -> f64| {
        all.iter().map(|f| get(f) * f.queries as f64).sum::<f64>() / queries as f64
    };
    println!(
        "{:<45} {:>7} {:>6.3} {:>7.3} {:>15.3}",
        "all three",
        queries,
        weighted(|f| f.precision_at_5),
        weighted(|f| f.recall_at_10),
        weighted(|f| f.random_precision_at_5)
    );
}
