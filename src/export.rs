//! The year's table, one row per member: for `lienhe export` and `/export`.

use std::collections::HashMap;

use chrono::NaiveDate;
use chrono_tz::Tz;
use rust_xlsxwriter::{Format, Workbook};

use crate::{
    domain::{
        Lang,
        membership::Exemption,
        sheet::{ApprovedActivity, Criterion, Evidence, Levels, SheetState},
    },
    sheet::build::{criterion_label, exemption_label, level_label},
    store::{
        Pool,
        yearly::{self, Scope},
    },
    t,
};

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
}

#[derive(Debug, Clone)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// What the table of a year is built from, read from the database: the
/// members of a scope, their approved activities of the year and the cell
/// meetings they attended.
#[derive(Debug, Clone)]
pub struct Source {
    year: i32,
    today: NaiveDate,
    tz: Tz,
    members: Vec<yearly::MemberRow>,
    by_member: HashMap<i64, Vec<ApprovedActivity>>,
    attendance: HashMap<i64, (u32, u32)>,
}

impl Source {
    /// How many members (rows) the table has.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

/// Reads what the table of `year` for the members of `scope` is built
/// from ([`build`] builds it, off the async runtime for a large scope).
pub async fn read(
    pool: &Pool,
    scope: Scope,
    year: i32,
    today: NaiveDate,
    tz: Tz,
) -> sqlx::Result<Source> {
    // A year outside 1900–9999 is refused (an error, never a panic).
    let (from, until) = yearly::year_bounds(year)?;
    let members = yearly::members(pool, scope, year, tz).await?;
    let mut by_member: HashMap<i64, Vec<ApprovedActivity>> = HashMap::new();
    for (membership, activity) in yearly::activities(pool, scope, from, until).await? {
        by_member.entry(membership).or_default().push(activity);
    }
    // attendance: the cell meetings held and attended (the register).
    let user_ids: Vec<i64> = members.iter().map(|m| m.user_id).collect();
    let (_, end_of_today) =
        crate::store::meetings::utc_bounds(today, today.succ_opt().unwrap_or(today), tz);
    let attendance =
        crate::store::meetings::attendance_by_user(pool, &user_ids, year, end_of_today, tz).await?;
    Ok(Source {
        year,
        today,
        tz,
        members,
        by_member,
        attendance,
    })
}

/// Builds the table of `year` for the members of `scope` (read, then
/// built where it is called).
pub async fn table(
    pool: &Pool,
    scope: Scope,
    year: i32,
    today: NaiveDate,
    tz: Tz,
    lang: Lang,
) -> sqlx::Result<Table> {
    Ok(build(&read(pool, scope, year, today, tz).await?, lang))
}

/// Builds the table from what [`read`] read: one row per member. CPU work
/// for a large scope: call it from `spawn_blocking` in the bot.
pub fn build(source: &Source, lang: Lang) -> Table {
    let Source {
        year,
        today,
        tz,
        members,
        by_member,
        attendance,
    } = source;
    let (year, today, tz) = (*year, *today, *tz);
    let mut headers = vec![
        t!(lang, "export-col-id"),
        t!(lang, "export-col-member"),
        t!(lang, "export-col-cell"),
        t!(lang, "export-col-ward"),
        t!(lang, "export-col-workplace"),
    ];
    for duty in 1..=7u8 {
        headers.push(t!(lang, "export-col-duty", duty = duty));
    }
    headers.extend([
        t!(lang, "export-col-total"),
        t!(lang, "export-col-contributions"),
        t!(lang, "export-col-months-active"),
        t!(lang, "export-col-meetings"),
        t!(lang, "export-col-exempt"),
        t!(lang, "export-col-sheet-state"),
    ]);
    for c in Criterion::ALL {
        headers.push(criterion_label(lang, c));
    }
    headers.push(t!(lang, "export-col-code"));
    // attendance: the cell meetings held and attended (the register).
    headers.extend([
        t!(lang, "attendance-export-held"),
        t!(lang, "attendance-export-attended"),
    ]);

    let empty = Vec::new();
    let rows = members
        .iter()
        .map(|m| {
            let activities = by_member.get(&m.membership_id).unwrap_or(&empty);
            let e = Evidence::build(year, today, m.introduced(tz), activities)
                .excusing(year, &m.exemptions(tz));
            let mut row = vec![
                Value::Number(m.membership_id as f64),
                Value::Text(m.full_name.clone()),
                Value::Text(m.cell_name.clone()),
                Value::Text(m.ward_name.clone()),
                Value::Text(m.workplace_name.clone().unwrap_or_default()),
            ];
            for duty in 1..=7u8 {
                row.push(Value::Number(f64::from(
                    e.by_duty.get(&duty).copied().unwrap_or(0),
                )));
            }
            let exempt = m
                .exempt_reason
                .as_deref()
                .and_then(Exemption::parse)
                .map(|x| exemption_label(lang, x))
                .unwrap_or_default();
            let state = SheetState::parse(m.sheet_state.as_deref().unwrap_or(""));
            row.extend([
                Value::Number(f64::from(e.total)),
                // Money is counted apart and fills no month.
                Value::Number(f64::from(e.contributions)),
                Value::Number(e.period_active() as f64),
                Value::Number(f64::from(e.meetings)),
                Value::Text(exempt),
                Value::Text(crate::sheet::build::listed_state_label(lang, m)),
            ]);
            // Levels are final only once signed: a draft's are left out.
            let levels: Levels = m
                .sheet_criteria
                .as_deref()
                .filter(|_| state == SheetState::Signed)
                .and_then(|c| serde_json::from_str(c).ok())
                .unwrap_or([None; 6]);
            for c in Criterion::ALL {
                row.push(Value::Text(
                    levels[c.index()]
                        .map(|l| level_label(lang, c, l))
                        .unwrap_or_default(),
                ));
            }
            row.push(Value::Text(m.sheet_code.clone().unwrap_or_default()));
            let (attended, held) = attendance.get(&m.user_id).copied().unwrap_or((0, 0));
            row.extend([
                Value::Number(f64::from(held)),
                Value::Number(f64::from(attended)),
            ]);
            row
        })
        .collect();
    Table { headers, rows }
}

pub fn to_xlsx(table: &Table, sheet_name: &str) -> anyhow::Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    add_sheet(&mut workbook, table, sheet_name, 2)?;
    Ok(workbook.save_to_buffer()?)
}

/// A workbook of several named tables, one worksheet each (`/mydata`).
pub fn to_workbook(sheets: &[(String, Table)]) -> anyhow::Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    for (name, table) in sheets {
        add_sheet(&mut workbook, table, name, 1)?;
    }
    Ok(workbook.save_to_buffer()?)
}

/// Writes a table as a new worksheet: bold headers, the first `frozen`
/// columns and the header row frozen.
fn add_sheet(
    workbook: &mut Workbook,
    table: &Table,
    sheet_name: &str,
    frozen: u16,
) -> anyhow::Result<()> {
    let sheet = workbook.add_worksheet();
    // Excel allows 31 characters and no []:*?/\ in a sheet name.
    let name: String = sheet_name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    sheet.set_name(if name.is_empty() { "lienhe" } else { &name })?;
    let bold = Format::new().set_bold();
    for (col, header) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, header, &bold)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        for (col, value) in row.iter().enumerate() {
            let (r, col) = (r as u32 + 1, col as u16);
            match value {
                Value::Text(text) => sheet.write_string(r, col, text)?,
                Value::Number(n) => sheet.write_number(r, col, *n)?,
            };
        }
    }
    sheet.set_freeze_panes(1, frozen)?;
    sheet.autofit();
    Ok(())
}

/// A text cell as CSV: one a spreadsheet program would take for a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a
/// leading apostrophe, as OWASP advises against CSV injection.
fn csv_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

pub fn to_csv(table: &Table) -> anyhow::Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(table.headers.iter().map(|h| csv_text(h)))?;
    for row in &table.rows {
        out.write_record(row.iter().map(|v| match v {
            Value::Text(text) => csv_text(text),
            Value::Number(n) => format!("{n}"),
        }))?;
    }
    // A BOM so that spreadsheet programs read the Vietnamese as UTF-8.
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?);
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(names: &[&str]) -> Table {
        Table {
            headers: vec!["Mã".into(), "Họ và tên".into(), "Tổng".into()],
            rows: names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    vec![
                        Value::Number(i as f64 + 1.0),
                        Value::Text((*name).into()),
                        Value::Number(12.0),
                    ]
                })
                .collect(),
        }
    }

    fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
        let text = std::str::from_utf8(bytes).unwrap();
        let text = text.strip_prefix('\u{feff}').expect("a BOM");
        csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn csv_text_that_looks_like_a_formula_is_quoted_with_an_apostrophe() {
        let names = [
            "=HYPERLINK(\"x\")",
            "+84912345678",
            "-",
            "@SUM(A1)",
            "\tTab",
            "\rReturn",
            "Nguyễn Văn An",
            "An = Bình",
            "",
        ];
        let rows = csv_rows(&to_csv(&table(&names)).unwrap());
        let cells: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
        assert_eq!(
            cells,
            [
                "'=HYPERLINK(\"x\")",
                "'+84912345678",
                "'-",
                "'@SUM(A1)",
                "'\tTab",
                "'\rReturn",
                "Nguyễn Văn An",
                "An = Bình",
                "",
            ]
        );
        // Numbers stay numbers.
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(row[0], (i + 1).to_string());
            assert_eq!(row[2], "12");
        }
    }

    #[test]
    fn xlsx_text_that_looks_like_a_formula_stays_a_string() {
        let bytes = to_xlsx(&table(&["=HYPERLINK(\"x\")", "+84912345678"]), "2026").unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut sheet = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut sheet,
        )
        .unwrap();
        assert!(!sheet.contains("<f>"), "no formula cell: {sheet}");
        assert!(
            sheet.contains(r#"<c r="B2" t="s">"#),
            "a shared string: {sheet}"
        );
        let mut strings = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/sharedStrings.xml").unwrap(),
            &mut strings,
        )
        .unwrap();
        assert!(
            strings.contains("=HYPERLINK(&quot;x&quot;)") || strings.contains("=HYPERLINK(\"x\")"),
            "{strings}"
        );
    }

    /// A year mistyped far out of range is an error, never a panic: the
    /// export, the chart, the year's counts and the year's data alike.
    #[tokio::test]
    async fn an_impossible_year_is_an_error_not_a_panic() {
        let (_dir, pool) = crate::store::scratch().await;
        let tz: Tz = "Asia/Ho_Chi_Minh".parse().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        for year in [999_999, 10_000, 1899, -1, i32::MAX, i32::MIN] {
            let err = super::table(&pool, Scope::All, year, today, tz, Lang::Vi)
                .await
                .unwrap_err();
            assert!(err.to_string().contains("1900 to 9999"), "{year}: {err}");
            let chart = crate::stats::participation(&pool, Scope::All, year, today, tz).await;
            assert!(chart.is_err(), "{year}");
            let counts = crate::stats::year_counts(&pool, Scope::All, year, tz).await;
            assert!(counts.is_err(), "{year}");
            assert!(yearly::has_data(&pool, Scope::All, year, tz).await.is_err());
            assert!(yearly::cited_reports(&pool, 1, year).await.is_err());
            assert_eq!(crate::stats::chart_months(year, today).len(), 12);
        }
        let ok = super::table(&pool, Scope::All, 2026, today, tz, Lang::Vi).await;
        assert!(ok.is_ok());
    }
}
