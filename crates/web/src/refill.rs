//! Puts what a person typed back into the form they typed it in.
//!
//! Two things need this for every form, not only the few that render their own
//! refusal: a refused post (see [`crate::refusal`]) shows the form's page again
//! with each field as it was left, a message beside each field at fault and a
//! summary at the top; and a post kept across a sign-in (see [`crate::kept`])
//! lands back in its form. Both take the page as its own handler renders it and
//! rewrite only the one form whose `action` is the post's path, with
//! `lol_html` (a streaming HTML rewriter made for exactly this). Hidden fields
//! (the fresh anti-forgery token among them), passwords and files are never
//! filled in.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use lol_html::html_content::{ContentType, Element};
use lol_html::{ElementContentHandlers, HandlerResult, RewriteStrSettings, Selector};

use crate::reports::escape;

/// A problem with the post: the field it belongs to (its `name` in the form), if
/// any, and the sentence the person reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: Option<String>,
    pub message: String,
}

/// What to put back into a page.
pub struct Refill<'a> {
    /// The `action` of the form to fill (the path the post went to).
    pub action: &'a str,
    /// What was posted, as (name, value) pairs in order.
    pub fields: &'a [(String, String)],
    /// Why it was refused; empty when the form is only being filled back in.
    pub problems: &'a [Problem],
    /// A sentence shown at the top when there are no problems (a kept post).
    pub notice: Option<&'a str>,
    /// Hidden fields to add to the form.
    pub hidden: &'a [(String, String)],
}

/// The fields that are never put back or kept: the anti-forgery token,
/// passwords and secrets, and the marks that tie a post to a kept copy.
pub fn is_carried(name: &str) -> bool {
    name != crate::auth::csrf::CSRF_FIELD
        && name != crate::kept::KEPT_FIELD
        && !name.contains("password")
        && !name.contains("secret")
}

/// The id a field's message gets (and the summary links to when the field has
/// no id of its own).
fn message_id(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("problem-{slug}")
}

type Handlers<'h> = Vec<(
    std::borrow::Cow<'static, Selector>,
    ElementContentHandlers<'h>,
)>;

fn selector(css: &str) -> Result<std::borrow::Cow<'static, Selector>, RefillError> {
    css.parse::<Selector>()
        .map(std::borrow::Cow::Owned)
        .map_err(|e| RefillError(format!("selector {css}: {e}")))
}

/// Settings holding `handlers`, in order.
fn settings<'h>(handlers: Handlers<'h>) -> RewriteStrSettings<'h, 'static> {
    handlers
        .into_iter()
        .fold(RewriteStrSettings::new(), |settings, handler| {
            settings.append_element_content_handler(handler)
        })
}

/// Why a page could not be rewritten (it is then left alone).
#[derive(Debug, thiserror::Error)]
#[error("the page could not be rewritten: {0}")]
pub struct RefillError(String);

/// Tracks whether the rewriter is inside the target form (the `chosen`-th
/// form posting to `action`): set by its start tag, cleared by its end tag.
fn form_handler<'h>(
    action: String,
    chosen: Option<usize>,
    inside: Rc<Cell<bool>>,
    mut extra: impl FnMut(&mut Element, usize) -> HandlerResult + 'h,
) -> impl FnMut(&mut Element) -> HandlerResult + 'h {
    let mut seen = 0;
    move |el: &mut Element| {
        if el.get_attribute("action").as_deref() != Some(&action) {
            return Ok(());
        }
        let index = seen;
        seen += 1;
        if chosen.is_some_and(|chosen| chosen != index) {
            return Ok(());
        }
        inside.set(true);
        extra(el, index)?;
        let inside = inside.clone();
        el.on_end_tag(Box::new(move |_| {
            inside.set(false);
            Ok(())
        }))?;
        Ok(())
    }
}

/// One form posting to the target action: the ids of its fields by name (the
/// first of each name), every field name, and its hidden fields.
#[derive(Default, Clone)]
struct FormSurvey {
    ids: HashMap<String, String>,
    names: std::collections::HashSet<String>,
    hidden: Vec<(String, String)>,
}

/// Every form of the page that posts to `action`, in order.
fn survey(html: &str, action: &str) -> Result<Vec<FormSurvey>, RefillError> {
    let inside = Rc::new(Cell::new(false));
    let forms: Rc<RefCell<Vec<FormSurvey>>> = Rc::default();
    let forms_start = forms.clone();
    let mut handlers: Handlers = vec![(
        selector("form")?,
        ElementContentHandlers::default().element(form_handler(
            action.to_owned(),
            None,
            inside.clone(),
            move |_, _| {
                forms_start.borrow_mut().push(FormSurvey::default());
                Ok(())
            },
        )),
    )];
    let (inside_fields, forms_fields) = (inside.clone(), forms.clone());
    handlers.push((
        selector("input[name], textarea[name], select[name]")?,
        ElementContentHandlers::default().element(move |el: &mut Element| {
            if !inside_fields.get() {
                return Ok(());
            }
            let mut forms = forms_fields.borrow_mut();
            let (Some(form), Some(name)) = (forms.last_mut(), el.get_attribute("name")) else {
                return Ok(());
            };
            if let Some(id) = el.get_attribute("id") {
                form.ids.entry(name.clone()).or_insert(id);
            }
            if el
                .get_attribute("type")
                .is_some_and(|t| t.eq_ignore_ascii_case("hidden"))
                && is_carried(&name)
            {
                form.hidden
                    .push((name.clone(), el.get_attribute("value").unwrap_or_default()));
            }
            form.names.insert(name);
            Ok(())
        }),
    ));
    lol_html::rewrite_str(html, settings(handlers)).map_err(|e| RefillError(e.to_string()))?;
    let forms = forms.borrow().clone();
    Ok(forms)
}

/// Which of the forms posting to the same action was sent: the first whose
/// hidden fields (which record, which audience) all match the post.
fn chosen(forms: &[FormSurvey], fields: &[(String, String)]) -> Option<usize> {
    if forms.is_empty() {
        return None;
    }
    let matches = |form: &FormSurvey| {
        form.hidden
            .iter()
            .all(|pair| fields.iter().any(|posted| posted == pair))
    };
    Some(forms.iter().position(matches).unwrap_or(0))
}

/// The summary at the top of a refused page: each problem, linked to its field.
fn summary(
    problems: &[Problem],
    ids: &HashMap<String, String>,
    has_field: &dyn Fn(&str) -> bool,
) -> String {
    let mut html = String::from(
        "<div class=\"alert error\" role=\"alert\" tabindex=\"-1\" data-test-errors>\
         <h2>Nothing was saved: please check</h2>\
         <p>Everything you typed is still here.</p><ul>",
    );
    for problem in problems {
        let target = problem
            .field
            .as_deref()
            .filter(|name| has_field(name))
            .map(|name| ids.get(name).cloned().unwrap_or_else(|| message_id(name)));
        match target {
            Some(id) => html.push_str(&format!(
                "<li><a href=\"#{}\">{}</a></li>",
                escape(&id),
                escape(&problem.message)
            )),
            None => html.push_str(&format!("<li>{}</li>", escape(&problem.message))),
        }
    }
    html.push_str("</ul></div>");
    html
}

/// Rewrites `html` so that its form posting to `refill.action` shows what was
/// posted. `Ok(None)` when the page has no such form.
pub fn refill(html: &str, refill: &Refill) -> Result<Option<String>, RefillError> {
    let forms = survey(html, refill.action)?;
    let Some(target) = chosen(&forms, refill.fields) else {
        return Ok(None);
    };
    let FormSurvey { ids, names, .. } = forms[target].clone();
    let mut posted: HashMap<String, Vec<String>> = HashMap::new();
    for (name, value) in refill.fields.iter().filter(|(name, _)| is_carried(name)) {
        posted.entry(name.clone()).or_default().push(value.clone());
    }
    let posted = Rc::new(posted);
    let problems: Rc<HashMap<String, String>> = Rc::new(
        refill
            .problems
            .iter()
            .filter_map(|p| Some((p.field.clone()?, p.message.clone())))
            .fold(HashMap::new(), |mut map, (field, message)| {
                map.entry(field).or_insert(message);
                map
            }),
    );
    let top = if refill.problems.is_empty() {
        refill
            .notice
            .map(|notice| {
                format!(
                    "<div class=\"alert notice\" role=\"status\" data-test-kept>{}</div>",
                    escape(notice)
                )
            })
            .unwrap_or_default()
    } else {
        summary(refill.problems, &ids, &|name| names.contains(name))
    };
    let hidden: String = refill
        .hidden
        .iter()
        .map(|(name, value)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(name),
                escape(value)
            )
        })
        .collect();

    let inside = Rc::new(Cell::new(false));
    let seen: Rc<RefCell<HashMap<String, usize>>> = Rc::default();
    let flagged: Rc<RefCell<std::collections::HashSet<String>>> = Rc::default();
    let current_select: Rc<RefCell<Option<String>>> = Rc::default();
    let refused = !refill.problems.is_empty();

    let mut handlers: Handlers = Vec::new();
    handlers.push((
        selector("title")?,
        ElementContentHandlers::default().element(move |el: &mut Element| {
            if refused {
                el.prepend("Error: ", ContentType::Text);
            }
            Ok(())
        }),
    ));
    handlers.push((
        selector("main")?,
        ElementContentHandlers::default().element(move |el: &mut Element| {
            el.prepend(&top, ContentType::Html);
            Ok(())
        }),
    ));
    handlers.push((
        selector("form")?,
        ElementContentHandlers::default().element(form_handler(
            refill.action.to_owned(),
            Some(target),
            inside.clone(),
            move |el: &mut Element, _| {
                el.prepend(&hidden, ContentType::Html);
                Ok(())
            },
        )),
    ));

    // The message beside a field at fault (before the first field of its name).
    let mark = {
        let problems = problems.clone();
        let flagged = flagged.clone();
        move |el: &mut Element, name: &str| -> HandlerResult {
            if let Some(message) = problems.get(name)
                && flagged.borrow_mut().insert(name.to_owned())
            {
                let id = message_id(name);
                el.before(
                    &format!(
                        "<p class=\"field-error\" id=\"{}\" data-test-field-error=\"{}\">{}</p>",
                        escape(&id),
                        escape(name),
                        escape(message)
                    ),
                    ContentType::Html,
                );
                el.set_attribute("aria-invalid", "true")?;
                let described = match el.get_attribute("aria-describedby") {
                    Some(existing) => format!("{id} {existing}"),
                    None => id,
                };
                el.set_attribute("aria-describedby", &described)?;
            }
            Ok(())
        }
    };

    {
        let (inside, posted, seen, mark) =
            (inside.clone(), posted.clone(), seen.clone(), mark.clone());
        handlers.push((
            selector("input[name]")?,
            ElementContentHandlers::default().element(move |el: &mut Element| {
                if !inside.get() {
                    return Ok(());
                }
                let Some(name) = el.get_attribute("name") else {
                    return Ok(());
                };
                let kind = el
                    .get_attribute("type")
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                if !is_carried(&name)
                    || matches!(
                        kind.as_str(),
                        "hidden" | "password" | "file" | "submit" | "button" | "image" | "reset"
                    )
                {
                    return Ok(());
                }
                let values = posted.get(&name);
                if kind == "checkbox" || kind == "radio" {
                    let value = el.get_attribute("value").unwrap_or_else(|| "on".into());
                    if values.is_some_and(|v| v.contains(&value)) {
                        el.set_attribute("checked", "")?;
                    } else {
                        el.remove_attribute("checked");
                    }
                } else {
                    let mut seen = seen.borrow_mut();
                    let index = seen.entry(name.clone()).or_insert(0);
                    let value = values
                        .and_then(|v| v.get(*index))
                        .map(String::as_str)
                        .unwrap_or("");
                    *index += 1;
                    el.set_attribute("value", value)?;
                }
                mark(el, &name)
            }),
        ));
    }
    {
        let (inside, posted, seen, mark) =
            (inside.clone(), posted.clone(), seen.clone(), mark.clone());
        handlers.push((
            selector("textarea[name]")?,
            ElementContentHandlers::default().element(move |el: &mut Element| {
                if !inside.get() {
                    return Ok(());
                }
                let Some(name) = el.get_attribute("name") else {
                    return Ok(());
                };
                if !is_carried(&name) {
                    return Ok(());
                }
                let mut seen = seen.borrow_mut();
                let index = seen.entry(name.clone()).or_insert(0);
                let value = posted
                    .get(&name)
                    .and_then(|v| v.get(*index))
                    .map(String::as_str)
                    .unwrap_or("");
                *index += 1;
                // A leading newline right after <textarea> is dropped by parsers.
                let content = if value.starts_with('\n') {
                    format!("\n{value}")
                } else {
                    value.to_owned()
                };
                el.set_inner_content(&content, ContentType::Text);
                mark(el, &name)
            }),
        ));
    }
    {
        let (inside, current, mark) = (inside.clone(), current_select.clone(), mark.clone());
        handlers.push((
            selector("select[name]")?,
            ElementContentHandlers::default().element(move |el: &mut Element| {
                if !inside.get() {
                    return Ok(());
                }
                let name = el.get_attribute("name").unwrap_or_default();
                let carried = is_carried(&name);
                *current.borrow_mut() = carried.then(|| name.clone());
                let current = current.clone();
                el.on_end_tag(Box::new(move |_| {
                    *current.borrow_mut() = None;
                    Ok(())
                }))?;
                if carried { mark(el, &name) } else { Ok(()) }
            }),
        ));
    }
    {
        let (inside, current, posted) = (inside.clone(), current_select.clone(), posted.clone());
        handlers.push((
            selector("option[value]")?,
            ElementContentHandlers::default().element(move |el: &mut Element| {
                let current = current.borrow();
                let (true, Some(name)) = (inside.get(), current.as_ref()) else {
                    return Ok(());
                };
                let value = el.get_attribute("value").unwrap_or_default();
                if posted.get(name).is_some_and(|v| v.contains(&value)) {
                    el.set_attribute("selected", "")?;
                } else {
                    el.remove_attribute("selected");
                }
                Ok(())
            }),
        ));
    }

    lol_html::rewrite_str(html, settings(handlers))
        .map(Some)
        .map_err(|e| RefillError(e.to_string()))
}

/// Adds "What you typed" to the end of a page's main content: every value the
/// person typed, so that a page without its form still loses no word.
pub fn append_typed(html: &str, fields: &[(String, String)]) -> Result<String, RefillError> {
    let typed: Vec<&str> = fields
        .iter()
        .filter(|(name, value)| is_carried(name) && !value.trim().is_empty())
        .map(|(_, value)| value.as_str())
        .collect();
    if typed.is_empty() {
        return Ok(html.to_owned());
    }
    let mut section = String::from(
        "<section class=\"panel\" data-test-typed><h2>What you typed</h2>\
         <p>It was not saved. Copy it before you leave this page.</p>",
    );
    for value in typed {
        section.push_str(&format!("<pre class=\"typed\">{}</pre>", escape(value)));
    }
    section.push_str("</section>");
    let handlers: Handlers = vec![(
        selector("main")?,
        ElementContentHandlers::default().element(move |el: &mut Element| {
            el.append(&section, ContentType::Html);
            Ok(())
        }),
    )];
    lol_html::rewrite_str(html, settings(handlers)).map_err(|e| RefillError(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html><head><title>Goal · leadkit</title></head><body>
<main id="main"><h1>Goal</h1>
<form method="post" action="/elsewhere"><input name="title" value="other"></form>
<form method="post" action="/goals/1/check-ins">
<input type="hidden" name="csrf" value="fresh">
<label for="t">Title</label><input id="t" name="title" value="">
<input type="password" name="password">
<textarea id="n" name="note"></textarea>
<select id="s" name="status"><option value="planned" selected>Planned</option><option value="done">Done</option></select>
<input type="checkbox" name="item" value="a" checked><input type="checkbox" name="item" value="b">
<input type="radio" name="level" value="1"><input type="radio" name="level" value="2">
<button type="submit">Save</button>
</form></main></body></html>"#;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn fill(fields: &[(String, String)], problems: &[Problem]) -> String {
        refill(
            PAGE,
            &Refill {
                action: "/goals/1/check-ins",
                fields,
                problems,
                notice: None,
                hidden: &[],
            },
        )
        .unwrap_or_default()
        .unwrap_or_default()
    }

    #[test]
    fn every_kind_of_field_gets_its_posted_value_and_nothing_else_changes() {
        let fields = pairs(&[
            ("csrf", "stale"),
            ("title", "My \"plan\" <b>"),
            ("password", "secret-secret"),
            ("note", "Line one\nLine two & more"),
            ("status", "done"),
            ("item", "b"),
            ("level", "2"),
        ]);
        let html = fill(&fields, &[]);
        let doc = scraper::Html::parse_document(&html);
        let one = |css: &str| {
            let s = scraper::Selector::parse(css).unwrap_or_else(|_| unreachable!());
            doc.select(&s).next().map(|e| e.value().clone())
        };
        assert_eq!(
            one("#t")
                .and_then(|e| e.attr("value").map(str::to_owned))
                .as_deref(),
            Some("My \"plan\" <b>")
        );
        assert_eq!(
            one("input[name=csrf]")
                .and_then(|e| e.attr("value").map(str::to_owned))
                .as_deref(),
            Some("fresh")
        );
        assert!(one("input[type=password]").is_some_and(|e| e.attr("value").is_none()));
        let note = scraper::Selector::parse("#n").unwrap_or_else(|_| unreachable!());
        assert_eq!(
            doc.select(&note)
                .next()
                .map(|e| e.text().collect::<String>())
                .as_deref(),
            Some("Line one\nLine two & more")
        );
        assert!(one("option[value=done]").is_some_and(|e| e.attr("selected").is_some()));
        assert!(one("option[value=planned]").is_some_and(|e| e.attr("selected").is_none()));
        assert!(one("input[value=a]").is_some_and(|e| e.attr("checked").is_none()));
        assert!(one("input[value=b]").is_some_and(|e| e.attr("checked").is_some()));
        assert!(one("input[name=level][value='2']").is_some_and(|e| e.attr("checked").is_some()));
        // The other form on the page is left as it was.
        assert!(html.contains(r#"<input name="title" value="other">"#));
        assert!(!html.contains("Error:"));
    }

    #[test]
    fn a_problem_sits_beside_its_field_and_in_a_summary_linked_to_it() {
        let fields = pairs(&[("title", ""), ("note", "kept")]);
        let problems = vec![
            Problem {
                field: Some("title".into()),
                message: "Give the check-in a title.".into(),
            },
            Problem {
                field: None,
                message: "The cycle is closed.".into(),
            },
        ];
        let html = fill(&fields, &problems);
        assert!(html.contains("<title>Error: Goal"));
        assert!(html.contains(r##"<li><a href="#t">Give the check-in a title.</a></li>"##));
        assert!(html.contains("<li>The cycle is closed.</li>"));
        assert!(html.contains(r#"<p class="field-error" id="problem-title" data-test-field-error="title">Give the check-in a title.</p><input id="t" name="title" value="" aria-invalid="true" aria-describedby="problem-title">"#));
        assert!(html.contains(">kept</textarea>"));
    }

    #[test]
    fn of_two_forms_posting_to_one_place_the_one_sent_is_filled() {
        let page = r#"<html><head><title>P</title></head><body><main>
<form action="/profile/sharing"><input type="hidden" name="record" value="goals"><input id="a" name="email"></form>
<form action="/profile/sharing"><input type="hidden" name="record" value="evidence"><input id="b" name="email"></form>
</main></body></html>"#;
        let fields = pairs(&[("record", "evidence"), ("email", "nobody@example.org")]);
        let html = refill(
            page,
            &Refill {
                action: "/profile/sharing",
                fields: &fields,
                problems: &[Problem {
                    field: Some("email".into()),
                    message: "No one".into(),
                }],
                notice: None,
                hidden: &[],
            },
        )
        .unwrap_or_default()
        .unwrap_or_default();
        assert!(html.contains(r#"<input id="a" name="email">"#), "{html}");
        assert!(
            html.contains(
                r#"<input id="b" name="email" value="nobody@example.org" aria-invalid="true""#
            ),
            "{html}"
        );
        assert!(html.contains(r##"href="#b""##));
    }

    #[test]
    fn a_page_without_the_form_is_left_alone() {
        let out = refill(
            PAGE,
            &Refill {
                action: "/nowhere",
                fields: &[],
                problems: &[],
                notice: None,
                hidden: &[],
            },
        );
        assert!(matches!(out, Ok(None)));
    }

    #[test]
    fn a_kept_post_gets_its_notice_and_its_hidden_mark() {
        let html = refill(
            PAGE,
            &Refill {
                action: "/goals/1/check-ins",
                fields: &pairs(&[("note", "typed before")]),
                problems: &[],
                notice: Some("You were signed out <before>"),
                hidden: &[("kept".into(), "7".into())],
            },
        )
        .unwrap_or_default()
        .unwrap_or_default();
        assert!(html.contains("You were signed out &lt;before&gt;"));
        assert!(html.contains(r#"<input type="hidden" name="kept" value="7">"#));
        assert!(html.contains(">typed before</textarea>"));
    }
}
