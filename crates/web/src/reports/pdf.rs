//! A [`Document`] as a PDF, made with the `pdf-writer` crate: A4 pages, text in
//! the standard Helvetica fonts (every PDF reader has them, so nothing is
//! embedded), lines wrapped by the fonts' published character widths, charts
//! drawn as filled rectangles from the same [`BarChart`] the pages draw as SVG.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::chart::{self, BarChart};
use super::{Block, Document};

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// Helvetica's advance widths (thousandths of the font size) for the
/// printable ASCII characters from space (32) to tilde (126), from the font's
/// published metrics. Bold is a little wider; [`width`] allows for it.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // space to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0 to 9
    278, 278, 584, 584, 584, 556, 1015, // : to @
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667,
    611, 722, 667, 944, 667, 667, 611, // A to Z
    278, 278, 278, 469, 556, 333, // [ to `
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
    278, 556, 500, 722, 500, 500, 500, // a to z
    334, 260, 334, 584, // { to ~
];

/// The width of `text` at `size` points.
fn width(text: &str, size: f32, bold: bool) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| match c as u32 {
            32..=126 => u32::from(HELVETICA[(c as u32 - 32) as usize]),
            0x2014 => 1000,
            _ => 556,
        })
        .sum();
    let scale = if bold { 1.08 } else { 1.0 };
    units as f32 * size / 1000.0 * scale
}

/// Text in the fonts' WinAnsi encoding; characters it lacks become '?'.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '\u{2018}' => 0x91,
            '\u{2019}' => 0x92,
            '\u{201c}' => 0x93,
            '\u{201d}' => 0x94,
            '\u{2022}' => 0x95,
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            '\u{2026}' => 0x85,
            '\u{20ac}' => 0x80,
            '\t' | '\n' | '\r' => b' ',
            _ => b'?',
        })
        .collect()
}

/// `text` broken into lines no wider than `max` points.
fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, size, bold) <= max || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_owned();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Pages being laid out: each page's content and how far down it is.
struct Layout {
    pages: Vec<Content>,
    y: f32,
}

impl Layout {
    fn new() -> Self {
        Layout {
            pages: vec![Content::new()],
            y: PAGE_HEIGHT - MARGIN,
        }
    }

    fn page(&mut self) -> &mut Content {
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Makes room for `height` points, starting a new page if needed.
    fn room(&mut self, height: f32) {
        if self.y - height < MARGIN {
            self.pages.push(Content::new());
            self.y = PAGE_HEIGHT - MARGIN;
        }
    }

    fn text(&mut self, text: &str, size: f32, bold: bool, indent: f32, after: f32) {
        let leading = size * 1.3;
        for line in wrap(text, size, bold, TEXT_WIDTH - indent) {
            self.room(leading);
            self.y -= leading;
            let y = self.y;
            let content = self.page();
            content
                .begin_text()
                .set_font(if bold { BOLD } else { REGULAR }, size)
                .next_line(MARGIN + indent, y)
                .show(Str(&win_ansi(&line)))
                .end_text();
        }
        self.y -= after;
    }

    fn chart(&mut self, chart: &BarChart) {
        // The title stays with its chart.
        self.room(chart.height() + 16.0);
        self.text(&chart.title, 10.0, true, 0.0, 2.0);
        self.room(chart.height());
        let top = self.y;
        // The legend.
        let mut x = MARGIN;
        for (i, name) in chart.segments.iter().enumerate() {
            let (r, g, b) = chart::colour(i);
            let content = self.page();
            content
                .set_fill_rgb(
                    f32::from(r) / 255.0,
                    f32::from(g) / 255.0,
                    f32::from(b) / 255.0,
                )
                .rect(x, top - 14.0, 9.0, 9.0)
                .fill_nonzero()
                .set_fill_gray(0.0)
                .begin_text()
                .set_font(REGULAR, 9.0)
                .next_line(x + 12.0, top - 13.0)
                .show(Str(&win_ansi(name)))
                .end_text();
            x += 24.0 + width(name, 9.0, false);
        }
        for (row, bar) in chart.bars.iter().enumerate() {
            let y = top - chart::LEGEND_HEIGHT - chart::ROW_HEIGHT * row as f32;
            let total: u32 = bar.counts.iter().sum();
            let label = fit(&bar.label, 9.0, chart::LABEL_WIDTH - 6.0);
            let segments = chart.segments_of(bar);
            let content = self.page();
            content
                .set_fill_gray(0.0)
                .begin_text()
                .set_font(REGULAR, 9.0)
                .next_line(MARGIN, y - 11.0)
                .show(Str(&win_ansi(&label)))
                .end_text();
            for (segment, offset, w) in segments {
                let (r, g, b) = chart::colour(segment);
                content
                    .set_fill_rgb(
                        f32::from(r) / 255.0,
                        f32::from(g) / 255.0,
                        f32::from(b) / 255.0,
                    )
                    .rect(
                        MARGIN + chart::LABEL_WIDTH + offset,
                        y - chart::BAR_HEIGHT,
                        w,
                        chart::BAR_HEIGHT,
                    )
                    .fill_nonzero();
            }
            content
                .set_fill_gray(0.0)
                .begin_text()
                .set_font(REGULAR, 9.0)
                .next_line(
                    MARGIN + chart::LABEL_WIDTH + chart::BAR_WIDTH + 6.0,
                    y - 11.0,
                )
                .show(Str(total.to_string().as_bytes()))
                .end_text();
        }
        self.y = top - chart.height() - 8.0;
    }
}

/// `text` cut with an ellipsis to fit `max` points.
fn fit(text: &str, size: f32, max: f32) -> String {
    if width(text, size, false) <= max {
        return text.to_owned();
    }
    let mut cut: String = text.to_owned();
    while !cut.is_empty() && width(&format!("{cut}…"), size, false) > max {
        cut.pop();
    }
    format!("{}…", cut.trim_end())
}

/// The document as the bytes of a PDF file.
pub fn render(document: &Document) -> Vec<u8> {
    let mut layout = Layout::new();
    layout.text(&document.title, 18.0, true, 0.0, 2.0);
    layout.text(&document.subtitle, 10.0, false, 0.0, 10.0);
    for block in &document.blocks {
        match block {
            Block::Heading(text) => {
                layout.room(40.0);
                layout.y -= 6.0;
                layout.text(text, 14.0, true, 0.0, 4.0);
            }
            Block::Subheading(text) => {
                layout.room(30.0);
                layout.text(text, 11.0, true, 0.0, 2.0);
            }
            Block::Text(text) => layout.text(text, 10.0, false, 0.0, 4.0),
            Block::Fact(label, value) => {
                layout.text(&format!("{label}: {value}"), 10.0, false, 12.0, 1.0)
            }
            Block::Chart(chart) => layout.chart(chart),
        }
    }

    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first_page = 6;
    let count = layout.pages.len() as i32;
    let page_ids: Vec<Ref> = (0..count).map(|i| Ref::new(first_page + 2 * i)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().copied()).count(count);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(TextStr(&document.title))
        .producer(TextStr("leadkit"));
    for (i, mut content) in layout.pages.into_iter().enumerate() {
        let page_id = page_ids[i];
        let content_id = Ref::new(page_id.get() + 1);
        // The page number, at the foot of each page.
        let footer = format!("{} · page {} of {count}", document.title, i + 1);
        content
            .set_fill_gray(0.35)
            .begin_text()
            .set_font(REGULAR, 8.0)
            .next_line(MARGIN, MARGIN / 2.0)
            .show(Str(&win_ansi(&footer)))
            .end_text();
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(tree)
            .contents(content_id);
        let mut resources = page.resources();
        resources.fonts().pair(REGULAR, regular).pair(BOLD, bold);
        resources.finish();
        page.finish();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_wrap_within_the_text_width_and_keep_every_word() {
        let text = "A leader will use evidence to inform decisions and connect colleagues with relevant expertise across the Trust, analysing development patterns.".repeat(3);
        let lines = wrap(&text, 10.0, false, 200.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| width(l, 10.0, false) <= 200.0));
        assert_eq!(
            lines.join(" "),
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }

    #[test]
    fn typographic_quotes_and_dashes_are_in_the_fonts_encoding() {
        assert_eq!(
            win_ansi("‘a’ – “b” — é ✓"),
            b"\x91a\x92 \x96 \x93b\x94 \x97 \xe9 ?".to_vec()
        );
    }

    #[test]
    fn a_long_document_flows_onto_more_pages() {
        let mut doc = Document::new("Report", "for testing");
        for i in 0..200 {
            doc.push(Block::Fact(format!("Component {i}"), "High impact".into()));
        }
        let bytes = render(&doc);
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.matches("/Type /Page\n").count() + text.matches("/Type /Page ").count() >= 1);
        assert!(
            text.contains("/Count 4") || text.contains("/Count 5"),
            "200 lines make several pages"
        );
    }
}
