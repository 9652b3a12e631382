//! Reports: a person's profile report and a school or trust report, each a
//! [`Document`] of headings, text, facts and charts, written as a printable
//! page (HTML with inline SVG charts) and as a PDF made here, in the binary,
//! with the `pdf-writer` crate (no browser needed). A school or trust report
//! is also a CSV file and an XLSX workbook ([`tables`]).

pub mod chart;
pub mod pdf;
pub mod tables;

use askama::Template;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chart::BarChart;

use crate::pages::Page;

/// One block of a report, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(String),
    Subheading(String),
    Text(String),
    /// A label and its value on one line ("High impact: 12").
    Fact(String, String),
    Chart(BarChart),
}

/// A report: a title, a line saying what it covers, and its blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub subtitle: String,
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn new(title: impl Into<String>, subtitle: impl Into<String>) -> Self {
        Document {
            title: title.into(),
            subtitle: subtitle.into(),
            blocks: Vec::new(),
        }
    }

    pub fn push(&mut self, block: Block) -> &mut Self {
        self.blocks.push(block);
        self
    }

    /// The report as a fragment of HTML for a printable page: text escaped,
    /// charts as inline SVG.
    pub fn to_html(&self) -> String {
        let mut html = String::new();
        for block in &self.blocks {
            match block {
                Block::Heading(text) => html.push_str(&format!("<h2>{}</h2>\n", escape(text))),
                Block::Subheading(text) => html.push_str(&format!("<h3>{}</h3>\n", escape(text))),
                Block::Text(text) => html.push_str(&format!("<p>{}</p>\n", escape(text))),
                Block::Fact(label, value) => html.push_str(&format!(
                    "<p class=\"fact\"><strong>{}:</strong> {}</p>\n",
                    escape(label),
                    escape(value)
                )),
                Block::Chart(chart) => {
                    html.push_str("<figure class=\"report-chart\">");
                    html.push_str(&chart.to_svg());
                    html.push_str("</figure>\n");
                }
            }
        }
        html
    }
}

/// Escapes text for HTML (and for SVG, which shares the rules).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_what_people_typed() {
        let mut doc = Document::new("T", "S");
        doc.push(Block::Text("<script>alert('x')</script> & more".into()));
        let html = doc.to_html();
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"));
        assert!(!html.contains("<script>"));
    }
}

/// The printable page of a report (a document written as HTML) with its downloads.
#[derive(Template)]
#[template(path = "reports/show.html")]
pub struct ReportPage {
    pub page: Page,
    pub title: String,
    pub subtitle: String,
    pub body: String,
    /// (label, url) of each download.
    pub downloads: Vec<(String, String)>,
    pub notes_choice: bool,
    pub notes: bool,
}

/// A PDF (or other file) to download, never shown inline.
pub fn download(bytes: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
