//! Page layout: where the title, header, entry lines, labels, dotted leaders and typed values
//! go on an A4 page. Driven only by the printed page ([`PrintedPage`], built from the edition's
//! data) and the book's style, so a new edition file lays out with no Rust change.

use super::book::{Align, BookStyle, Leader};
use super::render::{BookFonts, Face};
use rand::Rng;

/// One labelled value as printed: "Dân tộc: Kinh".
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedItem {
    pub label: String,
    /// `None` leaves the leader blank.
    pub value: Option<String>,
    /// Typical width of such a value, in ems, to share a line between items.
    pub width_em: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PrintedLine {
    Heading(String),
    Items(Vec<PrintedItem>),
}

/// Everything one page prints, top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedPage {
    pub title: Option<String>,
    pub header: Vec<PrintedItem>,
    pub entries: Vec<Vec<PrintedLine>>,
    pub footer: Vec<PrintedItem>,
}

/// A drawing instruction, in pixels.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Text {
        face: Face,
        em: f32,
        x: f32,
        baseline: f32,
        text: String,
        ink: u8,
    },
    Leader {
        x0: f32,
        x1: f32,
        baseline: f32,
        em: f32,
        kind: Leader,
        ink: u8,
    },
    Rule {
        x0: f32,
        x1: f32,
        y: f32,
        thickness: f32,
        ink: u8,
    },
}

#[derive(Debug, Clone)]
pub struct PageLayout {
    pub width: u32,
    pub height: u32,
    pub ops: Vec<Op>,
}

/// A4 in pixels at `dpi`.
pub fn a4_pixels(dpi: u32) -> (u32, u32) {
    let px = |mm: f32| (mm / 25.4 * dpi as f32).round() as u32;
    (px(210.0), px(297.0))
}

/// Leader dots are lighter than the printed labels.
const LEADER_INK: u8 = 90;

struct Painter<'a> {
    fonts: &'a BookFonts<'a>,
    style: &'a BookStyle,
    /// Values are typed at the labels' x-height, whatever their face.
    value_scale: f32,
    ops: Vec<Op>,
}

impl Painter<'_> {
    fn text(&mut self, face: Face, em: f32, x: f32, baseline: f32, text: &str, ink: u8) {
        self.ops.push(Op::Text {
            face,
            em,
            x,
            baseline,
            text: text.to_string(),
            ink,
        });
    }

    /// Label, colon, leader from after the colon to `x1`, the value typed over the leader.
    fn item(
        &mut self,
        rng: &mut impl Rng,
        item: &PrintedItem,
        x0: f32,
        x1: f32,
        baseline: f32,
        em: f32,
    ) {
        let label = format!("{}:", item.label);
        let label_w = self.fonts.width(Face::Label, em, &label);
        self.text(Face::Label, em, x0, baseline, &label, self.style.label_ink);
        let lead_start = x0 + label_w + 0.2 * em;
        if x1 - lead_start > em {
            self.ops.push(Op::Leader {
                x0: lead_start,
                x1,
                baseline,
                em,
                kind: self.style.leader,
                ink: LEADER_INK,
            });
        }
        if let Some(value) = &item.value {
            let value_x = x0 + label_w + self.style.value_offset_em * em;
            let room = (x1 - value_x - 0.2 * em).max(em);
            let typed_em = em * self.value_scale;
            let natural = self.fonts.width(Face::Value, typed_em, value);
            // A value longer than its room is typed smaller rather than over the next item.
            let value_em = if natural > room {
                (typed_em * room / natural).max(0.5 * em)
            } else {
                typed_em
            };
            let jitter = rng.gen_range(-0.04..0.04) * em;
            let ink = self.style.value_ink.saturating_add(rng.gen_range(0..12));
            self.text(
                Face::Value,
                value_em,
                value_x,
                baseline + jitter,
                value,
                ink,
            );
        }
    }

    /// Items sharing a line, each given room in proportion to its label and typical value.
    /// Where that leaves a value too little room (long labels on one line), each item first
    /// gets what its label and its own value take, as a typist would space them, and the
    /// rest is shared the same way.
    fn items(
        &mut self,
        rng: &mut impl Rng,
        items: &[PrintedItem],
        x0: f32,
        x1: f32,
        baseline: f32,
        em: f32,
    ) {
        let gap = 1.2 * em;
        let labels: Vec<f32> = items
            .iter()
            .map(|i| self.fonts.width(Face::Label, em, &format!("{}:", i.label)))
            .collect();
        let needs: Vec<f32> = items
            .iter()
            .zip(&labels)
            .map(|(i, label)| label + (i.width_em + 1.0) * em)
            .collect();
        let typed_em = em * self.value_scale;
        let fixed: Vec<f32> = labels
            .iter()
            .map(|label| label + (self.style.value_offset_em + 0.4) * em)
            .collect();
        let values: Vec<f32> = items
            .iter()
            .map(|i| {
                i.value
                    .as_deref()
                    .map_or(0.0, |v| self.fonts.width(Face::Value, typed_em, v))
            })
            .collect();
        let total: f32 = needs.iter().sum();
        let room = x1 - x0 - gap * (items.len().saturating_sub(1)) as f32;
        let shares: Vec<f32> = needs.iter().map(|n| room * n / total).collect();
        let least: Vec<f32> = fixed.iter().zip(&values).map(|(f, v)| f + v).collect();
        let cramped = shares.iter().zip(&least).any(|(s, l)| s < l);
        let least_total: f32 = least.iter().sum();
        let widths: Vec<f32> = if !cramped {
            shares
        } else if least_total <= room {
            let spare = room - least_total;
            least
                .iter()
                .zip(&needs)
                .map(|(l, n)| l + spare * n / total)
                .collect()
        } else {
            // Too full even so: the labels keep their size and every value is typed smaller
            // by the same factor.
            let fixed_total: f32 = fixed.iter().sum();
            let values_total: f32 = values.iter().sum::<f32>().max(1.0);
            let factor = ((room - fixed_total) / values_total).max(0.0);
            fixed
                .iter()
                .zip(&values)
                .map(|(f, v)| f + v * factor)
                .collect()
        };
        let mut x = x0;
        for (item, width) in items.iter().zip(&widths) {
            self.item(rng, item, x, x + width, baseline, em);
            x += width + gap;
        }
    }

    /// A header or footer row: items at their natural width, aligned as the book does.
    fn row(
        &mut self,
        rng: &mut impl Rng,
        items: &[PrintedItem],
        align: Align,
        (x0, x1): (f32, f32),
        baseline: f32,
        em: f32,
    ) {
        if items.is_empty() {
            return;
        }
        let gap = 2.0 * em;
        let widths: Vec<f32> = items
            .iter()
            .map(|i| {
                let label = self.fonts.width(Face::Label, em, &format!("{}:", i.label));
                let value = i
                    .value
                    .as_deref()
                    .map(|v| self.fonts.width(Face::Value, em, v))
                    .unwrap_or(0.0)
                    .max(4.0 * em);
                label + (self.style.value_offset_em + 1.5) * em + value
            })
            .collect();
        let total: f32 = widths.iter().sum::<f32>() + gap * (items.len() - 1) as f32;
        let mut x = match align {
            Align::Left => x0,
            Align::Centre => (x0 + x1 - total) / 2.0,
            Align::Right => x1 - total,
        };
        for (item, w) in items.iter().zip(&widths) {
            self.item(rng, item, x, x + w, baseline, em);
            x += w + gap;
        }
    }
}

/// Lays out one page.
pub fn layout_page(
    rng: &mut impl Rng,
    page: &PrintedPage,
    style: &BookStyle,
    fonts: &BookFonts,
    dpi: u32,
) -> PageLayout {
    let (width, height) = a4_pixels(dpi);
    let dpi_f = dpi as f32;
    let em = style.points * dpi_f / 72.0;
    let left = style.margins[0] * dpi_f;
    let right = width as f32 - style.margins[1] * dpi_f;
    let top = style.margins[2] * dpi_f;
    let bottom = height as f32 - style.margins[3] * dpi_f;
    let mut p = Painter {
        fonts,
        style,
        value_scale: fonts.value_scale(),
        ops: Vec::new(),
    };

    let mut y = top;
    if let Some(title) = &page.title {
        let title_em = 1.45 * em;
        let baseline = y + fonts.ascent(Face::Bold, title_em);
        let w = fonts.width(Face::Bold, title_em, title);
        p.text(
            Face::Bold,
            title_em,
            (width as f32 - w) / 2.0,
            baseline,
            title,
            style.label_ink,
        );
        y = baseline + 0.6 * em;
    }
    let header_baseline = (!page.header.is_empty()).then(|| {
        let baseline = y + 1.4 * em;
        y = baseline + 0.5 * em;
        baseline
    });
    y += 0.8 * em;
    let footer_baseline = (!page.footer.is_empty()).then_some(bottom - 0.3 * em);
    let entries_bottom = footer_baseline.map_or(bottom, |b| b - 2.0 * em);

    let lines: usize = page.entries.iter().map(Vec::len).sum();
    let separator = if style.entry_rule { 1.0 } else { 1.4 };
    let slots = lines as f32 + separator * page.entries.len().saturating_sub(1) as f32;
    let pitch = ((entries_bottom - y) / slots.max(1.0)).min(2.1 * em);
    // Lines closer than 1.35 em would touch: the type gets smaller instead.
    let body_em = em.min(pitch / 1.35);
    if let Some(baseline) = header_baseline {
        let align = style.header_align;
        p.row(rng, &page.header, align, (left, right), baseline, body_em);
    }
    if let Some(baseline) = footer_baseline {
        let align = style.footer_align;
        p.row(rng, &page.footer, align, (left, right), baseline, body_em);
    }
    for (i, entry) in page.entries.iter().enumerate() {
        if i > 0 {
            if style.entry_rule {
                let rule_y = y + 0.35 * pitch;
                p.ops.push(Op::Rule {
                    x0: left,
                    x1: right,
                    y: rule_y,
                    thickness: (dpi_f / 110.0).max(1.0),
                    ink: style.label_ink,
                });
            }
            y += separator * pitch;
        }
        for line in entry {
            let baseline = y + 0.8 * pitch;
            match line {
                PrintedLine::Heading(text) => {
                    let heading_em = 1.05 * body_em;
                    let w = fonts.width(Face::Bold, heading_em, text);
                    let x = match style.heading_align {
                        Align::Centre => (left + right - w) / 2.0,
                        _ => left,
                    };
                    p.text(Face::Bold, heading_em, x, baseline, text, style.label_ink);
                }
                PrintedLine::Items(items) => p.items(rng, items, left, right, baseline, body_em),
            }
            y += pitch;
        }
    }
    PageLayout {
        width,
        height,
        ops: p.ops,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a4_at_200_dpi() {
        assert_eq!(a4_pixels(200), (1654, 2339));
        assert_eq!(a4_pixels(300), (2480, 3508));
    }
}
