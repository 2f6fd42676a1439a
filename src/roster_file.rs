//! Reading a roster file (XLSX with calamine, CSV with the csv crate) into
//! the grid `domain::roster::parse_grid` takes. Blocking and CPU-bound:
//! call it from `spawn_blocking`. Never trusts the file: the kind is told
//! by its content, sizes are bounded before anything is expanded.

use std::io::Cursor;

use chrono::NaiveDate;

use crate::domain::roster::{self, GridError, MAX_ROWS, Parsed};

/// Columns read per row (a roster needs four; more is noise).
const MAX_COLUMNS: u32 = 26;
/// The most an XLSX may expand to (sum of its parts, uncompressed).
const MAX_EXPANDED_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Xlsx,
    Csv,
}

/// Why a file is not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileError {
    /// Not a spreadsheet (an image, a PDF, binary data).
    NotSpreadsheet,
    /// A spreadsheet that cannot be read.
    Malformed,
    /// Over 5 MB, over 5,000 rows, or expanding to too much.
    TooLarge,
    /// No data row.
    Empty,
    /// Text in another encoding than UTF-8 (a CSV saved in Windows-1258).
    NotUtf8,
    /// A file of Office 97–2003 (an .xls, as many offices still keep
    /// their lists): to be saved as XLSX.
    OldOffice,
}

/// What a file is, by its content (the name and type a chat gives are not
/// trusted): a ZIP is taken as XLSX; UTF-8 text as CSV, unless control
/// characters make up one in [`STRAY_CONTROLS_PER`] of it or more (binary
/// data, UTF-16 without its mark): a stray one in a cell (a vertical tab,
/// an ESC, a NUL) is cleaned from the cell, not a reason to refuse the file.
pub fn kind(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Some(FileKind::Xlsx);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(text).ok()?;
    let chars = text.chars().count();
    let controls = text.chars().filter(|c| is_stray_control(*c)).count();
    let text_like = controls * STRAY_CONTROLS_PER < chars;
    (text_like && !text.trim().is_empty()).then_some(FileKind::Csv)
}

/// Text with a control character in this many characters or more is not
/// a CSV.
const STRAY_CONTROLS_PER: usize = 10;

/// A control character that has no place in a CSV's text (line ends and
/// tabs have).
fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

/// A CSV cell without its stray control characters (each a space: a
/// vertical tab may part two words).
fn clean_cell(cell: &str) -> String {
    cell.chars()
        .map(|c| if is_stray_control(c) { ' ' } else { c })
        .collect()
}

/// Reads and parses a roster file.
pub fn read(bytes: &[u8]) -> Result<Parsed, FileError> {
    let grid = grid(bytes)?;
    roster::parse_grid(&grid).map_err(grid_error)
}

/// The non-blank rows of a spreadsheet file (XLSX: its first sheet), with
/// their line numbers, bounded as a roster is (5 MB, about 5,000 rows,
/// the first 26 columns).
pub fn grid(bytes: &[u8]) -> Result<Vec<(u32, Vec<String>)>, FileError> {
    if bytes.len() as u64 > roster::MAX_FILE_BYTES {
        return Err(FileError::TooLarge);
    }
    // Excel's "Unicode Text": UTF-16 with its byte-order mark.
    let decoded = from_utf16(bytes);
    let bytes = without_eof_mark(decoded.as_deref().map_or(bytes, str::as_bytes));
    match kind(bytes) {
        // The compound file of Office 97–2003 (.xls, .doc).
        None if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") => Err(FileError::OldOffice),
        Some(FileKind::Xlsx) => xlsx_grid(bytes),
        Some(FileKind::Csv) => csv_grid(bytes),
        // Text, but not UTF-8: say how to save it, not that it is no
        // spreadsheet.
        None if !bytes.contains(&0) && std::str::from_utf8(bytes).is_err() => {
            Err(FileError::NotUtf8)
        }
        None => Err(FileError::NotSpreadsheet),
    }
}

/// A text file without the Ctrl-Z (0x1A) that old DOS programs and Excel
/// exports write at its end: the end-of-file mark of MS-DOS, not a
/// character of the list. A ZIP (an XLSX) is left as it is.
fn without_eof_mark(bytes: &[u8]) -> &[u8] {
    if bytes.starts_with(b"PK\x03\x04") {
        return bytes;
    }
    let end = bytes.iter().rposition(|b| *b != 0x1A).map_or(0, |i| i + 1);
    &bytes[..end]
}

/// Text in UTF-16 (little or big endian, with its byte-order mark), as a
/// string; `None` for anything else or for malformed UTF-16.
fn from_utf16(bytes: &[u8]) -> Option<String> {
    let (body, little) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (rest, true),
        [0xFE, 0xFF, rest @ ..] => (rest, false),
        _ => return None,
    };
    if body.len() % 2 != 0 {
        return None;
    }
    let units = body.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

/// A grid that cannot be read as a whole, as a file error.
pub fn grid_error(err: GridError) -> FileError {
    match err {
        GridError::Empty => FileError::Empty,
        GridError::TooManyRows => FileError::TooLarge,
    }
}

/// Non-blank rows beyond which a file is refused without reading further
/// (the header, the data, and some slack for notes under the table).
const MAX_GRID_ROWS: usize = MAX_ROWS + 50;

/// The delimiter of a CSV: of ',', ';' (what spreadsheet programs in
/// Vietnamese locales write) and tab, the one on the most of its first
/// non-blank lines, then the one whose count is the same on the most of
/// them; ',' when none is there. The first line alone would mislead: a
/// list's title above the header may hold commas, or no delimiter at all.
fn delimiter_of(text: &[u8]) -> u8 {
    let lines: Vec<&[u8]> = text
        .split(|b| *b == b'\n')
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .take(20)
        .collect();
    let score = |d: u8| {
        let counts: Vec<usize> = lines
            .iter()
            .map(|line| line.iter().filter(|b| **b == d).count())
            .collect();
        let on = counts.iter().filter(|c| **c > 0).count();
        let steady = counts
            .iter()
            .filter(|c| **c > 0)
            .map(|c| counts.iter().filter(|o| *o == c).count())
            .max()
            .unwrap_or(0);
        (on, steady)
    };
    let mut best = (b',', score(b','));
    for d in [b';', b'\t'] {
        let s = score(d);
        if s > best.1 {
            best = (d, s);
        }
    }
    best.0
}

fn csv_grid(bytes: &[u8]) -> Result<Vec<(u32, Vec<String>)>, FileError> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter_of(text))
        .from_reader(text);
    let mut grid = Vec::new();
    // The file's line of each record, counted from its bytes: the reader's
    // own count runs one behind after a CRLF line end, and a record's
    // position may lie on the line ends (or blank lines) before it.
    let (mut line, mut counted) = (1u64, 0usize);
    for record in reader.records() {
        let record = record.map_err(|_| FileError::Malformed)?;
        if let Some(start) = record.position().map(|p| p.byte() as usize) {
            let mut start = start.min(text.len()).max(counted);
            while text.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
                start += 1;
            }
            line += text[counted..start].iter().filter(|b| **b == b'\n').count() as u64;
            counted = start;
        }
        let cells: Vec<String> = record
            .iter()
            .take(MAX_COLUMNS as usize)
            .map(clean_cell)
            .collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        grid.push((u32::try_from(line).unwrap_or(u32::MAX), cells));
        if grid.len() > MAX_GRID_ROWS {
            return Err(FileError::TooLarge);
        }
    }
    Ok(grid)
}

fn xlsx_grid(bytes: &[u8]) -> Result<Vec<(u32, Vec<String>)>, FileError> {
    use calamine::{DataRef, Reader, Xlsx};
    // A ZIP bomb is refused before anything is expanded.
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| FileError::NotSpreadsheet)?;
    let mut expanded: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| FileError::Malformed)?;
        expanded = expanded.saturating_add(entry.size());
    }
    if expanded > MAX_EXPANDED_BYTES {
        return Err(FileError::TooLarge);
    }
    drop(archive);
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| FileError::Malformed)?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        return Err(FileError::Malformed);
    };
    let mut cells = book
        .worksheet_cells_reader(&sheet)
        .map_err(|_| FileError::Malformed)?;
    // Cells come row by row (a sparse sheet: only the written ones).
    let mut grid: Vec<(u32, Vec<String>)> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|_| FileError::Malformed)? {
        let (row, column) = cell.get_position();
        if column >= MAX_COLUMNS {
            continue;
        }
        let text = match cell.get_value() {
            DataRef::Empty | DataRef::Error(_) => continue,
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
            DataRef::SharedString(s) => (*s).to_owned(),
            DataRef::Int(i) => i.to_string(),
            DataRef::Float(f) => number_text(*f),
            DataRef::Bool(b) => b.to_string(),
            DataRef::DateTime(d) => excel_date(d.as_f64()).unwrap_or_default(),
        };
        if text.trim().is_empty() {
            continue;
        }
        let line = row.saturating_add(1);
        if grid.last().is_none_or(|(l, _)| *l != line) {
            if grid.len() >= MAX_GRID_ROWS {
                return Err(FileError::TooLarge);
            }
            grid.push((line, Vec::new()));
        }
        if let Some((_, cells)) = grid.last_mut() {
            let column = column as usize;
            if cells.len() <= column {
                cells.resize(column + 1, String::new());
            }
            cells[column] = text;
        }
    }
    // Rows are written in order in any file a program made; be sure anyway.
    grid.sort_by_key(|(line, _)| *line);
    Ok(grid)
}

/// A number as it would be typed: whole numbers without ".0" (a phone typed
/// as a number comes as 912345678.0).
fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// An Excel date serial (days since 30/12/1899) as dd/mm/yyyy.
fn excel_date(serial: f64) -> Option<String> {
    if !serial.is_finite() || !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let date = base.checked_add_signed(chrono::Duration::days(serial.floor() as i64))?;
    Some(crate::domain::dates::format_dmy(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_content() {
        assert_eq!(kind(b"PK\x03\x04rest"), Some(FileKind::Xlsx));
        assert_eq!(kind("Họ và tên,SĐT\n".as_bytes()), Some(FileKind::Csv));
        assert_eq!(kind(b"\xEF\xBB\xBFName\n"), Some(FileKind::Csv));
        assert_eq!(kind(b"\x89PNG\r\n\x1a\n\0\0"), None);
        assert_eq!(kind(b"%PDF-1.7\n\xff\xfe"), None);
        assert_eq!(kind(b"   \n"), None);
        // A stray control character in a cell; UTF-16 without its mark.
        assert_eq!(
            kind(b"Name,Phone\nAn\x0b,0912\x00345678\n"),
            Some(FileKind::Csv)
        );
        assert_eq!(kind(b"N\0a\0m\0e\0,\0P\0\n\0"), None);
    }

    #[test]
    fn csv_with_semicolons_and_quotes() {
        let text = "Họ và tên;Số điện thoại;Chức vụ\n\"Nguyễn Văn An\";0912 345 678;\"Trưởng phòng; kiêm\"\n\n;;\nTrần Bình;+84987654321;\n";
        let parsed = read(text.as_bytes()).unwrap();
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(
            parsed.rows[0].position.as_deref(),
            Some("Trưởng phòng; kiêm")
        );
        assert_eq!(parsed.rows[1].line, 5);
        assert_eq!(parsed.rows[1].phone.as_deref(), Some("0987654321"));
    }

    #[test]
    fn csv_lines_are_the_files_whatever_its_line_ends() {
        let lf = "Họ và tên,Số điện thoại\nNguyễn Văn An,0912345678\n\n\"Trần\nBình\",0987654321\nLê Cường,0911111111\n";
        let crlf = lf.replace('\n', "\r\n");
        for text in [lf.to_string(), crlf] {
            let grid = csv_grid(text.as_bytes()).unwrap();
            let lines: Vec<u32> = grid.iter().map(|(line, _)| *line).collect();
            assert_eq!(lines, [1, 2, 4, 6], "{text:?}");
            assert_eq!(grid[1].1, ["Nguyễn Văn An", "0912345678"]);
        }
    }

    #[test]
    fn the_delimiter_is_the_tables_not_its_titles() {
        // A title with commas above a semicolon table; a bare title above
        // a comma table; a tab table; names with commas in a semicolon one.
        for (text, delimiter) in [
            (
                "DANH SÁCH ĐẢNG VIÊN, CÁN BỘ, CÔNG CHỨC;\nHọ và tên;Số điện thoại\nAn;0912345678\nBình;0987654321\n",
                b';',
            ),
            (
                "DANH SACH DANG VIEN\nName,Phone\nAn,0912345678\nBinh,0987654321\n",
                b',',
            ),
            ("Họ và tên\tSĐT\nAn\t0912345678\n", b'\t'),
            (
                "Họ và tên;SĐT\nNguyễn, Văn An;0912345678\nBình;0987654321\n",
                b';',
            ),
            ("Nguyễn Văn An\n", b','),
        ] {
            assert_eq!(delimiter_of(text.as_bytes()), delimiter, "{text:?}");
        }
        let parsed = read(
            "DANH SÁCH ĐẢNG VIÊN, CÁN BỘ, CÔNG CHỨC;\nHọ và tên;Số điện thoại\nNguyễn Văn An;0912345678\nTrần Thị Bình;0987654321\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.rows[0].line, 3);
        assert_eq!(parsed.rows[0].phone.as_deref(), Some("0912345678"));
    }

    #[test]
    fn xlsx_with_numbers_and_dates() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in ["Họ và tên", "Số điện thoại", "Chức vụ", "Ngày sinh"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        sheet.write_string(1, 0, "Nguyễn Văn An").unwrap();
        sheet.write_number(1, 1, 912_345_678.0).unwrap();
        let date = ExcelDateTime::from_ymd(1980, 3, 5).unwrap();
        let format = Format::new().set_num_format("dd/mm/yyyy");
        sheet
            .write_datetime_with_format(1, 3, &date, &format)
            .unwrap();
        sheet.write_string(3, 0, "Trần Bình").unwrap();
        sheet.write_string(3, 3, "01/02/1990").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let parsed = read(&bytes).unwrap();
        assert_eq!(parsed.rows.len(), 2, "{parsed:?}");
        assert_eq!(parsed.rows[0].phone.as_deref(), Some("0912345678"));
        assert_eq!(
            parsed.rows[0].birth_date,
            NaiveDate::from_ymd_opt(1980, 3, 5)
        );
        assert_eq!(parsed.rows[1].line, 4);
    }

    #[test]
    fn a_dos_end_of_file_mark_is_not_data() {
        let parsed = read(b"Name,Phone\r\nAn,0912345678\r\n\x1A").unwrap();
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.rows[0].phone.as_deref(), Some("0912345678"));
        let parsed = read(b"Name,Phone\nAn,0912345678\x1A\x1A").unwrap();
        assert_eq!(parsed.rows[0].phone.as_deref(), Some("0912345678"));
    }

    #[test]
    fn garbage_is_refused() {
        assert_eq!(
            read(b"\x89PNG\r\n\x1a\n\0\0"),
            Err(FileError::NotSpreadsheet)
        );
        assert!(matches!(
            read(b"PK\x03\x04not really a zip"),
            Err(FileError::NotSpreadsheet | FileError::Malformed)
        ));
        assert_eq!(read(b",,,\n"), Err(FileError::Empty));
    }
}
