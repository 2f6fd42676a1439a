//! Renders a filled-in residence comment sheet (phiếu nhận xét, Regulation 213-QĐ/TW)
//! into a `.docx` file (Office Open XML), laid out like the official form.
//!
//! The few XML parts are written by hand and packed with the `zip` crate. Every
//! visible word comes from [`SheetDocument`]; this module only adds punctuation,
//! layout and formatting.

use std::fmt::Write as _;
use std::io::{Cursor, Write as _};

use anyhow::Context as _;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Every fixed label of the form, already in Vietnamese (from the project's locale files).
#[derive(Debug, Clone)]
pub struct SheetLabels {
    pub party_header: String, // e.g. "ĐẢNG BỘ PHƯỜNG HƯNG DŨNG" (top left, bold, uppercase as given)
    pub cell_header: String,  // e.g. "CHI BỘ KHỐI 5" (top left, second line)
    pub party_name: String,   // "ĐẢNG CỘNG SẢN VIỆT NAM" (top right, bold, underlined)
    pub place_date: String,   // "Hưng Dũng, ngày 15 tháng 12 năm 2026" (right, italic)
    pub title: String,        // "PHIẾU NHẬN XÉT" (centred, bold, larger)
    pub subtitle: String, // "Đảng viên đang công tác giữ mối liên hệ với chi ủy, đảng ủy và nhân dân nơi cư trú năm 2026" (centred, bold)
    pub addressee: String, // "Kính gửi: Đảng ủy Sở Tư pháp tỉnh Nghệ An" (centred or indented)
    pub opening: String, // one paragraph: "Chi ủy chi bộ …, sau khi trao đổi với Ban công tác Mặt trận …, thống nhất nhận xét đồng chí …"
    pub member_lines: Vec<String>, // e.g. ["Họ và tên: Nguyễn Văn An", "Nơi công tác: Sở Tư pháp tỉnh Nghệ An", "Nơi cư trú: Chi bộ khối 5"]
    pub criteria_heading: String,  // "Kết quả nhận xét"
    pub criterion_column: String,  // table header: "Nội dung"
    pub level_column: String,      // table header: "Mức đánh giá"
    pub evidence_heading: String,  // "Căn cứ (hoạt động đã được chi bộ ghi nhận trong năm)"
    pub remarks_heading: String,   // "Nhận xét khác"
    pub response_heading: String,  // "Ý kiến của đảng viên"
    pub sign_left_title: String,   // "XÁC NHẬN CỦA ĐẢNG ỦY PHƯỜNG" (left signature column, bold)
    pub sign_right_title: String,  // "T/M CHI BỘ" (right signature column, bold)
    pub sign_right_role: String,   // "BÍ THƯ" (under it, bold)
    pub verification: String, // footer line: "Mã xác thực: 7KQ2-…; kiểm tra bằng lệnh /verify …" (small, italic)
}

#[derive(Debug, Clone)]
pub struct SheetDocument {
    pub labels: SheetLabels,
    /// The six criteria: (criterion, chosen level), in order.
    pub criteria: Vec<(String, String)>,
    /// Evidence lines, each a bullet.
    pub evidence: Vec<String>,
    /// "Other remarks": may be empty (then show the heading and an empty line).
    pub remarks: String,
    /// The member's response, if any (then a section with response_heading).
    pub response: Option<String>,
    /// The secretary's name, under the right signature column after blank lines for a signature.
    pub signer: String,
    /// True for the short version for exempt members: no criteria table; the evidence and remarks only.
    pub short: bool,
}

/// Renders the sheet as the bytes of a `.docx` file.
pub fn render_docx(doc: &SheetDocument) -> anyhow::Result<Vec<u8>> {
    let document = document_xml(doc);
    let parts: [(&str, &str); 5] = [
        ("[Content_Types].xml", CONTENT_TYPES_XML),
        ("_rels/.rels", ROOT_RELS_XML),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS_XML),
        ("word/styles.xml", STYLES_XML),
        ("word/document.xml", &document),
    ];

    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .unix_permissions(0o644);
    for (name, content) in parts {
        zip.start_file(name, options)
            .with_context(|| format!("docx: cannot start zip entry {name}"))?;
        zip.write_all(content.as_bytes())
            .with_context(|| format!("docx: cannot write zip entry {name}"))?;
    }
    let cursor = zip.finish().context("docx: cannot finish zip archive")?;
    Ok(cursor.into_inner())
}

// ---------------------------------------------------------------------------
// Page geometry (twentieths of a point) and font sizes (half-points).

const FONT: &str = "Times New Roman";
/// A4 portrait.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const MARGIN_TOP: u32 = 1134; // 2 cm
const MARGIN_BOTTOM: u32 = 1134; // 2 cm
const MARGIN_LEFT: u32 = 1701; // 3 cm
const MARGIN_RIGHT: u32 = 1134; // 2 cm
const TEXT_W: u32 = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;

const SZ_BODY: u32 = 28; // 14 pt
const SZ_HEADER: u32 = 26; // 13 pt
const SZ_TITLE: u32 = 32; // 16 pt
const SZ_FOOTER: u32 = 22; // 11 pt

/// How far the borderless header and signature tables reach into the left margin (0.75 cm).
const OUTDENT: u32 = 425;
/// First-line indent of body paragraphs (1.27 cm).
const INDENT: u32 = 720;

// ---------------------------------------------------------------------------
// Static parts.

const XML_DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

const CONTENT_TYPES_XML: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
    r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    r#"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
    r#"<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#,
    r#"</Types>"#
);

const ROOT_RELS_XML: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
    r#"</Relationships>"#
);

const DOCUMENT_RELS_XML: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
    r#"</Relationships>"#
);

/// Document defaults: Times New Roman (all four font slots), 14 pt, Vietnamese
/// language, single line spacing with a little space between paragraphs.
const STYLES_XML: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    r#"<w:docDefaults><w:rPrDefault><w:rPr>"#,
    r#"<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>"#,
    r#"<w:sz w:val="28"/><w:szCs w:val="28"/>"#,
    r#"<w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/>"#,
    r#"</w:rPr></w:rPrDefault>"#,
    r#"<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="60" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>"#,
    r#"</w:docDefaults>"#,
    r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#,
    r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>"#,
    r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/>"#,
    r#"<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>"#,
    r#"</w:style>"#,
    r#"</w:styles>"#
);

// ---------------------------------------------------------------------------
// Formatting model.

#[derive(Debug, Clone, Copy)]
struct RunFmt {
    bold: bool,
    italic: bool,
    underline: bool,
    /// Half-points.
    size: u32,
}

impl RunFmt {
    const fn plain(size: u32) -> Self {
        Self {
            bold: false,
            italic: false,
            underline: false,
            size,
        }
    }
    const fn bold(size: u32) -> Self {
        Self {
            bold: true,
            ..Self::plain(size)
        }
    }
    const fn italic(size: u32) -> Self {
        Self {
            italic: true,
            ..Self::plain(size)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Center,
    Both,
}

#[derive(Debug, Clone, Copy)]
struct ParaFmt {
    align: Align,
    before: u32,
    after: u32,
    first_line: u32,
    left: u32,
    hanging: u32,
    keep_next: bool,
}

impl ParaFmt {
    const fn new(align: Align) -> Self {
        Self {
            align,
            before: 0,
            after: 60,
            first_line: 0,
            left: 0,
            hanging: 0,
            keep_next: false,
        }
    }
    const fn spacing(mut self, before: u32, after: u32) -> Self {
        self.before = before;
        self.after = after;
        self
    }
    const fn first_line(mut self, twips: u32) -> Self {
        self.first_line = twips;
        self
    }
    const fn hanging(mut self, left: u32, hanging: u32) -> Self {
        self.left = left;
        self.hanging = hanging;
        self
    }
    const fn keep_next(mut self) -> Self {
        self.keep_next = true;
        self
    }
}

// ---------------------------------------------------------------------------
// XML writing helpers.

/// Escapes text for XML character data and attribute values, dropping
/// characters that XML 1.0 does not allow at all.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

fn rpr(out: &mut String, f: RunFmt) {
    // Child order follows the CT_RPr sequence of the schema.
    let _ = write!(
        out,
        r#"<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>"#
    );
    if f.bold {
        out.push_str("<w:b/><w:bCs/>");
    }
    if f.italic {
        out.push_str("<w:i/><w:iCs/>");
    }
    let _ = write!(out, r#"<w:sz w:val="{0}"/><w:szCs w:val="{0}"/>"#, f.size);
    if f.underline {
        out.push_str(r#"<w:u w:val="single"/>"#);
    }
    out.push_str(r#"<w:lang w:val="vi-VN"/></w:rPr>"#);
}

/// One run; `\n` (or `\r\n`) becomes a line break and `\t` a tab.
fn run(out: &mut String, text: &str, f: RunFmt) {
    out.push_str("<w:r>");
    rpr(out, f);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                out.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                out.push_str(r#"<w:t xml:space="preserve">"#);
                escape_into(out, piece);
                out.push_str("</w:t>");
            }
        }
    }
    out.push_str("</w:r>");
}

fn ppr(out: &mut String, p: ParaFmt, mark: RunFmt) {
    // Child order follows the CT_PPrBase sequence of the schema.
    out.push_str("<w:pPr>");
    if p.keep_next {
        out.push_str("<w:keepNext/>");
    }
    let _ = write!(
        out,
        r#"<w:spacing w:before="{}" w:after="{}"/>"#,
        p.before, p.after
    );
    if p.left > 0 || p.first_line > 0 || p.hanging > 0 {
        let _ = write!(out, r#"<w:ind w:left="{}""#, p.left);
        if p.hanging > 0 {
            let _ = write!(out, r#" w:hanging="{}""#, p.hanging);
        } else if p.first_line > 0 {
            let _ = write!(out, r#" w:firstLine="{}""#, p.first_line);
        }
        out.push_str("/>");
    }
    let jc = match p.align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Both => "both",
    };
    let _ = write!(out, r#"<w:jc w:val="{jc}"/>"#);
    rpr(out, mark);
    out.push_str("</w:pPr>");
}

/// A paragraph of runs; the paragraph mark takes the format of the first run.
fn para(out: &mut String, p: ParaFmt, runs: &[(&str, RunFmt)]) {
    out.push_str("<w:p>");
    let mark = runs.first().map_or(RunFmt::plain(SZ_BODY), |r| r.1);
    ppr(out, p, mark);
    for (text, f) in runs {
        if !text.is_empty() {
            run(out, text, *f);
        }
    }
    out.push_str("</w:p>");
}

fn empty_para(out: &mut String, p: ParaFmt, size: u32) {
    para(out, p, &[("", RunFmt::plain(size))]);
}

struct Table<'a> {
    widths: &'a [u32],
    bordered: bool,
    /// Shift to the left, into the margin (twips).
    outdent: u32,
}

impl Table<'_> {
    fn open(&self, out: &mut String) {
        let total: u32 = self.widths.iter().sum();
        out.push_str("<w:tbl><w:tblPr>");
        let _ = write!(out, r#"<w:tblW w:w="{total}" w:type="dxa"/>"#);
        let indent = -i64::from(self.outdent);
        let _ = write!(out, r#"<w:tblInd w:w="{indent}" w:type="dxa"/>"#);
        let (val, sz) = if self.bordered {
            ("single", 4)
        } else {
            ("nil", 0)
        };
        out.push_str("<w:tblBorders>");
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            if self.bordered {
                let _ = write!(
                    out,
                    r#"<w:{side} w:val="{val}" w:sz="{sz}" w:space="0" w:color="000000"/>"#
                );
            } else {
                let _ = write!(out, r#"<w:{side} w:val="{val}"/>"#);
            }
        }
        out.push_str("</w:tblBorders>");
        out.push_str(r#"<w:tblLayout w:type="fixed"/>"#);
        if self.bordered {
            out.push_str(
                r#"<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="57" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>"#,
            );
        } else {
            out.push_str(
                r#"<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>"#,
            );
        }
        out.push_str(r#"<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>"#);
        for w in self.widths {
            let _ = write!(out, r#"<w:gridCol w:w="{w}"/>"#);
        }
        out.push_str("</w:tblGrid>");
    }

    fn close(&self, out: &mut String) {
        out.push_str("</w:tbl>");
    }

    /// Starts a row; `header` repeats it on each page, all rows are kept whole.
    fn open_row(&self, out: &mut String, header: bool) {
        out.push_str("<w:tr><w:trPr><w:cantSplit/>");
        if header {
            out.push_str("<w:tblHeader/>");
        }
        out.push_str("</w:trPr>");
    }

    fn close_row(&self, out: &mut String) {
        out.push_str("</w:tr>");
    }

    /// A cell of column `col`, whose content is written by `body`
    /// (it must write at least one paragraph).
    fn cell(&self, out: &mut String, col: usize, center: bool, body: impl FnOnce(&mut String)) {
        let _ = write!(
            out,
            r#"<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/>"#,
            self.widths[col]
        );
        if center {
            out.push_str(r#"<w:vAlign w:val="center"/>"#);
        }
        out.push_str("</w:tcPr>");
        let start = out.len();
        body(out);
        if !out[start..].contains("<w:p>") {
            empty_para(out, ParaFmt::new(Align::Left), SZ_BODY);
        }
        out.push_str("</w:tc>");
    }
}

// ---------------------------------------------------------------------------
// The document.

fn heading(out: &mut String, text: &str) {
    para(
        out,
        ParaFmt::new(Align::Left).spacing(120, 60).keep_next(),
        &[(text, RunFmt::bold(SZ_BODY))],
    );
}

/// Free text typed by a user: justified like the body, except that text with
/// line breaks is left-aligned (a justified paragraph stretches the words of
/// every line that ends in a manual break).
fn free_text(text: &str) -> ParaFmt {
    let align = if text.contains(['\n', '\r']) {
        Align::Left
    } else {
        Align::Both
    };
    ParaFmt::new(align).first_line(INDENT)
}

fn document_xml(doc: &SheetDocument) -> String {
    let l = &doc.labels;
    let mut out = String::with_capacity(32 * 1024);
    out.push_str(XML_DECL);
    out.push_str(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );

    let center0 = ParaFmt::new(Align::Center).spacing(0, 0);
    let body = ParaFmt::new(Align::Both).first_line(INDENT);

    // Header: issuing body on the left, party name and place/date on the right.
    // Both borderless tables reach a little into the left margin, as on the
    // printed form, so that the uppercase unit names fit on one line.
    let wide = TEXT_W + OUTDENT;
    let left_w = wide * 19 / 40;
    let header = Table {
        widths: &[left_w, wide - left_w],
        bordered: false,
        outdent: OUTDENT,
    };
    header.open(&mut out);
    header.open_row(&mut out, false);
    header.cell(&mut out, 0, false, |o| {
        para(o, center0, &[(&l.party_header, RunFmt::bold(SZ_HEADER))]);
        para(o, center0, &[(&l.cell_header, RunFmt::bold(SZ_HEADER))]);
        para(o, center0, &[("*", RunFmt::plain(SZ_HEADER))]);
    });
    header.cell(&mut out, 1, false, |o| {
        let name = RunFmt {
            underline: true,
            ..RunFmt::bold(SZ_BODY)
        };
        para(o, center0, &[(&l.party_name, name)]);
        empty_para(o, center0, SZ_HEADER);
        para(o, center0, &[(&l.place_date, RunFmt::italic(SZ_BODY))]);
    });
    header.close_row(&mut out);
    header.close(&mut out);

    // Title block.
    para(
        &mut out,
        ParaFmt::new(Align::Center).spacing(360, 0).keep_next(),
        &[(&l.title, RunFmt::bold(SZ_TITLE))],
    );
    para(
        &mut out,
        ParaFmt::new(Align::Center).spacing(0, 120).keep_next(),
        &[(&l.subtitle, RunFmt::bold(SZ_BODY))],
    );
    para(
        &mut out,
        ParaFmt::new(Align::Center).spacing(120, 180),
        &[(&l.addressee, RunFmt::plain(SZ_BODY))],
    );

    // Opening and the member's particulars.
    para(&mut out, body, &[(&l.opening, RunFmt::plain(SZ_BODY))]);
    for line in &l.member_lines {
        para(&mut out, body, &[(line, RunFmt::plain(SZ_BODY))]);
    }

    // Criteria table (full version only).
    if !doc.short {
        heading(&mut out, &l.criteria_heading);
        let first_w = TEXT_W * 13 / 20;
        let table = Table {
            widths: &[first_w, TEXT_W - first_w],
            bordered: true,
            outdent: 0,
        };
        let cell_left = ParaFmt::new(Align::Left).spacing(0, 0);
        let cell_center = ParaFmt::new(Align::Center).spacing(0, 0);
        table.open(&mut out);
        table.open_row(&mut out, true);
        table.cell(&mut out, 0, true, |o| {
            para(
                o,
                cell_center,
                &[(&l.criterion_column, RunFmt::bold(SZ_BODY))],
            );
        });
        table.cell(&mut out, 1, true, |o| {
            para(o, cell_center, &[(&l.level_column, RunFmt::bold(SZ_BODY))]);
        });
        table.close_row(&mut out);
        for (criterion, level) in &doc.criteria {
            table.open_row(&mut out, false);
            table.cell(&mut out, 0, true, |o| {
                para(o, cell_left, &[(criterion, RunFmt::plain(SZ_BODY))]);
            });
            table.cell(&mut out, 1, true, |o| {
                para(o, cell_center, &[(level, RunFmt::plain(SZ_BODY))]);
            });
            table.close_row(&mut out);
        }
        table.close(&mut out);
    }

    // Evidence, one "- " item per line with a hanging indent.
    heading(&mut out, &l.evidence_heading);
    let item = ParaFmt::new(Align::Both).hanging(INDENT + 284, 284);
    for line in &doc.evidence {
        para(
            &mut out,
            item,
            &[
                ("-\t", RunFmt::plain(SZ_BODY)),
                (line, RunFmt::plain(SZ_BODY)),
            ],
        );
    }

    // Other remarks (an empty line when there are none).
    heading(&mut out, &l.remarks_heading);
    if doc.remarks.trim().is_empty() {
        empty_para(&mut out, body, SZ_BODY);
    } else {
        para(
            &mut out,
            free_text(&doc.remarks),
            &[(&doc.remarks, RunFmt::plain(SZ_BODY))],
        );
    }

    // The member's response.
    if let Some(response) = &doc.response {
        heading(&mut out, &l.response_heading);
        para(
            &mut out,
            free_text(response),
            &[(response, RunFmt::plain(SZ_BODY))],
        );
    }

    // Signatures.
    empty_para(&mut out, ParaFmt::new(Align::Left).keep_next(), SZ_BODY);
    let half = wide / 2;
    let sign = Table {
        widths: &[half, wide - half],
        bordered: false,
        outdent: OUTDENT,
    };
    sign.open(&mut out);
    sign.open_row(&mut out, false);
    sign.cell(&mut out, 0, false, |o| {
        para(o, center0, &[(&l.sign_left_title, RunFmt::bold(SZ_BODY))]);
    });
    sign.cell(&mut out, 1, false, |o| {
        para(o, center0, &[(&l.sign_right_title, RunFmt::bold(SZ_BODY))]);
        para(o, center0, &[(&l.sign_right_role, RunFmt::bold(SZ_BODY))]);
        for _ in 0..3 {
            empty_para(o, center0, SZ_BODY);
        }
        para(o, center0, &[(&doc.signer, RunFmt::bold(SZ_BODY))]);
    });
    sign.close_row(&mut out);
    sign.close(&mut out);

    // Verification footer.
    para(
        &mut out,
        ParaFmt::new(Align::Left).spacing(480, 0),
        &[(&l.verification, RunFmt::italic(SZ_FOOTER))],
    );

    let _ = write!(
        out,
        concat!(
            r#"<w:sectPr><w:pgSz w:w="{}" w:h="{}"/>"#,
            r#"<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="709" w:footer="709" w:gutter="0"/>"#,
            r#"<w:cols w:space="720"/></w:sectPr>"#
        ),
        PAGE_W, PAGE_H, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT
    );
    out.push_str("</w:body></w:document>");
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use quick_xml::Reader;
    use quick_xml::events::Event;
    use std::io::Read as _;

    /// A filled-in header, shared with the PDF tests.
    pub(crate) fn labels() -> SheetLabels {
        SheetLabels {
            party_header: "ĐẢNG BỘ PHƯỜNG HƯNG DŨNG".into(),
            cell_header: "CHI BỘ KHỐI 5".into(),
            party_name: "ĐẢNG CỘNG SẢN VIỆT NAM".into(),
            place_date: "Hưng Dũng, ngày 15 tháng 12 năm 2026".into(),
            title: "PHIẾU NHẬN XÉT".into(),
            subtitle: "Đảng viên đang công tác giữ mối liên hệ với chi ủy, đảng ủy và nhân dân nơi cư trú năm 2026".into(),
            addressee: "Kính gửi: Đảng ủy Sở Tư pháp tỉnh Nghệ An".into(),
            opening: "Chi ủy chi bộ khối 5, sau khi trao đổi với Ban công tác Mặt trận khối 5 (Ủy ban Mặt trận Tổ quốc phường), thống nhất nhận xét đồng chí Nguyễn Văn Ánh như sau:".into(),
            member_lines: vec![
                "Họ và tên: Nguyễn Văn Ánh".into(),
                "Nơi công tác: Sở Tư pháp tỉnh Nghệ An".into(),
                "Nơi cư trú: Chi bộ khối 5".into(),
            ],
            criteria_heading: "Kết quả nhận xét".into(),
            criterion_column: "Nội dung".into(),
            level_column: "Mức đánh giá".into(),
            evidence_heading: "Căn cứ (hoạt động đã được chi bộ ghi nhận trong năm)".into(),
            remarks_heading: "Nhận xét khác".into(),
            response_heading: "Ý kiến của đảng viên".into(),
            sign_left_title: "XÁC NHẬN CỦA ĐẢNG ỦY PHƯỜNG".into(),
            sign_right_title: "T/M CHI BỘ".into(),
            sign_right_role: "BÍ THƯ".into(),
            verification: "Mã xác thực: 7KQ2-9XPA; kiểm tra bằng lệnh /verify 7KQ2-9XPA".into(),
        }
    }

    fn sample() -> SheetDocument {
        SheetDocument {
            labels: labels(),
            criteria: (1..=6)
                .map(|i| {
                    (
                        format!("Tiêu chí {i}"),
                        "Thường xuyên, tích cực".to_string(),
                    )
                })
                .collect(),
            evidence: vec![
                "Dự họp chi bộ nơi cư trú 2 lần".into(),
                "Tham gia vệ sinh môi trường khu dân cư".into(),
            ],
            remarks: String::new(),
            response: None,
            signer: "Trần Thị Bình".into(),
            short: false,
        }
    }

    /// Unpacks the archive into (name, content) pairs, in archive order.
    fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("valid zip");
        (0..archive.len())
            .map(|i| {
                let mut file = archive.by_index(i).expect("entry");
                let mut text = String::new();
                file.read_to_string(&mut text).expect("utf-8 entry");
                (file.name().expect("name").into_owned(), text)
            })
            .collect()
    }

    fn part<'a>(parts: &'a [(String, String)], name: &str) -> &'a str {
        &parts
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("missing part {name}"))
            .1
    }

    /// Parses the XML fully (checking that end tags match) and returns the
    /// unescaped text of every `w:t`, one string per paragraph, with `w:br`
    /// as `\n` and `w:tab` as `\t`.
    fn paragraphs(xml: &str) -> Vec<String> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        let mut depth = 0usize;
        let mut in_text = false;
        let mut paras = Vec::new();
        let mut current = String::new();
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) => {
                    depth += 1;
                    match e.name().as_ref() {
                        "w:t" => in_text = true,
                        "w:p" => current.clear(),
                        _ => {}
                    }
                }
                Event::End(e) => {
                    depth -= 1;
                    match e.name().as_ref() {
                        "w:t" => in_text = false,
                        "w:p" => paras.push(std::mem::take(&mut current)),
                        _ => {}
                    }
                }
                Event::Empty(e) => match e.name().as_ref() {
                    "w:br" => current.push('\n'),
                    "w:tab" => current.push('\t'),
                    _ => {}
                },
                Event::Text(t) if in_text => {
                    current.push_str(&t.xml10_content());
                }
                Event::GeneralRef(r) if in_text => {
                    let c = match r.into_inner().as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("unexpected entity {other}"),
                    };
                    current.push(c);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(depth, 0, "unbalanced XML");
        paras
    }

    #[test]
    fn produces_a_valid_package() {
        let bytes = render_docx(&sample()).unwrap();
        let parts = unzip(&bytes);
        assert_eq!(parts[0].0, "[Content_Types].xml");
        for name in [
            "[Content_Types].xml",
            "_rels/.rels",
            "word/_rels/document.xml.rels",
            "word/styles.xml",
            "word/document.xml",
        ] {
            let xml = part(&parts, name);
            paragraphs(xml); // well-formed
        }
        let types = part(&parts, "[Content_Types].xml");
        assert!(types.contains(r#"PartName="/word/document.xml""#));
        assert!(part(&parts, "_rels/.rels").contains(r#"Target="word/document.xml""#));

        let xml = part(&parts, "word/document.xml");
        for s in [
            "Nguyễn Văn Ánh",
            "Thường xuyên, tích cực",
            "Ủy ban Mặt trận Tổ quốc",
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "Hưng Dũng, ngày 15 tháng 12 năm 2026",
            "XÁC NHẬN CỦA ĐẢNG ỦY PHƯỜNG",
            "Trần Thị Bình",
        ] {
            assert!(xml.contains(s), "missing {s}");
        }
        assert!(xml.contains(
            r#"<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>"#
        ));
        assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));

        let paras = paragraphs(xml);
        let pos = |s: &str| {
            paras
                .iter()
                .position(|p| p == s)
                .unwrap_or_else(|| panic!("no paragraph {s:?}"))
        };
        // Reading order of the form.
        let order = [
            pos("ĐẢNG BỘ PHƯỜNG HƯNG DŨNG"),
            pos("PHIẾU NHẬN XÉT"),
            pos("Kính gửi: Đảng ủy Sở Tư pháp tỉnh Nghệ An"),
            pos("Họ và tên: Nguyễn Văn Ánh"),
            pos("Kết quả nhận xét"),
            pos("Nội dung"),
            pos("Tiêu chí 6"),
            pos("-\tTham gia vệ sinh môi trường khu dân cư"),
            pos("Nhận xét khác"),
            pos("T/M CHI BỘ"),
            pos("Trần Thị Bình"),
            pos("Mã xác thực: 7KQ2-9XPA; kiểm tra bằng lệnh /verify 7KQ2-9XPA"),
        ];
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        // Empty remarks: the heading is followed by an empty line.
        assert_eq!(paras[pos("Nhận xét khác") + 1], "");
        // No response section unless there is a response.
        assert!(!paras.iter().any(|p| p == "Ý kiến của đảng viên"));
        // The bordered criteria table and the two borderless ones.
        assert_eq!(xml.matches("<w:tbl>").count(), 3);
        assert_eq!(xml.matches("<w:tblHeader/>").count(), 1);
    }

    #[test]
    fn escapes_special_characters() {
        let mut doc = sample();
        doc.remarks = "A & B <C> \"q\" 'a'".into();
        doc.labels.addressee = "Kính gửi: <Đảng ủy> & \"Sở\"".into();
        doc.criteria[0].0 = "x < y && y > z".into();
        let bytes = render_docx(&doc).unwrap();
        let parts = unzip(&bytes);
        let xml = part(&parts, "word/document.xml");
        assert!(xml.contains("A &amp; B &lt;C&gt; &quot;q&quot; &apos;a&apos;"));
        assert!(!xml.contains("<C>"));
        let paras = paragraphs(xml);
        for s in [
            "A & B <C> \"q\" 'a'",
            "Kính gửi: <Đảng ủy> & \"Sở\"",
            "x < y && y > z",
        ] {
            assert!(paras.iter().any(|p| p == s), "missing {s:?}");
        }
    }

    #[test]
    fn drops_characters_invalid_in_xml() {
        let mut doc = sample();
        doc.remarks = "a\u{0}b\u{1b}c\u{FFFF}".into();
        let parts = unzip(&render_docx(&doc).unwrap());
        let paras = paragraphs(part(&parts, "word/document.xml"));
        assert!(paras.iter().any(|p| p == "abc"));
    }

    #[test]
    fn short_version_has_no_criteria_table() {
        let mut doc = sample();
        doc.short = true;
        let parts = unzip(&render_docx(&doc).unwrap());
        let xml = part(&parts, "word/document.xml");
        let paras = paragraphs(xml);
        assert!(!xml.contains("Thường xuyên, tích cực"));
        assert!(
            !paras
                .iter()
                .any(|p| p == "Kết quả nhận xét" || p == "Nội dung")
        );
        assert!(!xml.contains("<w:tblHeader/>"));
        // Only the header and signature tables remain.
        assert_eq!(xml.matches("<w:tbl>").count(), 2);
        assert!(paras.iter().any(|p| p == "Nhận xét khác"));
        assert!(
            paras
                .iter()
                .any(|p| p == "-\tDự họp chi bộ nơi cư trú 2 lần")
        );
    }

    #[test]
    fn newlines_become_breaks() {
        let mut doc = sample();
        doc.remarks = "Dòng một\nDòng hai\r\nDòng ba".into();
        doc.response = Some("Tôi nhất trí.\nXin cảm ơn.".into());
        let parts = unzip(&render_docx(&doc).unwrap());
        let xml = part(&parts, "word/document.xml");
        assert!(xml.contains("Dòng một</w:t><w:br/><w:t xml:space=\"preserve\">Dòng hai"));
        let paras = paragraphs(xml);
        assert!(paras.iter().any(|p| p == "Dòng một\nDòng hai\nDòng ba"));
        let heading = paras
            .iter()
            .position(|p| p == "Ý kiến của đảng viên")
            .expect("response heading");
        assert_eq!(paras[heading + 1], "Tôi nhất trí.\nXin cảm ơn.");
    }
}
