//! Fonts and drawing: turns a [`PageLayout`](super::layout::PageLayout) into an 8-bit grayscale
//! image, black ink on white paper.

use super::book::Leader;
use super::layout::{Op, PageLayout};
use ab_glyph::{Font, FontVec, PxScale, ScaleFont};
use image::GrayImage;
use std::path::{Path, PathBuf};

/// Where Debian/Ubuntu put the TrueType fonts (packages fonts-dejavu-core, fonts-freefont-ttf).
pub const FONT_DIR: &str = "/usr/share/fonts/truetype";

/// Serif faces for labels and headings: (regular, bold). Liberation fonts lack Vietnamese
/// glyphs and are not used.
pub const LABEL_FONTS: &[(&str, &str)] = &[
    ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf"),
    ("freefont/FreeSerif.ttf", "freefont/FreeSerifBold.ttf"),
];

/// Faces the values are typed in, and whether the face is so thin that a typewriter's strike
/// must be imitated by drawing it twice; FreeMono gives the typewriter look.
pub const VALUE_FONTS: &[(&str, bool)] = &[
    ("dejavu/DejaVuSerif.ttf", false),
    ("dejavu/DejaVuSans.ttf", false),
    ("freefont/FreeSerif.ttf", false),
    ("freefont/FreeSans.ttf", false),
    ("freefont/FreeMono.ttf", true),
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
    /// Value faces found: the file as named, the face, and its thinness flag.
    pub values: Vec<(String, FontVec, bool)>,
}

/// Faces chosen on the command line instead of the built-in lists, so that a set can be
/// typed in fonts the pipeline was never tried on. Relative paths are under the font folder.
#[derive(Debug, Clone, Default)]
pub struct FontChoice {
    /// (regular, bold) pairs for labels and headings.
    pub labels: Vec<(PathBuf, PathBuf)>,
    /// Faces the values are typed in.
    pub values: Vec<PathBuf>,
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
    /// Loads the built-in faces present under `dir`; at least one serif pair is needed.
    pub fn load(dir: &Path) -> Result<Fonts, FontError> {
        Fonts::load_chosen(dir, &FontChoice::default())
    }

    /// Loads the faces of `choice`, each list falling back to the built-in one when empty.
    /// A face named on the command line must load; a built-in one may be missing.
    pub fn load_chosen(dir: &Path, choice: &FontChoice) -> Result<Fonts, FontError> {
        let mut labels = Vec::new();
        let mut first_error = None;
        if choice.labels.is_empty() {
            for (regular, bold) in LABEL_FONTS {
                match (load(&dir.join(regular)), load(&dir.join(bold))) {
                    (Ok(r), Ok(b)) => labels.push((r, b)),
                    (Err(e), _) | (_, Err(e)) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
        } else {
            for (regular, bold) in &choice.labels {
                labels.push((load(&dir.join(regular))?, load(&dir.join(bold))?));
            }
        }
        let values: Vec<(String, FontVec, bool)> = if choice.values.is_empty() {
            VALUE_FONTS
                .iter()
                .filter_map(|(f, thin)| {
                    load(&dir.join(f))
                        .ok()
                        .map(|font| (f.to_string(), font, *thin))
                })
                .collect()
        } else {
            let mut chosen = Vec::new();
            for f in &choice.values {
                chosen.push((f.display().to_string(), load(&dir.join(f))?, false));
            }
            chosen
        };
        if labels.is_empty() || values.is_empty() {
            return Err(first_error.unwrap_or(FontError {
                path: dir.to_path_buf(),
                message: "no usable font (install fonts-dejavu-core and fonts-freefont-ttf)".into(),
            }));
        }
        Ok(Fonts { labels, values })
    }

    /// The file name of a book's value face, as the set's manifest records it.
    pub fn value_name(&self, value: usize) -> &str {
        &self.values[value % self.values.len()].0
    }

    /// The faces of one book.
    pub fn for_book(&self, label: usize, value: usize) -> BookFonts<'_> {
        let (regular, bold) = &self.labels[label % self.labels.len()];
        let (_, value, thin) = &self.values[value % self.values.len()];
        BookFonts {
            label: regular,
            bold,
            value,
            value_thin: *thin,
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
    /// The value face is drawn twice, a stroke apart, to look struck rather than hairline.
    pub value_thin: bool,
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
        scale_of(self.face(face), em)
    }

    pub fn width(&self, face: Face, em: f32, text: &str) -> f32 {
        self.runs(face, em, text)
            .iter()
            .map(|(font, scale, run)| run_width(font, *scale, run))
            .sum()
    }

    /// The text in runs of one face each, with the scale of that face: a letter the face
    /// lacks (some monospaced faces have no "ễ") is set in the label face, as a word
    /// processor substitutes a font for a missing glyph.
    pub fn runs(&self, face: Face, em: f32, text: &str) -> Vec<(&FontVec, PxScale, String)> {
        let primary = self.face(face);
        let mut runs: Vec<(&FontVec, PxScale, String)> = Vec::new();
        for c in text.chars() {
            let font = if primary.glyph_id(c).0 != 0 || c.is_whitespace() {
                primary
            } else {
                self.label
            };
            match runs.last_mut() {
                Some((f, _, run)) if std::ptr::eq(*f, font) => run.push(c),
                _ => runs.push((font, scale_of(font, em), c.to_string())),
            }
        }
        runs
    }

    pub fn ascent(&self, face: Face, em: f32) -> f32 {
        self.face(face).as_scaled(self.scale(face, em)).ascent()
    }

    /// Height of a lower-case x, in ems.
    fn x_height(&self, face: Face) -> Option<f32> {
        let font = self.face(face);
        let em = 100.0;
        let glyph = font
            .glyph_id('x')
            .with_scale_and_position(self.scale(face, em), ab_glyph::point(0.0, 0.0));
        font.outline_glyph(glyph)
            .map(|g| g.px_bounds().height() / em)
    }

    /// Size of values relative to labels that gives both the same x-height: FreeSerif and
    /// FreeMono look a size smaller than DejaVu at the same em.
    pub fn value_scale(&self) -> f32 {
        match (self.x_height(Face::Label), self.x_height(Face::Value)) {
            (Some(label), Some(value)) if value > 0.0 => (label / value).clamp(0.9, 1.15),
            _ => 1.0,
        }
    }
}

/// Draws the layout on white paper.
pub fn draw(layout: &PageLayout, fonts: &BookFonts) -> GrayImage {
    let (w, h) = (layout.width, layout.height);
    let mut img = GrayImage::from_raw(w, h, vec![255; w as usize * h as usize])
        .expect("buffer of the image's size");
    let mut cache = GlyphCache::default();
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
                let strikes: &[f32] = if *face == Face::Value && fonts.value_thin {
                    &[0.0, 0.06]
                } else {
                    &[0.0]
                };
                for dx in strikes {
                    let mut caret = *x + dx * em;
                    for (font, scale, run) in fonts.runs(*face, *em, text) {
                        draw_text(
                            &mut img, &mut cache, font, scale, caret, *baseline, &run, *ink,
                        );
                        caret += run_width(font, scale, &run);
                    }
                }
            }
            Op::Leader {
                x0,
                x1,
                baseline,
                em,
                kind,
                ink,
            } => draw_leader(
                &mut img, &mut cache, fonts, *x0, *x1, *baseline, *em, *kind, *ink,
            ),
            Op::Rule {
                x0,
                x1,
                y,
                thickness,
                ink,
            } => fill_rect(&mut img, *x0, *y, x1 - x0, thickness.max(1.0).round(), *ink),
        }
    }
    img
}

#[allow(clippy::too_many_arguments)]
fn draw_leader(
    img: &mut GrayImage,
    cache: &mut GlyphCache,
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
            // Printed a little below the line, so typed text sits on the dots and a typed
            // full stop stays distinguishable from the leader.
            draw_text(
                img,
                cache,
                fonts.label,
                fonts.scale(Face::Label, em),
                x0,
                baseline + 0.1 * em,
                &dots,
                ink,
            );
        }
        Leader::DottedRule => {
            let size = (em * 0.07).max(1.0).round();
            let step = (em * 0.24).max(3.0);
            let y = (baseline + em * 0.1).round();
            let mut x = x0;
            while x + size <= x1 {
                fill_rect(img, x.round(), y, size, size, ink);
                x += step;
            }
        }
    }
}

/// A glyph's coverage, rasterised once per page and size, placed relative to its origin.
struct GlyphBitmap {
    left: i32,
    top: i32,
    width: usize,
    alpha: Vec<u8>,
}

/// Font (by address), glyph, scale and quarter-pixel offset.
type GlyphKey = (usize, u16, u32, u8);

/// Rasterised glyphs of one page: a page repeats few glyphs many times (dots above all).
#[derive(Default)]
pub struct GlyphCache {
    glyphs: std::collections::HashMap<GlyphKey, Option<GlyphBitmap>>,
}

impl GlyphCache {
    fn get(
        &mut self,
        font: &FontVec,
        id: ab_glyph::GlyphId,
        scale: PxScale,
        quarter: u8,
    ) -> Option<&GlyphBitmap> {
        let key = (
            font as *const FontVec as usize,
            id.0,
            scale.x.to_bits(),
            quarter,
        );
        self.glyphs
            .entry(key)
            .or_insert_with(|| {
                let origin = ab_glyph::point(quarter as f32 / 4.0, 0.0);
                let outlined = font.outline_glyph(id.with_scale_and_position(scale, origin))?;
                let bounds = outlined.px_bounds();
                let width = bounds.width() as usize;
                let height = bounds.height() as usize;
                let mut alpha = vec![0u8; width * height];
                outlined.draw(|x, y, coverage| {
                    let i = y as usize * width + x as usize;
                    if i < alpha.len() {
                        alpha[i] = (coverage.min(1.0) * 255.0) as u8;
                    }
                });
                Some(GlyphBitmap {
                    left: bounds.min.x as i32,
                    top: bounds.min.y as i32,
                    width,
                    alpha,
                })
            })
            .as_ref()
    }
}

/// The scale that sets `font` at `em` pixels: ab_glyph scales by the line height.
fn scale_of(font: &FontVec, em: f32) -> PxScale {
    let upem = font.units_per_em().unwrap_or(1000.0);
    PxScale::from(em * font.height_unscaled() / upem)
}

/// Advance of a run of text in one face, kerning included.
fn run_width(font: &FontVec, scale: PxScale, text: &str) -> f32 {
    let font = font.as_scaled(scale);
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

/// Draws text with its baseline at `baseline`, darkening only (ink over ink stays the darker).
/// Glyphs are cached and blitted here rather than drawn with imageproc's generic
/// `draw_text_mut`, which is compiled unoptimised in this crate's dev builds and took most of a
/// second per page.
#[allow(clippy::too_many_arguments)]
fn draw_text(
    img: &mut GrayImage,
    cache: &mut GlyphCache,
    font: &FontVec,
    scale: PxScale,
    x: f32,
    baseline: f32,
    text: &str,
    ink: u8,
) {
    let (width, height) = (img.width() as i32, img.height() as i32);
    let buf: &mut [u8] = img;
    let scaled = font.as_scaled(scale);
    let baseline = baseline.round() as i32;
    let ink = ink as u32;
    let mut caret = x;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            caret += scaled.kern(p, id);
        }
        previous = Some(id);
        let whole = caret.floor();
        let quarter = ((caret - whole) * 4.0) as u8;
        caret += scaled.h_advance(id);
        let Some(glyph) = cache.get(font, id, scale, quarter) else {
            continue;
        };
        let x0 = whole as i32 + glyph.left;
        let y0 = baseline + glyph.top;
        for (row, line) in glyph.alpha.chunks(glyph.width.max(1)).enumerate() {
            let py = y0 + row as i32;
            if py < 0 || py >= height {
                continue;
            }
            let start = (py * width) as usize;
            for (col, &a) in line.iter().enumerate() {
                let px = x0 + col as i32;
                if a == 0 || px < 0 || px >= width {
                    continue;
                }
                let p = &mut buf[start + px as usize];
                let old = *p as u32;
                if old > ink {
                    *p = (old - (old - ink) * a as u32 / 255) as u8;
                }
            }
        }
    }
}

/// Fills a rectangle with ink (clipped to the image).
fn fill_rect(img: &mut GrayImage, x: f32, y: f32, w: f32, h: f32, ink: u8) {
    let (width, height) = (img.width() as i32, img.height() as i32);
    let x0 = (x.round() as i32).clamp(0, width);
    let y0 = (y.round() as i32).clamp(0, height);
    let x1 = ((x + w).round() as i32).clamp(0, width);
    let y1 = ((y + h).round() as i32).clamp(0, height);
    let buf: &mut [u8] = img;
    for row in y0..y1 {
        let start = (row * width) as usize;
        for p in &mut buf[start + x0 as usize..start + x1 as usize] {
            *p = (*p).min(ink);
        }
    }
}
