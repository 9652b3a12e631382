//! Alignment suggestions: for an item of one framework, the items of another ranked
//! by how similar their words are (BM25 over stemmed English words, stop words
//! removed; the `bm25` crate). Administrators see these when curating a new
//! framework; the curated set measures how good they are (see
//! `tests/against_curated.rs`).

use bm25::{Document, Language, SearchEngine, SearchEngineBuilder};
use leadkit_domain::framework::{Framework, Item, ItemCode};

/// One candidate, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub item: ItemCode,
    pub score: f32,
}

/// The searchable items of one framework.
pub struct Suggester {
    engine: SearchEngine<usize>,
    codes: Vec<ItemCode>,
}

/// The words that describe an item: its title, its descriptors, and the title of
/// the group it sits in (a statement's heading often carries its topic).
pub fn item_text(framework: &Framework, item: &Item) -> String {
    let mut text = item.title.clone();
    for descriptor in item.descriptors.values().flatten() {
        text.push(' ');
        text.push_str(descriptor);
    }
    if let Some(parent) = framework.parent_of(&item.code) {
        text.push(' ');
        text.push_str(&parent.title);
    }
    text
}

impl Suggester {
    /// Indexes every item of `target` that a person reflects on (its leaves).
    pub fn for_framework(target: &Framework) -> Suggester {
        let items: Vec<&Item> = target.reflectable_items().collect();
        let documents = items.iter().enumerate().map(|(id, item)| Document {
            id,
            contents: item_text(target, item),
        });
        Suggester {
            engine: SearchEngineBuilder::<usize>::with_documents(Language::English, documents)
                .build(),
            codes: items.iter().map(|item| item.code.clone()).collect(),
        }
    }

    /// The `limit` items most similar to `text`, best first.
    pub fn suggest(&self, text: &str, limit: usize) -> Vec<Suggestion> {
        self.engine
            .search(text, limit)
            .into_iter()
            .filter_map(|result| {
                self.codes.get(result.document.id).map(|code| Suggestion {
                    item: code.clone(),
                    score: result.score,
                })
            })
            .collect()
    }

    /// Suggestions for an item of another framework.
    pub fn suggest_for(&self, source: &Framework, item: &Item, limit: usize) -> Vec<Suggestion> {
        self.suggest(&item_text(source, item), limit)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn a_component_finds_itself_first_among_its_own_framework() {
        let toolkit = leadkit_content::toolkit().unwrap();
        let suggester = Suggester::for_framework(&toolkit);
        let mut first = 0;
        let mut total = 0;
        for item in toolkit.reflectable_items() {
            total += 1;
            let found = suggester.suggest_for(&toolkit, item, 1);
            if found.first().map(|s| &s.item) == Some(&item.code) {
                first += 1;
            }
        }
        // Near-identical wording across a few components makes perfection unlikely;
        // a working index finds nearly all of them.
        assert!(
            first * 10 >= total * 9,
            "{first} of {total} found themselves first"
        );
    }

    #[test]
    fn words_about_curriculum_rank_curriculum_components_first() {
        let toolkit = leadkit_content::toolkit().unwrap();
        let suggester = Suggester::for_framework(&toolkit);
        let found = suggester.suggest("curriculum sequencing and subject knowledge", 3);
        assert!(!found.is_empty());
        assert!(
            found.iter().all(|s| s.item.as_str().starts_with("1d")),
            "{found:?}"
        );
        assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
    }
}
