//! The workplace's roster: the rules that turn a spreadsheet's cells into
//! roster rows (header recognition, phone and name normalisation, row
//! validation, duplicates) and match the rows to registered members. Pure:
//! the file is read elsewhere (`crate::roster_file`).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::membership::name_fold;

/// The largest file taken (bytes), checked before and during the download.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;
/// The most data rows a roster may have.
pub const MAX_ROWS: usize = 5_000;
/// The longest name and position kept (characters).
pub const MAX_TEXT_CHARS: usize = 200;

/// A roster row that passed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    /// The row's number in the spreadsheet (1 = its first row).
    pub line: u32,
    pub full_name: String,
    /// [`match_key`] of the name.
    pub name_key: String,
    /// [`normalize_phone`]: 10 digits starting with 0.
    pub phone: Option<String>,
    pub position: Option<String>,
    pub birth_date: Option<NaiveDate>,
}

/// Why a row was left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    NoName,
    NameTooLong,
    /// The phone as written.
    BadPhone(String),
    /// The phone cell as written, holding two numbers or more (which one
    /// the roster means cannot be told).
    SeveralPhones(String),
    /// The date of birth as written.
    BadBirthDate(String),
    /// The same phone (or, without phone, the same name) as that line.
    DuplicateOf(u32),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadRow {
    pub line: u32,
    pub problem: Problem,
}

/// A roster read from a file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parsed {
    pub rows: Vec<RosterRow>,
    pub bad: Vec<BadRow>,
    /// Whether a header row was recognised.
    pub header: bool,
}

impl Parsed {
    /// Data rows read (good and bad; blank rows are not counted).
    pub fn read(&self) -> usize {
        self.rows.len() + self.bad.len()
    }
}

/// A file that cannot be a roster as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridError {
    /// No data row at all.
    Empty,
    /// More than [`MAX_ROWS`] data rows.
    TooManyRows,
}

/// Which column holds what (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    name: usize,
    /// "Họ và tên đệm" beside a "Tên" column: the name is both, joined.
    surname: Option<usize>,
    phone: Option<usize>,
    position: Option<usize>,
    birth: Option<usize>,
}

const DEFAULT_COLUMNS: Columns = Columns {
    name: 0,
    surname: None,
    phone: Some(1),
    position: Some(2),
    birth: Some(3),
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Name,
    /// Family and middle names, when the given name has a column of its own.
    Surname,
    Phone,
    Position,
    Birth,
}

/// A header cell's meaning, compared case- and accent-insensitively; a
/// note in brackets ("Họ và tên (*)", "Ngày sinh (dd/mm/yyyy)") and the
/// words official lists add ("Họ và tên đảng viên", "Số điện thoại di
/// động") do not hide it.
fn header_field(cell: &str) -> Option<Field> {
    let folded = match_key(cell);
    let mut folded = folded.trim_end_matches([':', '*', '.']).trim();
    if let Some((before, _)) = folded.split_once('(').filter(|_| folded.ends_with(')')) {
        folded = before.trim_end_matches([':', '*', '.', ' ']);
    }
    header_phrase(folded).or_else(|| {
        [
            " cua dang vien",
            " dang vien",
            " di dong",
            " lien he",
            " lien lac",
        ]
        .iter()
        .find_map(|extra| folded.strip_suffix(extra))
        .and_then(header_phrase)
    })
}

fn header_phrase(folded: &str) -> Option<Field> {
    Some(match folded {
        "ho va ten" | "ho ten" | "ten" | "name" | "full name" | "fullname" => Field::Name,
        "ho va ten dem" | "ho va dem" | "ho dem" | "ho va chu dem" | "ho" | "surname"
        | "family name" | "last name" => Field::Surname,
        "so dien thoai" | "dien thoai" | "sdt" | "dt" | "phone" | "phone number" | "telephone" => {
            Field::Phone
        }
        "chuc vu" | "position" | "title" | "job title" => Field::Position,
        "ngay sinh"
        | "ngay thang nam sinh"
        | "date of birth"
        | "birth date"
        | "birthday"
        | "dob" => Field::Birth,
        _ => return None,
    })
}

/// The columns named by a row, if it is a header (it names the name
/// column).
fn header_columns(row: &[String]) -> Option<Columns> {
    let mut found: HashMap<Field, usize> = HashMap::new();
    for (i, cell) in row.iter().enumerate() {
        if let Some(field) = header_field(cell) {
            found.entry(field).or_insert(i);
        }
    }
    Some(Columns {
        name: *found.get(&Field::Name)?,
        surname: found.get(&Field::Surname).copied(),
        phone: found.get(&Field::Phone).copied(),
        position: found.get(&Field::Position).copied(),
        birth: found.get(&Field::Birth).copied(),
    })
}

/// The key names are matched by: NFC, lower case, single spaces, accents
/// folded ("Nguyễn  Văn An" and "nguyen van an" match).
pub fn match_key(name: &str) -> String {
    name_fold(name)
}

/// A name as stored: NFC, single spaces, trimmed, no invisible characters.
pub fn clean_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    super::text::visible(name)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .nfc()
        .collect()
}

/// A hyphen or a dash of any kind: a word processor or a web page groups
/// the digits of a number with typographic ones ("0912–345–678", a
/// non-breaking hyphen) where a keyboard types '-'.
pub fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
    )
}

/// A Vietnamese phone number in one canonical form, starting with 0
/// ("+84 912 345 678", "84912345678", "0912.345.678" all give
/// "0912345678"). Spaces, dots, dashes and brackets are ignored; a number
/// without its leading zero is taken as one a spreadsheet stripped of it.
/// Valid are mobile numbers (10 digits: 03x, 05x, 07x, 08x, 09x) and
/// landlines (11 digits: 02x, "024 3825 1234"), the numbering in force
/// since 2018; anything else is `None`.
pub fn normalize_phone(input: &str) -> Option<String> {
    // Spaces (a spreadsheet's non-breaking ones too), dots, dashes and
    // brackets group the digits: "(+84) 912 345 678", "+84 (0) 912…".
    let packed: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '(' | ')') && !is_dash(*c))
        .collect();
    // The international prefix: "+" or "00".
    let (international, digits) = match packed.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => match packed.strip_prefix("00") {
            Some(rest) => (true, rest),
            None => (false, packed.as_str()),
        },
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Without its trunk 0: 9 digits for a mobile, 10 for a landline (2…).
    let bare = |n: &str| n.len() == 9 || (n.len() == 10 && n.starts_with('2'));
    let national = match digits.strip_prefix("84") {
        Some(n) if bare(n) => format!("0{n}"),
        // "+84 (0) 912 345 678": the trunk 0 written after the country.
        Some(n) if international && n.starts_with('0') && bare(&n[1..]) => n.to_string(),
        // Another country's number.
        _ if international => return None,
        _ if bare(digits) && !digits.starts_with('0') => format!("0{digits}"),
        _ => digits.to_string(),
    };
    let b = national.as_bytes();
    let mobile = b.len() == 10 && matches!(b[1], b'3' | b'5' | b'7' | b'8' | b'9');
    let landline = b.len() == 11 && b[1] == b'2';
    (b[0] == b'0' && (mobile || landline)).then_some(national)
}

/// The phone number of a roster cell: the cell read as a number, or else
/// the one number in a cell that adds a note to it ("0912345678 (Zalo)",
/// "0912 345 678 - cơ quan", "ĐT: 0912345678"). `None` when no phone is
/// in it, or more than one group of digits (two numbers, a number and its
/// extension: which one is meant cannot be told).
pub fn phone_in_cell(cell: &str) -> Option<String> {
    if let Some(phone) = normalize_phone(cell) {
        return Some(phone);
    }
    let groups: Vec<&str> = cell
        .split(|c: char| {
            !(c.is_ascii_digit()
                || c.is_whitespace()
                || matches!(c, '+' | '.' | '(' | ')')
                || is_dash(c))
        })
        .filter(|group| group.chars().any(|c| c.is_ascii_digit()))
        .collect();
    match groups.as_slice() {
        [one] => normalize_phone(one),
        _ => None,
    }
}

/// Whether a roster cell holds two phone numbers or more
/// ("0912345678 / 0987654321", "0912 345 678 - 0987 654 321"): its groups
/// of digits, read in turn, make up more than one number.
pub fn several_phones_in_cell(cell: &str) -> bool {
    let mut numbers = 0;
    let mut number = String::new();
    for group in cell.split(|c: char| !(c.is_ascii_digit() || c == '+')) {
        if group.is_empty() {
            continue;
        }
        number.push_str(group);
        if number.len() > 14 {
            // Too long for one number: what came before was none.
            number = group.to_string();
        }
        if normalize_phone(&number).is_some() {
            numbers += 1;
            number.clear();
        }
    }
    numbers > 1
}

/// A date of birth written dd/mm/yyyy (d/m/yyyy, dashes or dots too), or
/// as a spreadsheet may store it: yyyy-mm-dd, with a time after it or not
/// ("1980-03-05T00:00:00").
pub fn parse_birth_date(input: &str) -> Option<NaiveDate> {
    let input = input.trim();
    let date_part = input.split(['T', ' ']).next().unwrap_or(input);
    let parts: Vec<&str> = date_part.split(['/', '-', '.']).collect();
    let (d, m, y) = match parts.as_slice() {
        [y, m, d] if y.len() == 4 && date_part.contains('-') => (*d, *m, *y),
        // A time only follows the ISO form.
        [d, m, y] if date_part == input => (*d, *m, *y),
        _ => return None,
    };
    let num = |s: &str, max: usize| {
        (!s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    if y.len() != 4 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(num(y, 4)? as i32, num(m, 2)?, num(d, 2)?)?;
    (1900..=2100)
        .contains(&chrono::Datelike::year(&date))
        .then_some(date)
}

fn cell(row: &[String], column: Option<usize>) -> &str {
    column
        .and_then(|c| row.get(c))
        .map(|s| s.trim())
        .unwrap_or("")
}

/// A spreadsheet's rows as read: (row number, 1 = the first row; its cells
/// from column A). Rows may be missing (blank) but come in order.
pub type Grid = [(u32, Vec<String>)];

/// Rows looked at for a header: an official list starts with its title
/// lines ("ĐẢNG ỦY …", "DANH SÁCH ĐẢNG VIÊN") above it.
pub const HEADER_SEARCH_ROWS: usize = 10;

/// The first of the first [`HEADER_SEARCH_ROWS`] non-blank rows from
/// `first` that `header` reads as a header: its index and what it said.
pub fn find_header<T>(
    grid: &Grid,
    first: usize,
    header: impl Fn(&[String]) -> Option<T>,
) -> Option<(usize, T)> {
    grid.iter()
        .enumerate()
        .skip(first)
        .filter(|(_, (_, row))| row.iter().any(|c| !c.trim().is_empty()))
        .take(HEADER_SEARCH_ROWS)
        .find_map(|(i, (_, row))| header(row).map(|said| (i, said)))
}

/// Reads a roster from a grid of cells (rows in file order). A header row
/// among the first non-blank rows names the columns (the name column at
/// least; Vietnamese or English, any case, accents or not), and the title
/// rows above it are left out; without one, columns A–D are name, phone,
/// position and date of birth. Blank rows are skipped; every other row is a
/// good row or a bad row with its reason.
pub fn parse_grid(grid: &Grid) -> Result<Parsed, GridError> {
    let blank = |row: &Vec<String>| row.iter().all(|c| c.trim().is_empty());
    let first = grid.iter().position(|(_, r)| !blank(r));
    let Some(first) = first else {
        return Err(GridError::Empty);
    };
    let found = find_header(grid, first, header_columns);
    let (columns, start, header) = match found {
        Some((i, columns)) => (columns, i + 1, true),
        None => (DEFAULT_COLUMNS, first, false),
    };
    let data = grid[start..].iter().filter(|(_, r)| !blank(r)).count();
    if data == 0 {
        return Err(GridError::Empty);
    }
    if data > MAX_ROWS {
        return Err(GridError::TooManyRows);
    }
    let mut parsed = Parsed {
        header,
        ..Parsed::default()
    };
    let mut phones: HashMap<String, u32> = HashMap::new();
    let mut names: HashMap<String, u32> = HashMap::new();
    for (line, row) in &grid[start..] {
        if blank(row) {
            continue;
        }
        let line = *line;
        match check_row(row, columns, &phones, &names) {
            Ok(good) => {
                if let Some(phone) = &good.phone {
                    phones.entry(phone.clone()).or_insert(line);
                }
                names.entry(good.name_key.clone()).or_insert(line);
                parsed.rows.push(RosterRow { line, ..good });
            }
            Err(problem) => parsed.bad.push(BadRow { line, problem }),
        }
    }
    Ok(parsed)
}

fn check_row(
    row: &[String],
    columns: Columns,
    phones: &HashMap<String, u32>,
    names: &HashMap<String, u32>,
) -> Result<RosterRow, Problem> {
    let full_name = clean_name(&format!(
        "{} {}",
        cell(row, columns.surname),
        cell(row, Some(columns.name))
    ));
    if full_name.is_empty() {
        return Err(Problem::NoName);
    }
    if full_name.chars().count() > MAX_TEXT_CHARS {
        return Err(Problem::NameTooLong);
    }
    // Marks nobody sees, copied along with a number from a web page or a
    // contact list (a zero-width space inside it, direction marks around
    // it), would make a number that reads as one "not a phone".
    let written = &super::text::visible(cell(row, columns.phone));
    let phone = if written.is_empty() {
        None
    } else {
        let phone = phone_in_cell(written);
        if phone.is_none() && several_phones_in_cell(written) {
            return Err(Problem::SeveralPhones(clip(written)));
        }
        Some(phone.ok_or_else(|| Problem::BadPhone(clip(written)))?)
    };
    let written = &super::text::visible(cell(row, columns.birth));
    let birth_date = if written.is_empty() {
        None
    } else {
        Some(parse_birth_date(written).ok_or_else(|| Problem::BadBirthDate(clip(written)))?)
    };
    let position = clean_name(cell(row, columns.position));
    let position = (!position.is_empty()).then(|| position.chars().take(MAX_TEXT_CHARS).collect());
    let name_key = match_key(&full_name);
    match &phone {
        Some(p) => {
            if let Some(line) = phones.get(p) {
                return Err(Problem::DuplicateOf(*line));
            }
        }
        None => {
            if let Some(line) = names.get(&name_key) {
                return Err(Problem::DuplicateOf(*line));
            }
        }
    }
    Ok(RosterRow {
        line: 0,
        full_name,
        name_key,
        phone,
        position,
        birth_date,
    })
}

/// What was written, shortened for a message.
fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// A registered member a roster row may match: an approved membership.
#[derive(Debug, Clone)]
pub struct Registered {
    pub membership_id: i64,
    pub full_name: String,
    /// As stored (any form [`normalize_phone`] reads).
    pub phone: Option<String>,
    pub cell_name: String,
    pub workplace_id: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedBy {
    Phone,
    Name,
    /// The person joined a residence cell through the workplace's
    /// introduction link made for them (under whatever name or phone they
    /// typed).
    Introduction,
}

/// A person of a workplace's roster who joined a residence cell through
/// the introduction link made for them and is an approved member now:
/// registered, whatever name or phone they typed when joining.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Introduced {
    /// The person as introductions tell people apart: their phone, or
    /// their name key where the introduction had no phone.
    pub key: String,
    /// Their approved membership now.
    pub membership_id: i64,
}

/// How introductions tell a roster's people apart: by phone, or by name
/// key where there is no phone.
pub fn person_key(phone: Option<&str>, name_key: &str) -> String {
    phone.unwrap_or(name_key).to_owned()
}

/// Which registered member each row is (index into the members), by phone
/// first, then by name (never a member whose known phone is another than
/// the row's). Among several candidates the members of `workplace` come
/// first; a name shared by several candidates matches none of them (it
/// cannot say who is who), nor does a name that rows left unmatched by
/// phone share with different phones (two namesakes on the roster: a
/// member without a phone is not both of them, nor the one or the other).
pub fn match_rows(
    rows: &[RosterRow],
    members: &[Registered],
    workplace: i64,
) -> Vec<Option<(usize, MatchedBy)>> {
    let mut by_phone: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    let phones: Vec<Option<String>> = members
        .iter()
        .map(|m| m.phone.as_deref().and_then(normalize_phone))
        .collect();
    for (i, m) in members.iter().enumerate() {
        if let Some(phone) = &phones[i] {
            by_phone.entry(phone.clone()).or_default().push(i);
        }
        by_name.entry(match_key(&m.full_name)).or_default().push(i);
    }
    let ours = |i: &&usize| members[**i].workplace_id == Some(workplace);
    let pick = |candidates: &Vec<usize>, unique: bool| -> Option<usize> {
        let here: Vec<&usize> = candidates.iter().filter(ours).collect();
        let pool: Vec<&usize> = if here.is_empty() {
            candidates.iter().collect()
        } else {
            here
        };
        match pool.as_slice() {
            [one] => Some(**one),
            [first, ..] if !unique => Some(**first),
            _ => None,
        }
    };
    let by_phone_match: Vec<Option<usize>> = rows
        .iter()
        .map(|row| {
            row.phone
                .as_ref()
                .and_then(|p| by_phone.get(p))
                .and_then(|c| pick(c, false))
        })
        .collect();
    // The phones of the rows left to match by name, per name.
    let mut left: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (row, matched) in rows.iter().zip(&by_phone_match) {
        if matched.is_none()
            && let Some(phone) = &row.phone
        {
            left.entry(row.name_key.as_str()).or_default().insert(phone);
        }
    }
    rows.iter()
        .zip(by_phone_match)
        .map(|(row, by_phone)| {
            if let Some(i) = by_phone {
                return Some((i, MatchedBy::Phone));
            }
            if left
                .get(row.name_key.as_str())
                .is_some_and(|phones| phones.len() > 1)
            {
                return None;
            }
            // A member whose phone is known and is another than the row's
            // is another person of the same name.
            let same_person = |i: &usize| match (&row.phone, phones[*i].as_ref()) {
                (Some(row), Some(member)) => row == member,
                _ => true,
            };
            let candidates: Vec<usize> = by_name
                .get(&row.name_key)
                .map(|c| c.iter().copied().filter(same_person).collect())
                .unwrap_or_default();
            pick(&candidates, true).map(|i| (i, MatchedBy::Name))
        })
        .collect()
}

/// What the officer is shown before anything is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preview {
    /// Data rows read (good and bad).
    pub read: usize,
    /// (line, name on the roster, the member's cell, matched by). The
    /// cell is named only for a member who declared this workplace: who
    /// lives where is not told to the officer of another one (`None`).
    pub matched: Vec<(u32, String, Option<String>, MatchedBy)>,
    /// (line, name): on the roster, in no residence cell.
    pub unregistered: Vec<(u32, String)>,
    pub bad: Vec<BadRow>,
}

/// The preview of a parsed roster against the registered members: the
/// people who joined through their introduction link (`introduced`) are
/// registered whatever name or phone they typed, as `/status` counts them;
/// the others are matched among themselves ([`match_rows`]).
pub fn preview(
    parsed: &Parsed,
    members: &[Registered],
    workplace: i64,
    introduced: &[Introduced],
) -> Preview {
    let mut out = Preview {
        read: parsed.read(),
        bad: parsed.bad.clone(),
        ..Preview::default()
    };
    // One look-up per row, not a scan of the introductions (the first of a
    // key counts, as before).
    let mut by_key = std::collections::HashMap::new();
    for i in introduced {
        by_key.entry(i.key.as_str()).or_insert(i);
    }
    let joined = |row: &RosterRow| {
        let key = person_key(row.phone.as_deref(), &row.name_key);
        by_key.get(key.as_str()).copied()
    };
    let rest: Vec<RosterRow> = parsed
        .rows
        .iter()
        .filter(|row| joined(row).is_none())
        .cloned()
        .collect();
    let mut matches = match_rows(&rest, members, workplace).into_iter();
    for row in &parsed.rows {
        let found = match joined(row) {
            Some(person) => {
                let cell = members
                    .iter()
                    .find(|m| m.membership_id == person.membership_id)
                    .filter(|m| m.workplace_id == Some(workplace))
                    .map(|m| m.cell_name.clone());
                out.matched.push((
                    row.line,
                    row.full_name.clone(),
                    cell,
                    MatchedBy::Introduction,
                ));
                continue;
            }
            None => matches.next().flatten(),
        };
        match found {
            Some((i, by)) => out.matched.push((
                row.line,
                row.full_name.clone(),
                (members[i].workplace_id == Some(workplace)).then(|| members[i].cell_name.clone()),
                by,
            )),
            None => out.unregistered.push((row.line, row.full_name.clone())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Vec<(u32, Vec<String>)> {
        rows.iter()
            .enumerate()
            .map(|(i, r)| (i as u32 + 1, r.iter().map(|c| c.to_string()).collect()))
            .collect()
    }

    #[test]
    fn phones_normalise_to_one_form() {
        for (input, want) in [
            ("0912345678", Some("0912345678")),
            ("0912 345 678", Some("0912345678")),
            ("(+84) 912 345 678", Some("0912345678")),
            ("+84 (0) 912 345 678", Some("0912345678")),
            ("0084 912 345 678", Some("0912345678")),
            ("0912\u{a0}345\u{a0}678", Some("0912345678")),
            ("0912+345678", None),
            ("+84 (0) 112 345 678", None),
            ("0912.345.678", Some("0912345678")),
            ("0912\u{2013}345\u{2011}678", Some("0912345678")),
            ("+84 912 345 678", Some("0912345678")),
            ("+84912345678", Some("0912345678")),
            ("84912345678", Some("0912345678")),
            ("912345678", Some("0912345678")),
            ("(024) 3825-1234", Some("02438251234")),
            ("+84 24 3825 1234", Some("02438251234")),
            ("+84 (0) 238 384 4567", Some("02383844567")),
            ("2438251234", Some("02438251234")),
            ("0243 825 123", None),
            ("0912 345 6789", None),
            ("0381234567", Some("0381234567")),
            ("0112345678", None),
            ("0012345678", None),
            ("091234567", None),
            ("09123456789", None),
            ("+1 202 555 0100", None),
            ("+8491234567", None),
            ("abc", None),
            ("0912abc678", None),
            ("", None),
            ("+", None),
            ("Không có", None),
        ] {
            assert_eq!(normalize_phone(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn a_phone_with_a_note_is_the_phone() {
        for (input, want) in [
            ("0912345678 (Zalo)", Some("0912345678")),
            ("0912 345 678 - cơ quan", Some("0912345678")),
            ("ĐT: +84 912 345 678", Some("0912345678")),
            ("Zalo 0912.345.678, nhà riêng", Some("0912345678")),
            ("024 3825 1234 (cơ quan)", Some("02438251234")),
            ("0912345678 / 0987654321", None),
            ("0912345678 - 0987654321", None),
            ("0912345678 (máy lẻ 12)", None),
            ("12345 (Zalo)", None),
            ("không có", None),
        ] {
            assert_eq!(phone_in_cell(input).as_deref(), want, "{input}");
        }
        for (input, several) in [
            ("0912345678 / 0987654321", true),
            ("0912 345 678 - 0987 654 321", true),
            ("0912345678, (024) 3825 1234", true),
            ("+84 912 345 678; 0987.654.321", true),
            ("0912345678 (máy lẻ 12)", false),
            ("0912345678 / 12345", false),
            ("12345 (Zalo)", false),
            ("12345 0912345678 / 0987654321", true),
        ] {
            assert_eq!(several_phones_in_cell(input), several, "{input}");
        }
    }

    #[test]
    fn names_fold_accents_case_and_spacing() {
        for (a, b) in [
            ("Nguyễn Văn An", "nguyen van an"),
            ("  NGUYỄN   Văn  An ", "Nguyen Van An"),
            ("Đặng Thị Hoa", "dang thi hoa"),
            // Decomposed (NFD) input matches composed.
            ("Nguye\u{302}\u{303}n Văn An", "Nguyễn Văn An"),
        ] {
            assert_eq!(match_key(a), match_key(b), "{a} / {b}");
        }
        assert_ne!(match_key("Nguyễn Văn An"), match_key("Nguyễn Văn Ân Hai"));
        assert_eq!(clean_name("  Trần   Thị  Bình "), "Trần Thị Bình");
    }

    #[test]
    fn birth_dates() {
        for (input, want) in [
            ("05/03/1980", NaiveDate::from_ymd_opt(1980, 3, 5)),
            ("5/3/1980", NaiveDate::from_ymd_opt(1980, 3, 5)),
            ("05-03-1980", NaiveDate::from_ymd_opt(1980, 3, 5)),
            ("31/02/1980", None),
            ("1980-03-05", NaiveDate::from_ymd_opt(1980, 3, 5)),
            ("1980-03-05T00:00:00", NaiveDate::from_ymd_opt(1980, 3, 5)),
            ("1980-03-05 00:00:00", NaiveDate::from_ymd_opt(1980, 3, 5)),
            ("05/03/1980 00:00", None),
            ("1980/03/05", None),
            ("05/03/80", None),
            ("hôm qua", None),
            ("01/01/1800", None),
        ] {
            assert_eq!(parse_birth_date(input), want, "{input}");
        }
    }

    #[test]
    fn headers_in_either_language_any_order() {
        for header in [
            &["STT", "Họ và tên", "Số điện thoại", "Chức vụ", "Ngày sinh"][..],
            &["stt", "HỌ TÊN", "Điện thoại", "chuc vu", "ngay sinh"],
            &["No.", "Name", "Phone", "Position", "Date of birth"],
            &[
                "STT",
                "Họ và tên đảng viên (*)",
                "Số điện thoại di động",
                "Chức vụ:",
                "Ngày sinh (dd/mm/yyyy)",
            ],
        ] {
            let g = grid(&[
                header,
                &[
                    "1",
                    "Nguyễn Văn An",
                    "0912345678",
                    "Trưởng phòng",
                    "05/03/1980",
                ],
            ]);
            let p = parse_grid(&g).unwrap();
            assert!(p.header, "{header:?}");
            assert_eq!(p.rows.len(), 1);
            let row = &p.rows[0];
            assert_eq!(row.line, 2);
            assert_eq!(row.full_name, "Nguyễn Văn An");
            assert_eq!(row.phone.as_deref(), Some("0912345678"));
            assert_eq!(row.position.as_deref(), Some("Trưởng phòng"));
            assert_eq!(row.birth_date, NaiveDate::from_ymd_opt(1980, 3, 5));
        }
        // Columns in another order.
        let g = grid(&[&["Phone", "Name"], &["+84 987 654 321", "Lê Thị Bình"]]);
        let p = parse_grid(&g).unwrap();
        assert_eq!(p.rows[0].full_name, "Lê Thị Bình");
        assert_eq!(p.rows[0].phone.as_deref(), Some("0987654321"));
    }

    #[test]
    fn an_official_list_with_title_rows_and_the_name_in_two_columns() {
        let g = grid(&[
            &["ĐẢNG ỦY SỞ TƯ PHÁP"],
            &["DANH SÁCH ĐẢNG VIÊN ĐANG CÔNG TÁC"],
            &["STT", "Họ và tên đệm", "Tên", "Số điện thoại"],
            &["1", "Nguyễn Văn", "An", "(+84) 912 345 678"],
            &["2", "Trần Thị", "Bình", ""],
        ]);
        let p = parse_grid(&g).unwrap();
        assert!(p.header);
        assert!(p.bad.is_empty(), "{:?}", p.bad);
        let names: Vec<_> = p
            .rows
            .iter()
            .map(|r| (r.line, r.full_name.as_str()))
            .collect();
        assert_eq!(names, vec![(4, "Nguyễn Văn An"), (5, "Trần Thị Bình")]);
        assert_eq!(p.rows[0].phone.as_deref(), Some("0912345678"));
    }

    #[test]
    fn without_header_columns_a_to_d() {
        let g = grid(&[
            &["", ""],
            &["Nguyễn Văn An", "0912345678", "Chuyên viên", "01/01/1990"],
            &["Trần Bình", ""],
        ]);
        let p = parse_grid(&g).unwrap();
        assert!(!p.header);
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows[0].line, 2);
        assert_eq!(p.rows[1].line, 3);
        assert_eq!(p.rows[1].phone, None);
    }

    #[test]
    fn bad_rows_with_their_reasons() {
        let g = grid(&[
            &["Họ và tên", "Số điện thoại", "Chức vụ", "Ngày sinh"],
            &["Nguyễn Văn An", "0912345678", "", ""],
            &["", "0912000111", "", ""],
            &["Trần Bình", "12345", "", ""],
            &["Lê Cường", "+84 912 345 678", "", ""],
            &["Phạm Dũng", "", "", ""],
            &["pham  dung", "", "", ""],
            &["Hoàng Em", "", "", "30/02/1990"],
            &["Phạm Dũng", "0987000111", "", ""],
        ]);
        let p = parse_grid(&g).unwrap();
        let bad: Vec<(u32, Problem)> = p.bad.iter().map(|b| (b.line, b.problem.clone())).collect();
        assert_eq!(
            bad,
            vec![
                (3, Problem::NoName),
                (4, Problem::BadPhone("12345".into())),
                (5, Problem::DuplicateOf(2)),
                (7, Problem::DuplicateOf(6)),
                (8, Problem::BadBirthDate("30/02/1990".into())),
            ]
        );
        // A namesake with a phone of their own is another person.
        assert_eq!(p.rows.len(), 3);
        assert_eq!(p.read(), 8);
    }

    #[test]
    fn empty_and_too_many_rows() {
        assert_eq!(parse_grid(&[]), Err(GridError::Empty));
        assert_eq!(
            parse_grid(&grid(&[&["Họ và tên", "Số điện thoại"]])),
            Err(GridError::Empty)
        );
        let mut g = vec![(1, vec!["Name".to_string()])];
        for i in 0..=MAX_ROWS {
            g.push((i as u32 + 2, vec![format!("Người {i}")]));
        }
        assert_eq!(parse_grid(&g), Err(GridError::TooManyRows));
        g.pop();
        assert_eq!(parse_grid(&g).map(|p| p.rows.len()), Ok(MAX_ROWS));
        let long = "A".repeat(MAX_TEXT_CHARS + 1);
        let p = parse_grid(&grid(&[&[long.as_str()]])).unwrap();
        assert_eq!(p.bad[0].problem, Problem::NameTooLong);
    }

    #[test]
    fn matching_by_phone_then_name_preferring_the_workplace() {
        let member = |id, name: &str, phone: Option<&str>, cell: &str, w| Registered {
            membership_id: id,
            full_name: name.into(),
            phone: phone.map(Into::into),
            cell_name: cell.into(),
            workplace_id: w,
        };
        let members = vec![
            member(1, "Nguyễn Văn An", Some("+84912345678"), "Khối 1", Some(7)),
            member(2, "Trần Thị Bình", None, "Khối 2", None),
            member(3, "Lê Văn Cường", None, "Khối 3", Some(9)),
            member(4, "Lê Văn Cường", None, "Khối 4", Some(7)),
            member(5, "Phạm Dũng", None, "Khối 5", Some(8)),
            member(6, "Phạm Dũng", None, "Khối 6", Some(9)),
            member(7, "Hoàng Thị Em", Some("0911111111"), "Khối 7", Some(8)),
            member(8, "Võ Văn Phúc", Some("0933333333"), "Khối 8", Some(8)),
        ];
        let g = grid(&[
            &["Name", "Phone"],
            &["Anh Khác Tên", "0912 345 678"],
            &["tran thi  binh", ""],
            &["Lê Văn Cường", "0999999999"],
            &["Phạm Dũng", ""],
            &["Người Mới", "0988888888"],
            &["Hoàng Thị Em", "0922222222"],
            &["Võ Văn Phúc", ""],
        ]);
        let p = parse_grid(&g).unwrap();
        let got: Vec<Option<(i64, MatchedBy)>> = match_rows(&p.rows, &members, 7)
            .into_iter()
            .map(|m| m.map(|(i, by)| (members[i].membership_id, by)))
            .collect();
        assert_eq!(
            got,
            vec![
                Some((1, MatchedBy::Phone)),
                Some((2, MatchedBy::Name)),
                Some((4, MatchedBy::Name)),
                None,
                None,
                // Another person of the same name (another phone); without
                // a phone the name is all there is.
                None,
                Some((8, MatchedBy::Name)),
            ]
        );
    }

    #[test]
    fn namesakes_on_the_roster_are_not_one_member_without_a_phone() {
        let member = |id, phone: Option<&str>| Registered {
            membership_id: id,
            full_name: "Nguyễn Văn An".into(),
            phone: phone.map(Into::into),
            cell_name: "Khối 5".into(),
            workplace_id: Some(1),
        };
        let matched = |g: &[&[&str]], members: &[Registered]| -> Vec<Option<i64>> {
            let p = parse_grid(&grid(g)).unwrap();
            match_rows(&p.rows, members, 1)
                .into_iter()
                .map(|m| m.map(|(i, _)| members[i].membership_id))
                .collect()
        };
        let two = [
            &["Name", "Phone"][..],
            &["Nguyễn Văn An", "0912000111"],
            &["Nguyễn Văn An", "0912000222"],
        ];
        // One of them registered without a phone: which one is unknown.
        assert_eq!(matched(&two, &[member(1, None)]), [None, None]);
        // With a phone, that one; the other one then by name.
        assert_eq!(
            matched(&two, &[member(1, Some("0912000111")), member(2, None)]),
            [Some(1), Some(2)]
        );
        // The same person twice (one phone, or none): still them.
        let twice = [
            &["Name", "Phone"][..],
            &["Nguyễn Văn An", "0912000111"],
            &["Nguyễn Văn An", "0912 000 111"],
        ];
        let got = matched(&twice, &[member(1, None)]);
        assert!(
            !got.is_empty() && got.iter().all(|m| *m == Some(1)),
            "{got:?}"
        );
    }
}
