# lienhe — tiếng Việt (ngôn ngữ mặc định)

## Chung
welcome = Kính chào đồng chí! Đây là trợ lý «Liên hệ nơi cư trú», giúp đảng viên đang công tác ghi nhận việc giữ mối liên hệ với chi ủy, chi bộ và nhân dân nơi cư trú theo Quy định 213-QĐ/TW.
not-joined = Đồng chí chưa tham gia chi bộ nơi cư trú nào trên hệ thống. Để tham gia, đề nghị đồng chí mở đường liên kết mời do bí thư chi bộ nơi cư trú gửi.
not-joined-committee = Đồng chí là thành viên cấp ủy chi bộ nhưng chưa tham gia sinh hoạt với tư cách đảng viên tại chi bộ nơi cư trú nào trên hệ thống. Để báo cáo hoạt động của mình, đề nghị đồng chí tham gia như một đảng viên: mở đường liên kết mời của chi bộ nơi đồng chí cư trú (với chi bộ của mình, là đường liên kết bí thư chi bộ lấy bằng lệnh /invite).
idle-hint = Để báo cáo hoạt động ở nơi cư trú, đồng chí dùng lệnh /report. Xem các lệnh khác: /help.
role-name-finish-first = Đồng chí đang nhận nhiệm vụ bằng mã mời: đề nghị gửi họ và tên đầy đủ để hoàn tất (hoặc gửi /cancel để dừng).
join-finish-first = Đồng chí đang gửi yêu cầu tham gia chi bộ: đề nghị hoàn thành các bước ở trên (hoặc gửi /cancel để hủy). Sau khi bí thư chi bộ xác nhận, đồng chí có thể báo cáo hoạt động bằng lệnh /report.
move-finish-first = Đồng chí đang gửi yêu cầu chuyển sinh hoạt sang chi bộ khác: đề nghị hoàn thành các bước ở trên (hoặc gửi /cancel để hủy), sau đó gửi lại /report để báo cáo hoạt động với chi bộ hiện tại.
committee-idle = Đồng chí là bí thư hoặc phó bí thư chi bộ: dùng /pending để duyệt yêu cầu tham gia và báo cáo đang chờ, /members để xem đảng viên của chi bộ, /meeting để triệu tập họp. Xem các lệnh khác: /help.
edited-not-read = Bot không đọc phần sửa của tin nhắn đã gửi. Nếu cần thay đổi, đề nghị đồng chí gửi lại bằng tin nhắn mới.
edited-not-read-in-dialogue = Bot không đọc phần sửa của tin nhắn đã gửi: bot giữ nội dung gửi lần đầu. Nếu cần thay đổi câu trả lời đã gửi, đề nghị đồng chí gửi /cancel rồi thực hiện lại từ đầu; nếu không, đề nghị đồng chí trả lời câu hỏi ở trên bằng tin nhắn mới.
edited-answer-over = Bot không đọc phần sửa của tin nhắn đã gửi. Tin nhắn đó trả lời một câu hỏi đã kết thúc: bot đã ghi nhận nội dung gửi lần đầu (đã gửi đi hoặc đã lưu, trừ khi đã hủy), phần sửa hay việc gửi lại nội dung đó đều không làm thay đổi. Nếu điều đó có thể thay đổi, đề nghị đồng chí thực hiện lại theo cách đã làm (ví dụ số điện thoại, nơi công tác trong /profile).
edited-media-not-read = Bot không đọc phần sửa của tin nhắn đã gửi (ảnh, tệp hay chú thích): bot giữ nội dung gửi lần đầu. Nếu cần thay đổi, đề nghị đồng chí gửi lại bằng tin nhắn mới; riêng ảnh của báo cáo đang lập, đề nghị gửi /cancel rồi lập lại báo cáo.
unknown-command = Lệnh không hợp lệ. Các lệnh đồng chí có thể dùng:
unknown-command-in-dialogue = Đồng chí đang thực hiện dở một thao tác: đề nghị trả lời câu hỏi ở trên để tiếp tục, hoặc gửi /cancel để hủy.
not-given = (không có)
cancelled = Đã hủy thao tác đang thực hiện.
nothing-to-cancel = Hiện không có thao tác nào để hủy.
stale-button = Nút này không còn hiệu lực. Đề nghị đồng chí thực hiện theo tin nhắn mới nhất.
not-allowed = Đồng chí không có quyền thực hiện thao tác này.
not-allowed-own = Đồng chí không thể tự duyệt nội dung của chính mình.
refusal-see-help = Các lệnh dành cho đồng chí: /help.
secretaries-only = Lệnh này chỉ dành cho bí thư chi bộ.
decision-recorded = Đã ghi nhận.
decision-item-withdrawn = Đảng viên đã rút lại nội dung này (rời hệ thống) trước khi đồng chí quyết định; không còn gì để duyệt.
decision-item-unrecorded = Sổ điểm danh cuộc họp đã được sửa trước khi đồng chí quyết định: sự có mặt này không còn được ghi nhận, không còn gì để duyệt.
decision-join-withdrawn = Người gửi đã rút lại yêu cầu tham gia này (hoặc rời hệ thống) trước khi đồng chí quyết định; không còn gì để duyệt.
decision-join-gone = Yêu cầu tham gia này không còn trong hệ thống (đã rút lại, đã xóa, hoặc gửi sau bản sao lưu được dùng để khôi phục dữ liệu): không còn gì để duyệt. Có thể gửi lại yêu cầu.
decision-report-gone = Báo cáo này không còn trong hệ thống (đã rút lại, đã xóa, hoặc gửi sau bản sao lưu được dùng để khôi phục dữ liệu): không còn gì để duyệt. Đảng viên có thể gửi lại.
already-decided = Nội dung này đã được { $who } xử lý lúc { $when }.
dialogue-resumed = Đồng chí có thể tiếp tục thao tác đang làm dở.
dialogue-question-pending = Đề nghị đồng chí trả lời câu hỏi vừa được hỏi trước (hoặc gõ /cancel để bỏ qua câu hỏi đó), sau đó nút này sẽ dùng được.
dialogue-under-way = Đồng chí đang làm dở { $state }; các nội dung đã nhập vẫn được giữ nguyên. Đề nghị đồng chí trả lời câu hỏi ở trên để tiếp tục, hoặc gửi /cancel rồi gửi { $command } để làm lại từ đầu.
dialogue-question-under-way = Câu hỏi ở trên đang chờ đồng chí trả lời; { $state } đang làm dở vẫn được giữ nguyên. Đề nghị đồng chí trả lời câu hỏi (hoặc gửi /cancel) để quay lại { $state }; sau đó hoàn thành, hoặc gửi /cancel thêm một lần, trước khi gửi { $command }.
under-way-report = báo cáo hoạt động
under-way-meeting = việc triệu tập cuộc họp
under-way-announcement = thông báo chưa gửi
under-way-request = đề nghị nhận xét
under-way-end = việc kết thúc sinh hoạt của đảng viên

## Trợ giúp
help-secretary =
    Chức năng của bí thư chi bộ:
    /pending — các yêu cầu tham gia và báo cáo chờ duyệt
    /members — danh sách đảng viên và hoạt động trong tháng
    /invite — tạo đường liên kết mời đảng viên tham gia chi bộ
    /invite phó — tạo mã mời phó bí thư chi bộ (khi chi bộ chưa có phó bí thư, nội dung của chính bí thư do cán bộ giám sát của phường, xã xem xét)
    /announce — gửi thông báo tới tất cả đảng viên của chi bộ
    /sheets — lập phiếu nhận xét cuối năm
    /requests — các đề nghị nhận xét cơ quan gửi chi bộ
    /stats — biểu đồ và số liệu tham gia
    /export — tải bảng tổng hợp (XLSX)
help-member =
    Chức năng của đảng viên:
    /report — báo cáo một hoạt động ở nơi cư trú
    /myreports — các báo cáo của đồng chí trong năm
    /profile — xem và sửa số điện thoại, cơ quan công tác
help-pending-member = Yêu cầu tham gia chi bộ của đồng chí đang chờ được xác nhận. Khi được xác nhận, đồng chí có thể báo cáo hoạt động bằng lệnh /report.
help-common =
    /verify mã — kiểm tra mã xác thực của phiếu nhận xét
    /mydata — toàn bộ dữ liệu được lưu về đồng chí (XLSX và JSON)
    /forgetme — xóa dữ liệu cá nhân của đồng chí
    /language — chọn ngôn ngữ
    /cancel — hủy thao tác đang thực hiện
    /help — hướng dẫn sử dụng

## Trình đơn lệnh
menu-report = Báo cáo hoạt động ở nơi cư trú
menu-myreports = Các báo cáo của tôi trong năm
menu-pending = Yêu cầu và báo cáo chờ duyệt
menu-members = Đảng viên và hoạt động trong tháng
menu-invite = Tạo đường liên kết mời đảng viên
menu-language = Chọn ngôn ngữ
menu-help = Hướng dẫn sử dụng
menu-cancel = Hủy thao tác đang thực hiện

## Ngôn ngữ
language-choose = Đề nghị đồng chí chọn ngôn ngữ:
language-set = Đã chuyển sang tiếng Việt.
button-language-vi = 🇻🇳 Tiếng Việt
button-language-en = 🇬🇧 English

## Nút
button-today = Hôm nay
button-yesterday = Hôm qua
button-skip = Bỏ qua
button-done = Xong
button-remove-photos = Xóa ảnh
button-submit = Gửi báo cáo
button-cancel = Hủy
button-confirm = Xác nhận
button-approve = ✅ Duyệt
button-reject = ❌ Từ chối
button-show-photos = 🖼 Xem { $count } ảnh
button-share-phone = 📱 Gửi số điện thoại của tôi
button-workplace-other = Cơ quan khác…

## Mã mời
invite-unknown = Mã mời không đúng hoặc không tồn tại.
invite-used = Mã mời này đã được sử dụng.
invite-used-by-you = Đồng chí đã dùng mã này lúc { $when }; không cần dùng lại. Gõ /help để xem các chức năng của đồng chí.
invite-revoked = Mã mời này đã bị thu hồi.
invite-expired = Mã mời này đã hết hạn.
invite-ask-ward = Đề nghị đồng chí liên hệ nơi đã cấp mã (đảng ủy phường, xã hoặc người vận hành hệ thống) để được cấp mã mới.
invite-ask-secretary = Đề nghị đồng chí liên hệ bí thư chi bộ nơi cư trú để nhận đường liên kết mới.
invite-ask-either = Đề nghị đồng chí liên hệ bí thư chi bộ nơi cư trú (hoặc đảng ủy phường, xã đối với bí thư chi bộ) để nhận mã mời mới.
invite-choose-cell = Đồng chí là bí thư của nhiều chi bộ; đề nghị chọn chi bộ cần tạo đường liên kết (đường liên kết cũ của chi bộ đó sẽ hết hiệu lực, các chi bộ khác không bị ảnh hưởng):
invite-link =
    Đường liên kết mời đảng viên tham gia { $cell }:
    { $link }
    Có hiệu lực đến { $until }. Đồng chí gửi đường liên kết này cho đảng viên được giới thiệu về sinh hoạt nơi cư trú.
invite-earlier-links-revoked = Các đường liên kết cũ của chi bộ đã bị thu hồi và không còn hiệu lực.

## Bí thư tham gia
secretary-invite-accepted = Mã mời hợp lệ: đồng chí được mời làm bí thư { $cell }.
secretary-already = Đồng chí đã là bí thư { $cell }.
role-already-held = Đồng chí đã có quyền này tại { $place }. Mã mời chưa được sử dụng, có thể chuyển cho người cần nhận.
secretary-confirmed = Xác nhận: đồng chí { $name } là bí thư { $cell } trên hệ thống.
secretary-items-waiting = Chi bộ đang có { $joins ->
        [0] { $reports } báo cáo
       *[other] { $reports ->
            [0] { $joins } yêu cầu tham gia
           *[other] { $joins } yêu cầu tham gia và { $reports } báo cáo
        }
    } chờ đồng chí duyệt. Đề nghị đồng chí gửi /pending để xem và quyết định.
back-items-waiting = Chào mừng đồng chí trở lại. Hiện đang chờ đồng chí quyết định:
back-items-waiting-end = Đề nghị đồng chí gửi /pending hoặc bấm nút bên dưới để xem và quyết định.
role-items-waiting = Hiện đã có nội dung chờ đồng chí quyết định:
ask-full-name = Đề nghị đồng chí nhập họ và tên đầy đủ (có dấu).

## Đảng viên tham gia
join-welcome = Đồng chí được mời tham gia { $cell } với tư cách đảng viên đang công tác sinh hoạt nơi cư trú.
ask-phone = Đề nghị đồng chí gửi số điện thoại bằng nút bên dưới, nhập số điện thoại, hoặc bấm «Bỏ qua».
phone-noted = Đã ghi nhận số điện thoại { $phone }.
phone-skipped = Đồng chí không cung cấp số điện thoại.
ask-workplace = Đồng chí đang công tác tại cơ quan, đơn vị nào? Chọn trong danh sách hoặc bấm «Cơ quan khác…».
ask-workplace-none = Chưa có cơ quan, đơn vị nào được đăng ký. Bấm «Cơ quan khác…» để nhập tên cơ quan, đơn vị nơi đồng chí công tác.
ask-workplace-name = Đề nghị đồng chí nhập tên cơ quan, đơn vị nơi đang công tác.
workplace-chosen = Nơi công tác: { $workplace }
workplace-other-chosen = Nơi công tác: cơ quan khác.
join-summary =
    Đề nghị đồng chí kiểm tra thông tin:
    Chi bộ nơi cư trú: { $cell }
    Họ và tên: { $name }
    Số điện thoại: { $phone }
    Nơi công tác: { $workplace }
join-cancelled = Đã hủy yêu cầu tham gia chi bộ.
join-cell-gone = Chi bộ nơi cư trú này không còn trên hệ thống (phường, xã đã xóa): yêu cầu chưa được gửi. Đề nghị đồng chí liên hệ phường, xã hoặc chi bộ để nhận đường liên kết mới.
join-sent = Đã gửi yêu cầu tham gia { $cell } tới chi ủy (bí thư hoặc phó bí thư chi bộ). Đồng chí sẽ nhận được thông báo khi yêu cầu được xác nhận.
join-already-sent = Yêu cầu tham gia { $cell } của đồng chí đã được gửi ngày { $date } lúc { $at }; không có gì được gửi lại.
join-sent-no-secretary = Đã ghi nhận yêu cầu tham gia { $cell }. Chi bộ chưa có bí thư trên hệ thống; yêu cầu sẽ được xem xét khi bí thư tham gia.
join-already-member = Đồng chí đã là đảng viên sinh hoạt tại { $cell }.
join-already-pending = Yêu cầu tham gia { $cell } của đồng chí đang chờ được xác nhận.
join-other-cell = Đồng chí đang sinh hoạt (hoặc chờ xác nhận) tại { $cell }. Để chuyển chi bộ, đề nghị đồng chí liên hệ bí thư chi bộ.
join-pending-elsewhere = Yêu cầu tham gia (hoặc chuyển sinh hoạt sang) { $cell } của đồng chí đang chờ xác nhận. Nếu đã gửi nhầm chi bộ, đồng chí rút yêu cầu đó rồi mở lại đường liên kết mời này.
committee-command-only = Lệnh này dành cho chi ủy của chi bộ (bí thư, phó bí thư chi bộ).
join-waiting-since = Yêu cầu tham gia { $cell } của đồng chí đang chờ xác nhận từ ngày { $date }; đồng chí sẽ được thông báo khi yêu cầu được xem xét. Nếu không muốn tham gia nữa, đồng chí có thể rút yêu cầu bằng nút dưới đây.
join-withdraw-button = Rút yêu cầu đang chờ
join-withdrawn = Đã rút yêu cầu tham gia { $cell }. Đồng chí có thể mở đường liên kết mời của chi bộ nơi mình cư trú.
join-withdraw-gone = Yêu cầu này không còn chờ xác nhận (đã được quyết định hoặc đã rút).
join-withdrawn-card = ↩️ Người gửi đã rút yêu cầu này.
join-approved = Chi bộ đã xác nhận đồng chí sinh hoạt tại { $cell } (đã tiếp nhận giấy giới thiệu). Từ nay đồng chí có thể báo cáo hoạt động ở nơi cư trú bằng lệnh /report.
join-rejected = Yêu cầu tham gia { $cell } của đồng chí chưa được chi bộ xác nhận. Đề nghị đồng chí liên hệ trực tiếp bí thư chi bộ.
join-card =
    Yêu cầu tham gia chi bộ
    Chi bộ: { $cell }
    Họ và tên: { $name }
    Số điện thoại: { $phone }
    Nơi công tác: { $workplace }

## Báo cáo hoạt động
report-wait-approval = Yêu cầu tham gia { $cell } của đồng chí chưa được xác nhận, nên chưa thể báo cáo hoạt động.
ask-kind = Đồng chí báo cáo loại hoạt động nào?
kind-chosen = Loại hoạt động: { $kind }
ask-date = Hoạt động diễn ra ngày nào? Bấm nút bên dưới hoặc nhập ngày theo dạng ngày/tháng/năm (ví dụ 05/11/2026).
date-chosen = Ngày hoạt động: { $date }
ask-description = Đề nghị đồng chí mô tả ngắn gọn nội dung hoạt động (tối đa 1.000 ký tự).
photo-kept-ask-description = Đã nhận { $count } ảnh minh chứng. Đề nghị đồng chí nhập nội dung hoạt động trước (có thể gửi ảnh kèm nội dung ở phần chú thích); sau đó có thể gửi thêm ảnh.
ask-photos = Đồng chí gửi một hoặc nhiều ảnh minh chứng (nếu có), hoặc bấm «Bỏ qua».
photos-over-not-kept = Có { $count } ảnh không được lưu: mỗi báo cáo có tối đa { $max } ảnh.
album-not-photos-not-kept = Có { $count } tệp không phải là ảnh (video, hoặc ảnh gửi dưới dạng tệp) nên không được lưu: báo cáo chỉ lưu ảnh gửi dưới dạng ảnh.
photo-caption-not-kept = Phần chú thích gửi kèm ảnh không được ghi nhận: nội dung hoạt động của báo cáo vẫn giữ như đồng chí đã nhập.
photos-received-full = Đã nhận { $count } ảnh, là số ảnh tối đa của một báo cáo. Đề nghị đồng chí bấm «Xong».
photo-already-in-report = Ảnh này đã có trong báo cáo.
file-not-kept-caption-taken = Báo cáo chỉ lưu ảnh gửi dưới dạng ảnh (không gửi dưới dạng tệp), nên tệp vừa gửi không được lưu; phần chú thích của tệp đã được ghi nhận là nội dung hoạt động.
file-not-kept-ask-description = Báo cáo chỉ lưu ảnh gửi dưới dạng ảnh: video hoặc tệp vừa gửi (cùng các mục khác trong album) không được lưu.
photo-outside-report = Ảnh này chưa được đính kèm báo cáo nào: ảnh minh chứng được gửi trong khi lập báo cáo, trước khi bấm «Gửi báo cáo», và báo cáo đã gửi thì không sửa được. Để báo cáo hoạt động kèm ảnh, đồng chí dùng lệnh /report.
photos-received = Đã nhận { $count } ảnh. Đồng chí có thể gửi thêm ảnh, hoặc bấm «Xong».
photos-caption = Ảnh minh chứng của báo cáo số { $id }
report-summary =
    Đề nghị đồng chí kiểm tra báo cáo:
    Loại hoạt động: { $kind }
    Ngày: { $date }
    Nội dung: { $description }
    Ảnh minh chứng: { $photos }
report-cancelled = Đã hủy báo cáo.
report-submitted = Đã gửi báo cáo số { $id } tới chi ủy (bí thư hoặc phó bí thư chi bộ). Đồng chí sẽ nhận được thông báo khi báo cáo được duyệt.
report-submitted-no-secretary = Đã ghi nhận báo cáo số { $id }. Chi bộ chưa có bí thư trên hệ thống; báo cáo sẽ được duyệt khi bí thư tham gia.
report-card =
    Báo cáo hoạt động số { $id }
    Đảng viên: { $member }
    Loại hoạt động: { $kind }
    Ngày: { $date }
    Nội dung: { $description }
    Ảnh minh chứng: { $photos }
report-approved = Báo cáo số { $id } ({ $kind }, ngày { $date }) đã được chi bộ duyệt.
report-rejected =
    Báo cáo số { $id } ({ $kind }, ngày { $date }) chưa được chi bộ duyệt.
    Lý do: { $reason }
ask-reject-reason = Đề nghị đồng chí nhập lý do không duyệt báo cáo số { $id } của đồng chí { $member }. Gửi /cancel nếu không muốn từ chối.
ask-reject-reason-again = Đề nghị đồng chí nhập lý do không duyệt báo cáo số { $id }.
question-asked-above = Câu hỏi ở ngay phía trên: đề nghị đồng chí nhập câu trả lời (hoặc gửi /cancel).
report-rejected-done = Đã từ chối báo cáo số { $id } và thông báo cho đảng viên.
decided-approved = ✅ Đồng chí { $who } đã duyệt lúc { $when }
decided-rejected = ❌ Đồng chí { $who } đã từ chối lúc { $when }
decided-rejected-reason = ❌ Đồng chí { $who } đã từ chối lúc { $when }. Lý do: { $reason }
decided-approved-unnamed = ✅ Đã duyệt lúc { $when }
decided-rejected-unnamed = ❌ Đã từ chối lúc { $when }
decided-rejected-reason-unnamed = ❌ Đã từ chối lúc { $when }. Lý do: { $reason }
report-card-unrecorded = ↩️ Đã rút lại: sổ điểm danh cuộc họp đã được sửa, không còn ghi nhận sự có mặt này; không còn gì để duyệt.

## Lỗi nhập liệu
not-saved-try-again = Hệ thống đang bận nên thao tác vừa rồi của đồng chí chưa được lưu. Đề nghị đồng chí thực hiện lại (gửi lại tin nhắn hoặc bấm lại nút).
flood-not-read = Đồng chí đang gửi tin nhắn nhanh hơn khả năng trả lời của hệ thống. Hệ thống đang lần lượt trả lời các tin nhắn trước; các tin nhắn gửi thêm trong lúc này không được đọc. Đề nghị đồng chí chờ hệ thống trả lời xong, rồi gửi lại nội dung còn cần.
error-expect-text = Đề nghị đồng chí gửi nội dung dạng văn bản.
error-caption-not-read = Ở bước này không lưu ảnh hay tệp, và không đọc chú thích kèm theo. Đề nghị đồng chí gửi nội dung dưới dạng tin nhắn văn bản.
error-expect-button = Đề nghị đồng chí chọn bằng các nút bên dưới.
error-expect-phone = Số điện thoại chưa hợp lệ. Đề nghị đồng chí dùng nút gửi số điện thoại, nhập số di động hoặc cố định Việt Nam (ví dụ 0912 345 678; số nước ngoài bắt đầu bằng +) hoặc bấm «Bỏ qua».
error-not-own-contact = Đề nghị đồng chí gửi số điện thoại của chính mình bằng nút bên dưới.
error-forwarded-own = Đây là tin nhắn chuyển tiếp (lời của người khác). Đề nghị đồng chí tự nhập thông tin của chính mình.
error-expect-date = Đề nghị đồng chí nhập ngày dạng văn bản theo mẫu ngày/tháng/năm, hoặc bấm nút bên dưới.
error-expect-photo = Đề nghị đồng chí gửi ảnh (không gửi dưới dạng tệp), hoặc bấm nút bên dưới.
photos-text-not-kept = Tin nhắn chữ ở bước này không được ghi vào báo cáo: nội dung hoạt động là nội dung đồng chí đã gửi trước đó. Đề nghị đồng chí gửi ảnh hoặc bấm nút bên dưới; để sửa nội dung, gửi /cancel và báo cáo lại.
error-empty-text = Nội dung không được để trống.
error-only-mention = Tin nhắn chỉ gồm tên tài khoản của người khác (@…). Đề nghị đồng chí nhập nội dung.
error-too-long = Nội dung quá dài: tối đa { $max } ký tự.
error-text-in-parts = Nội dung dài quá giới hạn của Telegram nên đã bị tách thành nhiều tin nhắn; phần này không được ghi nhận. Đề nghị đồng chí rút gọn và gửi lại trong một tin nhắn.
error-not-a-name = Họ và tên chưa hợp lệ: đề nghị nhập đủ họ, tên đệm (nếu có) và tên, chỉ gồm chữ cái, ví dụ «Nguyễn Văn An».
error-not-a-workplace = Tên cơ quan, đơn vị chưa hợp lệ: đề nghị nhập tên bằng chữ, ví dụ «Sở Tư pháp tỉnh Nghệ An».
error-description-empty = Nội dung hoạt động không được để trống.
error-description-too-long = Nội dung hoạt động quá dài: tối đa { $max } ký tự. Đề nghị đồng chí rút gọn.
error-date-format = Ngày không đúng định dạng. Đề nghị đồng chí nhập theo mẫu ngày/tháng/năm, ví dụ 05/11/2026.
error-date-impossible = Ngày này không có trên lịch. Đề nghị đồng chí kiểm tra lại.
error-date-future = Không thể báo cáo hoạt động diễn ra trong tương lai.
error-date-asked-another-day = Câu hỏi về ngày hoạt động được gửi ngày { $asked }, nay đã là ngày { $today }, nên không rõ «Hôm nay» hay «Hôm qua» là ngày nào. Đề nghị đồng chí chọn lại ngày.
error-date-too-old = Chỉ báo cáo được hoạt động từ ngày { $earliest } (12 tháng gần nhất; khi phiếu nhận xét năm trước còn đang được lập: cả năm trước).

## Danh sách
status-pending = ⏳ chờ duyệt
status-approved = ✅ đã duyệt
status-rejected = ❌ không duyệt
myreports-empty = Đồng chí chưa có báo cáo nào trong năm { $year }. Dùng /report để báo cáo hoạt động.
myreports-header = Báo cáo năm { $year } của đồng chí: { $total } báo cáo, { $approved } đã được duyệt.
myreports-header-open = Báo cáo năm { $year } của đồng chí đang chờ duyệt hoặc được quyết định trong { $days } ngày qua:
myreports-line = • Số { $id }, ngày { $date } — { $kind } — { $status }: { $description }
myreports-reason =   Lý do: { $reason }
myreports-button-resubmit = ✏️ Sửa và gửi lại báo cáo số { $id }
pending-header = { $cell }: { $joins } yêu cầu tham gia và { $reports } báo cáo chờ duyệt.
pending-none-in-cell = { $cell }: hiện không có yêu cầu tham gia hay báo cáo nào chờ duyệt.
members-header = { $cell } — tháng { $month }: { $count } đảng viên, { $silent } đồng chí chưa có hoạt động trực tiếp được duyệt trong tháng (đóng góp bằng tiền không tính).
members-none = Chưa có đảng viên nào được xác nhận.
members-line = { $n }. { $name } — { $count } hoạt động trực tiếp được duyệt trong tháng; { $last }
members-last = gần nhất ngày { $date }
members-never = chưa có hoạt động trực tiếp được duyệt

## Nhắc việc hằng tháng và bản tin cho bí thư
menu-announce = Gửi thông báo tới đảng viên của chi bộ
reminder-member = Kính gửi đồng chí { $name }: trong tháng { $month }, đồng chí chưa có báo cáo hoạt động trực tiếp nào ở nơi cư trú (đóng góp bằng tiền không thay cho hoạt động trực tiếp). Đề nghị đồng chí báo cáo các hoạt động đã tham gia (sinh hoạt chi bộ, họp tổ dân phố, tuyên truyền, vận động, phong trào…) để chi bộ có căn cứ nhận xét cuối năm.
button-report-now = 📝 Báo cáo ngay
button-open-pending = 📋 Mở danh sách chờ duyệt
button-send = 📨 Gửi
digest-header = Bản tin tháng { $month } gửi cấp ủy chi bộ
digest-cell = { $cell } — { $members } đảng viên
digest-cell-exempt = { $cell } — { $members } đảng viên (trong đó { $exempt } đồng chí miễn sinh hoạt nơi cư trú)
digest-pending = • Chờ duyệt: { $joins } yêu cầu tham gia, { $reports } báo cáo
digest-silent-month = • Chưa có hoạt động trực tiếp trong tháng { $month } ({ $count }): { $names }
digest-silent-name = { $name } ({ $months } tháng)
digest-silent-long = • Không có hoạt động trực tiếp từ 3 tháng liên tiếp trở lên ({ $count }): { $names }
digest-unreachable = • Không liên lạc được qua bot, có thể đã chặn bot ({ $count }): { $names }
digest-stale = • Báo cáo chờ duyệt quá 7 ngày ({ $count }):
digest-stale-item =   – số { $id } của đồng chí { $member }, gửi ngày { $since }
digest-more-reports =   – …và { $count } báo cáo khác (xem /pending)
digest-more-requests =   – …và { $count } đề nghị khác (xem /requests)
digest-and-others = và { $count ->
       *[other] { $others }
    } đồng chí khác

## Thông báo của chi bộ
ask-announcement = Đề nghị đồng chí nhập nội dung thông báo gửi tới tất cả đảng viên của chi bộ (tối đa 3.000 ký tự). Gửi /cancel để hủy.
announce-preview-waits = Bản xem trước ở trên vẫn đang chờ: đề nghị đồng chí bấm Gửi dưới bản xem trước để gửi, hoặc nhập nội dung đã sửa để thay thế. Gửi /cancel để hủy.
announce-no-members = Chi bộ chưa có đảng viên nào được xác nhận để nhận thông báo.
announce-no-members-yet = Chi bộ chưa có đảng viên nào được xác nhận để nhận thông báo. Đảng viên tham gia chi bộ qua đường liên kết mời: đồng chí tạo đường liên kết bằng lệnh /invite và gửi cho đảng viên.
announce-cell-no-members-yet = { $cell } chưa có đảng viên nào được xác nhận để nhận thông báo. Đảng viên tham gia chi bộ qua đường liên kết mời: đồng chí tạo đường liên kết bằng lệnh /invite và gửi cho đảng viên. Đồng chí vẫn có thể chọn chi bộ khác ở trên.
announce-preview =
    Xem trước thông báo sẽ gửi tới { $count ->
       *[other] { $shown }
    } đảng viên của { $cells }:

    { $text }
announce-cancelled = Đã hủy thông báo.
announce-progress = Đang gửi thông báo: đã gửi { $sent } trên { $total }.
announce-done = Đã gửi xong thông báo: { $delivered ->
       *[other] { $received }
    } đảng viên đã nhận, { $unreachable } không liên lạc được, { $failed } lỗi (tổng số { $total }).
announce-done-left = Đã gửi xong thông báo: { $delivered ->
       *[other] { $received }
    } đảng viên đã nhận, { $unreachable } không liên lạc được, { $failed } lỗi, { $left } không được gửi vì đã thôi sinh hoạt tại chi bộ trong lúc chờ gửi (tổng số { $total }).
announcement =
    📢 Thông báo của { $cell } (bí thư { $sender }):

    { $text }

## Cán bộ nơi công tác, giám sát
officer-confirmed = Xác nhận: đồng chí là cán bộ phụ trách theo dõi đảng viên của { $workplace } trên hệ thống.
supervisor-confirmed = Xác nhận: đồng chí được theo dõi số liệu của { $ward } trên hệ thống; ở chi bộ chưa có phó bí thư, đồng chí xem xét nội dung và phiếu nhận xét của chính bí thư (/pending, /sheets).
help-officer =
    Chức năng của cán bộ nơi công tác:
    /status — tình hình giữ mối liên hệ của đảng viên thuộc cơ quan
    /sheet họ tên — phiếu nhận xét đã ký của một đảng viên
    /export — tải bảng tổng hợp (XLSX)
help-supervisor =
    Chức năng giám sát (đảng ủy phường, Mặt trận Tổ quốc):
    /stats — biểu đồ tỷ lệ tham gia và số liệu theo nhiệm vụ
    /export — tải bảng tổng hợp (XLSX)
officers-only = Lệnh này chỉ dành cho cán bộ theo dõi đảng viên của cơ quan, đơn vị.
stats-only = Lệnh này chỉ dành cho bí thư chi bộ, cán bộ giám sát và quản trị viên của phường, xã.
export-only = Lệnh này chỉ dành cho bí thư chi bộ, cán bộ nơi công tác, cán bộ giám sát và quản trị viên của phường, xã.
menu-sheets = Phiếu nhận xét cuối năm của chi bộ
menu-status = Tình hình đảng viên của cơ quan
menu-sheet = Phiếu nhận xét của một đảng viên
menu-stats = Biểu đồ và số liệu tham gia
menu-export = Tải bảng tổng hợp (XLSX)
menu-verify = Kiểm tra mã xác thực phiếu nhận xét

## Tiêu chí của phiếu nhận xét
criterion-example = Nêu gương về đạo đức, lối sống
criterion-civic = Gương mẫu thực hiện nghĩa vụ công dân
criterion-meetings = Tham gia sinh hoạt nơi cư trú
criterion-contact = Giữ mối liên hệ với chi ủy và nhân dân
criterion-movements = Tham gia các phong trào ở địa phương
criterion-recommendation = Đề nghị
level-example-0 = Nêu gương tốt
level-example-1 = Nêu gương
level-example-2 = Chưa nêu gương
level-civic-0 = Gương mẫu đi đầu
level-civic-1 = Gương mẫu
level-civic-2 = Chưa gương mẫu
level-meetings-0 = Tham gia đầy đủ
level-meetings-1 = Tham gia chưa đầy đủ
level-meetings-2 = Không tham gia
level-contact-0 = Thường xuyên, tích cực
level-contact-1 = Thường xuyên
level-contact-2 = Chưa thường xuyên
level-movements-0 = Rất tích cực
level-movements-1 = Tích cực
level-movements-2 = Chưa tích cực
level-recommendation-0 = Biểu dương
level-recommendation-1 = Không đề nghị
level-recommendation-2 = Xem xét xử lý
exempt-barracks = quân đội, công an ở trong doanh trại
exempt-official-housing = cán bộ luân chuyển ở nhà công vụ
exempt-full-time-study = đi học tập trung từ 12 tháng trở lên
exempt-student-away = học sinh, sinh viên học xa nhà

## Căn cứ
evidence-total = Tổng số hoạt động đã được duyệt: { $count }
evidence-kind = { $kind }: { $count }
evidence-by-kind = Theo loại hoạt động: { $kinds }
evidence-duty = NV{ $duty }: { $count }
evidence-by-duty = Theo nhiệm vụ (Quy định 213, Điều 2): { $duties }
evidence-meetings = Số lần sinh hoạt chi bộ nơi cư trú đã tham dự: { $count }
evidence-active-months = Số tháng có hoạt động trực tiếp: { $active }/{ $expected }
# Như trên, nằm giữa một dòng /status sau "; ": không viết hoa.
status-active-months = số tháng có hoạt động trực tiếp: { $active }/{ $expected }
evidence-silent-months = Các tháng chưa có hoạt động trực tiếp: { $months }
evidence-money-only = Lưu ý: chỉ có đóng góp bằng tiền, chưa có hoạt động trực tiếp.
evidence-report = – { $date }: { $kind } (báo cáo số { $id })

## Phiếu nhận xét trong trò chuyện
sheets-not-open = Phiếu nhận xét cuối năm được lập từ ngày { $date }.
sheets-header = { $cell } — phiếu nhận xét năm { $year } ({ $count } đảng viên). Chọn đảng viên để lập hoặc xem phiếu:
sheets-exempt = miễn sinh hoạt nơi cư trú ({ $reason }), không lập phiếu định kỳ
# The start of a signed sheet's file name (ASCII: letters, digits and dashes), the year or request number and the member's name follow.
sheet-file-yearly = phieu-nhan-xet-
sheet-file-request = phieu-nhan-xet-theo-yeu-cau-
sheet-state-not-started = chưa lập
sheet-state-draft = đang dự thảo
sheet-state-with-member = đã gửi đảng viên
sheet-state-accepted = đảng viên đã đồng ý dự thảo, chờ ký
sheet-state-responded = đảng viên đã có ý kiến về dự thảo, chờ ký
sheet-state-signed = đã ký, đã gửi nơi công tác
sheet-state-signed-kept = đã ký; phiếu chưa được gửi tới cán bộ nào của cơ quan qua bot (khi ký, cơ quan chưa có cán bộ trên hệ thống, hoặc cán bộ không nhận được phiếu); cán bộ cơ quan xem phiếu bằng lệnh /sheet
sheet-signed-elsewhere = Phiếu nhận xét năm { $year } của đồng chí này đã được { $cell } ký trước khi chuyển sinh hoạt; cơ quan có thể lấy bằng lệnh /sheet. Không lập phiếu thứ hai.
sheet-gone = Phiếu nhận xét này không còn trên hệ thống: đảng viên đã chuyển sinh hoạt, rời chi bộ hoặc đã xóa dữ liệu cá nhân trước khi phiếu được ký.
sheet-exempt-none = Đảng viên này được miễn sinh hoạt nơi cư trú: không lập phiếu nhận xét định kỳ.
sheet-exempt-member = Đồng chí được miễn sinh hoạt nơi cư trú: chi bộ không lập phiếu nhận xét định kỳ cho đồng chí.
sheet-member-gone = Phiếu nhận xét này không thể sửa, gửi hay ký nữa: đảng viên không còn sinh hoạt tại chi bộ (đã kết thúc sinh hoạt, chuyển sinh hoạt hoặc đã xóa dữ liệu của mình).
sheet-open-member-ended = Đồng chí { $name } đã kết thúc sinh hoạt tại chi bộ từ ngày { $date }: không thể lập phiếu nhận xét của đồng chí ấy tại đây nữa.
sheet-member-left-cell = Dự thảo này là của chi bộ mà đồng chí không còn sinh hoạt (đã chuyển sinh hoạt hoặc đã kết thúc sinh hoạt), nên không còn chờ ý kiến của đồng chí.
sheet-membership-ended = Đồng chí đã kết thúc sinh hoạt tại { $cell } từ ngày { $date }, nên phiếu nhận xét này không còn chờ ý kiến của đồng chí.
sheet-header =
    Phiếu nhận xét năm { $year }: đồng chí { $name }
    Chi bộ: { $cell }
    Nơi công tác: { $workplace }
    Tình trạng: { $state }
sheet-evidence-title = Căn cứ (hoạt động đã được duyệt):
sheet-criteria-title = Các tiêu chí (bấm nút để chọn mức):
sheet-short-version = Bản rút gọn dành cho đảng viên được miễn sinh hoạt nơi cư trú ({ $reason }): không đánh giá theo các tiêu chí; chỉ gồm kết quả liên hệ và nhận xét khác.
sheet-evidence-more = … và { $count } mục khác (phiếu đã ký ghi đầy đủ).
sheet-level-unset = (chưa chọn)
sheet-remarks-line = Nhận xét khác: { $remarks }
sheet-member-accepted = Đảng viên đã đồng ý với dự thảo lúc { $when }.
sheet-member-responded = Ý kiến của đảng viên (lúc { $when }): { $response }
sheet-member-responded-earlier = Ý kiến của đảng viên về dự thảo trước khi sửa (lúc { $when }): { $response }
sheet-response-shortened = (đã rút gọn; toàn văn ý kiến có trong tin nhắn bot báo đảng viên góp ý)
sheet-member-waiting = Đang chờ ý kiến của đảng viên đến { $until }; quá hạn không có ý kiến được coi là đã xem.
sheet-member-waiting-none = Dự thảo được gửi khi đã đến hạn cuối của phiếu: có thể ký ngay, không phải chờ ý kiến của đảng viên.
sheet-signed-line = Đã ký lúc { $when }. Mã xác thực: { $code }
button-remarks = ✏️ Nhận xét khác
button-send-member = 📤 Gửi đảng viên xem
button-sign = ✍️ Ký và gửi nơi công tác
button-reopen = ↩️ Sửa lại dự thảo
button-accept = ✅ Đồng ý
button-respond = 💬 Góp ý
ask-remarks = Đề nghị đồng chí nhập nhận xét khác (tối đa { $max } ký tự).
ask-member-response = Đề nghị đồng chí nhập ý kiến về dự thảo phiếu nhận xét (tối đa { $max } ký tự).
sheet-sent-to-member = Đã gửi dự thảo cho đảng viên.
sheet-already-sent = Đồng chí đã gửi dự thảo này cho đảng viên (lúc { $when }); đang chờ đảng viên trả lời.
sheet-member-unreachable = Không gửi được qua bot dự thảo phiếu nhận xét cho đảng viên { $name }; đề nghị đồng chí liên hệ trực tiếp.
sheet-draft-replaced = Dự thảo này đã được chi bộ sửa và gửi lại: đề nghị đồng chí trả lời dự thảo mới nhất, ở tin nhắn gửi sau.
sheet-draft-gone = Dự thảo này không còn trong hệ thống (đã được rút lại, hoặc gửi sau bản sao lưu được dùng để khôi phục dữ liệu): không còn gì để trả lời. Chi bộ có thể gửi lại cho đồng chí.
sheet-for-member = Dự thảo phiếu nhận xét năm { $year } của { $cell } về đồng chí. { $due }
sheet-answer-until = Đề nghị đồng chí đồng ý hoặc góp ý trước { $until }; quá thời hạn này được coi là đã xem.
sheet-answer-now = Đã đến hạn cuối của phiếu: đề nghị đồng chí đồng ý hoặc góp ý ngay; phiếu có thể được ký bất cứ lúc nào, không phải chờ ý kiến của đồng chí.
member-accepted-done = Đồng chí đã đồng ý với dự thảo. Cảm ơn đồng chí.
sheet-now-signed = Phiếu đã được đồng chí { $signer } ký lúc { $when }.
sheet-now-signed-by-you = Đồng chí đã ký phiếu này lúc { $when }.
sheet-now-with-member = Dự thảo đã được gửi cho đảng viên lúc { $when } và đang chờ đảng viên trả lời.
sheet-now-accepted = Đảng viên đã đồng ý với dự thảo lúc { $when }.
sheet-now-responded = Đảng viên đã góp ý về dự thảo lúc { $when }.
sheet-now-draft = Dự thảo đã được rút về để sửa (lúc { $when }).
sheet-answered-accepted = Đồng chí đã đồng ý với dự thảo này lúc { $when }.
sheet-answered-responded = Đồng chí đã góp ý về dự thảo này lúc { $when }; ý kiến đã được chuyển tới người ký phiếu nhận xét.
member-response-done = Đã ghi nhận ý kiến của đồng chí và chuyển tới người có thẩm quyền ký phiếu nhận xét.
typed-not-saved =
    { $why }

    Nội dung đồng chí vừa gửi chưa được lưu; bot gửi lại nguyên văn dưới đây để đồng chí giữ lại:
    { $text }
member-response-draft-taken-back = Chi bộ đã rút dự thảo về để sửa trước khi ý kiến của đồng chí tới. Khi nhận được dự thảo mới, đề nghị đồng chí trả lời lại.
member-response-not-awaited = Dự thảo này không còn chờ ý kiến của đồng chí (đã được trả lời, đã rút về hoặc đã ký).
sheet-remarks-not-draft = Phiếu không còn là dự thảo (đã được gửi đảng viên hoặc đã ký), nên nhận xét chưa được lưu. Muốn sửa, đề nghị đồng chí bấm “Sửa lại dự thảo” trên phiếu (khi phiếu chưa ký).
secretary-told-accepted = Đồng chí { $name } đã đồng ý với dự thảo phiếu nhận xét năm { $year }. Đồng chí có thể ký phiếu (/sheets).
secretary-told-responded = Đồng chí { $name } góp ý về dự thảo phiếu nhận xét năm { $year }: { $response }
sign-blocked-not-sent = Cần gửi dự thảo cho đảng viên xem trước khi ký.
sign-blocked-criteria = Cần chọn mức cho đủ sáu tiêu chí.
sign-blocked-no-longer-exempt = Đảng viên không còn được miễn sinh hoạt nơi cư trú: phiếu cần đủ sáu tiêu chí. Đề nghị bấm “Sửa lại dự thảo”, chọn mức các tiêu chí và gửi lại đảng viên xem.
sign-blocked-waiting = Đang chờ ý kiến của đảng viên; có thể ký khi đảng viên trả lời hoặc sau { $until }.
sheet-signed-done = Đã ký phiếu (mã xác thực { $code }) và gửi tới { $officers } cán bộ nơi công tác của đảng viên; đảng viên cũng nhận được bản sao.
sheet-no-officer = Đã ký phiếu (mã xác thực { $code }). Nơi công tác ({ $workplace }) chưa có cán bộ nhận phiếu trên hệ thống: đồng chí gửi bản dưới đây tới cấp ủy nơi công tác; đảng viên đã nhận bản sao.
sheet-delivered-officer = Phiếu nhận xét năm { $year } của đảng viên { $name } do { $cell } ({ $ward }) gửi, đồng chí { $signer } ({ $role }) ký. Mã xác thực: { $code } (kiểm tra bằng /verify).
sheet-delivery-failed = Không gửi được phiếu nhận xét năm { $year } của đồng chí { $name } (mã xác thực { $code }) tới một cán bộ nơi công tác qua bot. Đề nghị đồng chí gửi bản phiếu cho cấp ủy nơi công tác của đảng viên bằng cách khác.
sheet-member-copy-failed = Đồng chí { $name } chưa nhận được bản phiếu nhận xét đã ký của mình (mã xác thực { $code }) qua bot, có thể do đã chặn bot. Bản phiếu sẽ được gửi lại khi đồng chí { $name } nhắn tin cho bot hoặc bỏ chặn bot.
sheet-copy-member = Bản sao phiếu nhận xét năm { $year } của đồng chí đã được gửi tới nơi công tác. Mã xác thực: { $code }.
sheet-copy-member-kept = Bản phiếu nhận xét của đồng chí đã được ký. Nơi công tác của đồng chí chưa có cán bộ nhận phiếu qua hệ thống nên phiếu chưa được gửi tới nơi công tác; chi bộ sẽ chuyển phiếu theo cách khác. Mã xác thực: { $code }.

## Xác thực
verify-usage = Cách dùng: /verify MÃ (ví dụ /verify 1A2B-3C4D-5E6F-7A8B).
verify-ok = Phiếu hợp lệ, không bị thay đổi: phiếu nhận xét năm { $year } của đồng chí { $name } ({ $cell }), đồng chí { $signer } ({ $role }) ký lúc { $when }.
verify-content-heading = Nội dung đã ký (đề nghị đối chiếu với bản phiếu đang có; nếu khác, bản phiếu đó đã bị sửa):
verify-not-found = Không có phiếu nhận xét đã ký nào mang mã này. Đề nghị đồng chí kiểm tra lại mã xác thực in ở cuối phiếu (ví dụ /verify 1A2B-3C4D-5E6F-7A8B).
verify-other-code = Đây không phải mã xác thực của phiếu nhận xét mà là mã của lời mời (hoặc của đường liên kết): đề nghị đồng chí mở đường liên kết đó, hoặc gửi /start kèm mã. Mã xác thực của phiếu được in ở cuối phiếu, ví dụ 1A2B-3C4D-5E6F-7A8B.
verify-tampered = Cảnh báo: phiếu mang mã này đã bị thay đổi sau khi ký. Không sử dụng phiếu này.
verify-corrected = Lưu ý: sau khi ký, chi bộ đã điều chỉnh sổ điểm danh sinh hoạt, bỏ { $count } hoạt động được dẫn trong phiếu (có ghi trong nhật ký). Nội dung phiếu đã ký không thay đổi.

## Nơi công tác
status-header = { $workplace } — năm { $year }: { $count ->
       *[other] { $members }
    } đảng viên
status-flag-legend = (⚠️: không có hoạt động từ 3 tháng trở lên)
status-line = { $flag }{ $name } ({ $cell }): { $total } hoạt động được duyệt [{ $duties }]; gần nhất: { $last }; { $silent } tháng chưa có hoạt động; phiếu: { $state }
status-no-reports = chưa có
status-last-none = chưa có
status-none = Chưa có đảng viên nào của cơ quan được chi bộ nơi cư trú xác nhận.
status-no-roster = Chưa có danh sách đảng viên của { $workplace } trên hệ thống: đề nghị đồng chí gửi /roster kèm danh sách đảng viên đang công tác của cơ quan, đơn vị để biết ai chưa đăng ký sinh hoạt nơi cư trú và giới thiệu về chi bộ nơi cư trú.
sheet-usage = Cách dùng: /sheet họ tên (ví dụ /sheet Nguyễn Văn An).
sheet-not-found = Không tìm thấy đảng viên «{ $name }» thuộc cơ quan của đồng chí. Đề nghị kiểm tra lại họ tên.
sheet-many = Có { $count } đảng viên trùng tên; đề nghị nhập đầy đủ họ tên:
sheet-choose = Có { $count } đảng viên trùng tên; đề nghị chọn đồng chí cần xem phiếu nhận xét:
namesake-introduced = { $name } (giới thiệu về chi bộ tháng { $month })
sheet-many-more = …và { $count } đồng chí khác; đề nghị nhập thêm họ tên để thu hẹp.

## Thống kê và xuất dữ liệu
stats-title = { $scope } — tỷ lệ đảng viên có hoạt động được duyệt
stats-y-label = Tỷ lệ (%)
stats-caption = { $scope }: tỷ lệ đảng viên có ít nhất một hoạt động được duyệt (không kể đóng góp bằng tiền), từ { $from } đến { $to }.
stats-duties-header = { $scope } — hoạt động được duyệt năm { $year } theo nhiệm vụ (Quy định 213, Điều 2):
stats-duty-line = Nhiệm vụ { $duty }: { $count }
stats-money-only = Số đảng viên trong năm { $year } chỉ có đóng góp bằng tiền, chưa có hoạt động trực tiếp: { $count }
status-money-only = chỉ có đóng góp bằng tiền
export-caption = Bảng tổng hợp năm { $year }: { $scope } ({ $count ->
       *[other] { $members }
    } đảng viên).
export-ward-no-cells = { $scope }: phường, xã chưa có chi bộ nơi cư trú nào trên hệ thống nên bảng tổng hợp năm { $year } chưa có đảng viên nào; không gửi tệp.
export-ward-no-members = { $scope }: các chi bộ nơi cư trú của phường, xã chưa có đảng viên nào được xác nhận trong năm { $year } nên bảng tổng hợp chưa có đảng viên nào; không gửi tệp.
export-cell-no-members = { $scope } chưa có đảng viên nào được xác nhận trong năm { $year } nên bảng tổng hợp chưa có đảng viên nào; không gửi tệp. Đảng viên tham gia chi bộ qua đường liên kết mời: đồng chí tạo đường liên kết bằng lệnh /invite và gửi cho đảng viên; khi đồng chí duyệt yêu cầu tham gia, đảng viên có tên trong bảng tổng hợp.
export-workplace-no-members = { $scope }: chưa có đảng viên nào của cơ quan được chi bộ nơi cư trú xác nhận trong năm { $year } nên bảng tổng hợp chưa có đảng viên nào; không gửi tệp. Đảng viên của cơ quan được giới thiệu về chi bộ nơi cư trú từ /status (nút «Giới thiệu», sau khi gửi danh sách đảng viên bằng /roster); khi chi bộ nơi cư trú xác nhận, đảng viên có tên trong bảng tổng hợp.
export-col-id = Số hiệu trên hệ thống
export-col-member = Họ và tên
export-col-cell = Chi bộ nơi cư trú
export-col-ward = Phường, xã
export-col-workplace = Nơi công tác
export-col-duty = Nhiệm vụ { $duty }
export-col-total = Tổng số hoạt động được duyệt
export-col-contributions = Trong đó: đóng góp bằng tiền
export-col-months-active = Số tháng có hoạt động trực tiếp
export-col-meetings = Số lần sinh hoạt chi bộ đã báo cáo (được duyệt)
export-col-exempt = Miễn sinh hoạt
export-col-sheet-state = Tình trạng phiếu
export-col-code = Mã xác thực

## Văn bản phiếu (luôn bằng tiếng Việt)
doc-party-header = ĐẢNG BỘ { $ward }
doc-party-name = ĐẢNG CỘNG SẢN VIỆT NAM
doc-place-date = { $place }, ngày { $day } tháng { $month } năm { $year }
doc-title = PHIẾU NHẬN XÉT
doc-subtitle = Đảng viên đang công tác giữ mối liên hệ với chi ủy, đảng ủy và nhân dân nơi cư trú năm { $year }
doc-addressee = Kính gửi: Cấp ủy { $workplace }
doc-opening = Chi ủy { $cell }, sau khi trao đổi, thống nhất với Ban công tác Mặt trận khu dân cư, nhận xét đồng chí { $name } trong việc thực hiện nhiệm vụ của đảng viên ở nơi cư trú năm { $year } như sau:
doc-member-name = Họ và tên: { $name }
doc-member-workplace = Nơi công tác: { $workplace }
doc-member-residence = Nơi cư trú: { $cell }, { $ward }
doc-criteria-heading = Kết quả nhận xét:
doc-criterion-column = Nội dung
doc-level-column = Mức đánh giá
doc-evidence-heading = Căn cứ (hoạt động đã được chi bộ ghi nhận trong năm):
request-doc-evidence-heading = Căn cứ (hoạt động đã được chi bộ ghi nhận trong thời gian được đề nghị nhận xét):
doc-remarks-heading = Nhận xét khác:
doc-response-heading = Ý kiến của đảng viên:
doc-member-accepted = Đảng viên đã xem và đồng ý với nội dung nhận xét.
doc-member-seen = Đảng viên đã được gửi dự thảo; hết thời hạn không có ý kiến (coi như đã xem).
doc-member-earlier-response = Ý kiến của đảng viên về dự thảo trước khi sửa: { $response }. Dự thảo đã sửa được gửi lại; hết thời hạn không có ý kiến thêm.
doc-exempt-note = Đảng viên thuộc diện miễn sinh hoạt nơi cư trú: { $reason }.
doc-sign-left = XÁC NHẬN CỦA ĐẢNG ỦY
doc-sign-right = T/M CHI BỘ
doc-sign-role = BÍ THƯ
doc-verification = Mã xác thực: { $code } — kiểm tra bằng lệnh /verify { $code } trên bot lienhe.

## Cảnh báo sớm
reminder-at-risk = ⚠️ Năm { $year }, đồng chí { $months ->
        [0] chưa có tháng nào
       *[other] mới có { $months } tháng
    } có hoạt động được chi bộ duyệt: cuối năm, việc giữ mối liên hệ với chi bộ và nhân dân nơi cư trú có thể bị nhận xét là chưa thường xuyên. Đề nghị đồng chí chủ động tham gia các hoạt động ở nơi cư trú.
digest-at-risk = • ⚠️ Năm { $year } có nguy cơ bị nhận xét chưa thường xuyên (dưới 2 tháng có hoạt động) ({ $count }): { $names }
digest-unsigned = • Phiếu nhận xét năm { $year } chưa ký ({ $count }): { $names }. Đề nghị đồng chí hoàn thành bằng lệnh /sheets, chậm nhất ngày { $until }.

## Issue 8: members move and change
menu-profile = Thông tin cá nhân (điện thoại, cơ quan)
move-ask = Đồng chí đang sinh hoạt tại { $from }. Có phải đồng chí chuyển nơi cư trú và chuyển sinh hoạt sang { $cell }?
move-button-confirm = Đúng, tôi chuyển sang
move-cancelled = Đã hủy. Đồng chí vẫn sinh hoạt tại { $from }.
move-old-ended = Đồng chí không còn sinh hoạt tại { $from } (chi bộ đã kết thúc sinh hoạt của đồng chí). Để tham gia chi bộ mới, đồng chí mở lại đường liên kết mời của chi bộ đó.
move-intro = Thông tin dưới đây được lấy từ chi bộ cũ; số điện thoại và cơ quan có thể sửa sau bằng lệnh /profile.
move-card = 🔁 Chuyển từ chi bộ: { $cell }
move-old-secretary-told = Đồng chí { $name } đã chuyển sinh hoạt từ { $cell } sang { $new_cell } (bí thư chi bộ mới đã xác nhận). Đồng chí { $name } không còn trong danh sách đảng viên của { $cell }; các hoạt động đã được duyệt vẫn được ghi nhận cho chi bộ.
move-evidence-at = { $line } — tại { $cell }
end-button-left-area = Rời địa bàn
end-button-retired = Nghỉ hưu
end-button-transferred = Chuyển sinh hoạt đảng đi nơi khác
end-reason-moved = chuyển sang chi bộ khác
end-reason-left-area = rời địa bàn
end-reason-retired = nghỉ hưu
end-reason-transferred = chuyển sinh hoạt đảng đi nơi khác
end-ask-note = Đề nghị đồng chí nhập lý do kết thúc sinh hoạt của đồng chí { $name } ({ $reason }). Gửi /cancel nếu không muốn tiếp tục.
end-confirm =
    Xác nhận kết thúc sinh hoạt tại { $cell } của đồng chí { $name }?
    Hình thức: { $reason }
    Lý do: { $note }
end-done = Đã kết thúc sinh hoạt của đồng chí { $name } tại { $cell } và thông báo cho đảng viên.
end-cancelled = Đã hủy. Đồng chí { $name } vẫn sinh hoạt tại chi bộ.
end-not-active = Đảng viên này không còn sinh hoạt tại chi bộ của đồng chí.
member-card-own = Đây là thông tin đảng viên của chính đồng chí, do đồng chí còn lại trong chi ủy quản lý. Số điện thoại, cơ quan công tác: /profile.
member-card-own-alone = Đây là thông tin đảng viên của chính đồng chí; chi ủy chưa có đồng chí nào khác để quản lý (mời phó bí thư: /invite phó). Số điện thoại, cơ quan công tác: /profile.
end-member-told = Cấp ủy chi bộ đã kết thúc sinh hoạt của đồng chí tại { $cell } ({ $reason }). Lý do: { $note }. Các hoạt động đã được duyệt vẫn được lưu. Từ nay đồng chí không nhận nhắc việc và không báo cáo hoạt động qua chi bộ này.
membership-ended = Đồng chí đã kết thúc sinh hoạt tại { $cell } từ ngày { $date } nên hiện không sinh hoạt tại chi bộ nơi cư trú nào trên hệ thống. Nếu đồng chí sinh hoạt tại chi bộ nơi cư trú mới, đề nghị mở đường liên kết mời của chi bộ đó (lệnh /myreports vẫn cho xem các báo cáo của đồng chí).
end-no-report = Đồng chí đã kết thúc sinh hoạt tại { $cell } từ ngày { $date } nên không thể báo cáo hoạt động. Nếu đồng chí sinh hoạt tại chi bộ nơi cư trú mới, đề nghị mở đường liên kết mời của chi bộ đó.
card-pick = { $cell }: bấm tên đảng viên để mở thẻ (từ { $from } đến { $to } trong { $total } đồng chí).
card-text =
    Thông tin đảng viên
    Họ và tên: { $name }
    Chi bộ: { $cell }
    Số điện thoại: { $phone }
    Cơ quan, đơn vị: { $workplace }
    Trạng thái: { $status }
    Ngày tham gia: { $joined }
    Miễn sinh hoạt: { $exempt }
card-status-active = đang sinh hoạt
card-status-pending-move = đang sinh hoạt (có yêu cầu chuyển sang { $cell })
card-not-exempt = không
profile-text =
    Thông tin của đồng chí
    Họ và tên: { $name }
    Chi bộ: { $cell }
    Số điện thoại: { $phone }
    Cơ quan, đơn vị: { $workplace }
profile-button-phone = Đổi số điện thoại
profile-button-workplace = Đổi cơ quan
profile-not-member = Chức năng /profile dành cho đảng viên đang sinh hoạt tại chi bộ nơi cư trú.
profile-wait-approval = Yêu cầu tham gia { $cell } của đồng chí chưa được xác nhận. Sau khi bí thư chi bộ xác nhận, đồng chí dùng /profile để xem và sửa thông tin của mình.
profile-membership-ended = Đồng chí đã kết thúc sinh hoạt tại { $cell } từ ngày { $date }, không còn sinh hoạt tại chi bộ nơi cư trú nào nên không có thông tin để thay đổi.
profile-phone-saved = Đã cập nhật số điện thoại: { $phone }.
profile-phone-removed = Đã xóa số điện thoại.
button-phone-keep = Giữ nguyên
button-phone-remove = 🗑 Xóa số điện thoại
profile-ask-phone = Đề nghị đồng chí gửi số điện thoại mới bằng nút bên dưới hoặc nhập số. Bấm «🗑 Xóa số điện thoại» để xóa số đã lưu; bấm «Giữ nguyên» (hoặc /cancel) để không thay đổi.
profile-phone-kept = Số điện thoại của đồng chí không thay đổi.
profile-error-phone = Số điện thoại chưa hợp lệ: đề nghị nhập số di động hoặc cố định Việt Nam (ví dụ 0912 345 678); số nước ngoài bắt đầu bằng +.
profile-workplace-saved = Đã cập nhật cơ quan, đơn vị công tác: { $workplace }.
profile-workplace-same = Cơ quan, đơn vị công tác không thay đổi.
profile-moves-header = Thay đổi cơ quan công tác trong năm { $year }:
profile-moves-since-header = Thay đổi cơ quan công tác từ { $date } đến nay:
profile-moved-out = • { $name } ({ $cell }): chuyển sang { $workplace } từ { $date }
profile-moved-in = • { $name } ({ $cell }): từ { $workplace } chuyển đến từ { $date }
resubmit-button = ✏️ Sửa và gửi lại
resubmit-button-kind = Đổi loại hoạt động
resubmit-button-date = Đổi ngày
resubmit-button-text = Đổi nội dung
resubmit-button-photos = Đổi ảnh
resubmit-intro = Sửa báo cáo số { $id } (lý do chưa được duyệt: { $reason }). Bấm các nút để thay đổi từng mục, rồi bấm «Gửi báo cáo».
resubmit-card =
    Gửi lại sau khi bị từ chối: { $reason }
    Nội dung trước: { $previous }
resubmit-previous-shortened = (đã rút gọn; toàn văn trong báo cáo số { $id })
resubmit-already = Báo cáo này đã được sửa và gửi lại (báo cáo số { $id }).
report-already-submitted = Báo cáo số { $id } đã được gửi lúc { $at }; không cần gửi lại.
report-already-recorded = Hoạt động này ngày { $date } đã được chi bộ ghi nhận qua danh sách điểm danh cuộc họp (số { $id }, xem /myreports), nên không cần báo cáo lại: báo cáo này không được gửi.
resubmit-not-possible = Báo cáo này không thể gửi lại nữa (đã được gửi lại, hoặc đồng chí không còn sinh hoạt tại chi bộ đó).
resubmit-membership-ended = Đồng chí đã kết thúc sinh hoạt tại { $cell } từ ngày { $date }, nên không thể sửa và gửi lại báo cáo này.
resubmit-chain = ↳ bản gửi lại của báo cáo số { $id } ngày { $date }
resubmit-chain-next = → đã sửa và gửi lại: báo cáo số { $id }
dup-photo-more = ⚠️ … và { $count } báo cáo khác đã gửi cùng ảnh này.
dup-photo = ⚠️ Ảnh này đã được gửi kèm báo cáo của { $name } ngày { $date }
## Issue 8: review year
year-sheets-not-yet = Phiếu nhận xét năm { $year } được lập và ký từ ngày { $from } đến hết ngày { $until }; nay chưa đến thời hạn.
year-sheets-closed = Phiếu nhận xét năm { $year } chỉ được lập và ký từ ngày { $from } đến hết ngày { $until }; nay đã hết thời hạn.
year-usage = Cách dùng: { $command } hoặc { $command } NĂM (ví dụ { $command } 2026).
year-future = Năm { $year } chưa đến.
year-no-data = Không có dữ liệu năm { $year }.
year-sheet-not-signed = Phiếu nhận xét năm { $year } của đồng chí { $name } chưa được ký (tình trạng: { $state }).
year-no-signed-sheet = Đồng chí { $name } chưa có phiếu nhận xét nào đã ký.
year-stats-empty = { $scope }: năm { $year } chưa có tháng nào để đánh giá.
year-criteria-title = Các tiêu chí:
year-photos-skipped = Không gửi ảnh minh chứng.
ask-photos-change = Đồng chí gửi ảnh minh chứng mới (thay cho { $count } ảnh của báo cáo), bấm «Bỏ qua» để giữ nguyên ảnh cũ, hoặc bấm «Xóa ảnh» để gửi báo cáo không kèm ảnh.
photos-kept = Giữ nguyên { $count } ảnh của báo cáo.
photos-removed = Đã xóa ảnh của báo cáo: báo cáo được gửi không kèm ảnh.
year-idle-officer = Đồng chí là cán bộ theo dõi đảng viên của cơ quan: dùng /status để xem tình hình đảng viên, /sheet họ tên để nhận phiếu nhận xét đã ký, /export để tải bảng tổng hợp. Xem các lệnh khác: /help.
year-idle-supervisor = Đồng chí theo dõi các chi bộ của đảng ủy phường, xã: dùng /stats để xem thống kê, /export để tải bảng tổng hợp. Xem các lệnh khác: /help.
year-button-open = Mở phiếu
year-help-years = Các lệnh { $commands } mặc định hiển thị năm đang nhận xét (đầu năm, khi chưa hết hạn lập phiếu của năm trước thì đó là năm trước); để xem năm khác, gõ thêm năm sau lệnh, ví dụ { $example }.
year-help-sheet-command = /sheet họ tên
intro-ask = Đồng chí được giới thiệu về sinh hoạt tại chi bộ nơi cư trú từ tháng nào? Đề nghị nhập tháng/năm (ví dụ { $example }), hoặc bấm nút nếu là tháng này.
intro-button-this-month = Tháng này ({ $month })
intro-chosen = Tháng được giới thiệu về chi bộ: { $month }
intro-unreadable = Chưa đọc được tháng/năm. Đề nghị nhập theo dạng tháng/năm, ví dụ { $example }.
intro-future = Tháng { $month } chưa đến. Không thể chọn một tháng trong tương lai.
intro-too-old = Tháng { $month } đã quá { $years } năm. Đề nghị kiểm tra lại.
intro-line = Tháng được giới thiệu về chi bộ: { $month }
intro-unknown = chưa ghi (tính từ tháng được xác nhận)
intro-button-correct = Sửa tháng giới thiệu
intro-correct-ask = Tháng được giới thiệu về chi bộ của đồng chí { $name } hiện là { $month }. Đề nghị nhập tháng/năm đúng (ví dụ { $example }), hoặc /cancel để thôi.
intro-corrected = Đã sửa tháng được giới thiệu về chi bộ của đồng chí { $name } thành { $month }. Các tháng được đánh giá của năm tính lại theo tháng này.
## Issue 8: cell committee
deputy-invite-link =
    Mã mời phó bí thư { $cell } (dùng một lần):
    { $link }
    Có hiệu lực đến { $until }. Đồng chí gửi đường liên kết này cho đồng chí được phân công làm phó bí thư chi bộ.
deputy-invite-replaces = { $cell } đang có phó bí thư là đồng chí { $name }: người sử dụng mã này sẽ trở thành phó bí thư chi bộ thay đồng chí { $name } (tư cách đảng viên của đồng chí { $name }, nếu có, không thay đổi). Nếu chỉ cần mời đảng viên, đồng chí gửi /invite.
deputy-invite-usage = Cách dùng: /invite — đường liên kết mời đảng viên; /invite phó — mã mời phó bí thư chi bộ.
invite-deputy-ask-secretary = Đường liên kết gia nhập { $cell } do bí thư chi bộ, đồng chí { $name }, tạo: đề nghị đồng chí liên hệ đồng chí { $name } để nhận.
invite-deputy-no-secretary = { $cell } hiện chưa có bí thư: đường liên kết gia nhập chi bộ do bí thư được đảng ủy phường, xã chỉ định tạo. Trong thời gian này, các yêu cầu gia nhập và báo cáo của chi bộ do đồng chí xét duyệt.
deputy-invite-accepted = Mã mời hợp lệ: đồng chí được mời làm phó bí thư { $cell }.
deputy-already = Đồng chí đã là phó bí thư { $cell }.
deputy-is-secretary = Đồng chí là bí thư { $cell } nên không thể đồng thời làm phó bí thư của chi bộ này.
deputy-confirmed = Xác nhận: đồng chí { $name } là phó bí thư { $cell } trên hệ thống. Nội dung của chính bí thư chi bộ sẽ do đồng chí xem xét.
deputy-replaced = Đồng chí { $name } đã được phân công làm phó bí thư { $cell } thay đồng chí. Từ nay đồng chí không còn là phó bí thư của chi bộ trên hệ thống; tư cách đảng viên của đồng chí (nếu có) không thay đổi.
handover-old-secretary = Đồng chí { $name } đã nhận bàn giao, trở thành bí thư { $cell } trên hệ thống thay đồng chí. Từ nay đồng chí không còn là bí thư, không còn quyền của bí thư chi bộ; tư cách đảng viên của đồng chí (nếu có) không thay đổi. Các nội dung chờ duyệt đã chuyển cho bí thư mới (nội dung của chính bí thư mới chuyển cho phó bí thư hoặc, nếu chi bộ chưa có phó bí thư, cho cán bộ giám sát của phường, xã).
committee-role-gone = Đồng chí không còn là { $role ->
        [deputy] phó bí thư
       *[other] bí thư
    } { $cell } nên không còn quyền xử lý các nội dung của chi bộ này.
committee-role-gone-now = Đồng chí không còn là { $role ->
        [deputy] phó bí thư
       *[other] bí thư
    } { $cell }; việc này nay do đồng chí { $who } giải quyết.
committee-role-gone-supervisors = Đồng chí không còn là { $role ->
        [deputy] phó bí thư
       *[other] bí thư
    } { $cell }; việc này nay do cán bộ giám sát của phường, xã xem xét, vì chi ủy không còn đồng chí nào khác có thể quyết định.
command-role-gone = Đồng chí không còn là { $role ->
        [deputy] phó bí thư
       *[other] bí thư
    } { $cell } (từ ngày { $date }) nên không còn sử dụng được lệnh này.
meetings-role-gone = Đồng chí không còn là { $role ->
        [deputy] phó bí thư
       *[other] bí thư
    } { $cell } (từ ngày { $date }) nên không còn xem được các cuộc họp của chi bộ.
secretary-role-gone-line = Đồng chí không còn là bí thư { $cell } (từ ngày { $date }).
command-role-gone-join = Để báo cáo hoạt động của mình với tư cách đảng viên, đề nghị đồng chí mở đường liên kết mời của chi bộ nơi đồng chí cư trú (do bí thư chi bộ gửi); các lệnh đồng chí còn sử dụng được: /help.
supervisor-item-taken = { $cell } nay đã có đồng chí { $who } trong chi ủy để quyết định việc này. Cán bộ giám sát của phường, xã chỉ quyết định các việc của bí thư khi chi bộ chưa có phó bí thư.
escalation-offered = ⏳ Nội dung này đã chờ duyệt quá { $days } ngày; đề nghị đồng chí phó bí thư xem xét.
cards-more = { $cell }: còn { $count } yêu cầu tham gia và báo cáo khác chờ đồng chí duyệt. Đồng chí gửi /pending để xem toàn bộ, kèm nút Duyệt/Từ chối.
escalation-offered-more = ⏳ { $cell }: còn { $count } yêu cầu tham gia và báo cáo khác đã chờ duyệt quá { $days } ngày; đề nghị đồng chí phó bí thư xem xét. Đồng chí gửi /pending để xem toàn bộ, kèm nút Duyệt/Từ chối.
escalation-supervisors = ⏳ Các chi bộ có nội dung chờ duyệt quá { $days } ngày:
escalation-supervisors-cell = • { $cell }: { $joins } yêu cầu tham gia, { $reports } báo cáo
role-committee-only = Lệnh này chỉ dành cho bí thư và phó bí thư chi bộ.
deciders-only = Lệnh này chỉ dành cho bí thư, phó bí thư chi bộ và cán bộ giám sát của phường, xã khi thay chi ủy xem xét (nội dung và phiếu nhận xét của bí thư, phó bí thư các chi bộ chưa có người khác xem xét).
role-nothing-to-decide = Hiện không có nội dung nào chờ đồng chí duyệt.
role-help-deputy =
    Chức năng của phó bí thư chi bộ:
    /pending — các yêu cầu tham gia và báo cáo chờ duyệt (kể cả nội dung của bí thư)
    /members — danh sách đảng viên và hoạt động trong tháng
    /sheets — lập phiếu nhận xét cuối năm (kể cả phiếu của bí thư)
    /requests — các đề nghị nhận xét cơ quan gửi chi bộ
role-help-supervisor-decides = /pending, /sheets — nội dung và phiếu nhận xét của bí thư, phó bí thư các chi bộ chưa có người khác xem xét
role-own-join-sent = Đã gửi yêu cầu tham gia { $cell } của đồng chí để xem xét; không ai tự duyệt nội dung của chính mình: yêu cầu được chuyển tới phó bí thư (hoặc bí thư) chi bộ; nếu chi bộ chưa có, được chuyển tới cán bộ giám sát của phường, xã.
role-own-join-waits = Đã ghi nhận yêu cầu tham gia { $cell } của đồng chí. Không ai tự duyệt nội dung của chính mình, và hiện chưa có đồng chí nào khác trong cấp ủy chi bộ hay cán bộ giám sát của phường, xã trên hệ thống; yêu cầu sẽ được xem xét khi có người phụ trách.
role-own-report-sent = Đã gửi báo cáo số { $id } để xem xét; không ai tự duyệt nội dung của chính mình: báo cáo được chuyển tới phó bí thư (hoặc bí thư) chi bộ; nếu chi bộ chưa có, được chuyển tới cán bộ giám sát của phường, xã.
role-own-report-waits = Đã ghi nhận báo cáo số { $id }. Không ai tự duyệt nội dung của chính mình, và hiện chưa có đồng chí nào khác trong cấp ủy chi bộ hay cán bộ giám sát của phường, xã trên hệ thống; báo cáo sẽ được xem xét khi có người phụ trách.

## Issue 8: who signs a sheet
doc-sign-role-deputy = PHÓ BÍ THƯ
doc-sign-role-ward = ĐẠI DIỆN ĐẢNG ỦY PHƯỜNG, XÃ
signer-secretary = bí thư
signer-deputy = phó bí thư
signer-ward = đại diện đảng ủy phường, xã

## Issue 9: views
page-of = Trang { $page }/{ $pages }
page-prev = ◀ Trước
page-next = Sau ▶
overview-scope-gone = Đồng chí không còn giữ vai trò được xem số liệu của { $scope }: số liệu này không được gửi.
page-xlsx = 📄 Tải danh sách (XLSX)
page-xlsx-above = Đồng chí vừa yêu cầu tải danh sách này: tệp đang được gửi hoặc đã có ở tin nhắn ngay phía trên.
page-xlsx-caption = Danh sách đầy đủ ({ $count ->
       *[other] { $rows }
    } dòng).
page-gone = Trang này không còn trong danh sách do danh sách đã ngắn lại. Trang cuối của danh sách hiện tại được hiển thị thay thế.
page-col-name = Họ và tên
# The start of a downloaded list's file name (letters without accents, joined by hyphens).
page-file-status = trang-thai
page-file-members = dang-vien
page-file-pending = cho-duyet
page-file-sheets = phieu-nhan-xet
page-file-cells = chi-bo
page-col-cell = Chi bộ
page-col-reports = Hoạt động được duyệt
page-col-duties = Theo nhiệm vụ
page-col-last = Hoạt động gần nhất
page-col-silent = Số tháng chưa có hoạt động
page-col-months = Số tháng có hoạt động
page-col-sheet = Phiếu nhận xét
page-col-flag = Cảnh báo
page-col-kind = Loại
page-col-date = Ngày
page-col-content = Nội dung
page-col-month = Hoạt động được duyệt trong tháng
page-kind-join = Yêu cầu tham gia
page-kind-report = Báo cáo hoạt động
page-pending-summary = { $cell } — toàn bộ { $count } nội dung chờ duyệt (10 nội dung đầu tiên của mỗi loại đã hiện ở trên, kèm nút Duyệt/Từ chối):
page-pending-join = { $n }. [Yêu cầu tham gia] { $name } — { $date }
page-pending-report = { $n }. [Báo cáo số { $id }] { $name } — { $date }: { $text }
page-col-workplace = Nơi công tác
search-ask = Đồng chí đang công tác tại cơ quan, đơn vị nào? Đề nghị nhập một phần tên cơ quan, đơn vị (có thể gõ không dấu, ví dụ: so tu phap) để tìm, hoặc bấm «Cơ quan khác…».
search-found = Có { $count } cơ quan, đơn vị khớp với «{ $typed }». Chọn một cơ quan, nhập tên khác để tìm lại, hoặc bấm «Cơ quan khác…».
search-many = Có nhiều cơ quan, đơn vị khớp với «{ $typed }»; dưới đây là { $count } cơ quan đầu tiên. Chọn một cơ quan, hoặc nhập thêm chữ để thu hẹp, hoặc bấm «Cơ quan khác…».
search-none = Không tìm thấy cơ quan, đơn vị nào khớp với «{ $typed }». Đề nghị nhập lại một phần tên khác, hoặc bấm «Cơ quan khác…» để nhập tên đầy đủ.

## Issue 10: họp chi bộ (triệu tập, trả lời, nhắc lịch)
meeting-menu-meeting = Triệu tập cuộc họp của chi bộ
meeting-menu-meetings = Các cuộc họp trong năm
meeting-help-committee =
    Cuộc họp:
    /meeting — triệu tập cuộc họp (loại họp, ngày giờ, địa điểm, nội dung), gửi giấy mời tới từng đảng viên
    /meetings — các cuộc họp của chi bộ trong năm, kèm tình hình trả lời
meeting-help-member = /meetings — các giấy mời họp của đồng chí trong năm và câu trả lời của đồng chí
meeting-committee-only = Lệnh này chỉ dành cho bí thư hoặc phó bí thư chi bộ.
meeting-ask-kind = Triệu tập cuộc họp của { $cell }. Đề nghị đồng chí chọn loại cuộc họp:
meeting-kind-periodic = Sinh hoạt định kỳ với đảng viên đang công tác
meeting-kind-cell = Cuộc họp khác do chi bộ triệu tập
meeting-kind-residents = Họp tổ dân phố (khu dân cư)
meeting-ask-start = Cuộc họp bắt đầu lúc nào? Đề nghị nhập ngày giờ theo mẫu ngày/tháng/năm giờ:phút, ví dụ { $example }.
meeting-start-format = «{ $typed }» chưa đúng mẫu ngày/tháng/năm giờ:phút.
meeting-start-impossible = Không có ngày giờ này: «{ $typed }».
meeting-start-past = Thời điểm { $typed } đã qua: cuộc họp phải bắt đầu trong tương lai.
meeting-start-too-far = Thời điểm { $typed } quá xa: chỉ được triệu tập họp trước tối đa { $days } ngày.
meeting-ask-place = Cuộc họp tổ chức ở đâu? (tối đa { $max } ký tự)
meeting-place-empty = Địa điểm không được để trống.
meeting-place-too-long = Địa điểm quá dài: tối đa { $max } ký tự.
meeting-ask-agenda = Nội dung cuộc họp là gì? (tối đa { $max } ký tự)
meeting-agenda-empty = Nội dung cuộc họp không được để trống.
meeting-agenda-too-long = Nội dung cuộc họp quá dài: tối đa { $max } ký tự.
meeting-expect-button = Đề nghị đồng chí chọn bằng các nút bên dưới.
meeting-summary-draft =
    Đề nghị đồng chí kiểm tra lại trước khi gửi giấy mời:

    { $text }

    Giấy mời sẽ được gửi tới { $count } đảng viên của chi bộ.
meeting-button-send = 📨 Gửi giấy mời
meeting-button-cancel = Hủy
meeting-discarded = Đã hủy. Chưa có giấy mời nào được gửi.
meeting-no-members = Chi bộ chưa có đảng viên đang sinh hoạt để mời. Chưa có giấy mời nào được gửi.
meeting-no-members-yet = { $cell } chưa có đảng viên nào được xác nhận để mời họp. Đảng viên tham gia chi bộ qua đường liên kết mời do bí thư chi bộ tạo bằng lệnh /invite và gửi cho đảng viên.
meeting-choose-another-cell = Đồng chí vẫn có thể chọn chi bộ khác ở trên.
meeting-summary-shown = Cuộc họp này đã được triệu tập: bảng tổng hợp của cuộc họp (kèm các nút) đã được gửi ở phía trên trong cuộc trò chuyện này.
meeting-sent = Giấy mời đang được gửi tới { $count } đảng viên. Bảng tổng hợp dưới đây được cập nhật khi đảng viên trả lời.
meeting-details =
    { $kind } — { $cell }
    🕒 Thời gian: { $when }
    📍 Địa điểm: { $place }
    📋 Nội dung:
    { $text }
meeting-invitation =
    📣 Giấy mời họp
    { $text }
meeting-invitation-exempt = ℹ️ Để đồng chí biết: đồng chí thuộc diện miễn sinh hoạt nơi cư trú, không bắt buộc tham dự.
meeting-button-attend = ✅ Tôi sẽ tham dự
meeting-button-decline = ❌ Tôi không thể tham dự
meeting-your-answer-attend = Trả lời của đồng chí: sẽ tham dự.
meeting-your-answer-decline = Trả lời của đồng chí: không thể tham dự. Lý do vắng mặt: { $reason }
meeting-answer-recorded = Đã ghi nhận trả lời của đồng chí.
meeting-ask-reason = Đề nghị đồng chí nhập lý do vắng mặt (tối đa { $max } ký tự).
meeting-decline-recorded = Đã ghi nhận: đồng chí không thể tham dự. Đồng chí có thể thay đổi trả lời trước giờ họp.
meeting-reason-missing = (chưa nêu lý do)
meeting-reason-not-declining = Trả lời của đồng chí cho cuộc họp này không còn là "không thể tham dự" nên lý do không được ghi nhận. Để thay đổi trả lời, đề nghị dùng các nút dưới giấy mời.
meeting-not-invited = Đồng chí không có trong danh sách được mời dự cuộc họp này.
meeting-gone = Cuộc họp này không còn trong hệ thống (triệu tập sau bản sao lưu được dùng để khôi phục dữ liệu): không còn gì để trả lời hay thay đổi. Chi bộ có thể triệu tập lại bằng /meeting.
meeting-membership-ended = Đồng chí đã kết thúc sinh hoạt tại { $cell } từ ngày { $date }, không còn được mời dự các cuộc họp của chi bộ nên không cần trả lời giấy mời này.
meeting-answer-cancelled = Cuộc họp này đã bị hủy, không nhận trả lời nữa.
meeting-answer-closed = Cuộc họp đã bắt đầu, không thể trả lời hoặc thay đổi trả lời nữa.
meeting-answer-moved = Cuộc họp này đã được dời sang { $when }: câu trả lời chưa được ghi nhận. Đề nghị đồng chí trả lời lại theo thời gian mới.
meeting-answer-register-closed = Đã ghi nhận trả lời của đồng chí. Danh sách điểm danh của cuộc họp đã được chốt nên không thay đổi theo trả lời này; nếu cần điều chỉnh, đề nghị đồng chí liên hệ cấp ủy chi bộ.
meeting-summary-head = 📊 Cuộc họp số { $n } ({ $status }), mời { $total } đảng viên
meeting-status-scheduled = đã lên lịch
meeting-status-cancelled = đã hủy
meeting-status-postponed = đã dời lịch { $count } lần
meeting-exempt-mark = (miễn sinh hoạt)
meeting-summary-attending = ✅ Tham dự ({ $count }): { $names }
meeting-summary-excused = 🟡 Vắng có lý do ({ $count }):
meeting-summary-excused-line = • { $name } — lý do: { $reason }
meeting-summary-unanswered = ⏳ Chưa trả lời ({ $count }): { $names }
meeting-summary-checked-in = 📍 Đã điểm danh bằng mã QR ({ $count }): { $names }
meeting-summary-more = … và { $count } đồng chí khác
meeting-button-register = 📋 Danh sách điểm danh
meeting-button-summary = 🗓 { $kind } { $when }: xem, dời, hủy
meeting-button-answer = ✍️ { $kind } { $when }: trả lời giấy mời
meeting-button-postpone = 🕒 Dời lịch họp
meeting-button-cancel-meeting = 🚫 Hủy cuộc họp
meeting-cancel-ask =
    Hủy cuộc họp này? Mọi đảng viên được mời sẽ được thông báo.

    { $text }
meeting-button-cancel-yes = Đồng ý hủy cuộc họp
meeting-button-cancel-no = Không, giữ nguyên
meeting-cancel-kept = Cuộc họp giữ nguyên như kế hoạch.
meeting-cancel-moved = Cuộc họp đã được dời sang { $when } sau khi đồng chí bấm Hủy: chưa hủy. Nếu vẫn muốn hủy, đề nghị bấm Hủy lại.
meeting-cancelled-done = Đã hủy cuộc họp; thông báo đang được gửi tới mọi đảng viên được mời.
meeting-already-cancelled = Cuộc họp này đã bị hủy.
meeting-postpone-same-time = Cuộc họp đã được ấn định vào đúng thời gian này: không có thay đổi, không gửi thông báo lại cho đảng viên.
meeting-moved-since = Trong lúc đồng chí nhập, cuộc họp đã được dời sang { $when }. Thời gian đồng chí vừa nhập chưa được áp dụng.
meeting-already-started = Cuộc họp đã bắt đầu, không thể dời lịch hoặc hủy nữa.
meeting-already-held = Danh sách điểm danh của cuộc họp đã được chốt: cuộc họp đã diễn ra, không thể dời lịch hoặc hủy.
meeting-ask-new-start = Cuộc họp hiện dự kiến lúc { $when }. Đề nghị nhập ngày giờ mới theo mẫu ngày/tháng/năm giờ:phút, ví dụ { $example }.
meeting-postponed-done = Đã dời cuộc họp sang { $when }. Thông báo đang được gửi tới mọi đảng viên được mời, đề nghị trả lời lại.
meeting-postponed-checkins-reset = { $count } đảng viên đã điểm danh theo giờ họp cũ được thông báo lượt điểm danh đó không còn được tính và đề nghị điểm danh lại.
meeting-notice-postponed =
    🕒 Cuộc họp đã được dời lịch
    { $text }

    Đề nghị đồng chí trả lời lại.
meeting-notice-checkin-again = Đồng chí đã điểm danh lúc { $at } theo giờ họp cũ; lượt điểm danh đó không còn được tính. Điểm danh cho giờ họp mới đang mở: đề nghị đồng chí điểm danh lại ngay bằng mã QR của cuộc họp (vẫn là mã cũ).
meeting-notice-checkin-again-later = Đồng chí đã điểm danh lúc { $at } theo giờ họp cũ; lượt điểm danh đó không còn được tính. Đề nghị đồng chí điểm danh lại bằng mã QR của cuộc họp (vẫn là mã cũ) từ { $from }.
meeting-notice-cancelled =
    🚫 Cuộc họp đã bị hủy
    { $text }
meeting-register-open =
    📋 { $cell } — { $kind }, { $when }: danh sách điểm danh chưa được chốt ({ $count } đồng chí đã điểm danh). Khi chưa chốt danh sách, việc tham dự của đảng viên chưa được ghi nhận là hoạt động. Đề nghị kiểm tra và chốt danh sách bằng lệnh /attendance trước { $until }.
meeting-reminder =
    ⏰ Nhắc lịch: ngày mai có cuộc họp
    { $text }
meeting-reminder-today =
    ⏰ Nhắc lịch: hôm nay có cuộc họp
    { $text }
meeting-list-committee-head = Các cuộc họp của { $cell } năm { $year }
meeting-list-committee-head-ahead = Các cuộc họp của { $cell } năm { $year } và các cuộc họp sắp tới
meeting-list-upcoming = Sắp diễn ra:
meeting-list-past = Đã qua:
meeting-list-upcoming-line = • { $when } — { $kind }, { $place }: mời { $total }, tham dự { $count }, vắng có lý do { $n }, chưa trả lời { $silent }
meeting-list-past-line = • { $when } — { $kind }, { $place }: đã họp; mời { $total }, tham dự { $count }, vắng có lý do { $n }, chưa trả lời { $silent }; có mặt theo danh sách điểm danh { $members }
meeting-list-open-line = • { $when } — { $kind }, { $place }: đã bắt đầu, danh sách điểm danh chưa được chốt (khi chưa chốt, cuộc họp chưa được tính là đã họp); mời { $total }, tham dự { $count }, vắng có lý do { $n }, chưa trả lời { $silent }
meeting-list-cancelled = • { $when } — { $kind }, { $place }: đã hủy
meeting-list-empty-committee = { $cell } chưa có cuộc họp nào trong năm { $year }. Đồng chí có thể triệu tập họp bằng lệnh /meeting.
meeting-list-mine-head = Các giấy mời họp của đồng chí năm { $year }
meeting-list-mine-head-ahead = Các giấy mời họp của đồng chí năm { $year } và các cuộc họp sắp tới
meeting-list-mine-line = • { $when } — { $kind }, { $place } ({ $cell }): { $status }
meeting-mine-attend = sẽ tham dự
meeting-mine-decline = không thể tham dự ({ $reason })
meeting-mine-none = chưa trả lời
meeting-mine-cancelled = đã hủy
meeting-mine-present = có mặt
meeting-mine-excused = vắng có lý do
meeting-mine-absent = vắng mặt
meeting-list-empty-member = Đồng chí chưa có giấy mời họp nào trong năm { $year }.
meeting-list-more = …và { $count } mục khác không hiển thị.
meeting-ask-cell = Đồng chí là bí thư hoặc phó bí thư của nhiều chi bộ. Đề nghị chọn chi bộ triệu tập cuộc họp:

# roster
roster-menu = Danh sách đảng viên của cơ quan (XLSX hoặc CSV)
roster-help = /roster — gửi danh sách đảng viên đang công tác của cơ quan (XLSX hoặc CSV) để biết ai chưa đăng ký sinh hoạt nơi cư trú; trong /status, nút «Giới thiệu» tạo đường liên kết giới thiệu người đó về chi bộ nơi cư trú
roster-choose = Đồng chí theo dõi nhiều cơ quan, đơn vị. Đề nghị gửi /roster kèm số của cơ quan, đơn vị:
roster-choose-line = { $id } — { $name }
roster-ask =
    Đề nghị đồng chí gửi danh sách đảng viên của { $workplace } dưới dạng tệp (XLSX hoặc CSV, tối đa 5 MB và 5.000 dòng): mỗi dòng một đảng viên đang công tác, gồm họ và tên, số điện thoại; có thể thêm chức vụ và ngày sinh (ngày/tháng/năm).
    Dòng đầu ghi tên cột ("Họ và tên", "Số điện thoại", "Chức vụ", "Ngày sinh", hoặc bằng tiếng Anh) sẽ được nhận biết; nếu không có, cột A là họ và tên, B là số điện thoại, C là chức vụ, D là ngày sinh.
    Chưa có dữ liệu nào được lưu trước khi đồng chí xác nhận. Gửi /cancel để dừng.
roster-send-file = Đề nghị gửi danh sách dưới dạng tệp (XLSX hoặc CSV), hoặc gửi /cancel.
roster-not-document = Đồng chí vừa gửi một ảnh. Đề nghị gửi danh sách dưới dạng tệp (XLSX hoặc CSV) — trong Telegram, đính kèm theo mục "Tệp", không gửi dưới dạng ảnh.
roster-too-large = Tệp lớn hơn 5 MB. Chưa có dữ liệu nào được lưu; đề nghị gửi tệp nhỏ hơn.
roster-too-many-rows = Tệp có hơn 5.000 dòng hoặc dung lượng giải nén quá lớn. Chưa có dữ liệu nào được lưu; đề nghị gửi danh sách ngắn hơn.
roster-not-spreadsheet = Tệp này không phải bảng tính (XLSX hoặc CSV). Chưa có dữ liệu nào được lưu; đề nghị gửi danh sách dạng XLSX hoặc CSV.
roster-malformed = Không đọc được bảng tính này (tệp bị hỏng hoặc sai định dạng). Chưa có dữ liệu nào được lưu; đề nghị lưu lại dưới dạng XLSX hoặc CSV rồi gửi.
roster-empty = Tệp không có dòng dữ liệu nào. Chưa có dữ liệu nào được lưu; đề nghị gửi danh sách.
roster-old-excel = Tệp này ở định dạng Excel 97–2003 (.xls) cũ, hệ thống chưa đọc được. Chưa có dữ liệu nào được lưu; đề nghị mở tệp bằng Excel, lưu lại dưới dạng «Sổ làm việc Excel (.xlsx)» (Lưu thành → Excel Workbook) hoặc «CSV UTF-8» rồi gửi lại.
roster-not-utf8 = Tệp CSV này không dùng bảng mã UTF-8 (có thể đã lưu theo bảng mã Windows), nên tiếng Việt sẽ bị lỗi. Chưa có dữ liệu nào được lưu; đề nghị lưu lại bằng «CSV UTF-8» (trong Excel: Lưu thành → CSV UTF-8) hoặc gửi tệp XLSX.
roster-nothing-valid = Không có dòng hợp lệ nào nên không thể nhập (danh sách hiện có được giữ nguyên). Đề nghị sửa các dòng trên rồi gửi lại tệp, hoặc gửi /cancel.
roster-download-failed = Không tải được tệp từ Telegram. Chưa có dữ liệu nào được lưu; đề nghị gửi lại.
roster-preview-header = Danh sách của { $workplace }: đã đọc { $read ->
       *[other] { $rows }
    } dòng. Chưa nhập dữ liệu nào; nếu không nhập, bản xem trước này được xóa sau 24 giờ.
roster-preview-matched = Đã đăng ký sinh hoạt nơi cư trú: { $count }
roster-matched-line = dòng { $line }: { $name } — { $cell } ({ $by ->
        [introduction] qua đường liên kết giới thiệu
        [phone] theo số điện thoại
       *[name] theo họ tên
    })
roster-matched-elsewhere-line = dòng { $line }: { $name } — đã đăng ký, khai nơi công tác khác ({ $by ->
        [introduction] qua đường liên kết giới thiệu
        [phone] theo số điện thoại
       *[name] theo họ tên
    })
roster-preview-unregistered = Chưa đăng ký sinh hoạt nơi cư trú: { $count }
roster-unregistered-line = dòng { $line }: { $name }
roster-status-elsewhere = có trong danh sách của cơ quan; sinh hoạt tại { $cell } nhưng khai cơ quan khác
roster-preview-bad = Dòng không hợp lệ: { $count }
roster-bad-no-name = dòng { $line }: không có họ và tên
roster-bad-name-too-long = dòng { $line }: họ và tên dài quá 200 ký tự
roster-bad-phone = dòng { $line }: "{ $phone }" không phải số điện thoại Việt Nam
roster-bad-several-phones = dòng { $line }: ô số điện thoại "{ $phone }" có nhiều hơn một số; mỗi người chỉ ghi một số
roster-bad-birth = dòng { $line }: "{ $date }" không phải ngày sinh (ngày/tháng/năm)
roster-bad-duplicate = dòng { $line }: trùng với dòng { $of }
roster-more = …và { $count } dòng khác.
roster-preview-footer = Nhập danh sách sẽ thay thế danh sách hiện có của cơ quan bằng { $count ->
       *[other] { $rows }
    } dòng hợp lệ.
roster-button-import = Nhập danh sách
roster-button-cancel = Hủy
roster-imported = Đã nhập: danh sách của { $workplace } có { $count ->
       *[other] { $people }
    } người. Lệnh /status liệt kê những người chưa đăng ký sinh hoạt nơi cư trú.
roster-already-imported = Danh sách này đã được nhập.
roster-gone = Bản xem trước này không còn hiệu lực (đã hủy hoặc quá 24 giờ). Đề nghị gửi lại /roster.
roster-replaced = Bản xem trước này đã được thay bằng các tệp gửi sau (chỉ giữ { $count } bản mới nhất); chưa nhập dữ liệu nào. Đề nghị bấm «Nhập danh sách» dưới bản xem trước mới nhất.
file-album-one-read = Đồng chí đã gửi nhiều tệp cùng lúc: chỉ tệp của bản xem trước này được đọc, các tệp còn lại chưa được đọc. Đề nghị gửi riêng từng tệp sau lệnh { $command }.
roster-superseded = Một danh sách gửi sau danh sách này đã được nhập: bản xem trước này không còn hiệu lực. Nếu cần thay, đề nghị gửi lại /roster.
roster-cancelled = Đã hủy: không có dữ liệu nào được lưu.
roster-unregistered = chưa đăng ký sinh hoạt nơi cư trú
roster-namesake-phone = { $name } (SĐT { $phone })
roster-namesake-line = { $name } (dòng { $line } của danh sách)
roster-status-count = Theo danh sách của cơ quan: { $count ->
       *[other] { $people }
    } người chưa đăng ký sinh hoạt nơi cư trú (ở cuối danh sách)
# introductions
introduce-button = ✉️ Giới thiệu: { $name }
introduce-status-date = đã giới thiệu ngày { $date }
introduce-link =
    Đường liên kết giới thiệu đồng chí { $name } ({ $workplace }) về sinh hoạt nơi cư trú:
    { $link }
    Đường liên kết chỉ dành cho một người và có hiệu lực đến { $until }. Đề nghị đồng chí chuyển cho đồng chí { $name }; khi chi bộ nơi cư trú xác nhận hoặc không xác nhận, đồng chí sẽ được thông báo.
introduce-entry-gone = Người này không còn trong danh sách của cơ quan (danh sách đã được nhập lại). Đề nghị gửi lại /status.
introduce-entry-registered = Người này đã đăng ký sinh hoạt nơi cư trú, không cần giới thiệu.
introduce-welcome = Đồng chí { $name } được { $workplace } giới thiệu về sinh hoạt tại chi bộ nơi cư trú.
introduce-ask-ward = Đề nghị đồng chí chọn phường, xã nơi cư trú (hoặc gõ một phần tên để tìm):
introduce-ask-cell = Đề nghị đồng chí chọn chi bộ nơi cư trú thuộc { $ward } (hoặc gõ một phần tên để tìm):
introduce-button-other-ward = ⬅️ Chọn phường, xã khác
introduce-search-none = Không có tên nào chứa "{ $typed }". Đề nghị gõ một phần tên khác hoặc chọn trong danh sách.
introduce-search-more = Có { $count } tên phù hợp, dưới đây là { $shown } tên đầu tiên. Đề nghị gõ thêm để thu hẹp.
introduce-no-wards = Hệ thống chưa có phường, xã nào. Đề nghị đồng chí liên hệ cơ quan đã gửi đường liên kết.
introduce-ward-no-cells = { $ward } chưa có chi bộ nơi cư trú nào trên hệ thống. Đề nghị đồng chí chọn phường, xã khác hoặc liên hệ đảng ủy { $ward }.
introduce-ward-chosen = Phường, xã: { $ward }
introduce-cell-chosen = Chi bộ nơi cư trú: { $cell }
introduce-unknown = Đường liên kết giới thiệu này không hợp lệ. Đề nghị đồng chí liên hệ cơ quan đã gửi để nhận đường liên kết mới.
introduce-expired = Đường liên kết giới thiệu này đã hết hạn (30 ngày). Đề nghị đồng chí liên hệ cơ quan đã gửi để nhận đường liên kết mới.
introduce-used = Đường liên kết giới thiệu này đã được sử dụng. Mỗi đường liên kết chỉ dành cho một người và dùng một lần; đề nghị đồng chí liên hệ cơ quan đã gửi nếu cần.
introduce-registered = Người được giới thiệu bằng đường liên kết này đã đăng ký sinh hoạt nơi cư trú; đường liên kết không còn hiệu lực.
introduce-button-revoke = 🚫 Thu hồi đường liên kết này
introduce-revoke-done = Đã thu hồi đường liên kết.
introduce-revoke-already = Đường liên kết này đã được thu hồi trước đó.
introduce-revoke-used = Đường liên kết này đã được dùng để gửi yêu cầu tham gia chi bộ nơi cư trú nên không thể thu hồi; bí thư chi bộ nơi cư trú sẽ xem xét yêu cầu.
introduce-gone = Đường liên kết giới thiệu này không còn trong hệ thống (tạo sau bản sao lưu được dùng để khôi phục dữ liệu): không còn gì để thu hồi. Đồng chí có thể giới thiệu lại từ /status.
introduce-link-revoked = Đường liên kết giới thiệu đồng chí { $name } ({ $workplace }) đã được thu hồi lúc { $at } và không còn sử dụng được. Để giới thiệu lại đồng chí { $name }, đề nghị bấm Giới thiệu trong /status: hệ thống sẽ tạo đường liên kết mới.
introduce-revoked = Cơ quan, đơn vị đã thu hồi đường liên kết giới thiệu này. Đề nghị đồng chí liên hệ cơ quan, đơn vị để nhận đường liên kết mới.
introduce-by-line = Cơ quan, người giới thiệu: { $by }
introduce-card = ✉️ Cơ quan, người giới thiệu: { $by }
introduce-card-other-name = ⚠️ Giấy giới thiệu được lập cho đồng chí { $name }, khác họ tên khai ở trên: đề nghị xác minh trước khi xác nhận.
introduce-approved = { $cell } đã xác nhận đồng chí { $name } (được cơ quan giới thiệu) sinh hoạt nơi cư trú.
introduce-rejected = { $cell } chưa xác nhận yêu cầu tham gia chi bộ của đồng chí { $name } (được cơ quan giới thiệu). Đề nghị liên hệ bí thư chi bộ hoặc đồng chí { $name }.

## Issue 10: điểm danh (attendance)
attendance-help =
    Điểm danh sinh hoạt:
    /checkin — mã QR điểm danh cho cuộc họp sắp bắt đầu hoặc đang diễn ra
    /attendance — danh sách điểm danh: Có mặt, Vắng có lý do, Vắng mặt; chốt danh sách
checkin-menu = Mã QR điểm danh cuộc họp
attendance-menu = Danh sách điểm danh, chốt danh sách
attendance-kind-periodic = Sinh hoạt định kỳ
attendance-kind-cell = Họp chi bộ
attendance-kind-residents = Họp tổ dân phố
attendance-present = Có mặt
attendance-excused = Vắng có lý do
attendance-absent = Vắng mặt
checkin-none = Chi bộ chưa có cuộc họp nào đang trong thời gian điểm danh (từ 60 phút trước đến 4 giờ sau giờ bắt đầu) và chưa có cuộc họp nào sắp tới.
checkin-not-open = Chưa đến giờ điểm danh: { $kind } lúc { $when } tại { $place }; điểm danh mở lúc { $until }.
checkin-caption =
    Mã QR điểm danh — { $kind }, { $cell }, { $when }, tại { $place }.
    Đảng viên của chi bộ quét mã hoặc mở đường liên kết để điểm danh: { $link }
    Điểm danh mở đến { $until }. Đã điểm danh: { $count }.
checkin-done = Đã điểm danh: đồng chí có mặt tại { $kind }, { $cell }, { $when }.
checkin-already = Đồng chí đã điểm danh cuộc họp này ({ $kind }, { $cell }, { $date }) lúc { $when }.
checkin-not-yet = Chưa đến giờ điểm danh cuộc họp này ({ $kind }, { $cell }, { $date }): điểm danh mở lúc { $when }.
checkin-closed = Đã hết thời gian điểm danh cuộc họp này ({ $kind }, { $cell }, { $date }; đóng lúc { $when }).
checkin-cancelled = Cuộc họp này ({ $kind }, { $cell }, { $date }) đã bị hủy; không cần điểm danh.
checkin-not-member = Đồng chí không phải đảng viên của { $cell } nên không điểm danh được cuộc họp này.
checkin-marked-absent = Danh sách điểm danh của chi bộ ghi đồng chí vắng mặt tại cuộc họp này ({ $kind }, { $cell }, { $date }) nên việc điểm danh không được ghi nhận. Nếu đồng chí có mặt, đề nghị bí thư hoặc phó bí thư chi bộ sửa lại trong danh sách điểm danh (sửa được đến { $until }).
checkin-marked-excused = Danh sách điểm danh của chi bộ ghi đồng chí vắng có lý do tại cuộc họp này ({ $kind }, { $cell }, { $date }) nên việc điểm danh không được ghi nhận. Nếu đồng chí có mặt, đề nghị bí thư hoặc phó bí thư chi bộ sửa lại trong danh sách điểm danh (sửa được đến { $until }).
checkin-not-confirmed = Yêu cầu tham gia { $cell } của đồng chí chưa được xác nhận nên chưa ghi nhận được việc điểm danh. Sau khi bí thư hoặc phó bí thư chi bộ xác nhận, đồng chí mở lại mã điểm danh này (trước { $until }).
checkin-unknown = Mã điểm danh không đúng hoặc không còn dùng được. Đề nghị đồng chí quét mã QR đang hiển thị tại cuộc họp; nếu không quét được, cấp ủy chi bộ ghi nhận việc có mặt của đồng chí trong danh sách điểm danh.
attendance-none = Chưa có cuộc họp nào để điểm danh: danh sách điểm danh mở từ 60 phút trước giờ họp và sửa được trong 7 ngày sau buổi họp.
attendance-choose = Chọn cuộc họp để điểm danh:
attendance-meeting-button = { $kind } — { $when }
attendance-header =
    Điểm danh — { $kind }, { $cell }
    { $when }, tại { $place }
    Có mặt: { $count }/{ $total }. Bấm vào tên để đổi: ✅ Có mặt → 🟡 Vắng có lý do → ❌ Vắng mặt.
attendance-header-closed = Đã chốt danh sách lúc { $when }; sửa được đến { $until }.
attendance-page = Trang { $page }/{ $pages } (đảng viên thứ { $from }–{ $to }); bấm ◀ ▶ bên dưới để chuyển trang.
attendance-empty = Cuộc họp không có đảng viên nào trong danh sách.
attendance-reasons = Lý do vắng mặt đảng viên đã báo:
attendance-close-button = 🔒 Chốt danh sách
attendance-closed-done = Đã chốt danh sách: { $count } đảng viên có mặt được ghi nhận hoạt động (do chi bộ ghi nhận).
attendance-closed-linked = { $count } đảng viên đã tự báo cáo hoạt động cùng loại trong ngày: báo cáo đó được gắn với cuộc họp, không ghi thêm; { $n } báo cáo đang chờ duyệt được duyệt theo danh sách.
attendance-already-closed = Danh sách đã được chốt trước đó.
attendance-too-late = Đã quá thời hạn sửa danh sách điểm danh (đến { $until }).
attendance-cancelled = Cuộc họp này đã bị hủy: không lập danh sách điểm danh.
attendance-not-open = Cuộc họp đã được dời lịch: danh sách điểm danh mở lúc { $when } (60 phút trước giờ họp).
attendance-gone = Cuộc họp đã bị hủy hoặc đã dời lịch (danh sách điểm danh chưa mở), hoặc đảng viên không có trong danh sách.
attendance-own = Đồng chí không thể tự đánh dấu mình trong danh sách điểm danh: việc có mặt của đồng chí được ghi nhận khi đồng chí quét mã QR của cuộc họp, hoặc do đồng chí khác trong cấp ủy chi bộ ghi nhận.
attendance-marked = { $name }: { $status }.
attendance-recorded-by-cell =   ↳ Do chi bộ ghi nhận (điểm danh cuộc họp)
attendance-evidence-held = Sinh hoạt chi bộ trong năm { $year }: đã tổ chức { $total }, tham dự { $count }
attendance-evidence-held-period = Sinh hoạt chi bộ trong thời gian được đề nghị nhận xét: đã tổ chức { $total }, tham dự { $count }
attendance-evidence-meeting = – { $date }: { $kind } — { $status }
attendance-evidence-meeting-reason = – { $date }: { $kind } — { $status } (lý do: { $reason })
attendance-digest-half = • Chưa có cuộc sinh hoạt định kỳ nào trong 6 tháng này (từ { $from } đến { $to }): chi bộ sinh hoạt với đảng viên đang công tác ít nhất 6 tháng một lần.
attendance-digest-half-open = • Cuộc sinh hoạt định kỳ lúc { $when } đã diễn ra nhưng danh sách điểm danh chưa được chốt: đề nghị chốt danh sách bằng lệnh /attendance trước { $until } để cuộc sinh hoạt được tính là đã tổ chức.
attendance-digest-past-half = • Chi bộ không tổ chức cuộc sinh hoạt định kỳ nào trong 6 tháng từ { $from } đến { $to }: chi bộ sinh hoạt với đảng viên đang công tác ít nhất 6 tháng một lần.
attendance-stats-half = Chi bộ chưa tổ chức sinh hoạt định kỳ (đã chốt danh sách có mặt) và chưa có cuộc sinh hoạt định kỳ sắp tới trong 6 tháng này (từ { $from } đến { $to }), { $count }: { $names }
attendance-stats-half-none = Tất cả chi bộ đã tổ chức (đã chốt danh sách có mặt) hoặc đã triệu tập sinh hoạt định kỳ trong 6 tháng này (từ { $from } đến { $to }).
attendance-stats-past-half = Chi bộ không tổ chức sinh hoạt định kỳ nào (đã chốt danh sách có mặt) trong 6 tháng cuối năm { $year } (từ { $from } đến { $to }), { $count }: { $names }
attendance-stats-past-half-none = Tất cả chi bộ đã tổ chức sinh hoạt định kỳ (đã chốt danh sách có mặt) trong 6 tháng cuối năm { $year } (từ { $from } đến { $to }).
attendance-stats-half-no-cells = Phường, xã chưa có chi bộ nơi cư trú nào trên hệ thống: chưa có sinh hoạt định kỳ nào để theo dõi.
attendance-status = sinh hoạt chi bộ: { $count }/{ $total }
attendance-export-held = Số cuộc sinh hoạt chi bộ đã tổ chức
attendance-export-attended = Số cuộc sinh hoạt chi bộ đã tham dự (theo sổ điểm danh)

## Vận hành bot (issue 12): tin nhắn gửi người vận hành (LIENHE_OPERATOR_CHAT).
ops-backup-failed = ⚠️ lienhe: sao lưu hằng ngày của ngày { $day } không thành công: { $error }. Bot vẫn đang chạy; đề nghị kiểm tra thư mục sao lưu và ổ đĩa (lienhe doctor), rồi sao lưu thủ công bằng lệnh lienhe backup --out TỆP.
ops-backup-retry = Bot sẽ thử lại lúc { $at }.
ops-backup-no-retry = Đó là lần thử cuối cùng trong ngày; lần sao lưu hằng ngày tiếp theo vào ngày mai.
ops-backup-recovered = ✅ lienhe: đã sao lưu và kiểm tra xong dữ liệu ngày { $day } ở lần thử thứ { $attempt }: { $file }.

## Dữ liệu cá nhân (issue 12): /mydata và /forgetme.
menu-mydata = Toàn bộ dữ liệu của tôi (XLSX và JSON)
menu-forgetme = Xóa dữ liệu cá nhân của tôi
mydata-caption = Toàn bộ dữ liệu lienhe lưu về đồng chí: thông tin cá nhân, { $members } quá trình sinh hoạt tại chi bộ nơi cư trú, { $reports } báo cáo và kết quả duyệt, { $n } phiếu nhận xét và { $count } giấy mời họp. Không có dữ liệu của người khác, trừ tên người đã quyết định về các nội dung của đồng chí và tên cán bộ nơi công tác đã đề nghị nhận xét về đồng chí.
mydata-caption-json = Cùng dữ liệu ở dạng JSON (dùng cho phần mềm khác).
mydata-sheet-profile = Thông tin cá nhân
mydata-sheet-memberships = Quá trình sinh hoạt tại chi bộ
mydata-sheet-exemptions = Các thời gian miễn sinh hoạt
mydata-sheet-reports = Báo cáo
mydata-sheet-sheets = Phiếu nhận xét
mydata-sheet-meetings = Cuộc họp
mydata-sheet-messages = Tin nhắn gửi đồng chí
mydata-col-queued = Đưa vào hàng chờ lúc
mydata-col-message-text = Nội dung tin nhắn
mydata-message-queued = đang chờ gửi
mydata-message-sent = đã gửi
mydata-message-unreachable = không gửi được (không liên lạc được)
mydata-message-failed = không gửi được (lỗi)
mydata-sheet-workplace-changes = Thay đổi cơ quan
mydata-sheet-requests = Đề nghị nhận xét
mydata-sheet-kind-yearly = nhận xét hằng năm
mydata-sheet-kind-request = nhận xét theo đề nghị của cơ quan ngày { $date }
mydata-col-asked-by = Người đề nghị
mydata-col-period = Thời gian nhận xét
mydata-col-due = Hạn
mydata-col-from = Từ
mydata-col-to = Sang
mydata-sheet-introductions = Giới thiệu của cơ quan
mydata-col-made = Lập ngày
mydata-col-opened = Mở lúc
mydata-col-used = Dùng lúc
mydata-col-field = Mục
mydata-col-value = Nội dung
mydata-field-telegram-id = Mã người dùng Telegram
mydata-field-full-name = Họ và tên
mydata-field-telegram-name = Tên Telegram
mydata-field-username = Tên người dùng Telegram
mydata-field-phone = Số điện thoại
mydata-field-language = Ngôn ngữ
mydata-field-first-seen = Lần đầu nhắn cho bot
mydata-field-last-seen = Lần gần nhất nhắn cho bot
mydata-field-unreachable = Không liên lạc được từ
mydata-field-forgotten = Ngày yêu cầu xóa dữ liệu
mydata-field-role = Vai trò
mydata-role-secretary = Bí thư chi bộ
mydata-role-deputy = Phó bí thư chi bộ
mydata-role-officer = Cán bộ nơi công tác
mydata-role-supervisor = Giám sát phường, xã
mydata-col-id = Số
mydata-col-cell = Chi bộ
mydata-col-ward = Phường, xã
mydata-col-workplace = Nơi công tác
mydata-col-status = Trạng thái
mydata-col-requested = Ngày đề nghị
mydata-col-decided = Ngày quyết định
mydata-col-decided-by = Người quyết định
mydata-col-introduced = Tháng giới thiệu
mydata-col-exempt = Miễn sinh hoạt
mydata-col-exempt-since = Miễn sinh hoạt từ
mydata-col-exempt-until = Hết miễn sinh hoạt
mydata-col-ended = Ngày kết thúc
mydata-col-end-reason = Lý do kết thúc
mydata-col-end-note = Ghi chú khi kết thúc
mydata-col-kind = Loại
mydata-col-date = Ngày
mydata-col-description = Nội dung
mydata-col-photos = Ảnh
mydata-col-sent = Ngày gửi
mydata-col-reason = Lý do
mydata-col-previous = Gửi lại từ báo cáo số
mydata-col-by-cell = Do chi bộ ghi nhận
mydata-col-year = Năm
mydata-col-remarks = Nhận xét khác
mydata-col-sent-to-member = Ngày gửi đồng chí
mydata-col-answer = Trả lời
mydata-col-response = Ý kiến của đồng chí
mydata-col-answered = Ngày trả lời
mydata-col-signed = Ngày ký
mydata-col-signed-by = Người ký
mydata-col-code = Mã xác thực
mydata-col-when = Thời gian
mydata-col-place = Địa điểm
mydata-col-cancelled = Đã hủy
mydata-col-attendance = Điểm danh
mydata-col-checked-in = Giờ điểm danh
mydata-col-checked-in-earlier = Giờ điểm danh theo giờ họp cũ (không còn giá trị)
mydata-yes = có
mydata-no = không
mydata-status-left = đã kết thúc
mydata-end-moved = chuyển sang chi bộ khác
mydata-end-left-area = rời địa bàn
mydata-end-retired = nghỉ hưu
mydata-end-transferred = chuyển sinh hoạt đảng đi nơi khác
mydata-end-forgotten = rời hệ thống (yêu cầu xóa dữ liệu)
mydata-answer-accepted = đồng ý
mydata-answer-responded = có ý kiến
mydata-answer-attend = sẽ tham dự
mydata-answer-decline = không tham dự được
forget-ask =
    Đồng chí có chắc chắn muốn xóa dữ liệu cá nhân của mình?
    Sẽ xóa: số điện thoại, tên và tên người dùng Telegram, nội dung đang nhập dở trong hội thoại, đánh dấu bot không liên lạc được, yêu cầu tham gia chi bộ và các báo cáo đang chờ duyệt (được rút lại), ảnh kèm theo các báo cáo, lý do vắng họp đồng chí đã nêu, phiếu nhận xét chưa ký và các tin nhắn chưa gửi đến đồng chí. Việc sinh hoạt của đồng chí tại chi bộ kết thúc và cấp ủy chi bộ được thông báo đồng chí đã rời hệ thống.
    Được giữ lại vì chi bộ phải lưu: phiếu nhận xét đã ký và các báo cáo được dẫn trong phiếu, các quyết định đã có về báo cáo và việc sinh hoạt của đồng chí, điểm danh các cuộc họp đã diễn ra và nhật ký kiểm tra.
    Thao tác này không thể hoàn tác.
forget-button-confirm = 🗑 Xóa dữ liệu của tôi
forget-button-cancel = Hủy
forget-cancelled = Không xóa dữ liệu nào.
forget-confirmed = Đã xác nhận yêu cầu xóa dữ liệu.
forget-done = Dữ liệu cá nhân của đồng chí đã được xóa: số điện thoại, tên và tên người dùng Telegram, trạng thái hội thoại và nội dung nhập dở, ảnh kèm theo các báo cáo, lý do vắng họp đồng chí đã nêu, đánh dấu không liên lạc được và các tin nhắn chưa gửi đến đồng chí.
forget-nothing-left = Không còn gì để xóa: dữ liệu của đồng chí đã được xóa trước đó.
forget-done-ended = Việc sinh hoạt của đồng chí tại chi bộ đã kết thúc; cấp ủy có thẩm quyền đã được thông báo đồng chí rời hệ thống.
forget-done-ended-untold = Việc sinh hoạt của đồng chí tại chi bộ đã kết thúc. Hiện không có đồng chí nào trong cấp ủy để thông báo việc này.
forget-done-join-withdrawn = Yêu cầu tham gia chi bộ của đồng chí đã được rút lại; cấp ủy có thẩm quyền đã được thông báo.
forget-done-join-withdrawn-untold = Yêu cầu tham gia chi bộ của đồng chí đã được rút lại.
forget-done-reports-withdrawn = Đã rút lại { $count } báo cáo đang chờ duyệt.
forget-kept = Được giữ lại và lý do:
forget-kept-sheets = • { $count } phiếu nhận xét đã ký và các quyết định được dẫn trong phiếu: hồ sơ đã ký mà chi bộ và nơi công tác phải lưu (mã xác thực phải còn kiểm tra được).
forget-kept-reports = • { $count } báo cáo đã được quyết định (không còn ảnh kèm theo): quyết định của chi bộ, đã ghi vào nhật ký kiểm tra, và là minh chứng của năm được tính.
forget-kept-memberships = • { $count } quá trình sinh hoạt tại chi bộ nơi cư trú (họ tên, trạng thái và ngày tháng, không còn số điện thoại): hồ sơ của chi bộ về đảng viên sinh hoạt tại chi bộ.
forget-kept-meetings = • { $count } giấy mời họp và điểm danh (không kèm lý do vắng họp): hồ sơ các cuộc họp của chi bộ.
forget-kept-roles = • { $count } vai trò (bí thư, phó bí thư, cán bộ nơi công tác hoặc giám sát): là chức trách, do người vận hành thu hồi (đề nghị liên hệ người vận hành).
forget-kept-audit = • Nhật ký kiểm tra: mọi quyết định, được liên kết bằng mã băm; không thể sửa mà không làm đứt chuỗi.
forget-after = Lệnh /mydata cho biết những gì còn được lưu. Nếu đồng chí nhắn lại cho bot, chỉ mã người dùng Telegram và ngôn ngữ được ghi nhận.
forget-secretary-left = Đồng chí { $name } đã rời hệ thống theo yêu cầu: việc sinh hoạt tại { $cell } đã kết thúc và dữ liệu cá nhân đã được xóa (các hồ sơ đã ký được giữ lại).
forget-secretary-withdrawn = Đồng chí { $name } đã rút yêu cầu tham gia { $cell } và đề nghị xóa dữ liệu cá nhân.
forget-secretary-reports = Đã rút lại { $count } báo cáo đang chờ duyệt của đảng viên này.
forget-join-card =
    Yêu cầu tham gia { $cell }
    🗑 Đảng viên đã xóa dữ liệu cá nhân của mình (/forgetme): thẻ này không còn hiển thị thông tin của đảng viên.
forget-report-card =
    Báo cáo số { $id }
    🗑 Đã rút lại: đảng viên đã xóa dữ liệu cá nhân của mình (/forgetme). Thẻ này không còn hiển thị nội dung báo cáo.
forget-photos-caption =
    Ảnh minh chứng của báo cáo số { $id }
    🗑 Đảng viên đã xóa dữ liệu cá nhân của mình (/forgetme): các ảnh này không còn được lưu trên hệ thống.
forget-request-card =
    Cấp ủy nơi công tác ({ $workplace }) đề nghị chi bộ nhận xét một đảng viên.
    🗑 Đã hủy: đảng viên đã xóa dữ liệu cá nhân của mình (/forgetme). Thẻ này không còn hiển thị nội dung đề nghị.

## Thông báo về dữ liệu cá nhân (issue 12), hiển thị khi tham gia.
consent-notice =
    Thông báo về dữ liệu cá nhân (phiên bản { $n })
    Dữ liệu được lưu: họ tên, số điện thoại (nếu đồng chí cung cấp), nơi công tác, chi bộ nơi sinh hoạt, các báo cáo (loại, ngày, nội dung, mã ảnh trên Telegram), quyết định duyệt, phiếu nhận xét, giấy mời họp và điểm danh.
    Mục đích: thực hiện việc giữ mối liên hệ với nơi cư trú của đảng viên đang công tác theo Quy định 213-QĐ/TW và việc chi ủy nhận xét hằng năm gửi nơi công tác.
    Người được xem: bí thư và phó bí thư chi bộ; cán bộ nơi công tác của đồng chí (số báo cáo, số tháng không có hoạt động và phiếu nhận xét đã ký); cán bộ giám sát và cán bộ quản trị của phường, xã (số liệu các chi bộ trong phường, xã và danh sách đảng viên: họ tên, chi bộ, nơi công tác, trường hợp được miễn, tình trạng phiếu nhận xét).
    Thời gian lưu: trong thời gian đồng chí sinh hoạt tại chi bộ, sau đó theo thời hạn chi bộ phải lưu hồ sơ (phiếu đã ký và các quyết định được dẫn trong phiếu); tin nhắn đã gửi được xóa sau { $days ->
       *[other] { $shown }
    } ngày.
    Đồng chí xem toàn bộ dữ liệu được lưu bằng lệnh /mydata và yêu cầu xóa dữ liệu không cần thiết bằng lệnh /forgetme.
consent-button-agree = ✅ Đồng ý
consent-button-refuse = Không đồng ý
consent-agreed = Cảm ơn đồng chí: sự đồng ý đã được ghi nhận.
consent-refused = Không có dữ liệu nào được lưu. Chưa đồng ý thì chưa thể tham gia: khi sẵn sàng, đồng chí mở lại đường liên kết.
consent-refused-new = Đã ghi nhận ý kiến của đồng chí. Lệnh /mydata cho biết dữ liệu đang được lưu và lệnh /forgetme xóa dữ liệu không cần thiết.
consent-refused-after-agreeing = Đồng chí đã đồng ý với thông báo này nên sự đồng ý vẫn được giữ nguyên, không có gì thay đổi. Nếu muốn rút lại, đồng chí dùng lệnh /forgetme để xóa dữ liệu cá nhân; lệnh /mydata cho biết dữ liệu đang được lưu.
consent-new-version = Thông báo về dữ liệu cá nhân đã thay đổi. Đề nghị đồng chí đọc lại:
mydata-field-consent = Thông báo về dữ liệu cá nhân, phiên bản { $n }
mydata-consent-agreed = đồng ý lúc { $when }
mydata-consent-refused = không đồng ý ({ $when })
mydata-consent-withdrawn = đồng ý lúc { $when }, đã rút lại khi xóa dữ liệu lúc { $withdrawn }
mydata-consent-shown = đã hiển thị lúc { $when }, chưa trả lời
# ward administrators
ward-admin-confirmed = Xác nhận: đồng chí là quản trị viên của { $ward } trên hệ thống, quản lý các chi bộ nơi cư trú của phường, xã.
ward-admin-help =
    Chức năng quản trị phường, xã:
    /cells — danh sách chi bộ: thêm chi bộ, đổi tên, mời bí thư
    /cells import — thêm nhiều chi bộ từ tệp (XLSX hoặc CSV)
    /stats — biểu đồ và số liệu tham gia của phường, xã
    /export — tải bảng tổng hợp của phường, xã (XLSX)
ward-admin-menu-cells = Chi bộ của phường, xã
ward-admin-idle = Đồng chí quản trị các chi bộ của phường, xã: dùng /cells để xem, thêm chi bộ và mời bí thư. Xem các lệnh khác: /help.
ward-admins-only = Lệnh này chỉ dành cho quản trị viên của đảng ủy phường, xã.
ward-cells-usage = Đề nghị gửi /cells để xem danh sách chi bộ, hoặc /cells import để thêm chi bộ từ tệp.
ward-cells-choose = Đồng chí quản trị nhiều phường, xã. Đề nghị chọn phường, xã:
ward-cells-title = Chi bộ của { $ward }: { $count }
ward-cells-none = { $ward } chưa có chi bộ nào. Bấm "Thêm chi bộ", hoặc gửi /cells import để thêm từ tệp.
ward-cells-line = { $n }. { $cell } — bí thư: { $name }; phó bí thư: { $who }; đảng viên: { $members }; chờ duyệt: { $joins } yêu cầu tham gia, { $reports } báo cáo
ward-cells-nobody = chưa có
ward-cells-button-add = ➕ Thêm chi bộ
ward-cells-button-import = 📥 Thêm từ tệp
ward-cells-button-open = ⚙ { $cell }
ward-cell-card =
    { $cell } ({ $ward })
    Bí thư: { $name }
    Phó bí thư: { $who }
    Đảng viên: { $members }; chờ duyệt: { $joins } yêu cầu tham gia, { $reports } báo cáo
ward-cell-button-invite = Mời bí thư
ward-cell-button-rename = Đổi tên
ward-cell-button-remove = 🗑 Xóa
ward-cell-remove-ask = Xóa { $cell }? Chỉ xóa được chi bộ thêm nhầm: chưa có đảng viên, yêu cầu tham gia, báo cáo, cuộc họp, bí thư hay phó bí thư. Các đường liên kết mời vào chi bộ sẽ không còn dùng được. Không thể hoàn tác.
ward-cell-button-remove-yes = 🗑 Xóa chi bộ
ward-cell-button-remove-no = Giữ lại
ward-cell-removed = Đã xóa { $cell }.
ward-cell-remove-not-empty = Không thể xóa { $cell }: chi bộ đã có đảng viên, yêu cầu tham gia, báo cáo, cuộc họp, bí thư hoặc phó bí thư. Chi bộ đã có dữ liệu được giữ lại; nếu tên chưa đúng, đề nghị đổi tên.
ward-cell-ask-name = Đề nghị nhập tên chi bộ mới của { $ward } (từ 2 đến 120 ký tự), ví dụ "Chi bộ khối 5". Gửi /cancel để dừng.
ward-cell-ask-rename = Đề nghị nhập tên mới của { $cell } (từ 2 đến 120 ký tự). Gửi /cancel để dừng.
ward-cell-name-empty = Đề nghị nhập tên chi bộ bằng chữ (từ 2 đến 120 ký tự), hoặc gửi /cancel.
ward-cell-name-too-short = Tên chi bộ quá ngắn (ít nhất 2 ký tự). Đề nghị nhập lại.
ward-cell-name-too-long = Tên chi bộ quá dài (tối đa 120 ký tự). Đề nghị nhập lại.
ward-cell-name-no-letter = Tên chi bộ phải có chữ (ví dụ: Chi bộ khối 5), không chỉ gồm chữ số hay ký hiệu. Đề nghị nhập lại.
ward-cell-name-duplicate = { $ward } đã có chi bộ "{ $cell }". Đề nghị nhập tên khác, hoặc gửi /cancel.
ward-cell-added = Đã thêm { $cell } vào { $ward }. Bấm "Mời bí thư" để tạo mã mời bí thư của chi bộ.
ward-cell-renamed = Đã đổi tên chi bộ "{ $name }" thành "{ $cell }".
ward-cell-secretary-link =
    Mã mời bí thư { $cell } (dùng một lần):
    { $link }
    Có hiệu lực đến { $until }. Đồng chí gửi đường liên kết này cho bí thư chi bộ; khi bí thư mở đường liên kết và nhập họ tên, bí thư được ghi nhận trên hệ thống.
invite-earlier-code-revoked = Mã mời cùng loại trước đó của chi bộ (chưa được dùng) đã bị thu hồi và không còn hiệu lực.
invite-link-above = Mã vừa được tạo: đề nghị đồng chí xem tin nhắn ngay phía trên.
ward-cell-secretary-handover = { $cell } đã có bí thư: khi mã này được dùng, người dùng mã trở thành bí thư; bí thư hiện tại thôi quyền bí thư và vẫn là đảng viên của chi bộ (nếu đang sinh hoạt tại chi bộ).
ward-cells-import-ask = Đề nghị gửi danh sách chi bộ của { $ward } dưới dạng tệp (XLSX hoặc CSV, tối đa 5 MB và 5.000 dòng): cột A, mỗi dòng một tên chi bộ; dòng đầu có thể là tên cột ("Tên chi bộ"). Chưa có dữ liệu nào được lưu trước khi đồng chí xác nhận. Gửi /cancel để dừng.
ward-cells-import-header = Danh sách chi bộ cho { $ward }: đã đọc { $count } dòng. Chưa có dữ liệu nào được lưu.
ward-cells-import-new = Chi bộ sẽ được thêm: { $count }
ward-cells-import-line = dòng { $line }: { $name }
ward-cells-import-refused = Dòng không được thêm: { $count }
ward-cells-import-in-ward = dòng { $line }: { $name } — { $ward } đã có chi bộ này
ward-cells-import-repeat = dòng { $line }: { $name } — trùng với dòng { $first } của tệp
ward-cells-import-empty-name = dòng { $line }: không có tên chi bộ
ward-cells-import-short = dòng { $line }: tên chi bộ quá ngắn (ít nhất 2 ký tự)
ward-cells-import-long = dòng { $line }: tên chi bộ quá dài (tối đa 120 ký tự)
ward-cells-import-no-letter = dòng { $line }: không phải tên chi bộ (chỉ gồm chữ số hoặc ký hiệu, như cột số thứ tự)
ward-cells-import-more = … và { $count } dòng khác
ward-cells-import-footer = Bấm "Nhập" để thêm { $count } chi bộ, hoặc "Hủy".
ward-cells-import-nothing = Không có chi bộ mới nào để thêm; chưa có dữ liệu nào được lưu. Đồng chí có thể gửi tệp khác, hoặc gửi /cancel.
ward-cells-button-import-confirm = Nhập
ward-cells-button-import-cancel = Hủy
ward-cells-imported = Đã thêm { $count } chi bộ vào { $ward }. Gửi /cells để xem danh sách và mời bí thư.
ward-cells-imported-skipped = Không thêm { $count } chi bộ mà phường, xã đã có từ lúc xem trước: { $names }
ward-cells-import-done-before = Danh sách này đã được nhập.
ward-cells-import-gone = Danh sách này đã bị hủy hoặc đã được thay bằng tệp gửi sau: không có chi bộ nào được thêm từ danh sách này.
ward-cells-import-cancelled = Đã hủy: không có chi bộ nào được thêm.
ward-no-cells-notice = Đồng chí { $name } ({ $workplace }) được giới thiệu về sinh hoạt nơi cư trú và đã chọn { $ward }, nhưng { $ward } chưa có chi bộ nào trên hệ thống. Đề nghị đồng chí thêm chi bộ bằng lệnh /cells.
mydata-role-ward-admin = Quản trị phường, xã
ward-cells-col-secretary = Bí thư
ward-cells-col-deputy = Phó bí thư
ward-cells-col-members = Đảng viên
ward-cells-col-joins = Yêu cầu tham gia chờ duyệt
ward-cells-col-reports = Báo cáo chờ duyệt

# The workplace officers' monthly digest
officer-digest-header = Bản tin tháng { $month } gửi cấp ủy nơi công tác
officer-digest-workplace = { $workplace } — { $members ->
       *[other] { $shown }
    } đảng viên đã đăng ký với chi bộ nơi cư trú
officer-digest-unregistered = • Đã giới thiệu quá { $days } ngày nhưng chưa đăng ký với chi bộ nơi cư trú ({ $count }): { $names }
officer-digest-unregistered-name = { $name } (giới thiệu ngày { $date })
officer-digest-silent = • Không có hoạt động trực tiếp ở nơi cư trú từ 3 tháng liên tiếp trở lên ({ $count }): { $names }
officer-digest-unsigned = • Phiếu nhận xét năm { $year } chưa được chi bộ nơi cư trú ký ({ $count }): { $names }
officer-digest-overdue = • Đề nghị nhận xét đã quá hạn, chi bộ nơi cư trú chưa ký ({ $count }):
officer-digest-overdue-item =   – { $name } ({ $reason }; { $cell }), hạn { $due }
officer-digest-nothing = • Không có điểm cần lưu ý trong tháng { $month }.

## Nhận xét theo yêu cầu (comments on request)
request-menu-request = Đề nghị chi bộ nơi cư trú nhận xét một đảng viên
request-menu-requests = Các đề nghị nhận xét và tình trạng
request-help = /request họ tên — đề nghị chi bộ nơi cư trú nhận xét đảng viên khi cần (bổ nhiệm, khen thưởng, kỷ luật, điều động); /requests — các đề nghị đã gửi và tình trạng
request-usage = Cách dùng: /request họ tên (một phần họ tên của đảng viên, có dấu hoặc không dấu), ví dụ /request Nguyễn Văn An.
request-none-found = Không tìm thấy đảng viên nào có tên «{ $name }» trong các cơ quan, đơn vị đồng chí theo dõi. Đề nghị kiểm tra lại họ tên.
request-none-askable = Không có đảng viên nào tên «{ $name }» mà chi bộ nơi cư trú có thể nhận xét, trong các cơ quan, đơn vị đồng chí theo dõi:
request-not-askable-unregistered = • { $name }: có trong danh sách đảng viên của { $workplace } nhưng chưa đăng ký sinh hoạt nơi cư trú, nên chưa chi bộ nào nhận xét được. Đồng chí có thể giới thiệu đồng chí này từ /status.
request-not-askable-link-sent = • { $name }: có trong danh sách đảng viên của { $workplace } nhưng chưa đăng ký sinh hoạt nơi cư trú. Đường liên kết giới thiệu đã được gửi ngày { $date } và đang chờ đồng chí này mở (còn hiệu lực đến ngày { $until }). Chỉ gửi lại từ /status nếu đường liên kết bị thất lạc.
request-not-askable-link-opened = • { $name }: có trong danh sách đảng viên của { $workplace } nhưng chưa đăng ký sinh hoạt nơi cư trú. Đường liên kết giới thiệu gửi ngày { $date } đã được mở ngày { $when }; đồng chí này chưa gửi đề nghị tham gia chi bộ nơi cư trú nào (đường liên kết còn hiệu lực đến ngày { $until }). Không cần giới thiệu lại: có thể đề nghị nhận xét sau khi đồng chí này gửi đề nghị tham gia và được chi bộ chấp nhận.
request-not-askable-link-expired = • { $name }: có trong danh sách đảng viên của { $workplace } nhưng chưa đăng ký sinh hoạt nơi cư trú. Đường liên kết giới thiệu gửi ngày { $date } đã hết hiệu lực từ ngày { $until } mà chưa được mở. Đồng chí có thể giới thiệu lại từ /status.
request-not-askable-link-opened-expired = • { $name }: có trong danh sách đảng viên của { $workplace } nhưng chưa đăng ký sinh hoạt nơi cư trú. Đường liên kết giới thiệu gửi ngày { $date } đã được mở ngày { $when }, nhưng đã hết hiệu lực từ ngày { $until } mà đồng chí này chưa gửi đề nghị tham gia chi bộ nơi cư trú nào. Đồng chí có thể giới thiệu lại từ /status.
request-not-askable-elsewhere = • { $name }: đảng viên của { $cell }, nhưng đã khai nơi công tác khác. Đề nghị đồng chí này sửa nơi công tác trong /profile, rồi gửi đề nghị nhận xét lại.
request-not-askable-waiting = • { $name }: đề nghị tham gia { $cell } đang chờ chi bộ xác nhận. Có thể đề nghị nhận xét sau khi chi bộ chấp nhận.
request-not-askable-ended = • { $name }: đã thôi sinh hoạt tại { $cell } từ ngày { $date }, hiện không là đảng viên của chi bộ nơi cư trú nào trong hệ thống, nên chưa chi bộ nào nhận xét được. Nếu cần nhận xét, đề nghị liên hệ đảng ủy phường, xã nơi đồng chí này cư trú.
request-too-many = Có { $count } đảng viên có tên chứa «{ $name }». Đề nghị nhập đầy đủ hơn họ tên.
request-ask-member = Có { $count } đảng viên trùng tên. Đề nghị chọn đảng viên cần nhận xét:
request-ask-reason = Đề nghị chi bộ nơi cư trú nhận xét đồng chí { $name } ({ $cell }). Lý do đề nghị:
request-exempt-note = Lưu ý: đảng viên được miễn sinh hoạt nơi cư trú ({ $reason }); chi bộ lập phiếu nhận xét rút gọn.
request-reason-appointment = bổ nhiệm
request-reason-commendation = khen thưởng
request-reason-discipline = kỷ luật
request-reason-transfer = điều động, luân chuyển
request-reason-other = lý do khác
request-button-other = Lý do khác…
request-button-cancel = ✖️ Hủy
request-button-send = 📨 Gửi đề nghị
request-button-last-year = 12 tháng gần nhất ({ $from } - { $to })
request-button-draft = 📝 Lập phiếu nhận xét
request-ask-reason-text = Đề nghị nhập lý do (từ 1 đến { $max } ký tự).
request-reason-length = Lý do phải có từ 1 đến { $max } ký tự.
request-ask-due = Đề nghị nhập ngày cần có nhận xét (ngày/tháng/năm), từ { $earliest } đến { $latest }.
request-due-too-soon = Ngày cần có nhận xét phải sau hôm nay, sớm nhất là { $earliest }.
request-due-too-late = Ngày cần có nhận xét không được quá 180 ngày kể từ hôm nay, muộn nhất là { $latest }.
request-ask-period = Nhận xét trong khoảng thời gian nào? Bấm nút để chọn 12 tháng gần nhất, hoặc nhập khoảng thời gian dạng ngày/tháng/năm - ngày/tháng/năm.
request-period-format = Khoảng thời gian chưa đúng dạng. Đề nghị nhập hai ngày dạng ngày/tháng/năm - ngày/tháng/năm, ví dụ 01/01/2026 - 31/12/2026.
request-period-reversed = Ngày bắt đầu phải trước hoặc trùng ngày kết thúc.
request-period-future = Khoảng thời gian phải kết thúc chậm nhất là hôm nay.
request-period-too-long = Khoảng thời gian không được dài quá { $years } năm.
request-expect-button = Đề nghị bấm một trong các nút bên dưới (hoặc /cancel để hủy).
request-summary =
    Đề nghị nhận xét đảng viên:
    Đảng viên: { $name } ({ $cell })
    Lý do: { $reason }
    Thời gian nhận xét: từ { $from } đến { $to }
    Hạn gửi nhận xét: { $due }
request-discarded = Đã hủy đề nghị nhận xét.
request-sent = Đã gửi đề nghị tới chi bộ nơi cư trú của đảng viên. Xem tình trạng bằng /requests.
request-sent-nobody = Đã lưu đề nghị, nhưng chi bộ của đảng viên hiện chưa có bí thư hoặc phó bí thư trên hệ thống để nhận. Đề nghị đồng chí liên hệ đảng ủy phường, xã.
request-already-sent = Đề nghị này đã được gửi.
request-already-open = Đề nghị này không được gửi vì đồng chí { $who } của đơn vị đã đề nghị nhận xét đảng viên { $name } ngày { $date } ({ $reason }, thời gian nhận xét từ { $from } đến { $to }, hạn { $due }) và chi bộ chưa ký nhận xét đó. Chi bộ sẽ viết một nhận xét cho thời gian này; xem tình trạng bằng /requests.
request-member-gone = Thông tin sinh hoạt của đảng viên này đã thay đổi (chuyển chi bộ, kết thúc sinh hoạt, chuyển cơ quan hoặc đã xóa dữ liệu) nên đề nghị chưa được gửi. Đề nghị đồng chí dùng lại lệnh /request.
request-to-secretary =
    Cấp ủy nơi công tác ({ $workplace }) đề nghị chi bộ nhận xét đảng viên:
    Đảng viên: { $name } ({ $cell })
    Lý do: { $reason }
    Thời gian nhận xét: từ { $from } đến { $to }
    Hạn gửi nhận xét: { $due }
    Phiếu được lập từ các hoạt động đã được duyệt trong thời gian này.
request-secretary-unreachable = Không gửi được đề nghị nhận xét đồng chí { $name } tới bí thư chi bộ nơi cư trú qua bot. Đề nghị đồng chí liên hệ chi bộ bằng cách khác.
request-closed = Đề nghị nhận xét này đã được ký hoặc đã hủy.
request-gone = Đề nghị nhận xét này không còn trong hệ thống (gửi sau bản sao lưu được dùng để khôi phục dữ liệu): không còn gì để viết. Nơi công tác có thể gửi lại đề nghị.
request-cancelled-left-cell = Đề nghị nhận xét này đã được hủy vì đảng viên không còn sinh hoạt tại chi bộ (đã kết thúc sinh hoạt hoặc đã xóa dữ liệu của mình); chi bộ không lập phiếu nhận xét này nữa.
request-cancelled-member-left = { $cell } đã kết thúc sinh hoạt nơi cư trú của đồng chí { $name } tại chi bộ, nên đề nghị nhận xét ({ $reason }) của cơ quan về đồng chí này đã được hủy. Nếu vẫn cần nhận xét, đề nghị liên hệ đảng ủy phường, xã nơi đồng chí cư trú.
request-cancelled-member-gone = Đồng chí { $name } đã thôi sử dụng hệ thống và không còn sinh hoạt tại chi bộ nơi cư trú trên hệ thống, nên đề nghị nhận xét ({ $reason }) của cơ quan về đồng chí này đã được hủy. Nếu vẫn cần nhận xét, đề nghị liên hệ đảng ủy phường, xã nơi đồng chí cư trú.
request-reason-shortened = (đã rút gọn; toàn văn lý do có trong tin nhắn bot chuyển đề nghị nhận xét)
request-sheet-header =
    Phiếu nhận xét theo đề nghị ({ $reason }): đồng chí { $name }
    Thời gian nhận xét: từ { $from } đến { $to }; hạn gửi: { $due }
    Chi bộ: { $cell }
    Nơi công tác: { $workplace }
    Tình trạng: { $state }
request-for-member = Dự thảo phiếu nhận xét theo đề nghị của nơi công tác ({ $reason }), thời gian từ { $from } đến { $to }, của { $cell } về đồng chí. { $due }
request-told-accepted = Đồng chí { $name } đã đồng ý với dự thảo phiếu nhận xét theo đề nghị ({ $reason }). Đồng chí có thể ký phiếu.
request-told-responded = Đồng chí { $name } góp ý về dự thảo phiếu nhận xét theo đề nghị ({ $reason }): { $response }
request-delivered-officer = Phiếu nhận xét theo đề nghị ({ $reason }) của đảng viên { $name }, thời gian từ { $from } đến { $to }, do { $cell } ({ $ward }) gửi, đồng chí { $signer } ({ $role }) ký. Mã xác thực: { $code } (kiểm tra bằng /verify).
request-delivery-failed = Không gửi được phiếu nhận xét theo đề nghị ({ $reason }) của đồng chí { $name } (mã xác thực { $code }) tới cán bộ đã đề nghị qua bot. Đề nghị đồng chí gửi bản phiếu cho cấp ủy nơi công tác của đảng viên bằng cách khác.
request-delivery-rerouted = Phiếu nhận xét theo đề nghị ({ $reason }) của đồng chí { $name } (mã xác thực { $code }) không gửi được tới cán bộ đã đề nghị qua bot (đồng chí đó không còn là cán bộ của cơ quan hoặc đã chặn bot); phiếu đã được gửi tới { $officers } cán bộ khác của cơ quan.
request-copy-member = Bản sao phiếu nhận xét theo đề nghị ({ $reason }) của đồng chí đã được gửi tới nơi công tác. Mã xác thực: { $code }.
request-verify-ok = Phiếu hợp lệ, không bị thay đổi: phiếu nhận xét theo đề nghị ({ $reason }) của đồng chí { $name } ({ $cell }), thời gian từ { $from } đến { $to }, đồng chí { $signer } ({ $role }) ký lúc { $when }.
request-doc-subtitle = Nhận xét đảng viên đang công tác theo đề nghị của cấp ủy nơi công tác ({ $reason }), thời gian từ { $from } đến { $to }
request-doc-opening = Chi ủy { $cell }, sau khi trao đổi, thống nhất với Ban công tác Mặt trận khu dân cư, nhận xét đồng chí { $name } trong việc thực hiện nhiệm vụ của đảng viên ở nơi cư trú từ ngày { $from } đến ngày { $to } như sau:
request-cell-list-none = Hiện không có đề nghị nhận xét nào của cơ quan đang chờ chi bộ thực hiện.
request-cell-list-header = Các cơ quan đề nghị chi bộ nhận xét ({ $count }, hạn sớm nhất trước):
request-cell-list-more = … và { $count } đề nghị khác, sẽ hiện khi các đề nghị trên đã được xử lý.
request-cell-list-line = { $n }. { $name } ({ $cell }) — { $workplace }: { $reason } — hạn { $due }
request-button-draft-n = 📝 Lập phiếu { $n }. { $name }
request-menu-requests-cell = Các đề nghị nhận xét gửi chi bộ
request-list-none = Chưa có đề nghị nhận xét nào của cơ quan, đơn vị đồng chí theo dõi.
request-list-header = Các đề nghị nhận xét ({ $count }, đề nghị chưa xong trước, rồi mới nhất trước):
request-list-older = … Chỉ hiện { $count } đề nghị: các đề nghị đã xong cũ hơn không hiển thị.
request-list-line = { $n }. { $name } ({ $cell }) — { $reason } — hạn { $due } — { $state }
request-state-waiting = chờ chi bộ lập phiếu
request-state-drafting = chi bộ đang lập phiếu
request-state-with-member = đã gửi đảng viên xem
request-state-signed = đã ký ngày { $date }
request-state-overdue = ⚠️ quá hạn
request-state-cancelled = đã hủy
request-state-withdrawn = đã rút lại ngày { $date }
request-button-withdraw = ↩️ Rút lại đề nghị { $n }. { $name }
request-button-documents = 📄 Nhận phiếu { $n }. { $name }
request-button-withdraw-yes = ↩️ Rút lại
request-button-withdraw-no = Giữ lại
request-withdraw-ask =
    Rút lại đề nghị nhận xét đồng chí { $name } ({ $cell }; { $reason }, hạn { $due })?
    Chi bộ nơi cư trú sẽ được thông báo; phiếu nhận xét đang lập (nếu có) sẽ không thể sửa, gửi hay ký nữa.
request-withdrawn-done = Đã rút lại đề nghị nhận xét đồng chí { $name } ({ $reason }). Chi bộ nơi cư trú đã được thông báo.
request-withdrawn-done-untold = Đã rút lại đề nghị nhận xét đồng chí { $name } ({ $reason }).
request-withdraw-already = Đề nghị nhận xét này đã được rút lại trước đó.
request-withdraw-signed = Không thể rút lại: phiếu nhận xét theo đề nghị này đã được ký và gửi về cơ quan, đơn vị.
request-withdraw-gone = Đề nghị nhận xét này không còn trên hệ thống.
request-withdrawn-to-cell = Cơ quan, đơn vị { $workplace } đã rút lại đề nghị nhận xét đảng viên { $name } ({ $cell }; { $reason }, hạn { $due }). Chi bộ không cần lập phiếu nhận xét này nữa; phiếu đang lập (nếu có) không thể sửa, gửi hay ký.
request-withdrawn-to-member = Cơ quan, đơn vị nơi đồng chí công tác ({ $workplace }) đã rút lại đề nghị nhận xét ({ $reason }). Dự thảo phiếu nhận xét đã gửi đồng chí không còn hiệu lực; đồng chí không cần trả lời.
request-withdrawn-sheet = Cơ quan, đơn vị đã rút lại đề nghị nhận xét này; phiếu nhận xét không thể sửa, gửi, trả lời hay ký nữa.
request-moved-away = Đảng viên này đã chuyển sinh hoạt sang { $cell }; đề nghị nhận xét đã chuyển theo và do cấp ủy { $cell } lập phiếu.
request-digest-overdue = • Đề nghị nhận xét quá hạn chưa ký ({ $count }):
request-digest-item =   – { $name } ({ $reason }, { $workplace }), hạn { $due }
group-private-only = Hệ thống chỉ làm việc trong cuộc trò chuyện riêng với từng đồng chí (báo cáo, tham gia chi bộ, duyệt và nhận xét đều là việc riêng của từng người). Đề nghị các đồng chí mở https://t.me/{ $bot } để sử dụng. Bot xin rời nhóm này.
group-press-private-only = Các nút của bot chỉ dùng được trong cuộc trò chuyện riêng với bot: ở đây không có gì được thực hiện. Đề nghị đồng chí mở https://t.me/{ $bot } và dùng tin nhắn ở đó.
announce-choose-cell = Đồng chí là bí thư của nhiều chi bộ; đề nghị chọn chi bộ nhận thông báo:
announce-all-cells = Tất cả các chi bộ
announce-cells-chosen = Thông báo gửi tới: { $cells }.
ward-cell-gone = Chi bộ này đã được xóa khỏi danh sách của phường, xã; thao tác không còn thực hiện được. Đề nghị gửi /cells để xem danh sách hiện tại.
officer-role-gone = Đồng chí không còn là cán bộ theo dõi đảng viên của { $workplace } nên không còn sử dụng được nút này.
ward-admin-role-gone = Đồng chí không còn là quản trị viên của { $ward } nên không còn sử dụng được nút này.
supervisor-role-gone = Đồng chí không còn là cán bộ giám sát của { $ward } nên không còn sử dụng được nút này.

# Told once when a draft comment sheet's time for the member's answer has passed with no answer.
sheet-silence-told = ⏳ Đã hết thời hạn đảng viên cho ý kiến về dự thảo phiếu nhận xét mà không nhận được ý kiến (được coi là đã xem). Phiếu nhận xét của các đảng viên sau đây đã có thể ký ({ $count }): { $names }. Đề nghị đồng chí dùng lệnh /sheets để ký.
sheet-silence-more = … và { $count } đồng chí khác
sheet-silence-on-request = { $name } (phiếu theo yêu cầu)
sheet-silence-in-cell = { $name } – { $cell }
