//! Fonts and drawing: turns a [`PageLayout`](super::layout::PageLayout) into an 8-bit grayscale
//! image, black ink on white paper.

use super::book::Leader;
use super::layout::{Op, PageLayout};
use ab_glyph::{Font, FontVec, PxScale, ScaleFont};
use image::{GrayImage, Luma};
use imageproc::drawing::{draw_filled_rect_mut, draw_text_mut};
use imageproc::rect::Rect;
use std::path::{Path, PathBuf};

/// Where Debian/Ubuntu put the TrueType fonts (packages fonts-dejavu-core, fonts-freefont-ttf).
pub const FONT_DIR: &str = "/usr/share/fonts/truetype";

/// Serif faces for labels and headings: (regular, bold). Liberation fonts lack Vietnamese
/// glyphs and are not used.
pub const LABEL_FONTS: &[(&str, &str)] = &[
    ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf"),
    ("freefont/FreeSerif.ttf", "freefont/FreeSerifBold.ttf"),
];

/// Faces the values are typed in; FreeMono gives the typewriter look.
pub const VALUE_FONTS: &[&str] = &[
    "dejavu/DejaVuSerif.ttf",
    "dejavu/DejaVuSans.ttf",
    "freefont/FreeSerif.ttf",
    "freefont/FreeSans.ttf",
    "freefont/FreeMono.ttf",
];

#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot load the font: {message}")]
pub struct FontError {
    pub path: PathBuf,
    pub message: String,
}

/// Every font a set may use, loaded once and shared by the rendering threads.
pub struct Fonts {
    /// (regular, bold) serif pairs found on this machine.
    pub labels: Vec<(FontVec, FontVec)>,
    pub values: Vec<FontVec>,
}

fn load(path: &Path) -> Result<FontVec, FontError> {
    let bytes = std::fs::read(path).map_err(|e| FontError {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    FontVec::try_from_vec(bytes).map_err(|e| FontError {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

impl Fonts {
    /// Loads the faces present under `dir`; at least one serif pair is needed.
    pub fn load(dir: &Path) -> Result<Fonts, FontError> {
        let mut labels = Vec::new();
        let mut first_error = None;
        for (regular, bold) in LABEL_FONTS {
            match (load(&dir.join(regular)), load(&dir.join(bold))) {
                (Ok(r), Ok(b)) => labels.push((r, b)),
                (Err(e), _) | (_, Err(e)) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        let values: Vec<FontVec> = VALUE_FONTS
            .iter()
            .filter_map(|f| load(&dir.join(f)).ok())
            .collect();
        if labels.is_empty() || values.is_empty() {
            return Err(first_error.unwrap_or(FontError {
                path: dir.to_path_buf(),
                message: "no usable font (install fonts-dejavu-core and fonts-freefont-ttf)".into(),
            }));
        }
        Ok(Fonts { labels, values })
    }

    /// The faces of one book.
    pub fn for_book(&self, label: usize, value: usize) -> BookFonts<'_> {
        let (regular, bold) = &self.labels[label % self.labels.len()];
        BookFonts {
            label: regular,
            bold,
            value: &self.values[value % self.values.len()],
        }
    }
}

/// Which face a piece of text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Label,
    Bold,
    Value,
}

/// The three faces of one book, with measuring helpers.
#[derive(Clone, Copy)]
pub struct BookFonts<'a> {
    pub label: &'a FontVec,
    pub bold: &'a FontVec,
    pub value: &'a FontVec,
}

impl BookFonts<'_> {
    pub fn face(&self, face: Face) -> &FontVec {
        match face {
            Face::Label => self.label,
            Face::Bold => self.bold,
            Face::Value => self.value,
        }
    }

    /// ab_glyph scales by the line height; a type size is an em.
    pub fn scale(&self, face: Face, em: f32) -> PxScale {
        let font = self.face(face);
        let upem = font.units_per_em().unwrap_or(1000.0);
        PxScale::from(em * font.height_unscaled() / upem)
    }

    pub fn width(&self, face: Face, em: f32, text: &str) -> f32 {
        let font = self.face(face).as_scaled(self.scale(face, em));
        let mut width = 0.0;
        let mut previous = None;
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(p) = previous {
                width += font.kern(p, id);
            }
            width += font.h_advance(id);
            previous = Some(id);
        }
        width
    }

    pub fn ascent(&self, face: Face, em: f32) -> f32 {
        self.face(face).as_scaled(self.scale(face, em)).ascent()
    }
}

/// Draws the layout on white paper.
pub fn draw(layout: &PageLayout, fonts: &BookFonts) -> GrayImage {
    let mut img = GrayImage::from_pixel(layout.width, layout.height, Luma([255]));
    for op in &layout.ops {
        match op {
            Op::Text {
                face,
                em,
                x,
                baseline,
                text,
                ink,
            } => {
                let top = baseline - fonts.ascent(*face, *em);
                draw_text_mut(
                    &mut img,
                    Luma([*ink]),
                    x.round() as i32,
                    top.round() as i32,
                    fonts.scale(*face, *em),
                    fonts.face(*face),
                    text,
                );
            }
            Op::Leader {
                x0,
                x1,
                baseline,
                em,
                kind,
                ink,
            } => draw_leader(&mut img, fonts, *x0, *x1, *baseline, *em, *kind, *ink),
            Op::Rule {
                x0,
                x1,
                y,
                thickness,
                ink,
            } => {
                let w = (x1 - x0).max(1.0) as u32;
                let h = thickness.max(1.0).round() as u32;
                draw_filled_rect_mut(
                    &mut img,
                    Rect::at(x0.round() as i32, y.round() as i32).of_size(w, h),
                    Luma([*ink]),
                );
            }
        }
    }
    img
}

#[allow(clippy::too_many_arguments)]
fn draw_leader(
    img: &mut GrayImage,
    fonts: &BookFonts,
    x0: f32,
    x1: f32,
    baseline: f32,
    em: f32,
    kind: Leader,
    ink: u8,
) {
    match kind {
        Leader::Periods => {
            let advance = fonts.width(Face::Label, em, ".").max(1.0);
            let count = ((x1 - x0) / advance).floor().max(0.0) as usize;
            let dots = ".".repeat(count);
            let top = baseline - fonts.ascent(Face::Label, em);
            draw_text_mut(
                img,
                Luma([ink]),
                x0.round() as i32,
                top.round() as i32,
                fonts.scale(Face::Label, em),
                fonts.label,
                &dots,
            );
        }
        Leader::DottedRule => {
            let size = (em * 0.07).max(1.0).round() as u32;
            let step = (em * 0.24).max(3.0);
            let y = (baseline + em * 0.1).round() as i32;
            let mut x = x0;
            while x + size as f32 <= x1 {
                draw_filled_rect_mut(
                    img,
                    Rect::at(x.round() as i32, y).of_size(size, size),
                    Luma([ink]),
                );
                x += step;
            }
        }
    }
}
