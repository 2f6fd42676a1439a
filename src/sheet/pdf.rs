//! Renders a filled-in residence comment sheet (phiếu nhận xét) as a PDF, laid
//! out like the DOCX version in [`crate::sheet::docx`].
//!
//! Pure Rust: `pdf-writer` writes the objects, `ttf-parser` gives glyph ids and
//! advance widths for the line breaking done here, and `subsetter` shrinks the
//! embedded DejaVu Sans (regular and bold) to the glyphs actually used. The
//! fonts are written as CID fonts (Identity-H) with a `/ToUnicode` map, so the
//! text can be copied and extracted. Italic is the regular face, slanted.

use std::collections::BTreeMap;
use std::io::Write as _;

use anyhow::{Context as _, anyhow};
use flate2::Compression;
use flate2::write::ZlibEncoder;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish as _, Name, Pdf, Rect, Ref, Str};
use subsetter::GlyphRemapper;
use unicode_normalization::UnicodeNormalization as _;

use crate::sheet::docx::SheetDocument;

static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

// ---------------------------------------------------------------------------
// Page geometry (points) and font sizes, following the DOCX renderer. DejaVu
// Sans runs about 15 % wider than Times New Roman, so the sizes are a little
// smaller than the DOCX ones (14/13/16/11 pt) to keep the same line lengths.

const PAGE_W: f32 = 595.3;
const PAGE_H: f32 = 841.9;
const MARGIN_TOP: f32 = 56.7; // 2 cm
const MARGIN_BOTTOM: f32 = 56.7; // 2 cm
const MARGIN_LEFT: f32 = 85.05; // 3 cm
const MARGIN_RIGHT: f32 = 56.7; // 2 cm
const TEXT_W: f32 = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;

const SZ_BODY: f32 = 12.0;
const SZ_HEADER: f32 = 11.0;
const SZ_TITLE: f32 = 14.5;
const SZ_FOOTER: f32 = 9.5;

/// Line height as a multiple of the font size (DejaVu's natural 1.16 em, a little loosened).
const LINE: f32 = 1.22;
/// How far the borderless header and signature tables reach into the left margin.
const OUTDENT: f32 = 21.25;
/// First-line indent of body paragraphs (1.27 cm).
const INDENT: f32 = 36.0;
/// Hanging indent of the "- " items.
const HANG: f32 = 14.2;
/// Horizontal shear of the fake italic.
const SLANT: f32 = 0.2;
/// Cell padding of the bordered table.
const PAD_X: f32 = 5.4;
const PAD_Y: f32 = 2.85;

// ---------------------------------------------------------------------------
// Fonts.

struct Font {
    face: ttf_parser::Face<'static>,
    data: &'static [u8],
    upem: f32,
    remapper: GlyphRemapper,
    /// New glyph id -> the text it stands for (for `/ToUnicode`).
    to_unicode: BTreeMap<u16, char>,
}

impl Font {
    fn new(data: &'static [u8]) -> anyhow::Result<Self> {
        let face = ttf_parser::Face::parse(data, 0).map_err(|e| anyhow!("pdf: bad font: {e}"))?;
        Ok(Self {
            upem: f32::from(face.units_per_em()),
            face,
            data,
            remapper: GlyphRemapper::new(),
            to_unicode: BTreeMap::new(),
        })
    }

    /// The glyph of `c`; for a character the font has none for (an emoji
    /// in a member's response), the replacement character's "�", never a
    /// glyph that stands for another character ("👍" drawn as "?" would
    /// read as a question).
    fn glyph(&self, c: char) -> ttf_parser::GlyphId {
        self.face
            .glyph_index(c)
            .or_else(|| self.face.glyph_index(char::REPLACEMENT_CHARACTER))
            .unwrap_or(ttf_parser::GlyphId(0))
    }

    /// What `c` is drawn as, for the text a reader copies out of the PDF:
    /// itself, or the replacement character where the font has no glyph
    /// for it (so that the glyph keeps one meaning, whichever character
    /// used it first).
    fn drawn(&self, c: char) -> char {
        match self.face.glyph_index(c) {
            Some(_) => c,
            None => char::REPLACEMENT_CHARACTER,
        }
    }

    /// Advance width of `c` in thousandths of an em.
    fn advance(&self, c: char) -> f32 {
        let g = self.glyph(c);
        f32::from(self.face.glyph_hor_advance(g).unwrap_or(0)) * 1000.0 / self.upem
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size / 1000.0
    }

    /// Encodes text as two-byte CIDs of the subset, recording what is used.
    fn encode(&mut self, text: &str, out: &mut Vec<u8>) {
        for c in text.chars() {
            let g = self.glyph(c);
            let cid = self.remapper.remap(g.0);
            let c = self.drawn(c);
            self.to_unicode.entry(cid).or_insert(c);
            out.extend_from_slice(&cid.to_be_bytes());
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Style {
    bold: bool,
    italic: bool,
    underline: bool,
    size: f32,
}

impl Style {
    const fn plain(size: f32) -> Self {
        Self {
            bold: false,
            italic: false,
            underline: false,
            size,
        }
    }
    const fn bold(size: f32) -> Self {
        Self {
            bold: true,
            ..Self::plain(size)
        }
    }
    const fn italic(size: f32) -> Self {
        Self {
            italic: true,
            ..Self::plain(size)
        }
    }
    fn line_h(self) -> f32 {
        self.size * LINE
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Center,
    Both,
}

/// A paragraph: one style, like every paragraph of the DOCX form.
#[derive(Debug, Clone)]
struct Para {
    text: String,
    style: Style,
    align: Align,
    before: f32,
    after: f32,
    first_line: f32,
    left: f32,
    /// Drawn at `left - HANG` on the first line (the "-" of an item).
    marker: Option<&'static str>,
}

impl Para {
    fn new(text: &str, style: Style, align: Align) -> Self {
        Self {
            text: text.nfc().collect(),
            style,
            align,
            before: 0.0,
            after: 3.0,
            first_line: 0.0,
            left: 0.0,
            marker: None,
        }
    }
    fn spacing(mut self, before: f32, after: f32) -> Self {
        self.before = before;
        self.after = after;
        self
    }
    fn first_line(mut self, indent: f32) -> Self {
        self.first_line = indent;
        self
    }
}

/// A run of words on one line, starting at `x` (relative to the column).
#[derive(Debug, Clone)]
struct Frag {
    x: f32,
    words: Vec<String>,
    /// Extra space added to every gap between words (justification).
    extra: f32,
    width: f32,
}

#[derive(Debug, Clone)]
struct Line {
    frags: Vec<Frag>,
    style: Style,
}

impl Line {
    fn height(&self) -> f32 {
        self.style.line_h()
    }
}

/// Splits a word that is wider than `max` into pieces that fit.
fn split_long(font: &Font, word: &str, size: f32, max: f32) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut cur = String::new();
    let mut w = 0.0;
    for c in word.chars() {
        let cw = font.advance(c) * size / 1000.0;
        if !cur.is_empty() && w + cw > max {
            pieces.push(std::mem::take(&mut cur));
            w = 0.0;
        }
        cur.push(c);
        w += cw;
    }
    if !cur.is_empty() {
        pieces.push(cur);
    }
    pieces
}

/// Breaks a paragraph into lines of at most `width` points.
fn layout(fonts: &[Font; 2], p: &Para, width: f32) -> Vec<Line> {
    let font = &fonts[usize::from(p.style.bold)];
    let size = p.style.size;
    let space = font.advance(' ') * size / 1000.0;
    let text = p.text.replace("\r\n", "\n").replace(['\r', '\t'], " ");
    let mut lines = Vec::new();
    for hard in text.split('\n') {
        let mut words: Vec<String> = Vec::new();
        for w in hard.split(' ').filter(|w| !w.is_empty()) {
            words.push(w.chars().filter(|c| !c.is_control()).collect());
        }
        let mut rows: Vec<(Vec<String>, f32)> = Vec::new(); // words, natural width
        let mut cur: Vec<String> = Vec::new();
        let mut cur_w = 0.0;
        for word in words {
            let indent = if lines.is_empty() && rows.is_empty() {
                p.first_line
            } else {
                0.0
            };
            let avail = (width - p.left - indent).max(size);
            let ww = font.width(&word, size);
            let pieces = if ww > avail {
                split_long(font, &word, size, avail)
            } else {
                vec![word]
            };
            for piece in pieces {
                let pw = font.width(&piece, size);
                let indent = if lines.is_empty() && rows.is_empty() {
                    p.first_line
                } else {
                    0.0
                };
                let avail = width - p.left - indent;
                let needed = if cur.is_empty() {
                    pw
                } else {
                    cur_w + space + pw
                };
                if !cur.is_empty() && needed > avail {
                    rows.push((std::mem::take(&mut cur), cur_w));
                    cur_w = pw;
                } else {
                    cur_w = needed;
                }
                cur.push(piece);
            }
        }
        rows.push((cur, cur_w));
        let n = rows.len();
        for (i, (words, natural)) in rows.into_iter().enumerate() {
            let first = lines.is_empty();
            let x0 = p.left + if first { p.first_line } else { 0.0 };
            let avail = width - x0;
            let last = i + 1 == n;
            let (x, extra, w) = match p.align {
                Align::Left => (x0, 0.0, natural),
                Align::Center => (x0 + (avail - natural).max(0.0) / 2.0, 0.0, natural),
                Align::Both if !last && words.len() > 1 => {
                    let gaps = (words.len() - 1) as f32;
                    (x0, (avail - natural).max(0.0) / gaps, avail)
                }
                Align::Both => (x0, 0.0, natural),
            };
            let mut frags = vec![Frag {
                x,
                words,
                extra,
                width: w,
            }];
            if first && let Some(m) = p.marker {
                frags.insert(
                    0,
                    Frag {
                        x: p.left - HANG,
                        words: vec![m.to_string()],
                        extra: 0.0,
                        width: font.width(m, size),
                    },
                );
            }
            lines.push(Line {
                frags,
                style: p.style,
            });
        }
    }
    lines
}

/// Laid-out content of a table cell: lines with their top offsets.
struct CellBox {
    lines: Vec<(f32, Line)>,
    height: f32,
}

fn layout_cell(fonts: &[Font; 2], paras: &[Para], width: f32) -> CellBox {
    let mut y = 0.0;
    let mut out = Vec::new();
    for p in paras {
        y += p.before;
        for line in layout(fonts, p, width) {
            let h = line.height();
            out.push((y, line));
            y += h;
        }
        y += p.after;
    }
    CellBox {
        lines: out,
        height: y,
    }
}

// ---------------------------------------------------------------------------
// The page writer.

struct Writer {
    fonts: [Font; 2],
    pages: Vec<Content>,
    content: Content,
    /// Top of the free space on the current page.
    y: f32,
}

const TOP: f32 = PAGE_H - MARGIN_TOP;

impl Writer {
    fn at_top(&self) -> bool {
        (self.y - TOP).abs() < 0.01
    }

    fn new_page(&mut self) {
        let done = std::mem::replace(&mut self.content, Content::new());
        self.pages.push(done);
        self.y = TOP;
    }

    /// Starts a new page unless `h` points fit below the cursor.
    fn ensure(&mut self, h: f32) {
        if self.y - h < MARGIN_BOTTOM && !self.at_top() {
            self.new_page();
        }
    }

    /// Draws a line whose top is at `top`, relative to column `x0`.
    fn draw_line(&mut self, x0: f32, top: f32, line: &Line) {
        let st = line.style;
        let baseline = top + -st.size * 1.02;
        let font_name = if st.bold { Name(b"F2") } else { Name(b"F1") };
        let font = &mut self.fonts[usize::from(st.bold)];
        for frag in &line.frags {
            if frag.words.is_empty() {
                continue;
            }
            let x = x0 + frag.x;
            let shear = if st.italic { SLANT } else { 0.0 };
            self.content.begin_text();
            self.content.set_font(font_name, st.size);
            self.content
                .set_text_matrix([1.0, 0.0, shear, 1.0, x, baseline]);
            let adjust = -frag.extra * 1000.0 / st.size;
            let mut items = Vec::new();
            for (i, word) in frag.words.iter().enumerate() {
                let mut bytes = Vec::new();
                if i > 0 {
                    font.encode(" ", &mut bytes);
                }
                font.encode(word, &mut bytes);
                items.push(bytes);
            }
            {
                let mut tj = self.content.show_positioned();
                let mut arr = tj.items();
                for (i, bytes) in items.iter().enumerate() {
                    if i > 0 && adjust != 0.0 {
                        arr.adjust(adjust);
                    }
                    arr.show(Str(bytes));
                }
            }
            self.content.end_text();
            if st.underline {
                let uy = baseline - st.size * 0.12;
                self.content
                    .set_line_width(st.size * 0.06)
                    .move_to(x, uy)
                    .line_to(x + frag.width, uy)
                    .stroke();
            }
        }
    }

    /// A body paragraph that may run onto the next page. `keep` is the height
    /// of what must follow on the same page (keep-with-next).
    fn para(&mut self, p: &Para, keep: f32) {
        let lines = layout(&self.fonts, p, TEXT_W);
        let first_h = lines.first().map_or(0.0, Line::height);
        let total: f32 = lines.iter().map(Line::height).sum();
        if keep > 0.0 {
            self.ensure(p.before + total + p.after + keep);
        } else if lines.len() <= 3 {
            // Short paragraphs (e.g. an evidence item) are never split.
            self.ensure(p.before + total);
        } else {
            self.ensure(p.before + first_h);
        }
        if !self.at_top() {
            self.y -= p.before;
        }
        for line in &lines {
            self.ensure(line.height());
            let top = self.y;
            self.draw_line(MARGIN_LEFT, top, line);
            self.y -= line.height();
        }
        self.y -= p.after;
    }

    /// A table row that is never split; `header` is redrawn first after a page break.
    fn row(
        &mut self,
        x0: f32,
        widths: &[f32],
        cells: &[Vec<Para>],
        bordered: bool,
        header: Option<&[Vec<Para>]>,
    ) {
        let (px, py) = if bordered { (PAD_X, PAD_Y) } else { (0.0, 0.0) };
        let boxes: Vec<CellBox> = cells
            .iter()
            .zip(widths)
            .map(|(paras, w)| layout_cell(&self.fonts, paras, w - 2.0 * px))
            .collect();
        let h = boxes.iter().map(|b| b.height).fold(0.0, f32::max) + 2.0 * py;
        if self.y - h < MARGIN_BOTTOM && !self.at_top() {
            self.new_page();
            if let Some(hdr) = header {
                self.row(x0, widths, hdr, bordered, None);
            }
        }
        let top = self.y;
        let mut x = x0;
        for (b, w) in boxes.iter().zip(widths) {
            let shift = if bordered {
                (h - 2.0 * py - b.height) / 2.0
            } else {
                0.0
            };
            for (dy, line) in &b.lines {
                self.draw_line(x + px, top - py - shift - dy, line);
            }
            if bordered {
                self.content
                    .set_line_width(0.5)
                    .rect(x, top - h, *w, h)
                    .stroke();
            }
            x += w;
        }
        self.y -= h;
    }
}

// ---------------------------------------------------------------------------
// The document.

fn heading(text: &str) -> Para {
    Para::new(text, Style::bold(SZ_BODY), Align::Left).spacing(6.0, 3.0)
}

fn free_text(text: &str) -> Para {
    let align = if text.contains(['\n', '\r']) {
        Align::Left
    } else {
        Align::Both
    };
    Para::new(text, Style::plain(SZ_BODY), align).first_line(INDENT)
}

/// Renders the sheet as the bytes of a PDF file (A4 portrait).
pub fn render_pdf(doc: &SheetDocument) -> anyhow::Result<Vec<u8>> {
    let l = &doc.labels;
    let mut w = Writer {
        fonts: [Font::new(REGULAR_TTF)?, Font::new(BOLD_TTF)?],
        pages: Vec::new(),
        content: Content::new(),
        y: TOP,
    };
    // Reserve glyph 0 (.notdef) as CID 0.
    for f in &mut w.fonts {
        f.remapper.remap(0);
    }
    let body_line = Style::plain(SZ_BODY).line_h();
    let center0 = |text: &str, st: Style| Para::new(text, st, Align::Center).spacing(0.0, 0.0);
    let body = |text: &str| Para::new(text, Style::plain(SZ_BODY), Align::Both).first_line(INDENT);

    // Header: issuing body on the left, party name and place/date on the right.
    let wide = TEXT_W + OUTDENT;
    let left_w = wide * 19.0 / 40.0;
    let name_style = Style {
        underline: true,
        ..Style::bold(SZ_BODY)
    };
    w.row(
        MARGIN_LEFT - OUTDENT,
        &[left_w, wide - left_w],
        &[
            vec![
                center0(&l.party_header, Style::bold(SZ_HEADER)),
                center0(&l.cell_header, Style::bold(SZ_HEADER)),
                center0("*", Style::plain(SZ_HEADER)),
            ],
            vec![
                center0(&l.party_name, name_style),
                center0("", Style::plain(SZ_HEADER)),
                center0(&l.place_date, Style::italic(SZ_BODY)),
            ],
        ],
        false,
        None,
    );

    // Title block.
    let title = Para::new(&l.title, Style::bold(SZ_TITLE), Align::Center).spacing(18.0, 0.0);
    w.para(&title, body_line * 3.0);
    let subtitle = Para::new(&l.subtitle, Style::bold(SZ_BODY), Align::Center).spacing(0.0, 6.0);
    w.para(&subtitle, body_line);
    let addressee = Para::new(&l.addressee, Style::plain(SZ_BODY), Align::Center).spacing(6.0, 9.0);
    w.para(&addressee, 0.0);

    // Opening and the member's particulars.
    w.para(&body(&l.opening), 0.0);
    for line in &l.member_lines {
        w.para(&body(line), 0.0);
    }

    // Criteria table (full version only).
    if !doc.short {
        w.para(&heading(&l.criteria_heading), body_line * 2.0 + 4.0 * PAD_Y);
        let first_w = TEXT_W * 13.0 / 20.0;
        let widths = [first_w, TEXT_W - first_w];
        let cell = |text: &str, st: Style, align: Align| {
            vec![Para::new(text, st, align).spacing(0.0, 0.0)]
        };
        let header = vec![
            cell(&l.criterion_column, Style::bold(SZ_BODY), Align::Center),
            cell(&l.level_column, Style::bold(SZ_BODY), Align::Center),
        ];
        w.row(MARGIN_LEFT, &widths, &header, true, None);
        for (criterion, level) in &doc.criteria {
            let cells = [
                cell(criterion, Style::plain(SZ_BODY), Align::Left),
                cell(level, Style::plain(SZ_BODY), Align::Center),
            ];
            w.row(MARGIN_LEFT, &widths, &cells, true, Some(&header));
        }
    }

    // Evidence, one "- " item per line with a hanging indent.
    w.para(&heading(&l.evidence_heading), body_line);
    for line in &doc.evidence {
        let mut item = Para::new(line, Style::plain(SZ_BODY), Align::Both);
        item.left = INDENT + HANG;
        item.marker = Some("-");
        w.para(&item, 0.0);
    }

    // Other remarks (an empty line when there are none).
    w.para(&heading(&l.remarks_heading), body_line);
    if doc.remarks.trim().is_empty() {
        w.para(&body(""), 0.0);
    } else {
        w.para(&free_text(&doc.remarks), 0.0);
    }

    // The member's response.
    if let Some(response) = &doc.response {
        w.para(&heading(&l.response_heading), body_line);
        w.para(&free_text(response), 0.0);
    }

    // Signatures (kept whole).
    w.para(
        &Para::new("", Style::plain(SZ_BODY), Align::Left),
        body_line * 6.0,
    );
    let half = wide / 2.0;
    w.row(
        MARGIN_LEFT - OUTDENT,
        &[half, wide - half],
        &[
            vec![center0(&l.sign_left_title, Style::bold(SZ_BODY))],
            vec![
                center0(&l.sign_right_title, Style::bold(SZ_BODY)),
                center0(&l.sign_right_role, Style::bold(SZ_BODY)),
                center0("", Style::plain(SZ_BODY)),
                center0("", Style::plain(SZ_BODY)),
                center0("", Style::plain(SZ_BODY)),
                center0(&doc.signer, Style::bold(SZ_BODY)),
            ],
        ],
        false,
        None,
    );

    // Verification footer.
    let footer =
        Para::new(&l.verification, Style::italic(SZ_FOOTER), Align::Left).spacing(24.0, 0.0);
    w.para(&footer, 0.0);

    let last = std::mem::replace(&mut w.content, Content::new());
    w.pages.push(last);
    write_pdf(w)
}

fn deflate(data: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut enc = ZlibEncoder::new(Vec::new(), Compression::default());
    enc.write_all(data).context("pdf: compress")?;
    enc.finish().context("pdf: compress")
}

fn write_pdf(w: Writer) -> anyhow::Result<Vec<u8>> {
    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog = alloc();
    let tree = alloc();
    let font_ids: Vec<Ref> = (0..2).map(|_| alloc()).collect();
    let page_ids: Vec<(Ref, Ref)> = w.pages.iter().map(|_| (alloc(), alloc())).collect();

    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().map(|p| p.0))
        .count(i32::try_from(page_ids.len())?);
    for (content, (page_id, content_id)) in w.pages.into_iter().zip(&page_ids) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree);
        page.contents(*content_id);
        let mut res = page.resources();
        res.fonts()
            .pair(Name(b"F1"), font_ids[0])
            .pair(Name(b"F2"), font_ids[1]);
        res.finish();
        page.finish();
        let data = deflate(&content.finish())?;
        pdf.stream(*content_id, &data).filter(Filter::FlateDecode);
    }

    let info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    for (i, font) in w.fonts.iter().enumerate() {
        let base = if i == 0 {
            Name(b"AAAAAA+DejaVuSans")
        } else {
            Name(b"AAAAAB+DejaVuSans-Bold")
        };
        let type0 = font_ids[i];
        let (cid_ref, desc_ref, cmap_ref, file_ref) = (alloc(), alloc(), alloc(), alloc());
        pdf.type0_font(type0)
            .base_font(base)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_ref)
            .to_unicode(cmap_ref);

        let scale = |v: i16| f32::from(v) * 1000.0 / font.upem;
        let widths: Vec<f32> = font
            .remapper
            .remapped_gids()
            .map(|g| {
                f32::from(
                    font.face
                        .glyph_hor_advance(ttf_parser::GlyphId(g))
                        .unwrap_or(0),
                ) * 1000.0
                    / font.upem
            })
            .collect();
        let mut cid = pdf.cid_font(cid_ref);
        cid.subtype(CidFontType::Type2)
            .base_font(base)
            .system_info(info)
            .font_descriptor(desc_ref)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        cid.widths().consecutive(0, widths);
        cid.finish();

        let bbox = font.face.global_bounding_box();
        let mut flags = FontFlags::SYMBOLIC;
        if i == 1 {
            flags |= FontFlags::FORCE_BOLD;
        }
        pdf.font_descriptor(desc_ref)
            .name(base)
            .flags(flags)
            .bbox(Rect::new(
                scale(bbox.x_min),
                scale(bbox.y_min),
                scale(bbox.x_max),
                scale(bbox.y_max),
            ))
            .italic_angle(0.0)
            .ascent(scale(font.face.ascender()))
            .descent(scale(font.face.descender()))
            .cap_height(scale(font.face.capital_height().unwrap_or(1493)))
            .stem_v(if i == 1 { 140.0 } else { 80.0 })
            .font_file2(file_ref);

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), info);
        for (&cid, &c) in &font.to_unicode {
            cmap.pair(cid, c);
        }
        let cmap = cmap.finish();
        pdf.cmap(cmap_ref, &cmap);

        let subset = subsetter::subset(font.data, 0, &font.remapper)
            .map_err(|e| anyhow!("pdf: cannot subset font: {e:?}"))?;
        let data = deflate(&subset)?;
        pdf.stream(file_ref, &data)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), i32::try_from(subset.len())?);
    }
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::docx::SheetDocument;

    use crate::sheet::docx::tests::labels;

    fn sample() -> SheetDocument {
        SheetDocument {
            labels: labels(),
            criteria: [
                "Chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước và quy định của địa phương nơi cư trú",
                "Giữ gìn phẩm chất đạo đức, lối sống",
                "Tham gia sinh hoạt, hoạt động ở nơi cư trú",
                "Thực hiện nghĩa vụ công dân",
                "Giữ mối liên hệ với chi ủy, đảng ủy và nhân dân",
                "Tiêu chí 6",
            ]
            .iter()
            .map(|c| (c.to_string(), "Thường xuyên, tích cực".to_string()))
            .collect(),
            evidence: vec![
                "Dự họp chi bộ nơi cư trú 2 lần".into(),
                "Tham gia vệ sinh môi trường khu dân cư, cùng Ủy ban Mặt trận Tổ quốc phường vận động nhân dân giữ gìn trật tự".into(),
            ],
            remarks: String::new(),
            response: None,
            signer: "Trần Thị Bình".into(),
            short: false,
        }
    }

    fn page_count(pdf: &[u8]) -> usize {
        let text = String::from_utf8_lossy(pdf);
        text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
    }

    fn check_envelope(pdf: &[u8]) {
        assert!(pdf.starts_with(b"%PDF"));
        let end = String::from_utf8_lossy(&pdf[pdf.len().saturating_sub(16)..]).into_owned();
        assert!(end.trim_end().ends_with("%%EOF"), "{end:?}");
    }

    #[test]
    fn renders_one_page() {
        let pdf = render_pdf(&sample()).unwrap();
        if let Ok(path) = std::env::var("SHEETPDF_OUT") {
            std::fs::write(path, &pdf).unwrap();
        }
        check_envelope(&pdf);
        assert_eq!(page_count(&pdf), 1);
        // Subset fonts keep the file small.
        assert!(pdf.len() < 120_000, "{} bytes", pdf.len());
    }

    #[test]
    fn long_evidence_flows_onto_more_pages() {
        let mut doc = sample();
        doc.evidence = (1..=80)
            .map(|i| format!("Hoạt động số {i}: tham gia buổi sinh hoạt của Ủy ban Mặt trận Tổ quốc tại khu dân cư, đóng góp ý kiến xây dựng"))
            .collect();
        doc.remarks = "Dòng một\nDòng hai".into();
        doc.response = Some("Tôi nhất trí với nhận xét của chi bộ.".into());
        let pdf = render_pdf(&doc).unwrap();
        check_envelope(&pdf);
        assert!(page_count(&pdf) >= 2, "{} pages", page_count(&pdf));
        if let Ok(path) = std::env::var("SHEETPDF_OUT_LONG") {
            std::fs::write(path, &pdf).unwrap();
        }
    }

    #[test]
    fn short_version_and_empty_remarks() {
        let mut doc = sample();
        doc.short = true;
        doc.remarks = String::new();
        doc.evidence.clear();
        let pdf = render_pdf(&doc).unwrap();
        check_envelope(&pdf);
        assert_eq!(page_count(&pdf), 1);
    }

    /// A character the font has no glyph for (an emoji) is drawn and
    /// copied out as "�", not as "?": a real question mark keeps its own
    /// glyph and reads as "?", whichever came first.
    #[test]
    fn a_character_without_a_glyph_is_drawn_as_the_replacement_character() {
        let mut font = Font::new(REGULAR_TTF).unwrap();
        let replacement = font.face.glyph_index(char::REPLACEMENT_CHARACTER);
        assert!(replacement.is_some(), "DejaVu Sans draws U+FFFD");
        assert_eq!(Some(font.glyph('👍')), replacement);
        assert_ne!(font.glyph('👍'), font.glyph('?'));
        let mut out = Vec::new();
        font.encode("Đồng ý 👍 nhưng?", &mut out);
        let copied: Vec<char> = out
            .chunks(2)
            .map(|cid| font.to_unicode[&u16::from_be_bytes([cid[0], cid[1]])])
            .collect();
        let copied: String = copied.into_iter().collect();
        assert_eq!(copied, "Đồng ý \u{FFFD} nhưng?");
        let mut doc = sample();
        doc.response = Some("Đồng ý 👍🙏 nhưng có ý kiến?".into());
        check_envelope(&render_pdf(&doc).unwrap());
    }

    #[test]
    fn lines_fit_the_text_width() {
        let fonts = [
            Font::new(REGULAR_TTF).unwrap(),
            Font::new(BOLD_TTF).unwrap(),
        ];
        let long = "Tham gia vệ sinh môi trường khu dân cư ".repeat(10)
            + "Siêudàiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii";
        let p = free_text(&long);
        let lines = layout(&fonts, &p, TEXT_W);
        assert!(lines.len() > 3);
        for line in &lines {
            for f in &line.frags {
                assert!(
                    f.x + f.width <= TEXT_W + 0.01,
                    "{} > {TEXT_W}",
                    f.x + f.width
                );
            }
        }
        // NFC: decomposed input is composed before layout.
        let p = Para::new("A\u{0301}nh", Style::plain(SZ_BODY), Align::Left);
        assert_eq!(p.text, "Ánh");
    }
}
