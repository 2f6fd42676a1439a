//! Bar chart (PNG) of monthly participation: the share of members with at least one approved
//! report per month.
//!
//! Rendering uses `plotters` with its bitmap backend and the `ab_glyph` text renderer and an
//! embedded DejaVu Sans font, so no system font library (fontconfig/freetype) is needed and
//! Vietnamese diacritics render correctly. PNG encoding/decoding uses the `png` crate.

use std::io::Cursor;
use std::sync::OnceLock;

use anyhow::{Context, anyhow, bail};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use unicode_normalization::UnicodeNormalization;

/// The embedded font. The path is relative to this source file.
const FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Family name under which the embedded font is registered with plotters.
const FONT_FAMILY: &str = "sans-serif";

/// Width of the rendered PNG in pixels.
pub const WIDTH: u32 = 1000;
/// Height of the rendered PNG in pixels.
pub const HEIGHT: u32 = 560;

/// The RGB colour of every bar.
pub const BAR_COLOR: (u8, u8, u8) = (198, 40, 40);

/// Minimum bar height in pixels, so that 0 % bars are still visible (and counted).
const MIN_BAR_PX: i32 = 4;
/// Widest bar in pixels (matters when there are only a few months).
const MAX_BAR_PX: i32 = 80;

const TEXT_COLOR: RGBColor = RGBColor(33, 33, 33);
const GRID_COLOR: RGBColor = RGBColor(225, 225, 225);

#[derive(Debug, Clone)]
pub struct ParticipationChart {
    pub title: String, // e.g. "Chi bộ khối 5 — tỷ lệ đảng viên có hoạt động được duyệt"
    pub y_label: String, // e.g. "Tỷ lệ (%)"
    /// One bar per month, oldest first: (label such as "12/2025", share between 0.0 and 1.0;
    /// NaN for a month with nobody to count).
    pub months: Vec<(String, f64)>,
}

/// Registers the embedded font with plotters exactly once (process-wide).
fn ensure_font() -> anyhow::Result<()> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, FONT_BYTES)
                .map_err(|_| "embedded DejaVu Sans font is invalid".to_owned())
        })
        .clone()
        .map_err(|e| anyhow!(e))
}

/// NFC-normalises text: plotters' ab_glyph renderer draws char by char without shaping, so
/// precomposed characters (e.g. "ộ") render much better than base + combining marks.
fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Clamps a share to [0, 1]; NaN becomes 0.
fn clamp_share(share: f64) -> f64 {
    if share.is_nan() {
        0.0
    } else {
        share.clamp(0.0, 1.0)
    }
}

fn percent_label(share: f64) -> String {
    format!("{}%", (share * 100.0).round() as i64)
}

fn plot_err<E: std::fmt::Display>(e: E) -> anyhow::Error {
    anyhow!("chart drawing failed: {e}")
}

/// Renders a 1000x560 PNG bar chart: bars in `BAR_COLOR`, y axis 0–100 %, each bar labelled
/// with its percentage. Shares are clamped to [0, 1] (NaN counts as 0).
pub fn render_png(chart: &ParticipationChart) -> anyhow::Result<Vec<u8>> {
    ensure_font()?;

    let mut rgb = vec![255u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, chart)?;
        root.present().map_err(plot_err)?;
    }
    encode_png(&rgb, WIDTH, HEIGHT)
}

fn draw(
    root: &DrawingArea<BitMapBackend<'_>, Shift>,
    chart: &ParticipationChart,
) -> anyhow::Result<()> {
    root.fill(&WHITE).map_err(plot_err)?;

    let title = nfc(&chart.title);
    let y_label = nfc(&chart.y_label);
    // A month nobody was judged on (NaN) is drawn as the lowest bar, its
    // label a dash, not "0%".
    let months: Vec<(String, f64, String)> = chart
        .months
        .iter()
        .map(|(label, share)| {
            let value = if share.is_nan() {
                "–".to_owned()
            } else {
                percent_label(clamp_share(*share))
            };
            (nfc(label), clamp_share(*share), value)
        })
        .collect();
    let n = months.len();

    // Title: shrink the font until it fits the width.
    let mut title_size = 26.0;
    let max_title_width = WIDTH - 40;
    loop {
        let style = TextStyle::from((FONT_FAMILY, title_size).into_font());
        let (w, _) = root.estimate_text_size(&title, &style).map_err(plot_err)?;
        if w <= max_title_width || title_size <= 10.0 {
            break;
        }
        title_size -= 1.0;
    }
    // plotters' ab_glyph renderer puts the baseline at `y + size / 2` for a top-anchored
    // text; leave room above it for stacked Vietnamese diacritics (e.g. "ố", "ệ").
    let title_style = TextStyle::from((FONT_FAMILY, title_size).into_font())
        .color(&TEXT_COLOR)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let title_y = 10 + (title_size * 0.6) as i32;
    root.draw_text(&title, &title_style, (WIDTH as i32 / 2, title_y))
        .map_err(plot_err)?;
    let title_band = title_y + (title_size * 0.9) as i32 + 6;
    let (_, plot_area) = root.split_vertically(title_band);

    // Month i occupies x in [i, i + 1]; month labels are drawn by hand below the axis.
    let segments = n.max(1) as f64;
    let mut cc = ChartBuilder::on(&plot_area)
        .margin_top(34) // room for the percentage label of a 100 % bar
        .margin_left(10)
        .margin_right(20)
        .margin_bottom(10)
        .x_label_area_size(36)
        .y_label_area_size(72)
        .build_cartesian_2d(0f64..segments, 0f64..100f64)
        .map_err(plot_err)?;

    let axis_label_style = TextStyle::from((FONT_FAMILY, 15).into_font()).color(&TEXT_COLOR);
    let y_formatter = |v: &f64| format!("{v:.0}%");
    cc.configure_mesh()
        .disable_x_mesh()
        .y_labels(11)
        .y_max_light_lines(0)
        .bold_line_style(GRID_COLOR)
        .axis_style(TEXT_COLOR)
        .x_labels(0)
        .y_label_formatter(&y_formatter)
        .y_label_style(axis_label_style.clone())
        .y_desc(y_label)
        .axis_desc_style(TextStyle::from((FONT_FAMILY, 16).into_font()).color(&TEXT_COLOR))
        .draw()
        .map_err(plot_err)?;

    // Bars are drawn in pixel coordinates on the root area, so that every bar is at least
    // MIN_BAR_PX high and labels above 100 % bars are not clipped by the plotting area.
    let bar_color = RGBColor(BAR_COLOR.0, BAR_COLOR.1, BAR_COLOR.2);
    let value_style = TextStyle::from((FONT_FAMILY, 15).into_font())
        .color(&TEXT_COLOR)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    let month_style = axis_label_style.pos(Pos::new(HPos::Center, VPos::Top));
    for (i, (label, share, value)) in months.iter().enumerate() {
        let i = i as f64;
        let (left, base) = cc.backend_coord(&(i, 0.0));
        let (right, _) = cc.backend_coord(&(i + 1.0, 0.0));
        let (_, top) = cc.backend_coord(&(i, share * 100.0));
        let top = top.min(base - MIN_BAR_PX);

        let seg_width = right - left;
        let bar_width = (seg_width * 3 / 5).clamp(2, MAX_BAR_PX);
        let center = left + seg_width / 2;
        let x0 = center - bar_width / 2;
        let x1 = x0 + bar_width - 1;

        root.draw(&Rectangle::new([(x0, top), (x1, base)], bar_color.filled()))
            .map_err(plot_err)?;
        root.draw_text(value, &value_style, (center, top - 4))
            .map_err(plot_err)?;
        root.draw_text(label, &month_style, (center, base + 6))
            .map_err(plot_err)?;
    }
    Ok(())
}

fn encode_png(rgb: &[u8], width: u32, height: u32) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().context("PNG header")?;
        writer.write_image_data(rgb).context("PNG data")?;
        writer.finish().context("PNG finish")?;
    }
    Ok(out)
}

/// A decoded image as 8-bit RGB rows.
struct RgbImage {
    width: usize,
    height: usize,
    data: Vec<u8>,
}

impl RgbImage {
    fn pixel(&self, x: usize, y: usize) -> (u8, u8, u8) {
        let i = (y * self.width + x) * 3;
        (self.data[i], self.data[i + 1], self.data[i + 2])
    }
}

fn decode_png(bytes: &[u8]) -> anyhow::Result<RgbImage> {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().context("invalid PNG")?;
    let size = reader
        .output_buffer_size()
        .context("PNG too large to decode")?;
    let mut buf = vec![0u8; size];
    let info = reader.next_frame(&mut buf).context("invalid PNG data")?;
    let (width, height) = (info.width as usize, info.height as usize);
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => bail!("unexpected indexed PNG after expansion"),
    };
    let mut data = Vec::with_capacity(width * height * 3);
    for row in buf.chunks(info.line_size).take(height) {
        for px in row[..width * channels].chunks_exact(channels) {
            match channels {
                1 | 2 => data.extend_from_slice(&[px[0], px[0], px[0]]),
                _ => data.extend_from_slice(&px[..3]),
            }
        }
    }
    Ok(RgbImage {
        width,
        height,
        data,
    })
}

/// Counts the bars in a PNG made by [`render_png`]: finds the lowest scanline containing any
/// `BAR_COLOR` pixel (just above the x axis, where every bar — even a 0 % one — is present)
/// and counts the separate runs of `BAR_COLOR` pixels on it.
pub fn count_bars(png: &[u8]) -> anyhow::Result<usize> {
    let img = decode_png(png)?;
    let Some(y) = (0..img.height)
        .rev()
        .find(|&y| (0..img.width).any(|x| img.pixel(x, y) == BAR_COLOR))
    else {
        return Ok(0);
    };
    let mut runs = 0;
    let mut in_run = false;
    for x in 0..img.width {
        let is_bar = img.pixel(x, y) == BAR_COLOR;
        if is_bar && !in_run {
            runs += 1;
        }
        in_run = is_bar;
    }
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

    fn chart(shares: &[f64]) -> ParticipationChart {
        ParticipationChart {
            title: "Chi bộ khối 5 — tỷ lệ đảng viên có hoạt động được duyệt".to_owned(),
            y_label: "Tỷ lệ (%)".to_owned(),
            months: shares
                .iter()
                .enumerate()
                .map(|(i, &s)| {
                    let month = (i + 4) % 12 + 1;
                    let year = if i < 8 { 2025 } else { 2026 };
                    (format!("{month}/{year}"), s)
                })
                .collect(),
        }
    }

    fn twelve() -> ParticipationChart {
        chart(&[
            0.0, 1.0, 0.5, 0.25, 0.753, 0.0, 0.1, 0.9, 0.333, 1.0, 0.01, 0.6,
        ])
    }

    #[test]
    fn twelve_months_give_twelve_bars() {
        let png = render_png(&twelve()).unwrap();
        assert_eq!(count_bars(&png).unwrap(), 12);
    }

    #[test]
    fn all_zero_and_all_full_months_are_counted() {
        let png = render_png(&chart(&[0.0; 12])).unwrap();
        assert_eq!(count_bars(&png).unwrap(), 12);
        let png = render_png(&chart(&[1.0; 12])).unwrap();
        assert_eq!(count_bars(&png).unwrap(), 12);
    }

    #[test]
    fn one_month_gives_one_bar() {
        for share in [0.0, 0.42, 1.0] {
            let png = render_png(&chart(&[share])).unwrap();
            assert_eq!(count_bars(&png).unwrap(), 1, "share {share}");
        }
    }

    #[test]
    fn no_months_give_no_bars() {
        let png = render_png(&chart(&[])).unwrap();
        assert_eq!(count_bars(&png).unwrap(), 0);
    }

    #[test]
    fn out_of_range_and_nan_shares_are_clamped() {
        let png = render_png(&chart(&[
            f64::NAN,
            -0.5,
            1.7,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ]))
        .unwrap();
        assert_eq!(count_bars(&png).unwrap(), 5);
        assert_eq!(clamp_share(f64::NAN), 0.0);
        assert_eq!(clamp_share(-1.0), 0.0);
        assert_eq!(clamp_share(2.0), 1.0);
        assert_eq!(percent_label(0.753), "75%");
    }

    #[test]
    fn output_is_png_with_expected_size() {
        let png = render_png(&twelve()).unwrap();
        assert!(png.starts_with(&PNG_SIGNATURE));
        let img = decode_png(&png).unwrap();
        assert_eq!((img.width, img.height), (WIDTH as usize, HEIGHT as usize));
    }

    #[test]
    fn vietnamese_title_renders() {
        let mut c = twelve();
        // Decomposed (NFD) input is normalised before drawing.
        c.title = "Đảng bộ phường — Chi bộ khối 5: tỷ lệ hoạt động được duyệt"
            .nfd()
            .collect();
        c.y_label = "Tỷ lệ (%)".nfd().collect();
        let png = render_png(&c).unwrap();
        assert_eq!(count_bars(&png).unwrap(), 12);
    }

    #[test]
    fn very_long_title_renders() {
        let mut c = twelve();
        c.title = "Chi bộ khối 5 — tỷ lệ đảng viên có hoạt động được duyệt ".repeat(4);
        let png = render_png(&c).unwrap();
        assert_eq!(count_bars(&png).unwrap(), 12);
    }

    #[test]
    fn count_bars_rejects_garbage() {
        assert!(count_bars(b"not a png").is_err());
    }

    /// Writes sample PNGs to the temp dir for eyeballing: `cargo test -- --ignored write_sample`.
    #[test]
    #[ignore]
    fn write_sample() {
        let dir = std::env::temp_dir().display().to_string();
        std::fs::write(format!("{dir}/sample.png"), render_png(&twelve()).unwrap()).unwrap();
        std::fs::write(
            format!("{dir}/sample1.png"),
            render_png(&chart(&[0.4])).unwrap(),
        )
        .unwrap();
        std::fs::write(
            format!("{dir}/sample0.png"),
            render_png(&chart(&[])).unwrap(),
        )
        .unwrap();
    }
}
