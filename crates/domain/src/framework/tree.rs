//! Walking a framework's tree: depth-first order, lookups by code, parents.

use super::{Framework, Item, ItemCode};

/// An item with the chain of its ancestors, outermost first.
#[derive(Debug, Clone, Copy)]
pub struct Located<'a> {
    pub item: &'a Item,
    pub ancestors: &'a [&'a Item],
}

impl Framework {
    /// Every item, depth first, in the framework's own order.
    pub fn walk(&self) -> impl Iterator<Item = &Item> {
        let mut stack: Vec<&Item> = self.items.iter().rev().collect();
        std::iter::from_fn(move || {
            let item = stack.pop()?;
            stack.extend(item.children.iter().rev());
            Some(item)
        })
    }

    /// The items a person reflects on (the leaves), in order.
    pub fn reflectable_items(&self) -> impl Iterator<Item = &Item> {
        self.walk().filter(|item| item.is_reflectable())
    }

    pub fn find(&self, code: &ItemCode) -> Option<&Item> {
        self.walk().find(|item| &item.code == code)
    }

    /// Finds an item by the URL form of its code.
    pub fn find_by_slug(&self, slug: &str) -> Option<&Item> {
        self.walk().find(|item| item.code.slug() == slug)
    }

    /// The chain from the top of the tree down to the item itself, or `None`.
    pub fn path_to(&self, code: &ItemCode) -> Option<Vec<&Item>> {
        fn search<'a>(items: &'a [Item], code: &ItemCode, path: &mut Vec<&'a Item>) -> bool {
            for item in items {
                path.push(item);
                if &item.code == code || search(&item.children, code, path) {
                    return true;
                }
                path.pop();
            }
            false
        }
        let mut path = Vec::new();
        search(&self.items, code, &mut path).then_some(path)
    }

    /// The parent of an item, or `None` for a top-level item or an unknown code.
    pub fn parent_of(&self, code: &ItemCode) -> Option<&Item> {
        let path = self.path_to(code)?;
        path.len().checked_sub(2).map(|i| path[i])
    }

    /// The items whose children are reflectable leaves (the Toolkit's subdomains):
    /// the unit of one page of the reflection form.
    pub fn leaf_groups(&self) -> impl Iterator<Item = &Item> {
        self.walk().filter(|item| item.is_leaf_group())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn item(code: &str, kind: &str, children: Vec<Item>) -> Item {
        Item {
            code: ItemCode::parse(code).unwrap(),
            kind: kind.into(),
            title: format!("Title {code}"),
            introduction: vec![],
            descriptors: BTreeMap::new(),
            children,
            identifier: None,
            extra: BTreeMap::new(),
        }
    }

    fn sample() -> Framework {
        Framework {
            key: crate::framework::FrameworkKey::parse("sample").unwrap(),
            version: "1".into(),
            title: "Sample".into(),
            publisher: String::new(),
            motto: String::new(),
            introduction: vec![],
            scale: None,
            kind_labels: BTreeMap::new(),
            descriptor_lead_in: String::new(),
            associations: Vec::new(),
            identifier: None,
            extra: BTreeMap::new(),
            items: vec![
                item(
                    "1",
                    "domain",
                    vec![item(
                        "1a",
                        "subdomain",
                        vec![
                            item("1a i", "component", vec![]),
                            item("1a ii", "component", vec![]),
                        ],
                    )],
                ),
                item(
                    "2",
                    "domain",
                    vec![item(
                        "2a",
                        "subdomain",
                        vec![item("2a i", "component", vec![])],
                    )],
                ),
            ],
        }
    }

    #[test]
    fn walking_visits_items_depth_first_in_document_order() {
        let codes: Vec<_> = sample().walk().map(|i| i.code.to_string()).collect();
        assert_eq!(codes, ["1", "1a", "1a i", "1a ii", "2", "2a", "2a i"]);
    }

    #[test]
    fn the_leaves_are_the_reflectable_items() {
        let framework = sample();
        let codes: Vec<_> = framework
            .reflectable_items()
            .map(|i| i.code.as_str())
            .collect();
        assert_eq!(codes, ["1a i", "1a ii", "2a i"]);
    }

    #[test]
    fn a_components_parent_is_its_subdomain() {
        let framework = sample();
        let code = ItemCode::parse("1a ii").unwrap();
        assert_eq!(framework.parent_of(&code).unwrap().code.as_str(), "1a");
        assert_eq!(framework.path_to(&code).unwrap().len(), 3);
        assert!(
            framework
                .parent_of(&ItemCode::parse("1").unwrap())
                .is_none()
        );
    }

    #[test]
    fn leaf_groups_are_the_subdomains() {
        let framework = sample();
        let codes: Vec<_> = framework.leaf_groups().map(|i| i.code.as_str()).collect();
        assert_eq!(codes, ["1a", "2a"]);
    }

    #[test]
    fn a_duplicate_code_makes_the_framework_invalid() {
        let mut framework = sample();
        framework.items[1].children[0].children[0].code = ItemCode::parse("1a i").unwrap();
        assert!(framework.validate().is_err());
    }
}
