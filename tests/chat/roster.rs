//! /roster: the workplace's roster uploaded as a document (XLSX or CSV),
//! previewed, imported or cancelled; /status lists the people not
//! registered with a residence cell.

use crate::common::*;
use lienhe::domain::Lang;

const HEADER: [&str; 4] = ["Họ và tên", "Số điện thoại", "Chức vụ", "Ngày sinh"];

/// Line 2 matches by phone, line 3 by name (other accents and spacing),
/// lines 4 and 8 are not registered, 5–7 are bad.
const ROWS: [[&str; 4]; 7] = [
    [
        "Nguyễn Văn An",
        "+84 912 345 678",
        "Trưởng phòng",
        "05/03/1980",
    ],
    ["tran thi  binh", "", "Chuyên viên", ""],
    ["Lê Văn Cường", "0987654321", "", "01/01/1990"],
    ["", "0911111111", "", ""],
    ["Phạm Dũng", "12345", "", ""],
    ["Lê Cường", "0987 654 321", "", ""],
    ["Hoàng Thị Em", "", "", ""],
];

fn xlsx(header: &[&str], rows: &[[&str; 4]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32 + 1, c as u16, *v).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn csv(header: &[&str], rows: &[[&str; 4]]) -> Vec<u8> {
    let mut out = header.join(",");
    for row in rows {
        out.push('\n');
        out.push_str(&row.join(","));
    }
    out.push('\n');
    out.into_bytes()
}

const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A ward, a cell with two registered members, two workplaces (ids 1 and
/// 2), the officer of workplace 1. Returns the cell.
async fn setup(h: &Harness, officer: &TgUser) -> i64 {
    let cell = h.cell_setup().await;
    insert_members(h, cell, Some(1), 500, 2, "approved").await;
    sqlx::query(
        "UPDATE memberships SET full_name = 'Nguyễn Văn An', phone = '0912345678' WHERE user_id = 500",
    )
    .execute(&h.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE memberships SET full_name = 'Trần Thị Bình', workplace_id = NULL WHERE user_id = 501")
        .execute(&h.pool)
        .await
        .unwrap();
    h.ask(officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    h.ask(officer, "Lê Văn Cán").await;
    cell
}

/// `/roster`, then the file: the bot's last reply.
async fn upload(h: &Harness, officer: &TgUser, name: &str, mime: &str, bytes: Vec<u8>) -> Sent {
    let asked = h.ask(officer, "/roster").await;
    assert!(asked.text.as_deref().unwrap().contains("XLSX"), "{asked:?}");
    send_file(h, officer, name, mime, bytes).await
}

async fn send_file(h: &Harness, officer: &TgUser, name: &str, mime: &str, bytes: Vec<u8>) -> Sent {
    let replies = h
        .send_update(officer, |api| api.document(officer, name, mime, bytes))
        .await;
    replies.last().cloned().expect("a reply to the file")
}

fn text(s: &Sent) -> String {
    s.text.clone().unwrap_or_default()
}

async fn entries(h: &Harness) -> i64 {
    h.count("SELECT COUNT(*) FROM roster_entries").await
}

#[tokio::test]
async fn xlsx_roster_previewed_imported_once_and_listed_in_status_vi() {
    let h = Harness::start().await;
    let officer = vi_user(200, "Cán");
    setup(&h, &officer).await;

    let preview = upload(
        &h,
        &officer,
        "danh-sach.xlsx",
        XLSX_MIME,
        xlsx(&HEADER, &ROWS),
    )
    .await;
    let p = text(&preview);
    for want in [
        "Danh sách của Sở Tư pháp tỉnh Nghệ An: đã đọc 7 dòng",
        "Đã đăng ký sinh hoạt nơi cư trú: 2",
        "dòng 2: Nguyễn Văn An — Chi bộ khối 5 (theo số điện thoại)",
        "dòng 3: tran thi binh — đã đăng ký, khai nơi công tác khác (theo họ tên)",
        "Chưa đăng ký sinh hoạt nơi cư trú: 2",
        "dòng 4: Lê Văn Cường",
        "dòng 8: Hoàng Thị Em",
        "Dòng không hợp lệ: 3",
        "dòng 5: không có họ và tên",
        "dòng 6: \"12345\" không phải số điện thoại Việt Nam",
        "dòng 7: trùng với dòng 4",
    ] {
        assert!(p.contains(want), "{want:?} not in {p}");
    }
    assert_eq!(
        preview.button_texts(),
        vec!["Nhập danh sách".to_string(), "Hủy".to_string()]
    );
    // Nothing stored before Import.
    assert_eq!(entries(&h).await, 0);

    let (_, replies) = h.press(&officer, &preview, "Nhập danh sách").await;
    assert!(
        text(replies.last().unwrap()).contains("có 4 người"),
        "{replies:?}"
    );
    assert!(h.current(&preview).reply_markup.is_none());
    assert_eq!(entries(&h).await, 4);
    let phone: String =
        sqlx::query_scalar("SELECT phone FROM roster_entries WHERE full_name = 'Nguyễn Văn An'")
            .fetch_one(&h.pool)
            .await
            .unwrap();
    assert_eq!(phone, "0912345678");

    // A second press of the same button (a redelivered press) imports once.
    let data = preview.button_data("Nhập danh sách").unwrap();
    let (answer, _) = h.press_data(&officer, preview.message_id, &data).await;
    assert!(
        answer.params["text"]
            .as_str()
            .unwrap()
            .contains("đã được nhập"),
        "{answer:?}"
    );
    assert_eq!(entries(&h).await, 4);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE subject = 'roster'")
            .await,
        1
    );

    // /status: members as before, then the unregistered, counted, then
    // the roster's members declared elsewhere.
    let status = text(&h.ask(&officer, "/status").await);
    assert!(
        status.contains("2 người chưa đăng ký sinh hoạt nơi cư trú"),
        "{status}"
    );
    let at = |s: &str| status.find(s).unwrap_or_else(|| panic!("{s} in {status}"));
    assert!(at("Nguyễn Văn An (") < at("Lê Văn Cường: chưa đăng ký sinh hoạt nơi cư trú"));
    // Matched by name alone: not named (a name may be anybody's).
    assert!(!status.contains("tran thi binh"), "{status}");
    // On the roster by phone, a member of a cell with another workplace
    // declared: listed as such (the member lines follow the declared
    // workplace).
    sqlx::query("UPDATE memberships SET phone = '0933000111' WHERE user_id = 501")
        .execute(&h.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE roster_entries SET phone = '0933000111' WHERE full_name LIKE 'tran%'")
        .execute(&h.pool)
        .await
        .unwrap();
    let status = text(&h.ask(&officer, "/status").await);
    assert!(
        status.contains("tran thi binh: có trong danh sách của cơ quan; sinh hoạt tại Chi bộ")
            && status.contains("nhưng khai cơ quan khác"),
        "{status}"
    );
}

#[tokio::test]
async fn csv_roster_in_english_cancel_and_a_second_import_replaces_the_first() {
    let h = Harness::start().await;
    let officer = en_user(200, "Can");
    setup(&h, &officer).await;
    let header = ["Name", "Phone", "Position", "Date of birth"];

    let preview = upload(&h, &officer, "roster.csv", "text/csv", csv(&header, &ROWS)).await;
    let p = text(&preview);
    for want in [
        "7 rows read",
        "Registered with a residence cell: 2",
        "line 2: Nguyễn Văn An — Chi bộ khối 5 (by phone)",
        "line 3: tran thi binh — registered, with another workplace declared (by name)",
        "Not registered with a residence cell: 2",
        "line 5: no name",
        "line 6: \"12345\" is not a Vietnamese phone number",
        "line 7: duplicate of line 4",
    ] {
        assert!(p.contains(want), "{want:?} not in {p}");
    }
    let (_, replies) = h.press(&officer, &preview, "Cancel").await;
    assert!(text(replies.last().unwrap()).contains("nothing was stored"));
    assert_eq!(entries(&h).await, 0);
    assert_eq!(h.count("SELECT COUNT(*) FROM roster_uploads").await, 0);
    // Import after Cancel: the preview is gone.
    let data = preview.button_data("Import").unwrap();
    let (answer, _) = h.press_data(&officer, preview.message_id, &data).await;
    assert!(
        answer.params["text"]
            .as_str()
            .unwrap()
            .contains("no longer valid")
    );
    assert_eq!(entries(&h).await, 0);

    let preview = upload(&h, &officer, "roster.csv", "text/csv", csv(&header, &ROWS)).await;
    h.press(&officer, &preview, "Import").await;
    assert_eq!(entries(&h).await, 4);

    // A second roster replaces the first as a whole.
    let second = [
        ["Đinh Văn Giáp", "0977000111", "", ""],
        ["Võ Thị Hạnh", "0977000222", "", ""],
    ];
    let second_roster = || {
        upload(
            &h,
            &officer,
            "roster2.csv",
            "text/csv",
            csv(&header, &second),
        )
    };
    let preview = second_roster().await;
    assert!(text(&preview).contains("Not registered with a residence cell: 2"));
    let (_, replies) = h.press(&officer, &preview, "Import").await;
    assert!(text(replies.last().unwrap()).contains("now has 2 people"));
    assert_eq!(entries(&h).await, 2);
    let status = text(&h.ask(&officer, "/status").await);
    assert!(
        status.contains("Võ Thị Hạnh: not registered with a residence cell"),
        "{status}"
    );
    assert!(!status.contains("Hoàng Thị Em"), "{status}");

    // Import pressed under a preview older than the roster imported since:
    // refused, the newer roster stays.
    let older = upload(&h, &officer, "roster.csv", "text/csv", csv(&header, &ROWS)).await;
    let newer = second_roster().await;
    h.press(&officer, &newer, "Import").await;
    let (answer, _) = h.press(&officer, &older, "Import").await;
    assert!(
        answer.params["text"]
            .as_str()
            .unwrap()
            .contains("imported since"),
        "{answer:?}"
    );
    assert_eq!(entries(&h).await, 2);
}

#[tokio::test]
async fn large_files_pictures_and_garbage_are_refused_without_harm() {
    let h = Harness::start().await;
    let officer = vi_user(200, "Cán");
    setup(&h, &officer).await;
    let preview = upload(&h, &officer, "ds.xlsx", XLSX_MIME, xlsx(&HEADER, &ROWS)).await;
    h.press(&officer, &preview, "Nhập danh sách").await;
    assert_eq!(entries(&h).await, 4);

    h.ask(&officer, "/roster").await;
    // 10 MB: refused before anything is downloaded.
    let downloads = h.api.downloads();
    let big = vec![b'a'; 10 * 1024 * 1024];
    let reply = send_file(&h, &officer, "lon.csv", "text/csv", big).await;
    assert!(text(&reply).contains("lớn hơn 5 MB"), "{reply:?}");
    assert_eq!(h.api.downloads(), downloads);
    // A file that claims to be small and is not: the download is capped.
    let reply = h
        .send_update(&officer, |api| {
            api.document_sized(
                &officer,
                "nho.csv",
                "text/csv",
                1_000,
                vec![b'a'; 6 * 1024 * 1024],
            )
        })
        .await;
    assert!(
        text(reply.last().unwrap()).contains("lớn hơn 5 MB"),
        "{reply:?}"
    );
    // A PNG sent as a document, a PDF named .xlsx.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec();
    let reply = send_file(&h, &officer, "anh.png", "image/png", png).await;
    assert!(text(&reply).contains("không phải bảng tính"), "{reply:?}");
    let pdf = b"%PDF-1.7\n\xe2\xe3\xcf\xd3\n1 0 obj\0".to_vec();
    let reply = send_file(&h, &officer, "ds.xlsx", XLSX_MIME, pdf).await;
    assert!(text(&reply).contains("không phải bảng tính"), "{reply:?}");
    // An Excel 97–2003 workbook (.xls), as many offices keep their lists:
    // told to save it as XLSX, not that it is no spreadsheet.
    let mut xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    xls.resize(4096, 0);
    let reply = send_file(
        &h,
        &officer,
        "danh-sach.xls",
        "application/vnd.ms-excel",
        xls,
    )
    .await;
    assert!(
        says(Some(text(&reply).as_str()), Lang::Vi, "roster-old-excel"),
        "{reply:?}"
    );
    // A broken XLSX.
    let mut broken = xlsx(&HEADER, &ROWS);
    broken.truncate(200);
    let reply = send_file(&h, &officer, "hong.xlsx", XLSX_MIME, broken).await;
    assert!(
        text(&reply).contains("Không đọc được") || text(&reply).contains("không phải bảng tính"),
        "{reply:?}"
    );
    // A photo instead of a document, a text.
    let reply = h
        .send_update(&officer, |api| api.photo(&officer, "PHOTO1", None, None))
        .await;
    assert!(text(reply.last().unwrap()).contains("ảnh"), "{reply:?}");
    let reply = h.ask(&officer, "danh sách đây").await;
    assert!(text(&reply).contains("dưới dạng tệp"), "{reply:?}");
    // Nothing changed; the step is still open: a good file is previewed.
    assert_eq!(entries(&h).await, 4);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM roster_uploads WHERE status = 'pending'")
            .await,
        0
    );
    let good = csv(&HEADER, &[["Đinh Văn Giáp", "0977000111", "", ""]]);
    let preview = send_file(&h, &officer, "ds.csv", "text/csv", good).await;
    assert!(text(&preview).contains("đã đọc 1 dòng"), "{preview:?}");
    assert_eq!(entries(&h).await, 4);
}

#[tokio::test]
async fn forged_imports_are_refused() {
    let h = Harness::start().await;
    let officer = vi_user(200, "Cán");
    let cell = setup(&h, &officer).await;
    let preview = upload(&h, &officer, "ds.xlsx", XLSX_MIME, xlsx(&HEADER, &ROWS)).await;
    let data = preview.button_data("Nhập danh sách").unwrap();
    assert!(data.starts_with("oi:"), "{data}");

    // A plain member, the cell's secretary, the officer of workplace 2.
    let member = vi_user(500, "An");
    h.api.introduce(&member);
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Văn Bình").await;
    let other = vi_user(201, "Khác");
    h.ask(&other, &format!("/start {}", h.officer_code(2).await))
        .await;
    h.ask(&other, "Phan Văn Khác").await;
    for who in [&member, &secretary, &other] {
        for forged in [data.clone(), data.replace("oi:", "oc:")] {
            let (answer, _) = h.press_data(who, preview.message_id, &forged).await;
            assert!(
                says(answer.params["text"].as_str(), lang_of(who), "not-allowed"),
                "{} {forged}: {answer:?}",
                who.id
            );
        }
    }
    assert_eq!(entries(&h).await, 0);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM roster_uploads WHERE status = 'pending'")
            .await,
        1
    );
    // Malformed data is refused too.
    let (answer, _) = h.press_data(&officer, preview.message_id, "oi:-1").await;
    assert!(says(
        answer.params["text"].as_str(),
        lang_of(&officer),
        "not-allowed"
    ));
    // The officer's own press still works.
    h.press(&officer, &preview, "Nhập danh sách").await;
    assert_eq!(entries(&h).await, 4);
}

#[tokio::test]
async fn a_restart_between_preview_and_import_loses_nothing() {
    let mut h = Harness::start().await;
    let officer = en_user(200, "Can");
    setup(&h, &officer).await;
    let preview = upload(&h, &officer, "roster.csv", "text/csv", csv(&HEADER, &ROWS)).await;
    h.restart().await;
    let (_, replies) = h.press(&officer, &preview, "Import").await;
    assert!(
        text(replies.last().unwrap()).contains("now has 4 people"),
        "{replies:?}"
    );
    assert_eq!(entries(&h).await, 4);
}

/// CSV files as offices save them: with Windows line ends (Excel's "CSV
/// UTF-8"), the preview's line numbers are the file's, so that the officer
/// finds the rows it names; a semicolon table under a title holding commas,
/// and a comma table under a bare title, are read by their columns (the
/// title left out), in both languages.
#[tokio::test]
async fn csv_files_as_offices_save_them_are_read_by_their_lines_and_columns() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        h.cell_setup().await;
        let officer = user_in(lang, 200, "Cán");
        h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
            .await;
        h.ask(&officer, "Lê Văn Cán").await;
        let said = |text: &str, vi: &str, en: &str| {
            let want = if lang == Lang::Vi { vi } else { en };
            assert!(text.contains(want), "{lang:?}: {want:?} in {text}");
        };
        let crlf = "Họ và tên,Số điện thoại\r\nNguyễn Văn An,0912345678\r\n\
                    Trần Thị Bình,0987654321\r\nNguyễn Văn Ân,+84912345678\r\n";
        let preview = text(&upload(&h, &officer, "ds.csv", "text/csv", crlf.into()).await);
        said(&preview, "dòng 2: Nguyễn Văn An", "line 2: Nguyễn Văn An");
        said(
            &preview,
            "dòng 4: trùng với dòng 2",
            "line 4: duplicate of line 2",
        );
        let titled = "DANH SÁCH ĐẢNG VIÊN, CÁN BỘ, CÔNG CHỨC;\nHọ và tên;Số điện thoại\n\
                      Nguyễn Văn An;0912345678\nTrần Thị Bình;0987654321\n";
        let preview = text(&upload(&h, &officer, "ds.csv", "text/csv", titled.into()).await);
        said(&preview, "đã đọc 2 dòng", "2 rows read");
        said(&preview, "dòng 3: Nguyễn Văn An", "line 3: Nguyễn Văn An");
        assert!(!preview.contains("0912345678"), "{preview}");
        let bare = "DANH SACH DANG VIEN\nName,Phone\nNguyễn Văn An,0912345678\n\
                    Trần Thị Bình,0987654321\n";
        let preview = text(&upload(&h, &officer, "ds.csv", "text/csv", bare.into()).await);
        said(&preview, "đã đọc 2 dòng", "2 rows read");
        said(&preview, "dòng 3: Nguyễn Văn An", "line 3: Nguyễn Văn An");
        assert!(!preview.contains("0912345678"), "{preview}");
    }
}

#[tokio::test]
async fn a_long_roster_is_paged_and_goes_into_the_status_xlsx() {
    let h = Harness::start().await;
    let officer = vi_user(200, "Cán");
    setup(&h, &officer).await;
    let names: Vec<String> = (0..80).map(|i| format!("Người Thứ {i:02}")).collect();
    let phones: Vec<String> = (0..80).map(|i| format!("09770001{i:02}")).collect();
    let rows: Vec<[&str; 4]> = names
        .iter()
        .zip(&phones)
        .map(|(n, p)| [n.as_str(), p.as_str(), "", ""])
        .collect();
    let preview = upload(&h, &officer, "ds.csv", "text/csv", csv(&HEADER, &rows)).await;
    assert!(text(&preview).contains("…và 65 dòng khác."), "{preview:?}");
    h.press(&officer, &preview, "Nhập danh sách").await;

    let first = h.ask(&officer, "/status").await;
    assert!(text(&first).contains("80 người chưa đăng ký"), "{first:?}");
    assert!(text(&first).contains("Trang 1/"), "{first:?}");
    h.press(&officer, &first, "📄 Tải danh sách (XLSX)").await;
    h.wait_documents(200, 1).await;
    let doc = h
        .api
        .sent(200)
        .into_iter()
        .find(|s| s.method == "senddocument")
        .unwrap();
    let strings = part(&doc.document_bytes.unwrap(), "xl/sharedStrings.xml");
    assert!(strings.contains("Người Thứ 79"), "{strings}");
    assert!(strings.contains("chưa đăng ký sinh hoạt nơi cư trú"));
}

/// A roster as offices keep it, in both languages: title lines above the
/// header, an STT column, the name in two columns, phones written
/// "(+84) …", dates as a spreadsheet stores them; saved as Excel's
/// "Unicode Text" (UTF-16). Then a file with no valid row: no Import is
/// offered and the roster imported stays; a CSV in a Windows code page is
/// told how to save it.
#[tokio::test]
async fn an_office_s_own_roster_file_and_files_that_cannot_be_imported() {
    for lang in [lienhe::domain::Lang::Vi, lienhe::domain::Lang::En] {
        let h = Harness::start().await;
        let officer = user_in(lang, 200, "Cán");
        setup(&h, &officer).await;
        let t = |id: &str| text_of(lang, id);

        let sheet = "ĐẢNG ỦY SỞ TƯ PHÁP\n\
                     DANH SÁCH ĐẢNG VIÊN\n\
                     STT\tHọ và tên đệm\tTên\tSố điện thoại\tNgày sinh\n\
                     1\tNguyễn Văn\tAn\t(+84) 912 345 678\t1980-03-05T00:00:00\n\
                     2\tVõ Thị\tHạnh\t0084 977 000 222\t\n";
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in sheet.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let preview = upload(&h, &officer, "danh-sach.txt", "text/plain", utf16).await;
        let p = text(&preview);
        assert!(!preview.buttons().is_empty(), "{p}");
        assert!(p.contains("Nguyễn Văn An"), "{p}");
        assert!(p.contains("Võ Thị Hạnh"), "{p}");
        assert!(!p.contains("ĐẢNG ỦY"), "the title is no person: {p}");
        let import = preview.buttons()[0].0.clone();
        h.press(&officer, &preview, &import).await;
        assert_eq!(entries(&h).await, 2);

        // Every row bad: shown, no Import, the roster kept; the step stays.
        let bad = "Họ và tên,Số điện thoại\n,0911111111\nPhạm Dũng,12345\n";
        let refused = upload(&h, &officer, "sai.csv", "text/csv", bad.into()).await;
        let r = text(&refused);
        assert!(refused.buttons().is_empty(), "{refused:?}");
        assert!(r.contains(&t("roster-nothing-valid")), "{r}");
        assert_eq!(entries(&h).await, 2);
        let again = send_file(&h, &officer, "sai.csv", "text/csv", bad.into()).await;
        assert!(text(&again).contains(&t("roster-nothing-valid")));

        // "Lê Văn Cường" in Windows-1258: "Cường" has bytes no UTF-8 allows.
        let cp1258 = b"H\xD2 v\xE0 t\xEAn\nL\xEA V\xE3n C\xFD\xF5ng,0987654321\n".to_vec();
        let told = send_file(&h, &officer, "cu.csv", "text/csv", cp1258).await;
        assert_eq!(text(&told), t("roster-not-utf8"));
        assert_eq!(entries(&h).await, 2);
    }
}

/// An official list's header says more than the column's name ("Họ và tên
/// đảng viên (*)", "Số điện thoại di động", a date's format in brackets):
/// its columns are still found, after the STT column, and its rows read.
#[tokio::test]
async fn a_header_with_the_words_official_lists_add_is_recognised() {
    let h = Harness::start().await;
    let officer = vi_user(200, "Cán");
    setup(&h, &officer).await;
    let file = "STT,Họ và tên đảng viên (*),Số điện thoại di động,Ngày sinh (dd/mm/yyyy)\n\
                1,Nguyễn Văn An,0912345678,05/03/1980\n\
                2,Đinh Văn Giáp,0977000111,\n";
    let preview = text(&upload(&h, &officer, "ds.csv", "text/csv", file.into()).await);
    assert!(preview.contains("đã đọc 2 dòng"), "{preview}");
    assert!(preview.contains("dòng 2: Nguyễn Văn An"), "{preview}");
    assert!(!preview.contains("không hợp lệ"), "{preview}");
    let preview = h.last(&officer);
    h.press(&officer, &preview, "Nhập danh sách").await;
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT full_name, phone FROM roster_entries ORDER BY full_name")
            .fetch_all(&h.pool)
            .await
            .unwrap();
    assert_eq!(
        rows,
        vec![
            ("Nguyễn Văn An".to_string(), Some("0912345678".to_string())),
            ("Đinh Văn Giáp".to_string(), Some("0977000111".to_string())),
        ]
    );
}

/// Lists as offices export them: a CSV ending in Ctrl-Z (old DOS and Excel
/// exports) is read like any other; a phone cell with a note ("(Zalo)",
/// "- cơ quan") gives its phone, while a cell with two numbers is still a
/// bad row.
#[tokio::test]
async fn a_dos_export_and_phones_with_notes_are_read() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let officer = user_in(lang, 200, "Cán");
        setup(&h, &officer).await;
        let file = "Họ và tên,Số điện thoại\r\n\
                    Nguyễn Văn An,0912345678 (Zalo)\r\n\
                    Đinh Văn Giáp,0977 000 111 - cơ quan\r\n\
                    Võ Thị Hạnh,0977000222 / 0977000333\r\n\x1A";
        let preview = upload(&h, &officer, "ds.csv", "text/csv", file.into()).await;
        let p = text(&preview);
        assert!(!preview.buttons().is_empty(), "{p}");
        let bad = match lang {
            Lang::Vi => "Dòng không hợp lệ: 1",
            Lang::En => "Rows left out: 1",
        };
        assert!(p.contains(bad), "{p}");
        assert!(p.contains("0977000222 / 0977000333"), "{p}");
        let import = preview.buttons()[0].0.clone();
        h.press(&officer, &preview, &import).await;
        let rows: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT full_name, phone FROM roster_entries ORDER BY line")
                .fetch_all(&h.pool)
                .await
                .unwrap();
        assert_eq!(
            rows,
            vec![
                ("Nguyễn Văn An".to_string(), Some("0912345678".to_string())),
                ("Đinh Văn Giáp".to_string(), Some("0977000111".to_string())),
            ],
            "{lang:?}"
        );
    }
}

/// An officer sending file after file (a loop, a client resending) keeps
/// only the latest previews waiting, not one per file; Import under an
/// older one says it was replaced, and the latest still imports.
#[tokio::test]
async fn only_an_officer_s_latest_previews_are_kept() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let officer = user_in(lang, 200, "Cán");
        setup(&h, &officer).await;
        let mut previews = Vec::new();
        for i in 0..10 {
            let file = format!("Họ và tên,Số điện thoại\nNgười Thứ {i},09770001{i:02}\n");
            previews.push(upload(&h, &officer, "ds.csv", "text/csv", file.into()).await);
        }
        assert_eq!(
            h.count("SELECT COUNT(*) FROM roster_uploads WHERE officer_id = 200")
                .await,
            3
        );
        let import = previews[0].buttons()[0].0.clone();
        let (answer, _) = h.press(&officer, &previews[0], &import).await;
        assert!(
            says(answer.params["text"].as_str(), lang, "roster-replaced"),
            "{answer:?}"
        );
        assert!(h.current(&previews[0]).reply_markup.is_none());
        assert_eq!(entries(&h).await, 0);
        h.press(&officer, &previews[9], &import).await;
        let names: Vec<String> = sqlx::query_scalar("SELECT full_name FROM roster_entries")
            .fetch_all(&h.pool)
            .await
            .unwrap();
        assert_eq!(names, ["Người Thứ 9"], "{lang:?}");
    }
}

/// Several files chosen at once (an album of documents): the first good
/// one is previewed, the preview says the others were not read and how to
/// send them; they get no other answer (not the idle help); both
/// languages.
#[tokio::test]
async fn files_sent_together_are_answered_once() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let officer = user_in(lang, 200, "Cán");
        setup(&h, &officer).await;
        h.ask(&officer, "/roster").await;
        let bad = "Họ và tên,Số điện thoại\n,0911111111\n".as_bytes().to_vec();
        let a = "Họ và tên,Số điện thoại\nĐinh Văn Giáp,0977000111\n"
            .as_bytes()
            .to_vec();
        let b = "Họ và tên,Số điện thoại\nVõ Thị Hạnh,0977000222\n"
            .as_bytes()
            .to_vec();
        let c = "Họ và tên,Số điện thoại\nLê Văn Cường,0987654321\n"
            .as_bytes()
            .to_vec();
        let replies = h
            .send_update(&officer, |api| {
                api.document_in_album(&officer, "sai.csv", "text/csv", bad, "g1");
                api.document_in_album(&officer, "a.csv", "text/csv", a, "g1");
                api.document_in_album(&officer, "b.csv", "text/csv", b, "g1");
                api.document_in_album(&officer, "c.csv", "text/csv", c, "g1")
            })
            .await;
        // The bad file refused (the step stays), the next one previewed;
        // nothing else.
        assert_eq!(replies.len(), 2, "{replies:?}");
        assert!(replies[0].buttons().is_empty(), "{replies:?}");
        let preview = text(&replies[1]);
        assert!(preview.contains("Đinh Văn Giáp"), "{preview}");
        assert!(
            says(Some(&preview), lang, "file-album-one-read") && preview.ends_with("/roster."),
            "{preview}"
        );
        let import = replies[1].buttons()[0].0.clone();
        h.press(&officer, &replies[1], &import).await;
        assert_eq!(entries(&h).await, 1);
    }
}

/// A CSV good but for a stray control character in some cells (a vertical
/// tab in a name, an ESC after a position, a NUL in a phone) is read, each
/// cell cleaned: it was refused whole as "not a spreadsheet". A phone cell
/// with two numbers says so, not that it is no Vietnamese number; its row
/// is left out (which number the roster means cannot be told).
#[tokio::test]
async fn stray_control_characters_are_cleaned_and_two_phones_are_named() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let officer = user_in(lang, 200, "Cán");
        setup(&h, &officer).await;
        let file = "Họ và tên,Số điện thoại,Chức vụ\n\
                    Nguyễn\u{b}Văn An,0912345678,Trưởng phòng\u{1b}\n\
                    Đinh Văn Giáp,0977\u{0}000111,\n\
                    Võ Thị Hạnh,0977000222 / 0977000333,\n";
        let preview = upload(&h, &officer, "ds.csv", "text/csv", file.into()).await;
        let p = text(&preview);
        assert!(
            !says(Some(&p), lang, "roster-not-spreadsheet") && !preview.buttons().is_empty(),
            "{p}"
        );
        let two = lienhe::t!(
            lang,
            "roster-bad-several-phones",
            line = 4,
            phone = "0977000222 / 0977000333"
        );
        assert!(p.contains(&two), "{p}");
        let import = preview.buttons()[0].0.clone();
        h.press(&officer, &preview, &import).await;
        let rows: Vec<(String, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT full_name, phone, position FROM roster_entries ORDER BY line")
                .fetch_all(&h.pool)
                .await
                .unwrap();
        assert_eq!(
            rows,
            vec![
                (
                    "Nguyễn Văn An".to_string(),
                    Some("0912345678".to_string()),
                    Some("Trưởng phòng".to_string())
                ),
                (
                    "Đinh Văn Giáp".to_string(),
                    Some("0977000111".to_string()),
                    None
                ),
            ],
            "{lang:?}"
        );
        // Binary data is still no spreadsheet.
        h.ask(&officer, "/roster").await;
        let mut binary = b"Name,Phone\n".to_vec();
        binary.extend(std::iter::repeat_n(0u8, 200));
        let reply = send_file(&h, &officer, "x.csv", "text/csv", binary).await;
        assert!(
            says(reply.text.as_deref(), lang, "roster-not-spreadsheet"),
            "{reply:?}"
        );
    }
}

/// Phone numbers copied from a contact list or a web page carry marks
/// nobody sees (Windows puts U+202A … U+202C around a number, some pages a
/// left-to-right mark or a zero-width space): the cell reads as a number,
/// and is read as one, not left out as "not a Vietnamese number".
#[tokio::test]
async fn phones_with_invisible_marks_are_read() {
    let h = Harness::start().await;
    let officer = user_in(Lang::Vi, 200, "Cán");
    setup(&h, &officer).await;
    let file = "Họ và tên,Số điện thoại,Chức vụ,Ngày sinh\r\n\
                Nguyễn Văn An,\u{202A}0912 345 678\u{202C},,\r\n\
                Đinh Văn Giáp,\u{200E}0977\u{200B}000111,,\u{200E}01/02/1980\r\n";
    let preview = upload(&h, &officer, "ds.csv", "text/csv", file.into()).await;
    let p = text(&preview);
    assert!(!p.contains("Dòng không hợp lệ"), "{p}");
    let import = preview.buttons()[0].0.clone();
    h.press(&officer, &preview, &import).await;
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT full_name, phone FROM roster_entries ORDER BY line")
            .fetch_all(&h.pool)
            .await
            .unwrap();
    assert_eq!(
        rows,
        vec![
            ("Nguyễn Văn An".to_string(), Some("0912345678".to_string())),
            ("Đinh Văn Giáp".to_string(), Some("0977000111".to_string())),
        ]
    );
}

/// A roster of 1,200 rows is counted as each language writes its numbers,
/// as the question asking for it writes "5.000" / "5,000": the preview,
/// its sections, the rows left out of it and the import said "1200".
#[tokio::test]
async fn a_large_roster_is_counted_as_the_language_writes_numbers() {
    for (officer, expected) in [
        (
            vi_user(200, "Cán"),
            [
                "đã đọc 1.200 dòng",
                "Chưa đăng ký sinh hoạt nơi cư trú: 1.200",
                "…và 1.185 dòng khác.",
                "bằng 1.200 dòng hợp lệ.",
                "có 1.200 người.",
            ],
        ),
        (
            en_user(200, "Can"),
            [
                "1,200 rows read",
                "Not registered with a residence cell: 1,200",
                "…and 1,185 more.",
                "the 1,200 good rows.",
                "now has 1,200 people.",
            ],
        ),
    ] {
        let h = Harness::start().await;
        setup(&h, &officer).await;
        let names: Vec<String> = (0..1200).map(|i| format!("Người Thứ {i:04}")).collect();
        let phones: Vec<String> = (0..1200).map(|i| format!("0977{i:06}")).collect();
        let rows: Vec<[&str; 4]> = names
            .iter()
            .zip(&phones)
            .map(|(n, p)| [n.as_str(), p.as_str(), "", ""])
            .collect();
        let preview = upload(&h, &officer, "ds.csv", "text/csv", csv(&HEADER, &rows)).await;
        let import = preview.buttons()[0].0.clone();
        h.press(&officer, &preview, &import).await;
        let said = format!("{}\n{}", text(&preview), text(&h.last(&officer)));
        for part in expected {
            assert!(said.contains(part), "{part}: {said}");
        }
    }
}

/// An officer moved from workplace 1 to workplace 2 (the operator took the
/// first role away, an invite gave the second) pressed Import under a
/// roster of workplace 1 previewed before and was told "You are not allowed
/// to do this". They are told the button belongs to workplace 1, where they
/// are no longer an officer (naming it, in their language), the preview
/// loses its buttons, and nothing is imported.
#[tokio::test]
async fn an_officer_moved_to_another_workplace_is_told_whose_button_it_is() {
    for lang in [Lang::Vi, Lang::En] {
        let h = Harness::start().await;
        let officer = match lang {
            Lang::Vi => vi_user(200, "Cán"),
            Lang::En => en_user(200, "Officer"),
        };
        setup(&h, &officer).await;
        let preview = upload(&h, &officer, "ds.xlsx", XLSX_MIME, xlsx(&HEADER, &ROWS)).await;
        let import = data_of(&preview, "oi:");
        h.revoke_officer(&officer, 1).await;
        h.ask(&officer, &format!("/start {}", h.officer_code(2).await))
            .await;
        let officer_of: Vec<i64> =
            sqlx::query_scalar("SELECT workplace_id FROM workplace_officers WHERE user_id = 200")
                .fetch_all(&h.pool)
                .await
                .unwrap();
        assert_eq!(officer_of, [2]);
        let workplace: String = sqlx::query_scalar("SELECT name FROM workplaces WHERE id = 1")
            .fetch_one(&h.pool)
            .await
            .unwrap();
        let (answer, _) = h.press_data(&officer, preview.message_id, &import).await;
        let said = answer.str_param("text").unwrap_or_default().to_string();
        let left = lienhe::t!(lang, "officer-role-gone", workplace = workplace.as_str());
        assert_eq!(said, left, "{lang:?}");
        assert!(h.current(&preview).buttons().is_empty(), "{lang:?}");
        assert_eq!(entries(&h).await, 0);
    }
}

/// An officer whose role the operator took away pressed Import under a
/// roster previewed before and was told "You are not allowed to do this",
/// as a stranger would be. They are told they no longer follow the
/// workplace's members (naming it, in their language), and nothing is
/// imported.
#[tokio::test]
async fn an_officer_removed_since_the_preview_is_told_so_at_import() {
    let h = Harness::start().await;
    let officer = en_user(200, "Officer");
    setup(&h, &officer).await;
    let preview = upload(&h, &officer, "ds.xlsx", XLSX_MIME, xlsx(&HEADER, &ROWS)).await;
    h.revoke_officer(&officer, 1).await;
    let workplace: String = sqlx::query_scalar("SELECT name FROM workplaces WHERE id = 1")
        .fetch_one(&h.pool)
        .await
        .unwrap();
    let (answer, _) = h
        .press_data(&officer, preview.message_id, &data_of(&preview, "oi:"))
        .await;
    let said = answer.str_param("text").unwrap_or_default().to_string();
    let gone = lienhe::t!(
        Lang::En,
        "officer-role-gone",
        workplace = workplace.as_str()
    );
    assert_eq!(said, gone);
    assert_eq!(entries(&h).await, 0);
    // One who never was an officer is refused as before.
    let (answer, _) = h
        .press_data(
            &vi_user(500, "An"),
            preview.message_id,
            &data_of(&preview, "oi:"),
        )
        .await;
    assert!(says(
        answer.params["text"].as_str(),
        Lang::Vi,
        "not-allowed"
    ));
}

/// A roster file whose preview was on its way when the bot was killed:
/// the upload was stored (the update counts as handled, so Telegram's
/// serving it again is skipped), but the dialogue had already been ended,
/// so the file sent again was not read as a roster and the officer never
/// saw a preview. The dialogue now waits for the file until the preview is
/// shown (as README says): the file sent again is previewed, and imported
/// once.
async fn roster_killed_before_its_preview(officer: TgUser) {
    let mut h = Harness::start().await;
    let lang = lang_of(&officer);
    setup(&h, &officer).await;
    h.ask(&officer, "/roster").await;
    let held = h.api.hold_next("sendMessage", officer.id);
    let before = h.api.sent_count(officer.id);
    let update = h
        .api
        .document(&officer, "roster.csv", "text/csv", csv(&HEADER, &ROWS));
    // Killed there: the preview never reaches Telegram.
    // Served again, as Telegram does with an update not confirmed.
    h.killed_at_and_served_again(held, "the preview is on its way", update)
        .await;
    let reached = h.api.sent(officer.id).split_off(before);
    assert!(reached.is_empty(), "no preview reached: {reached:?}");
    assert_eq!(h.count("SELECT COUNT(*) FROM roster_uploads").await, 1);
    let preview = send_file(&h, &officer, "roster.csv", "text/csv", csv(&HEADER, &ROWS)).await;
    let header = text(&preview);
    assert!(
        says(Some(&header), lang, "roster-preview-header"),
        "{header}"
    );
    let import = text_of(lang, "roster-button-import");
    let (_, replies) = h.press(&officer, &preview, &import).await;
    let done = text(replies.last().unwrap());
    assert!(says(Some(&done), lang, "roster-imported"), "{done}");
    assert_eq!(entries(&h).await, 4);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM dialogues WHERE chat_id = 200")
            .await,
        0,
        "the dialogue ended with the preview"
    );
}

#[tokio::test]
async fn a_roster_killed_before_its_preview_is_previewed_when_sent_again() {
    roster_killed_before_its_preview(vi_user(200, "Cán")).await;
}

#[tokio::test]
async fn a_roster_killed_before_its_preview_is_previewed_when_sent_again_in_english() {
    roster_killed_before_its_preview(en_user(200, "Can")).await;
}

/// A roster of workplace 1 (its ten members 500–509 and whoever else),
/// as CSV: (name, phone) rows.
fn roster_of(rows: &[(String, String)]) -> Vec<u8> {
    let mut out = String::from("Họ và tên,Số điện thoại\n");
    for (name, phone) in rows {
        out.push_str(&format!("{name},{phone}\n"));
    }
    out.into_bytes()
}

fn member_row(id: i64) -> (String, String) {
    (format!("Đảng viên {id}"), format!("0912{id:06}"))
}

/// The answer to a press pushed earlier (matched by its callback id).
fn answer_to(h: &Harness, update: i64) -> Call {
    let query = h.api.update(update).expect("pushed")["callback_query"]["id"].clone();
    h.api
        .calls_of("answerCallbackQuery")
        .into_iter()
        .find(|c| c.params["callback_query_id"] == query)
        .expect("the press was answered")
}

/// Two officers of one workplace (Vietnamese and English) each send a new
/// roster at the moment ten of its members report or open a join link,
/// then both press Import at once: every update is answered once, each
/// officer sees one true preview (a member whose phone changed on the
/// roster is not matched by name: README), the roster ends as the later
/// file (the earlier one imported first or told it was superseded), the
/// audit chain holds. Already so.
#[tokio::test]
async fn two_officers_send_rosters_while_the_members_act() {
    let h = Harness::start().await;
    let cell = h.cell_setup().await;
    let secretary = vi_user(100, "Bình");
    h.make_secretary(&secretary, cell, "Trần Thị Bình").await;
    let code = h.invite_code(&secretary).await;
    for id in 500..510 {
        h.api.introduce(&vi_user(id, &format!("dv{id}")));
    }
    insert_members(&h, cell, Some(1), 500, 10, "approved").await;
    sqlx::query("UPDATE memberships SET phone = printf('0912%06d', user_id) WHERE user_id >= 500")
        .execute(&h.pool)
        .await
        .unwrap();
    let (a, b) = (vi_user(200, "Cán"), en_user(201, "Officer"));
    for (officer, name) in [(&a, "Lê Văn Cán"), (&b, "Hồ Thị Mai")] {
        h.ask(officer, &format!("/start {}", h.officer_code(1).await))
            .await;
        h.ask(officer, name).await;
    }
    // The roster so far: the ten members and one person not registered.
    let mut first: Vec<_> = (500..510).map(member_row).collect();
    first.push(("Hoàng Văn Xa".into(), "0977000001".into()));
    let preview = upload(&h, &a, "ds.csv", "text/csv", roster_of(&first)).await;
    h.press(&a, &preview, "Nhập danh sách").await;
    assert_eq!(entries(&h).await, 11);

    // A's file: 508 and 509 dropped, a new person, 503's phone changed.
    let mut of_a: Vec<_> = (500..508).map(member_row).collect();
    of_a[3].1 = "0977000003".into();
    of_a.push(("Hoàng Văn Xa".into(), "0977000001".into()));
    of_a.push(("Phạm Thị Mới".into(), "0977000002".into()));
    // B's file: everyone, and another new person.
    let mut of_b = first.clone();
    of_b.push(("Đỗ Văn Khác".into(), "0977000004".into()));
    h.ask(&a, "/roster").await;
    h.ask(&b, "/roster").await;
    let (a_before, b_before) = (h.api.sent_count(a.id), h.api.sent_count(b.id));
    let mut acting = Vec::new();
    let file_a = h.api.document(&a, "ds.csv", "text/csv", roster_of(&of_a));
    for id in 500..505 {
        acting.push((id, h.api.text(&vi_user(id, "x"), "/report")));
    }
    let file_b = h.api.document(&b, "ds.csv", "text/csv", roster_of(&of_b));
    for id in 600..605 {
        let user = vi_user(id, &format!("Người {id}"));
        acting.push((id, h.api.text(&user, &format!("/start {code}"))));
    }
    for update in [file_a, file_b] {
        h.handled(update).await;
    }
    for (id, update) in &acting {
        h.handled(*update).await;
        let said = h.api.sent(*id);
        assert_eq!(said.len(), 1, "{id}: {said:?}");
        let want = if *id < 600 {
            "ask-kind"
        } else {
            "ask-full-name"
        };
        assert!(
            says(said[0].text.as_deref(), Lang::Vi, want),
            "{id}: {said:?}"
        );
    }
    let one_preview = |officer: &TgUser, before: usize| {
        let got = h.api.sent(officer.id).split_off(before);
        assert_eq!(got.len(), 1, "{got:?}");
        got[0].clone()
    };
    let (pa, pb) = (one_preview(&a, a_before), one_preview(&b, b_before));
    for want in [
        "đã đọc 10 dòng",
        "Đã đăng ký sinh hoạt nơi cư trú: 7",
        "Chưa đăng ký sinh hoạt nơi cư trú: 3",
        "dòng 5: Đảng viên 503",
        "dòng 11: Phạm Thị Mới",
    ] {
        assert!(text(&pa).contains(want), "{want:?} in {}", text(&pa));
    }
    for want in [
        "12 rows read",
        "Registered with a residence cell: 10",
        "Not registered with a residence cell: 2",
        "line 13: Đỗ Văn Khác",
    ] {
        assert!(text(&pb).contains(want), "{want:?} in {}", text(&pb));
    }
    let (ua, ub): (i64, i64) = (
        data_of(&pa, "oi:")[3..].parse().unwrap(),
        data_of(&pb, "oi:")[3..].parse().unwrap(),
    );

    // Both press Import at once.
    let (a_before, b_before) = (h.api.sent_count(a.id), h.api.sent_count(b.id));
    let press_a = h.api.callback(&a, pa.message_id, &data_of(&pa, "oi:"));
    let press_b = h.api.callback(&b, pb.message_id, &data_of(&pb, "oi:"));
    h.handled(press_a).await;
    h.handled(press_b).await;
    let later_rows = if ua > ub { 10 } else { 12 };
    assert_eq!(entries(&h).await, later_rows, "the later file stands");
    let told = |officer: &TgUser, before: usize, press: i64| {
        let lang = lang_of(officer);
        let sent = h.api.sent(officer.id).split_off(before);
        let alert = answer_to(&h, press)
            .str_param("text")
            .unwrap_or_default()
            .to_string();
        match sent.as_slice() {
            [done] => {
                assert!(
                    says(done.text.as_deref(), lang, "roster-imported"),
                    "{done:?}"
                );
                assert!(alert.is_empty(), "{alert}");
                true
            }
            [] => {
                assert_eq!(alert, text_of(lang, "roster-superseded"));
                false
            }
            more => panic!("{more:?}"),
        }
    };
    let (a_imported, b_imported) = (told(&a, a_before, press_a), told(&b, b_before, press_b));
    assert!(a_imported || b_imported);
    // Only the earlier file can have been superseded.
    assert!(if ua > ub { a_imported } else { b_imported });
    let imports = 1 + i64::from(a_imported) + i64::from(b_imported);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE subject = 'roster'")
            .await,
        imports
    );
    assert!(h.current(&pa).buttons().is_empty());
    assert!(h.current(&pb).buttons().is_empty());
    // /status counts the people not registered as the roster now says.
    let status = text(&h.ask(&a, "/status").await);
    let unregistered = if ua > ub { 3 } else { 2 };
    assert!(
        status.contains(&format!(
            "{unregistered} người chưa đăng ký sinh hoạt nơi cư trú"
        )),
        "{status}"
    );
    let entries_count = h.count("SELECT COUNT(*) FROM audit_log").await;
    assert_eq!(
        lienhe::store::audit::verify(&h.pool).await.unwrap(),
        lienhe::store::audit::ChainCheck::Intact {
            entries: entries_count as u64
        }
    );
}

/// Import committed, the bot killed before its answer reached the
/// officer: the press served again is skipped as handled. Before, the
/// preview's buttons were already gone and the "Imported" message lost, so
/// the officer was left without any answer and nothing to press. Now the
/// answer goes before the buttons are taken away: Import pressed again says
/// the roster was imported, and it is imported once.
async fn import_killed_before_its_answer(officer: TgUser) {
    let mut h = Harness::start().await;
    let lang = lang_of(&officer);
    setup(&h, &officer).await;
    let preview = upload(&h, &officer, "ds.xlsx", XLSX_MIME, xlsx(&HEADER, &ROWS)).await;
    let import = data_of(&preview, "oi:");
    let before = h.api.sent_count(officer.id);
    let held = h.api.hold_next("sendMessage", officer.id);
    let update = h.api.callback(&officer, preview.message_id, &import);
    h.killed_at_and_served_again(held, "the import's answer is on its way", update)
        .await;
    assert!(h.api.sent(officer.id).split_off(before).is_empty());
    assert_eq!(entries(&h).await, 4);
    let shown = h.current(&preview);
    assert!(
        shown
            .button_data(&text_of(lang, "roster-button-import"))
            .is_some(),
        "something to press: {shown:?}"
    );
    let (answer, _) = h
        .press(&officer, &shown, &text_of(lang, "roster-button-import"))
        .await;
    assert_eq!(
        answer.str_param("text"),
        Some(text_of(lang, "roster-already-imported").as_str())
    );
    assert!(h.current(&preview).buttons().is_empty());
    assert_eq!(entries(&h).await, 4);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM audit_log WHERE subject = 'roster'")
            .await,
        1
    );
    assert_eq!(h.count("SELECT COUNT(*) FROM roster_uploads").await, 1);
}

#[tokio::test]
async fn an_import_killed_before_its_answer_is_told_when_pressed_again() {
    import_killed_before_its_answer(vi_user(200, "Cán")).await;
}

#[tokio::test]
async fn an_import_killed_before_its_answer_is_told_when_pressed_again_in_english() {
    import_killed_before_its_answer(en_user(200, "Can")).await;
}

/// A roster file read while the operator takes the officer's role away
/// (after the file passed its first check, before its upload is stored).
/// Before, the preview was stored and shown all the same: a former
/// officer saw which of the workplace's people are registered, and in
/// which cells. Now the role is read again in the upload's transaction:
/// nothing stored, no preview, told the command is for officers, in their
/// language.
async fn roster_read_as_the_role_goes(officer: TgUser) {
    use lienhe::store::committee::Role;
    let h = Harness::start().await;
    let lang = lang_of(&officer);
    setup(&h, &officer).await;
    h.ask(&officer, "/roster").await;
    let before = h.api.sent_count(officer.id);
    h.served_as_role_goes(officer.id, Role::Officer { workplace: 1 }, || {
        h.api
            .document(&officer, "ds.xlsx", XLSX_MIME, xlsx(&HEADER, &ROWS))
    })
    .await;
    let sent = h.api.sent(officer.id).split_off(before);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(
        says(sent[0].text.as_deref(), lang, "officers-only"),
        "{sent:?}"
    );
    assert!(!text(&sent[0]).contains("Chi bộ khối 5"), "{sent:?}");
    assert_eq!(h.count("SELECT COUNT(*) FROM roster_uploads").await, 0);
    assert_eq!(
        h.count("SELECT COUNT(*) FROM dialogues WHERE chat_id = 200")
            .await,
        0,
        "the question ended"
    );
}

#[tokio::test]
async fn a_roster_read_as_the_officers_role_goes_is_not_previewed() {
    roster_read_as_the_role_goes(vi_user(200, "Cán")).await;
}

#[tokio::test]
async fn a_roster_read_as_the_officers_role_goes_is_not_previewed_in_english() {
    roster_read_as_the_role_goes(en_user(200, "Can")).await;
}

/// A new officer of a workplace with no member registered and no roster
/// sent: /status says no member is confirmed yet and where to begin (send
/// the roster with /roster); once a roster is imported, its people not
/// registered are listed instead, with no such line.
async fn first_status(lang: Lang) {
    let h = Harness::start().await;
    h.cell_setup().await;
    let officer = user_in(lang, 200, "Cán");
    h.ask(&officer, &format!("/start {}", h.officer_code(1).await))
        .await;
    let first = text(&h.ask(&officer, "/status").await);
    assert!(says(Some(&first), lang, "status-none"), "{first}");
    let hint = lienhe::t!(
        lang,
        "status-no-roster",
        workplace = "Sở Tư pháp tỉnh Nghệ An"
    );
    assert!(first.contains(&hint), "{lang:?}: {first}");

    let rows = [ROWS[2]];
    let preview = upload(&h, &officer, "roster.csv", "text/csv", csv(&HEADER, &rows)).await;
    let import = match lang {
        Lang::Vi => "Nhập danh sách",
        Lang::En => "Import",
    };
    h.press(&officer, &preview, import).await;
    let after = text(&h.ask(&officer, "/status").await);
    assert!(after.contains("Lê Văn Cường"), "{after}");
    assert!(!after.contains(&hint), "{lang:?}: {after}");
}

#[tokio::test]
async fn a_new_officers_first_status_says_to_send_the_roster() {
    first_status(Lang::Vi).await;
}

#[tokio::test]
async fn a_new_officers_first_status_says_to_send_the_roster_in_english() {
    first_status(Lang::En).await;
}
