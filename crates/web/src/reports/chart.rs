//! One kind of chart, drawn on the server: horizontal bars, each split into
//! coloured segments (people at each level, lowest first). The same chart is
//! written as SVG for pages ([`BarChart::to_svg`]) and drawn into PDFs
//! ([`super::pdf`]), so a page and its PDF show the same picture.

use super::escape;

/// Okabe–Ito colours, distinguishable with the common colour-vision
/// differences: not yet, then each level lowest first. The one palette of every
/// chart and of the insight pages.
pub const COLOURS: [&str; 4] = ["#E69F00", "#56B4E9", "#009E73", "#0072B2"];

/// The colour of a segment (the last colour for any beyond the palette), as CSS.
pub fn hex(segment: usize) -> &'static str {
    COLOURS[segment.min(COLOURS.len() - 1)]
}

/// A chart: a title, the segment names (the legend) and labelled bars.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub title: String,
    pub segments: Vec<String>,
    pub bars: Vec<Bar>,
}

/// One bar: its label and a count per segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub counts: Vec<u32>,
}

/// Sizes shared by both drawings (points in a PDF, pixels on a page).
pub const LABEL_WIDTH: f32 = 170.0;
pub const BAR_WIDTH: f32 = 300.0;
pub const BAR_HEIGHT: f32 = 14.0;
pub const ROW_HEIGHT: f32 = 20.0;
pub const LEGEND_HEIGHT: f32 = 22.0;

/// The colour of a segment as red, green and blue.
pub fn colour(segment: usize) -> (u8, u8, u8) {
    let hex = hex(segment);
    let part = |at: usize| u8::from_str_radix(hex.get(at..at + 2).unwrap_or("00"), 16).unwrap_or(0);
    (part(1), part(3), part(5))
}

/// A bar's label cut to fit [`LABEL_WIDTH`] at the page's 11px text (the whole
/// label is in the bar's title).
fn short(label: &str) -> String {
    const MOST: usize = 28;
    if label.chars().count() <= MOST {
        return label.to_owned();
    }
    let cut: String = label.chars().take(MOST - 1).collect();
    format!("{}…", cut.trim_end())
}

impl BarChart {
    /// Each bar's segments as (segment, x offset, width) within [`BAR_WIDTH`],
    /// scaled to the longest bar so bars compare by length.
    pub fn segments_of(&self, bar: &Bar) -> Vec<(usize, f32, f32)> {
        let longest = self
            .bars
            .iter()
            .map(|b| b.counts.iter().sum::<u32>())
            .max()
            .unwrap_or(0)
            .max(1);
        let mut x = 0.0;
        let mut out = Vec::new();
        for (segment, count) in bar.counts.iter().enumerate() {
            if *count == 0 {
                continue;
            }
            let width = BAR_WIDTH * *count as f32 / longest as f32;
            out.push((segment, x, width));
            x += width;
        }
        out
    }

    pub fn height(&self) -> f32 {
        LEGEND_HEIGHT + ROW_HEIGHT * self.bars.len() as f32
    }

    /// The chart as an accessible SVG element (a title, and each bar's numbers
    /// in its `<title>` for screen readers and tooltips).
    pub fn to_svg(&self) -> String {
        let width = LABEL_WIDTH + BAR_WIDTH + 60.0;
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {width} {h}\" width=\"{width}\" height=\"{h}\" aria-label=\"{t}\"><title>{t}</title>",
            h = self.height(),
            t = escape(&self.title)
        );
        let mut x = 0.0;
        for (i, name) in self.segments.iter().enumerate() {
            let (r, g, b) = colour(i);
            svg.push_str(&format!(
                "<rect x=\"{x}\" y=\"4\" width=\"10\" height=\"10\" fill=\"#{r:02x}{g:02x}{b:02x}\"/><text x=\"{}\" y=\"13\" font-size=\"11\">{}</text>",
                x + 14.0,
                escape(name)
            ));
            x += 24.0 + 6.0 * name.chars().count() as f32;
        }
        for (row, bar) in self.bars.iter().enumerate() {
            let y = LEGEND_HEIGHT + ROW_HEIGHT * row as f32;
            let total: u32 = bar.counts.iter().sum();
            let detail: Vec<String> = self
                .segments
                .iter()
                .zip(&bar.counts)
                .map(|(name, n)| format!("{name} {n}"))
                .collect();
            svg.push_str(&format!(
                "<g><title>{}: {}</title><text x=\"0\" y=\"{}\" font-size=\"11\">{}</text>",
                escape(&bar.label),
                escape(&detail.join(", ")),
                y + 11.0,
                escape(&short(&bar.label))
            ));
            for (segment, offset, w) in self.segments_of(bar) {
                let (r, g, b) = colour(segment);
                svg.push_str(&format!(
                    "<rect x=\"{}\" y=\"{y}\" width=\"{w:.1}\" height=\"{BAR_HEIGHT}\" fill=\"#{r:02x}{g:02x}{b:02x}\"/>",
                    LABEL_WIDTH + offset
                ));
            }
            svg.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" font-size=\"11\">{total}</text></g>",
                LABEL_WIDTH + BAR_WIDTH + 6.0,
                y + 11.0
            ));
        }
        svg.push_str("</svg>");
        svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_palette_reads_the_same_as_css_and_as_rgb() {
        assert_eq!(hex(0), "#E69F00");
        assert_eq!(colour(0), (0xE6, 0x9F, 0x00));
        assert_eq!(colour(3), (0x00, 0x72, 0xB2));
        assert_eq!(colour(9), colour(3));
    }

    fn chart() -> BarChart {
        BarChart {
            title: "Levels by domain".into(),
            segments: vec!["Not yet".into(), "Some".into(), "High".into()],
            bars: vec![
                Bar {
                    label: "1 Leading <people>".into(),
                    counts: vec![1, 2, 1],
                },
                Bar {
                    label: "2".into(),
                    counts: vec![0, 0, 2],
                },
            ],
        }
    }

    #[test]
    fn bars_are_scaled_to_the_longest_and_empty_segments_left_out() {
        let c = chart();
        let first = c.segments_of(&c.bars[0]);
        assert_eq!(first.len(), 3);
        let total: f32 = first.iter().map(|(_, _, w)| w).sum();
        assert!((total - BAR_WIDTH).abs() < 0.01);
        let second = c.segments_of(&c.bars[1]);
        assert_eq!(second.len(), 1);
        assert!((second[0].2 - BAR_WIDTH / 2.0).abs() < 0.01);
    }

    #[test]
    fn the_svg_is_escaped_and_says_its_numbers() {
        let svg = chart().to_svg();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("1 Leading &lt;people&gt;"));
        assert!(svg.contains("Not yet 1, Some 2, High 1"));
        assert_eq!(svg.matches("<rect").count(), 3 + 4);
    }
}
