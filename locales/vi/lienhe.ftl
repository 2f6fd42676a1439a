# lienhe — tiếng Việt (ngôn ngữ mặc định)

## Chung
welcome = Kính chào đồng chí! Đây là trợ lý «Liên hệ nơi cư trú», giúp đảng viên đang công tác ghi nhận việc giữ mối liên hệ với chi ủy, chi bộ và nhân dân nơi cư trú theo Quy định 213-QĐ/TW.
not-joined = Đồng chí chưa tham gia chi bộ nơi cư trú nào trên hệ thống. Để tham gia, đề nghị đồng chí mở đường liên kết mời do bí thư chi bộ nơi cư trú gửi.
idle-hint = Để báo cáo hoạt động ở nơi cư trú, đồng chí dùng lệnh /report. Xem các lệnh khác: /help.
unknown-command = Lệnh không hợp lệ. Gửi /help để xem các lệnh đồng chí được sử dụng.
not-given = (không có)
cancelled = Đã hủy thao tác đang thực hiện.
nothing-to-cancel = Hiện không có thao tác nào để hủy.
stale-button = Nút này không còn hiệu lực. Đề nghị đồng chí thực hiện theo tin nhắn mới nhất.
not-allowed = Đồng chí không có quyền thực hiện thao tác này.
not-allowed-own = Đồng chí không thể tự duyệt nội dung của chính mình.
secretaries-only = Lệnh này chỉ dành cho bí thư chi bộ.
decision-recorded = Đã ghi nhận.
already-decided = Nội dung này đã được { $who } xử lý lúc { $when }.
already-decided-short = Nội dung này đã được xử lý trước đó.
dialogue-resumed = Đồng chí có thể tiếp tục thao tác đang làm dở.

## Trợ giúp
help-secretary =
    Chức năng của bí thư chi bộ:
    /pending — các yêu cầu tham gia và báo cáo chờ duyệt
    /members — danh sách đảng viên và hoạt động trong tháng
    /invite — tạo đường liên kết mời đảng viên tham gia chi bộ
    /announce — gửi thông báo tới tất cả đảng viên của chi bộ
help-member =
    Chức năng của đảng viên:
    /report — báo cáo một hoạt động ở nơi cư trú
    /myreports — các báo cáo của đồng chí trong năm
help-pending-member = Yêu cầu tham gia chi bộ của đồng chí đang chờ bí thư chi bộ xác nhận. Khi được xác nhận, đồng chí có thể báo cáo hoạt động bằng lệnh /report.
help-common =
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
invite-revoked = Mã mời này đã bị thu hồi.
invite-expired = Mã mời này đã hết hạn.
invite-ask-ward = Đề nghị đồng chí liên hệ đảng ủy phường, xã (quản trị viên hệ thống) để được cấp mã mới.
invite-ask-secretary = Đề nghị đồng chí liên hệ bí thư chi bộ nơi cư trú để nhận đường liên kết mới.
invite-ask-either = Đề nghị đồng chí liên hệ bí thư chi bộ nơi cư trú (hoặc đảng ủy phường, xã đối với bí thư chi bộ) để nhận mã mời mới.
invite-link =
    Đường liên kết mời đảng viên tham gia { $cell }:
    { $link }
    Có hiệu lực đến { $until }. Đồng chí gửi đường liên kết này cho đảng viên được giới thiệu về sinh hoạt nơi cư trú. Các đường liên kết cũ của chi bộ đã bị thu hồi.

## Bí thư tham gia
secretary-invite-accepted = Mã mời hợp lệ: đồng chí được mời làm bí thư { $cell }.
secretary-already = Đồng chí đã là bí thư { $cell }.
secretary-confirmed = Xác nhận: đồng chí { $name } là bí thư { $cell } trên hệ thống.
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
join-sent = Đã gửi yêu cầu tham gia { $cell } tới bí thư chi bộ. Đồng chí sẽ nhận được thông báo khi yêu cầu được xác nhận.
join-sent-no-secretary = Đã ghi nhận yêu cầu tham gia { $cell }. Chi bộ chưa có bí thư trên hệ thống; yêu cầu sẽ được xem xét khi bí thư tham gia.
join-already-member = Đồng chí đã là đảng viên sinh hoạt tại { $cell }.
join-already-pending = Yêu cầu tham gia { $cell } của đồng chí đang chờ bí thư chi bộ xác nhận.
join-other-cell = Đồng chí đang sinh hoạt (hoặc chờ xác nhận) tại { $cell }. Để chuyển chi bộ, đề nghị đồng chí liên hệ bí thư chi bộ.
join-approved = Bí thư chi bộ đã xác nhận đồng chí sinh hoạt tại { $cell } (đã tiếp nhận giấy giới thiệu). Từ nay đồng chí có thể báo cáo hoạt động ở nơi cư trú bằng lệnh /report.
join-rejected = Yêu cầu tham gia { $cell } của đồng chí chưa được bí thư chi bộ xác nhận. Đề nghị đồng chí liên hệ trực tiếp bí thư chi bộ.
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
ask-photos = Đồng chí gửi một hoặc nhiều ảnh minh chứng (nếu có), hoặc bấm «Bỏ qua».
photos-received = Đã nhận { $count } ảnh. Đồng chí có thể gửi thêm ảnh, hoặc bấm «Xong».
photos-caption = Ảnh minh chứng của báo cáo số { $id }
report-summary =
    Đề nghị đồng chí kiểm tra báo cáo:
    Loại hoạt động: { $kind }
    Ngày: { $date }
    Nội dung: { $description }
    Ảnh minh chứng: { $photos }
report-cancelled = Đã hủy báo cáo.
report-submitted = Đã gửi báo cáo số { $id } tới bí thư chi bộ. Đồng chí sẽ nhận được thông báo khi báo cáo được duyệt.
report-submitted-no-secretary = Đã ghi nhận báo cáo số { $id }. Chi bộ chưa có bí thư trên hệ thống; báo cáo sẽ được duyệt khi bí thư tham gia.
report-card =
    Báo cáo hoạt động số { $id }
    Đảng viên: { $member }
    Loại hoạt động: { $kind }
    Ngày: { $date }
    Nội dung: { $description }
    Ảnh minh chứng: { $photos }
report-approved = Báo cáo số { $id } ({ $kind }, ngày { $date }) đã được bí thư chi bộ duyệt.
report-rejected =
    Báo cáo số { $id } ({ $kind }, ngày { $date }) chưa được bí thư chi bộ duyệt.
    Lý do: { $reason }
ask-reject-reason = Đề nghị đồng chí nhập lý do không duyệt báo cáo số { $id } của đồng chí { $member }. Gửi /cancel nếu không muốn từ chối.
ask-reject-reason-again = Đề nghị đồng chí nhập lý do không duyệt báo cáo số { $id }.
report-rejected-done = Đã từ chối báo cáo số { $id } và thông báo cho đảng viên.
decided-approved = ✅ Đã duyệt bởi { $who } lúc { $when }
decided-rejected = ❌ Đã từ chối bởi { $who } lúc { $when }
decided-rejected-reason = ❌ Đã từ chối bởi { $who } lúc { $when }. Lý do: { $reason }

## Lỗi nhập liệu
error-expect-text = Đề nghị đồng chí gửi nội dung dạng văn bản.
error-expect-button = Đề nghị đồng chí chọn bằng các nút bên dưới.
error-expect-phone = Số điện thoại chưa hợp lệ. Đề nghị đồng chí dùng nút gửi số điện thoại, nhập số (9 đến 15 chữ số) hoặc bấm «Bỏ qua».
error-not-own-contact = Đề nghị đồng chí gửi số điện thoại của chính mình bằng nút bên dưới.
error-expect-date = Đề nghị đồng chí nhập ngày dạng văn bản theo mẫu ngày/tháng/năm, hoặc bấm nút bên dưới.
error-expect-photo = Đề nghị đồng chí gửi ảnh (không gửi dưới dạng tệp), hoặc bấm nút bên dưới.
error-too-many-photos = Mỗi báo cáo có tối đa { $max } ảnh. Đề nghị đồng chí bấm «Xong».
error-empty-text = Nội dung không được để trống.
error-too-long = Nội dung quá dài: tối đa { $max } ký tự.
error-description-empty = Nội dung hoạt động không được để trống.
error-description-too-long = Nội dung hoạt động quá dài: tối đa { $max } ký tự. Đề nghị đồng chí rút gọn.
error-date-format = Ngày không đúng định dạng. Đề nghị đồng chí nhập theo mẫu ngày/tháng/năm, ví dụ 05/11/2026.
error-date-impossible = Ngày này không có trên lịch. Đề nghị đồng chí kiểm tra lại.
error-date-future = Không thể báo cáo hoạt động diễn ra trong tương lai.
error-date-too-old = Chỉ báo cáo được hoạt động trong 12 tháng gần nhất (từ ngày { $earliest }).

## Danh sách
status-pending = ⏳ chờ duyệt
status-approved = ✅ đã duyệt
status-rejected = ❌ không duyệt
myreports-empty = Đồng chí chưa có báo cáo nào trong năm { $year }. Dùng /report để báo cáo hoạt động.
myreports-header = Báo cáo năm { $year } của đồng chí: { $total } báo cáo, { $approved } đã được duyệt.
myreports-line = • Số { $id }, ngày { $date } — { $kind } — { $status }: { $description }
myreports-reason =   Lý do: { $reason }
pending-header = { $cell }: { $joins } yêu cầu tham gia và { $reports } báo cáo chờ duyệt.
pending-more = Còn { $count } nội dung chờ duyệt khác. Đề nghị đồng chí xử lý các nội dung trên rồi gửi lại /pending.
members-header = { $cell } — tháng { $month }: { $count } đảng viên, { $silent } đồng chí chưa có hoạt động được duyệt trong tháng.
members-none = Chưa có đảng viên nào được xác nhận.
members-line = { $n }. { $name } — { $count } hoạt động được duyệt trong tháng; { $last }
members-last = gần nhất ngày { $date }
members-never = chưa có hoạt động được duyệt

## Nhắc việc hằng tháng và bản tin cho bí thư
menu-announce = Gửi thông báo tới đảng viên của chi bộ
reminder-member = Kính gửi đồng chí { $name }: trong tháng { $month }, đồng chí chưa có báo cáo hoạt động nào ở nơi cư trú. Đề nghị đồng chí báo cáo các hoạt động đã tham gia (sinh hoạt chi bộ, họp tổ dân phố, tuyên truyền, phong trào, đóng góp…) để chi bộ có căn cứ nhận xét cuối năm.
button-report-now = 📝 Báo cáo ngay
button-open-pending = 📋 Mở danh sách chờ duyệt
button-send = 📨 Gửi
digest-header = Bản tin tháng { $month } gửi bí thư chi bộ
digest-cell = { $cell } — { $members } đảng viên
digest-pending = • Chờ duyệt: { $joins } yêu cầu tham gia, { $reports } báo cáo
digest-silent-month = • Chưa có hoạt động trong tháng ({ $count }): { $names }
digest-silent-name = { $name } ({ $months } tháng)
digest-silent-long = • Không có hoạt động từ 3 tháng liên tiếp trở lên ({ $count }): { $names }
digest-unreachable = • Không liên lạc được qua bot, có thể đã chặn bot ({ $count }): { $names }
digest-stale = • Báo cáo chờ duyệt quá 7 ngày ({ $count }):
digest-stale-item =   – số { $id } của đồng chí { $member }, gửi ngày { $since }
digest-and-others = và { $count } đồng chí khác

## Thông báo của chi bộ
ask-announcement = Đề nghị đồng chí nhập nội dung thông báo gửi tới tất cả đảng viên của chi bộ (tối đa 3.000 ký tự). Gửi /cancel để hủy.
announce-no-members = Chi bộ chưa có đảng viên nào được xác nhận để nhận thông báo.
announce-preview =
    Xem trước thông báo sẽ gửi tới { $count } đảng viên:

    { $text }
announce-cancelled = Đã hủy thông báo.
announce-progress = Đang gửi thông báo: đã gửi { $sent } trên { $total }.
announce-done = Đã gửi xong thông báo: { $delivered } đảng viên đã nhận, { $unreachable } không liên lạc được, { $failed } lỗi (tổng số { $total }).
announcement =
    📢 Thông báo của { $cell } (bí thư { $sender }):

    { $text }
