//! The ward administrator's rules: a residence cell's name (2–120
//! characters, unique in its ward, compared by `name_key`) and the preview
//! of a file of cell names. Pure: the file is read elsewhere
//! (`crate::roster_file::grid`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::membership::{name_fold, name_key};
use super::roster::{GridError, MAX_ROWS, clean_name};

/// The shortest and longest cell name (characters).
pub const NAME_MIN_CHARS: usize = 2;
pub const NAME_MAX_CHARS: usize = 120;

/// Why a typed or read name is not a cell's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NameProblem {
    Empty,
    TooShort,
    TooLong,
    /// No letter at all ("12", "—"): a serial number or a stray mark, not a
    /// cell's name.
    NoLetter,
}

/// A cell's name as stored: NFC, single spaces, trimmed, 2–120 characters,
/// one line.
pub fn check_cell_name(input: &str) -> Result<String, NameProblem> {
    let name = clean_name(input);
    let chars = name.chars().count();
    if chars == 0 {
        return Err(NameProblem::Empty);
    }
    if name.chars().any(char::is_control) {
        return Err(NameProblem::TooLong);
    }
    if chars < NAME_MIN_CHARS {
        return Err(NameProblem::TooShort);
    }
    if chars > NAME_MAX_CHARS {
        return Err(NameProblem::TooLong);
    }
    if !name.chars().any(char::is_alphabetic) {
        return Err(NameProblem::NoLetter);
    }
    Ok(name)
}

/// The key two cell names of a ward are compared by ("Khối  5" and
/// "khối 5" are the same cell; "Khối 5" and "Khoi 5" are not).
pub fn cell_key(name: &str) -> String {
    name_key(name)
}

/// A line of the file that is not taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportProblem {
    /// The ward has a cell of this name.
    InWard(String),
    /// The same name as an earlier line of the file.
    RepeatOf(String, u32),
    /// An empty, too short or too long name.
    Name(NameProblem),
}

/// What a file of cell names would do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// Data lines read (blank lines are not counted).
    pub read: usize,
    /// The names to add, with their line.
    pub new: Vec<(u32, String)>,
    /// The lines left out, with why.
    pub refused: Vec<(u32, ImportProblem)>,
    /// Whether a header row was recognised.
    pub header: bool,
}

/// Whether a cell names the column of cell names ("Tên chi bộ", "Chi bộ",
/// "Name", …).
fn is_header(cell: &str) -> bool {
    let folded = name_fold(cell);
    let folded = folded.trim_end_matches([':', '*', '.']).trim();
    matches!(
        folded,
        "ten chi bo"
            | "chi bo"
            | "ten chi bo noi cu tru"
            | "chi bo noi cu tru"
            | "ten"
            | "ho ten"
            | "name"
            | "cell"
            | "cell name"
            | "residence cell"
    )
}

/// The names of a grid (rows in file order), checked against the ward's
/// cells (`existing`) and each other. A header row among the first non-blank
/// rows ("STT | Tên chi bộ") says which column holds the names, and the rows
/// above it (titles) are left out; without one, the names are in column A.
/// Blank rows are skipped.
pub fn import_preview(
    grid: &super::roster::Grid,
    existing: &[String],
) -> Result<ImportPreview, GridError> {
    let blank = |row: &Vec<String>| row.iter().all(|c| c.trim().is_empty());
    let Some(first) = grid.iter().position(|(_, r)| !blank(r)) else {
        return Err(GridError::Empty);
    };
    // An official list's title lines ("ĐẢNG BỘ PHƯỜNG …") come above it.
    let found =
        super::roster::find_header(grid, first, |row| row.iter().position(|c| is_header(c)));
    let header = found.is_some();
    let (start, column) = found.map_or((first, 0), |(i, col)| (i + 1, col));
    let data: Vec<&(u32, Vec<String>)> = grid[start..].iter().filter(|(_, r)| !blank(r)).collect();
    if data.is_empty() {
        return Err(GridError::Empty);
    }
    if data.len() > MAX_ROWS {
        return Err(GridError::TooManyRows);
    }
    let in_ward: HashMap<String, &String> = existing.iter().map(|n| (cell_key(n), n)).collect();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut preview = ImportPreview {
        read: data.len(),
        header,
        ..ImportPreview::default()
    };
    for (line, row) in data {
        let line = *line;
        let written = row.get(column).map(String::as_str).unwrap_or("");
        let name = match check_cell_name(written) {
            Ok(name) => name,
            Err(problem) => {
                preview.refused.push((line, ImportProblem::Name(problem)));
                continue;
            }
        };
        let key = cell_key(&name);
        if let Some(there) = in_ward.get(&key) {
            let there = (*there).clone();
            preview.refused.push((line, ImportProblem::InWard(there)));
        } else if let Some(earlier) = seen.get(&key) {
            preview
                .refused
                .push((line, ImportProblem::RepeatOf(name, *earlier)));
        } else {
            seen.insert(key, line);
            preview.new.push((line, name));
        }
    }
    Ok(preview)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&str]) -> Vec<(u32, Vec<String>)> {
        rows.iter()
            .enumerate()
            .map(|(i, r)| (i as u32 + 1, vec![r.to_string()]))
            .collect()
    }

    #[test]
    fn names_are_cleaned_and_bounded() {
        assert_eq!(
            check_cell_name("  Chi bộ   khối 5 "),
            Ok("Chi bộ khối 5".into())
        );
        assert_eq!(check_cell_name("   "), Err(NameProblem::Empty));
        assert_eq!(check_cell_name("A"), Err(NameProblem::TooShort));
        assert_eq!(check_cell_name("AB"), Ok("AB".into()));
        assert_eq!(check_cell_name(&"ê".repeat(120)), Ok("ê".repeat(120)));
        assert_eq!(check_cell_name(&"ê".repeat(121)), Err(NameProblem::TooLong));
        assert_eq!(cell_key("Chi bộ  KHỐI 5"), cell_key("chi bộ khối 5"));
        assert_ne!(cell_key("Khối 5"), cell_key("Khoi 5"));
    }

    #[test]
    fn an_official_list_with_titles_and_a_serial_number_column() {
        let row = |line: u32, cells: &[&str]| (line, cells.iter().map(|c| c.to_string()).collect());
        let g = vec![
            row(1, &["ĐẢNG BỘ PHƯỜNG BẾN THỦY"]),
            row(2, &["DANH SÁCH CHI BỘ NƠI CƯ TRÚ"]),
            row(3, &[""]),
            row(4, &["STT", "Tên chi bộ", "Ghi chú"]),
            row(5, &["1", "Chi bộ khối 1", ""]),
            row(6, &["2", "Chi bộ khối 2", "mới"]),
            row(7, &["10", "", ""]),
        ];
        let p = import_preview(&g, &[]).unwrap();
        assert!(p.header);
        assert_eq!(
            p.new,
            vec![
                (5, "Chi bộ khối 1".to_string()),
                (6, "Chi bộ khối 2".to_string())
            ]
        );
        assert_eq!(
            p.refused,
            vec![(7, ImportProblem::Name(NameProblem::Empty))]
        );
        // Without a header, a column of numbers is no list of names.
        let p = import_preview(&grid(&["12", "Khối 3", "—"]), &[]).unwrap();
        assert_eq!(p.new, vec![(2, "Khối 3".to_string())]);
        assert_eq!(
            p.refused,
            vec![
                (1, ImportProblem::Name(NameProblem::NoLetter)),
                (3, ImportProblem::Name(NameProblem::TooShort))
            ]
        );
        assert_eq!(check_cell_name("25"), Err(NameProblem::NoLetter));
    }

    #[test]
    fn a_file_is_previewed_with_duplicates_and_bad_lines() {
        let g = grid(&[
            "Tên chi bộ",
            "Chi bộ khối 1",
            "chi bộ  khối 1",
            "",
            "Chi bộ khối 5",
            "X",
            &"a".repeat(121),
            "Chi bộ khối 2",
        ]);
        let p = import_preview(&g, &["Chi bộ Khối 5".to_string()]).unwrap();
        assert!(p.header);
        assert_eq!(p.read, 6);
        assert_eq!(
            p.new,
            vec![(2, "Chi bộ khối 1".into()), (8, "Chi bộ khối 2".into())]
        );
        assert_eq!(
            p.refused,
            vec![
                (3, ImportProblem::RepeatOf("chi bộ khối 1".into(), 2)),
                (5, ImportProblem::InWard("Chi bộ Khối 5".into())),
                (6, ImportProblem::Name(NameProblem::TooShort)),
                (7, ImportProblem::Name(NameProblem::TooLong)),
            ]
        );
    }

    #[test]
    fn no_header_empty_and_too_many() {
        let p = import_preview(&grid(&["Khối 1", "Khối 2"]), &[]).unwrap();
        assert!(!p.header);
        assert_eq!(p.new.len(), 2);
        assert_eq!(
            import_preview(&grid(&["Tên chi bộ"]), &[]),
            Err(GridError::Empty)
        );
        assert_eq!(import_preview(&grid(&[]), &[]), Err(GridError::Empty));
        let many: Vec<String> = (0..=MAX_ROWS).map(|i| format!("Khối {i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            import_preview(&grid(&many), &[]),
            Err(GridError::TooManyRows)
        );
    }
}
