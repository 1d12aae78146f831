<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>AccountsBox</name>
    <message>
        <source>Accounts of this computer</source>
        <translation>Tài khoản của máy này</translation>
    </message>
    <message>
        <source>Add an account…</source>
        <translation>Thêm tài khoản…</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>Đặt lại mật khẩu…</translation>
    </message>
    <message>
        <source>Change role…</source>
        <translation>Đổi vai trò…</translation>
    </message>
    <message>
        <source>Turn off</source>
        <translation>Khóa tài khoản</translation>
    </message>
    <message>
        <source>Turn on</source>
        <translation>Mở lại tài khoản</translation>
    </message>
    <message>
        <source>Add an account</source>
        <translation>Thêm tài khoản</translation>
    </message>
    <message>
        <source>The account %1 was added.</source>
        <translation>Đã thêm tài khoản %1.</translation>
    </message>
    <message>
        <source>Reset the password of %1</source>
        <translation>Đặt lại mật khẩu cho %1</translation>
    </message>
    <message>
        <source>Give the new password to %1 in person. The old one stops working, for signing in and for the signing key. A turned-off account is turned on again.</source>
        <translation>Hãy trao mật khẩu mới tận tay %1. Mật khẩu cũ hết dùng được, cả để đăng nhập lẫn để mở khóa ký. Tài khoản đang bị khóa sẽ được mở lại.</translation>
    </message>
    <message>
        <source>Your own password</source>
        <translation>Mật khẩu của bạn</translation>
    </message>
    <message>
        <source>The password of %1 was reset.</source>
        <translation>Đã đặt lại mật khẩu cho %1.</translation>
    </message>
    <message>
        <source>Change the role of %1</source>
        <translation>Đổi vai trò của %1</translation>
    </message>
    <message>
        <source>The role of %1 was changed.</source>
        <translation>Đã đổi vai trò của %1.</translation>
    </message>
    <message>
        <source>Turn on %1</source>
        <translation>Mở lại tài khoản %1</translation>
    </message>
    <message>
        <source>Turn off %1</source>
        <translation>Khóa tài khoản %1</translation>
    </message>
    <message>
        <source>%1 will no longer sign in on this computer nor sign its bundle files. Turn the account off?</source>
        <translation>%1 sẽ không đăng nhập được vào máy này và không ký được gói dữ liệu của máy nữa. Khóa tài khoản này?</translation>
    </message>
    <message>
        <source>%1 was turned on.</source>
        <translation>Đã mở lại tài khoản %1.</translation>
    </message>
    <message>
        <source>%1 was turned off.</source>
        <translation>Đã khóa tài khoản %1.</translation>
    </message>
</context>
<context>
    <name>AccountsModel</name>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Hamlet</source>
        <translation>Thôn, xóm</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Signs bundles</source>
        <translation>Ký gói dữ liệu</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>Đang dùng</translation>
    </message>
    <message>
        <source>Turned off</source>
        <translation>Đã khóa</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Có</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Không</translation>
    </message>
</context>
<context>
    <name>AddAccountDialog</name>
    <message>
        <source>Add an account</source>
        <translation>Thêm tài khoản</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Hamlet</source>
        <translation>Thôn, xóm</translation>
    </message>
    <message>
        <source>Your own password</source>
        <translation>Mật khẩu của bạn</translation>
    </message>
    <message>
        <source>A team leader or an accountant can also sign the bundle files of this computer: your own password hands the signing key over to them.</source>
        <translation>Tổ trưởng và kế toán còn ký được gói dữ liệu của máy này: mật khẩu của bạn dùng để giao khóa ký cho họ.</translation>
    </message>
</context>
<context>
    <name>AttachmentsModel</name>
    <message>
        <source>Taken %1</source>
        <translation>Chụp lúc %1</translation>
    </message>
    <message>
        <source>Added %1</source>
        <translation>Thêm ngày %1</translation>
    </message>
</context>
<context>
    <name>AttachmentsTab</name>
    <message>
        <source>Add files…</source>
        <translation>Thêm tệp…</translation>
    </message>
    <message>
        <source>What the photo shows</source>
        <translation>Nội dung ảnh, ví dụ: mái tôn thủng</translation>
    </message>
    <message>
        <source>Save caption</source>
        <translation>Lưu chú thích</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Mở</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Xóa…</translation>
    </message>
    <message>
        <source>as</source>
        <translation>loại</translation>
    </message>
    <message>
        <source>Selected file</source>
        <translation>Tệp đang chọn</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>Chú thích</translation>
    </message>
    <message>
        <source>No file selected. Photos of the house and scanned papers go here.</source>
        <translation>Chưa chọn tệp nào. Ảnh chụp nhà và giấy tờ quét được lưu ở đây.</translation>
    </message>
    <message>
        <source>Add photos and documents</source>
        <translation>Thêm ảnh, tài liệu</translation>
    </message>
    <message>
        <source>Images, documents (*.jpg *.jpeg *.png *.pdf)</source>
        <translation>Ảnh, tài liệu (*.jpg *.jpeg *.png *.pdf)</translation>
    </message>
    <message>
        <source>Adding %1 files</source>
        <translation>Đang thêm %1 tệp</translation>
    </message>
    <message>
        <source>Files not added</source>
        <translation>Chưa thêm được tệp</translation>
    </message>
    <message>
        <source>Saving the caption</source>
        <translation>Đang lưu chú thích</translation>
    </message>
    <message>
        <source>Caption not saved</source>
        <translation>Chưa lưu được chú thích</translation>
    </message>
    <message>
        <source>Remove file</source>
        <translation>Xóa tệp</translation>
    </message>
    <message>
        <source>Why remove “%1”? The removal is kept in the history.</source>
        <translation>Lý do xóa “%1”? Việc xóa được ghi vào nhật ký thay đổi.</translation>
    </message>
    <message>
        <source>Removing the file</source>
        <translation>Đang xóa tệp</translation>
    </message>
    <message>
        <source>File not removed</source>
        <translation>Chưa xóa được tệp</translation>
    </message>
    <message>
        <source>Cannot open the file</source>
        <translation>Không mở được tệp</translation>
    </message>
    <message>
        <source>The content of “%1” is not on this computer yet.</source>
        <translation>Nội dung tệp “%1” chưa có trên máy này.</translation>
    </message>
    <message>
        <source>No program on this computer opens “%1”.</source>
        <translation>Máy này chưa có chương trình mở được tệp “%1”.</translation>
    </message>
</context>
<context>
    <name>ConflictsModel</name>
    <message>
        <source>Data</source>
        <translation>Loại dữ liệu</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Bản ghi</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Trường</translation>
    </message>
    <message>
        <source>Value kept</source>
        <translation>Giá trị đang giữ</translation>
    </message>
    <message>
        <source>Other value</source>
        <translation>Giá trị kia</translation>
    </message>
    <message>
        <source>When (kept)</source>
        <translation>Lúc sửa (giữ)</translation>
    </message>
    <message>
        <source>When (other)</source>
        <translation>Lúc sửa (kia)</translation>
    </message>
    <message>
        <source>When the value was entered, on the computer where it was entered</source>
        <translation>Lúc giá trị được sửa, theo đồng hồ của máy đã sửa nó</translation>
    </message>
    <message>
        <source>“%1”, chosen %2</source>
        <translation>“%1”, chọn lúc %2</translation>
    </message>
    <message>
        <source>Bundle</source>
        <translation>Gói dữ liệu</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Đã giải quyết</translation>
    </message>
</context>
<context>
    <name>ConflictsTab</name>
    <message>
        <source>Show resolved conflicts too</source>
        <translation>Hiện cả xung đột đã giải quyết</translation>
    </message>
    <message>
        <source>Keep the current value</source>
        <translation>Giữ giá trị hiện tại</translation>
    </message>
    <message>
        <source>Confirm the value that stands now</source>
        <translation>Xác nhận giá trị đang dùng</translation>
    </message>
    <message>
        <source>Use the other value</source>
        <translation>Dùng giá trị kia</translation>
    </message>
    <message>
        <source>Replace the value that stands with the other one</source>
        <translation>Thay giá trị đang dùng bằng giá trị kia</translation>
    </message>
    <message>
        <source>The same field was changed on two computers. The later change stands; choose which value is right. Your choice is sent on with the next bundles. Rows chosen together (Ctrl or Shift with a click, Ctrl+A for all) are decided at once.</source>
        <translation>Cùng một trường đã được sửa trên hai máy (xung đột dữ liệu). Lần sửa sau đang được dùng; hãy chọn giá trị đúng. Lựa chọn của bạn được gửi đi cùng các gói dữ liệu tiếp theo. Có thể chọn nhiều dòng (bấm chuột kèm Ctrl hoặc Shift, Ctrl+A để chọn tất cả) để quyết định một lần.</translation>
    </message>
    <message>
        <source>Some of the chosen conflicts are resolved already.</source>
        <translation>Trong các dòng đã chọn có xung đột đã được giải quyết rồi.</translation>
    </message>
    <message>
        <source>Your account may not change the records of some chosen rows.</source>
        <translation>Tài khoản của bạn không được sửa bản ghi của một số dòng đã chọn.</translation>
    </message>
    <message>
        <source>Resolve conflict</source>
        <translation>Giải quyết xung đột dữ liệu</translation>
    </message>
    <message numerus="yes">
        <source>Keep the current value in the %n chosen conflict(s)?</source>
        <translation>
            <numerusform>Giữ giá trị hiện tại ở %n xung đột đã chọn?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Use the other value in the %n chosen conflict(s)?</source>
        <translation>
            <numerusform>Dùng giá trị kia ở %n xung đột đã chọn?</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2: “%3” chosen; the choice goes with the next bundle.</source>
        <translation>%1 của %2: đã chọn “%3”; lựa chọn này được gửi đi cùng gói tiếp theo.</translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s) resolved; the choices go with the next bundle.</source>
        <translation>
            <numerusform>Đã giải quyết %n xung đột; các lựa chọn này được gửi đi cùng gói tiếp theo.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>Households imported</source>
        <translation>Đã nhập danh sách hộ</translation>
    </message>
    <message>
        <source>Save report…</source>
        <translation>Lưu kết quả…</translation>
    </message>
    <message numerus="yes">
        <source>%n household(s) added.</source>
        <translation>
            <numerusform>Đã thêm %n hộ.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n household(s) updated.</source>
        <translation>
            <numerusform>Đã cập nhật %n hộ đã có.</numerusform>
        </translation>
    </message>
    <message>
        <source>New hamlets: %1.</source>
        <translation>Thôn mới đã tạo: %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) with errors were not imported. Save the report, correct those rows in the file and import it again: the rows already imported are found as duplicates and skipped, unless you choose otherwise.</source>
        <translation>
            <numerusform>%n dòng có lỗi chưa được nhập. Hãy lưu kết quả, sửa các dòng đó trong tệp rồi nhập lại: những dòng đã nhập sẽ được nhận ra là trùng và được bỏ qua, trừ khi bạn chọn cách khác.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DuplicatesModel</name>
    <message>
        <source>Household</source>
        <translation>Hộ gia đình</translation>
    </message>
    <message>
        <source>Looks like</source>
        <translation>Có thể trùng với</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Kết luận</translation>
    </message>
    <message>
        <source>Same citizen ID</source>
        <translation>Cùng số CCCD</translation>
    </message>
    <message>
        <source>Same name and birth year</source>
        <translation>Cùng họ tên và năm sinh</translation>
    </message>
    <message>
        <source>Same household</source>
        <translation>Cùng một hộ</translation>
    </message>
    <message>
        <source>Different households</source>
        <translation>Hai hộ khác nhau</translation>
    </message>
    <message>
        <source>Not reviewed yet</source>
        <translation>Chưa xem xét</translation>
    </message>
</context>
<context>
    <name>DuplicatesTab</name>
    <message>
        <source>Same household</source>
        <translation>Cùng một hộ</translation>
    </message>
    <message>
        <source>Different households</source>
        <translation>Hai hộ khác nhau</translation>
    </message>
    <message>
        <source>Show reviewed pairs too</source>
        <translation>Hiện cả các cặp đã xem xét</translation>
    </message>
    <message>
        <source>Only the pairs with a household in this commune</source>
        <translation>Chỉ các cặp có hộ ở xã, phường này</translation>
    </message>
    <message>
        <source>These households look like the same people listed in two places (same citizen ID, or same name and birth year within one commune). Nothing is merged; say what you found. Rows chosen together (Ctrl or Shift with a click, Ctrl+A for all) are decided at once.</source>
        <translation>Các hộ này có thể trùng: có vẻ là cùng những người được ghi ở hai nơi (cùng số CCCD, hoặc cùng họ tên và năm sinh trong một xã). Không có gì được gộp tự động; hãy cho biết kết quả kiểm tra của bạn. Có thể chọn nhiều dòng (bấm chuột kèm Ctrl hoặc Shift, Ctrl+A để chọn tất cả) để quyết định một lần.</translation>
    </message>
    <message>
        <source>Reading the possible duplicates</source>
        <translation>Đang đọc danh sách hộ có thể trùng</translation>
    </message>
    <message>
        <source>All communes (%1)</source>
        <translation>Tất cả xã, phường (%1)</translation>
    </message>
    <message>
        <source>Some chosen pairs have a household outside the hamlet your account works in.</source>
        <translation>Một số cặp đã chọn có hộ ở ngoài thôn mà tài khoản của bạn phụ trách.</translation>
    </message>
    <message numerus="yes">
        <source>%n pair(s) marked as the same household.</source>
        <translation>
            <numerusform>Đã đánh dấu %n cặp là cùng một hộ.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pair(s) marked as different households.</source>
        <translation>
            <numerusform>Đã đánh dấu %n cặp là hai hộ khác nhau.</numerusform>
        </translation>
    </message>
    <message>
        <source>Possible duplicates</source>
        <translation>Có thể trùng</translation>
    </message>
    <message numerus="yes">
        <source>Mark the %n chosen pair(s) as the same household?</source>
        <translation>
            <numerusform>Đánh dấu %n cặp đã chọn là cùng một hộ?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Mark the %n chosen pair(s) as different households?</source>
        <translation>
            <numerusform>Đánh dấu %n cặp đã chọn là hai hộ khác nhau?</numerusform>
        </translation>
    </message>
    <message>
        <source>Marked as the same household: %1 and %2.</source>
        <translation>Đã đánh dấu là cùng một hộ: %1 và %2.</translation>
    </message>
    <message>
        <source>Marked as different households: %1 and %2.</source>
        <translation>Đã đánh dấu là hai hộ khác nhau: %1 và %2.</translation>
    </message>
</context>
<context>
    <name>ExportTab</name>
    <message>
        <source>Only what changed since the last bundle sent</source>
        <translation>Chỉ những thay đổi từ gói gửi lần trước</translation>
    </message>
    <message>
        <source>Everything (a full bundle that fills any gap)</source>
        <translation>Toàn bộ dữ liệu (gói đầy đủ, bù mọi chỗ thiếu)</translation>
    </message>
    <message>
        <source>Start numbering afresh (this laptop&apos;s data was put back from a copy)</source>
        <translation>Bắt đầu đánh số mới (dữ liệu máy này vừa được chép lại từ bản sao lưu)</translation>
    </message>
    <message>
        <source>Only when a recipient refused a bundle because it already had changes with the same numbers</source>
        <translation>Chỉ dùng khi nơi nhận đã từ chối một gói vì đã có những thay đổi mang cùng số thứ tự</translation>
    </message>
    <message>
        <source>Stamp the time again (the clock once ran ahead; a recipient refused a bundle)</source>
        <translation>Đánh dấu lại thời gian (đồng hồ máy từng chạy nhanh; nơi nhận đã từ chối gói)</translation>
    </message>
    <message>
        <source>Only once the laptop&apos;s date and time are right again</source>
        <translation>Chỉ dùng khi ngày giờ của máy đã đúng trở lại</translation>
    </message>
    <message>
        <source>Export bundle…</source>
        <translation>Xuất gói dữ liệu…</translation>
    </message>
    <message>
        <source>Read acknowledgement…</source>
        <translation>Đọc giấy báo nhận…</translation>
    </message>
    <message>
        <source>Read the acknowledgement a recipient sent back, so the next bundle starts from what it really has</source>
        <translation>Đọc giấy báo nhận do nơi nhận gửi lại, để gói sau bắt đầu từ dữ liệu nơi đó đã thực sự có</translation>
    </message>
    <message>
        <source>Your account may only view: it cannot export.</source>
        <translation>Tài khoản của bạn chỉ được xem, không xuất được gói dữ liệu.</translation>
    </message>
    <message>
        <source>Export a bundle</source>
        <translation>Xuất gói dữ liệu</translation>
    </message>
    <message>
        <source>Send to</source>
        <translation>Gửi cho</translation>
    </message>
    <message>
        <source>What to put in</source>
        <translation>Nội dung gói</translation>
    </message>
    <message>
        <source>Acknowledgements</source>
        <translation>Giấy báo nhận</translation>
    </message>
    <message>
        <source>When a recipient imports your bundle it can write an acknowledgement; reading it here makes the next bundle start from what it has.</source>
        <translation>Khi nhập gói của bạn, nơi nhận có thể ghi giấy báo nhận; đọc giấy đó tại đây để gói sau bắt đầu từ dữ liệu nơi nhận đã có.</translation>
    </message>
    <message>
        <source>%1 — the unit above</source>
        <translation>%1 — cấp trên</translation>
    </message>
    <message>
        <source>unit above</source>
        <translation>cấp trên</translation>
    </message>
    <message>
        <source>unit below</source>
        <translation>cấp dưới</translation>
    </message>
    <message>
        <source>No particular recipient</source>
        <translation>Không chỉ định nơi nhận</translation>
    </message>
    <message>
        <source>Sealed: only the recipient&apos;s computer can read the bundle.</source>
        <translation>Niêm phong: chỉ máy của nơi nhận đọc được gói này.</translation>
    </message>
    <message>
        <source>Not sealed: the recipient&apos;s key is not trusted on this computer, so anyone who gets the file can read it. Trust its key first (Keys tab).</source>
        <translation>Không niêm phong: khóa của nơi nhận chưa được tin cậy trên máy này, nên ai có tệp cũng đọc được. Hãy tin cậy (đăng ký) khóa của nơi nhận trước (thẻ Khóa).</translation>
    </message>
    <message>
        <source>Down to a unit below go the targets set for it and the steps taken here on its support cases (review, approval, acceptance…), not households.</source>
        <translation>Gói gửi xuống cấp dưới mang chỉ tiêu giao cho đơn vị đó và các bước làm ở đây trên hồ sơ hỗ trợ của đơn vị đó (bình xét, phê duyệt, nghiệm thu…), không mang hộ.</translation>
    </message>
    <message>
        <source>Export bundle</source>
        <translation>Xuất gói dữ liệu</translation>
    </message>
    <message>
        <source>nhao data bundle (*.nhao)</source>
        <translation>Gói dữ liệu nhao (*.nhao)</translation>
    </message>
    <message>
        <source>%1 is a bundle %2 sent here, perhaps not imported yet: the export would be written over it and it would be lost. Choose another name.</source>
        <translation>%1 là gói %2 gửi đến, có thể chưa nhập: gói xuất sẽ ghi đè lên và gói đó sẽ mất. Hãy đặt tên khác.</translation>
    </message>
    <message>
        <source>Signing the bundle…</source>
        <translation>Đang ký gói dữ liệu…</translation>
    </message>
    <message>
        <source>Exporting the bundle</source>
        <translation>Đang xuất gói dữ liệu</translation>
    </message>
    <message>
        <source>This laptop&apos;s date and time now: %1. Is that right? If it is, the changes stamped ahead of it are stamped again from now. If not, correct the clock first.</source>
        <translation>Ngày giờ của máy lúc này: %1. Có đúng không? Nếu đúng, những thay đổi mang thời điểm sau lúc này sẽ được đánh dấu lại thời gian từ bây giờ. Nếu sai, hãy chỉnh đồng hồ trước.</translation>
    </message>
    <message>
        <source>sealed</source>
        <translation>đã niêm phong</translation>
    </message>
    <message>
        <source>not sealed</source>
        <translation>không niêm phong</translation>
    </message>
    <message numerus="yes">
        <source>Saved %1: %n change(s), %2.</source>
        <translation>
            <numerusform>Đã lưu %1: %n thay đổi, %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was changed here since the last bundle to this recipient: this one carries no change and need not be sent, unless this computer just made a new key signed by the old one (the bundle carries it).</source>
        <translation>Máy này không có thay đổi mới kể từ gói trước gửi nơi nhận: gói này không mang thay đổi nào, không cần gửi (trừ khi máy vừa tạo khóa mới do khóa cũ ký: gói mang khóa mới đi).</translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s) or document(s) are not on this computer and were not put in: %1. Their records travel without them; once the files are back, export everything (a full bundle).</source>
        <translation>
            <numerusform>%n ảnh, tài liệu không có trên máy này nên không được đưa vào gói: %1. Bản ghi của chúng vẫn được gửi đi; khi đã chép lại các tệp này, hãy xuất lại một gói “Toàn bộ dữ liệu”.</numerusform>
        </translation>
    </message>
    <message>
        <source>Read acknowledgement</source>
        <translation>Đọc giấy báo nhận</translation>
    </message>
    <message>
        <source>nhao acknowledgement (*%1)</source>
        <translation>Giấy báo nhận nhao (*%1)</translation>
    </message>
    <message numerus="yes">
        <source>Read %n acknowledgement(s) from %1. The next bundle to them starts from what they have.</source>
        <translation>
            <numerusform>Đã đọc %n giấy báo nhận của %1. Gói gửi nơi đó lần sau sẽ bắt đầu từ dữ liệu nơi đó đã có.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of its changes were not taken there:</source>
        <translation>
            <numerusform>Nơi đó không nhận %n thay đổi trong gói:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more; the import report there lists them all.</source>
        <translation>
            <numerusform>… và %n thay đổi khác; báo cáo nhập ở nơi đó ghi đủ.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 was read before: nothing changed.</source>
        <translation>Giấy báo nhận %1 đã được đọc trước đây: không thay đổi gì.</translation>
    </message>
    <message>
        <source>%1 is older than an acknowledgement already read from %2, but says the bundle made for it before the one it acknowledges never came: the next bundle sends again everything it has not acknowledged.</source>
        <translation>%1 cũ hơn một giấy báo nhận đã đọc của %2, nhưng cho biết nơi đó không có gói máy này xuất cho nơi đó ngay trước gói được báo nhận (chưa gửi, hoặc thất lạc): gói xuất sau sẽ gửi lại mọi thay đổi nơi đó chưa báo đã nhận.</translation>
    </message>
    <message>
        <source>%1 is older than an acknowledgement already read from %2: nothing changed.</source>
        <translation>%1 cũ hơn một giấy báo nhận đã đọc của %2: không thay đổi gì.</translation>
    </message>
    <message>
        <source>%1 imported %2.</source>
        <translation>%1 đã nhập gói %2.</translation>
    </message>
    <message>
        <source>%1 already had everything in %2.</source>
        <translation>%1 đã có sẵn mọi thay đổi trong gói %2.</translation>
    </message>
    <message>
        <source>%1 holds %2 until an earlier bundle comes; the next bundle sends what it lacks.</source>
        <translation>%1 đang giữ gói %2 chờ một gói trước nó; gói sau sẽ gửi những gì nơi đó còn thiếu.</translation>
    </message>
    <message>
        <source>%1 refused %2; the next bundle sends its changes again.</source>
        <translation>%1 đã từ chối gói %2; gói sau sẽ gửi lại các thay đổi của gói đó.</translation>
    </message>
    <message>
        <source>%1 received %2.</source>
        <translation>%1 đã nhận gói %2.</translation>
    </message>
    <message>
        <source>Its reason: %1</source>
        <translation>Lý do nơi nhận ghi: %1</translation>
    </message>
    <message>
        <source>It does not have the bundle made for it before that one (not sent, or lost on the way): the next bundle sends again everything it has not acknowledged.</source>
        <translation>Nơi đó không có gói xuất cho nơi đó ngay trước gói này (chưa gửi, hoặc thất lạc trên đường): gói sau sẽ gửi lại mọi thay đổi nơi đó chưa báo đã nhận.</translation>
    </message>
    <message>
        <source>It has changes of this computer that this computer no longer has (its data was put back from a copy): they are sent again, numbered afresh, in the next bundle.</source>
        <translation>Nơi đó có thay đổi của máy này mà máy này không còn (dữ liệu được chép lại từ bản sao): các thay đổi được gửi lại, đánh số mới, trong gói sau.</translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message>
        <source>Choose the file</source>
        <translation>Chọn tệp</translation>
    </message>
    <message>
        <source>The list of households as the commune keeps it: Excel (.xlsx, .xlsm, .xls), LibreOffice (.ods) or CSV. Title lines, merged cells, empty rows and totals rows may stay where they are.</source>
        <translation>Danh sách hộ đúng như xã đang lưu: Excel (.xlsx, .xlsm, .xls), LibreOffice (.ods) hoặc CSV. Dòng tiêu đề, ô gộp, dòng trống và dòng tổng cộng cứ để nguyên.</translation>
    </message>
    <message>
        <source>Choose a file…</source>
        <translation>Chọn tệp…</translation>
    </message>
    <message>
        <source>No file chosen yet.</source>
        <translation>Chưa chọn tệp.</translation>
    </message>
    <message>
        <source>Choose the list of households</source>
        <translation>Chọn danh sách hộ</translation>
    </message>
    <message>
        <source>Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv)</source>
        <translation>Bảng tính (*.xlsx *.xlsm *.xls *.ods *.csv)</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>Đang mở %1…</translation>
    </message>
    <message>
        <source>Opening the file</source>
        <translation>Đang mở tệp</translation>
    </message>
    <message numerus="yes">
        <source>%1 – %n sheet(s)</source>
        <translation>
            <numerusform>%1 – %n trang tính</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hidden sheet(s), shown as (hidden) on the next page.</source>
        <translation>
            <numerusform>%n trang tính bị ẩn, được ghi (ẩn) ở bước sau.</numerusform>
        </translation>
    </message>
    <message>
        <source>No file opened.</source>
        <translation>Chưa mở được tệp nào.</translation>
    </message>
</context>
<context>
    <name>HamletsBox</name>
    <message>
        <source>Hamlets of the commune</source>
        <translation>Thôn, xóm của xã</translation>
    </message>
    <message>
        <source>The commune has no hamlet yet: add them before its households.</source>
        <translation>Xã chưa có thôn, xóm nào: hãy thêm thôn, xóm trước khi thêm hộ.</translation>
    </message>
    <message>
        <source>Add hamlet…</source>
        <translation>Thêm thôn, xóm…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Đổi tên…</translation>
    </message>
    <message>
        <source>Add hamlet</source>
        <translation>Thêm thôn, xóm</translation>
    </message>
    <message>
        <source>Name of the hamlet, as people write it (e.g. Thôn Nà Pàn):</source>
        <translation>Tên thôn, xóm, viết như người dân vẫn viết (ví dụ: Thôn Nà Pàn):</translation>
    </message>
    <message>
        <source>Rename hamlet</source>
        <translation>Đổi tên thôn, xóm</translation>
    </message>
    <message>
        <source>New name of %1:</source>
        <translation>Tên mới của %1:</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>When</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Thay đổi</translation>
    </message>
</context>
<context>
    <name>HistoryTab</name>
    <message>
        <source>Nothing recorded yet.</source>
        <translation>Chưa có thay đổi nào.</translation>
    </message>
</context>
<context>
    <name>HouseholdDetail</name>
    <message>
        <source>Your account may only view households.</source>
        <translation>Tài khoản của bạn chỉ được xem hộ gia đình.</translation>
    </message>
    <message>
        <source>The household is deleted: nothing can be added or changed.</source>
        <translation>Hộ này đã bị xóa: không thêm, không sửa được gì nữa.</translation>
    </message>
</context>
<context>
    <name>HouseholdDetailDialog</name>
    <message>
        <source>Household</source>
        <translation>Hộ gia đình</translation>
    </message>
    <message>
        <source>Hamlet</source>
        <translation>Thôn, xóm</translation>
    </message>
    <message>
        <source>Citizen ID</source>
        <translation>Số CCCD</translation>
    </message>
    <message>
        <source>Household code</source>
        <translation>Mã hộ</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>Diện hộ</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Số nhân khẩu</translation>
    </message>
    <message>
        <source>House</source>
        <translation>Hiện trạng nhà</translation>
    </message>
    <message>
        <source>Need</source>
        <translation>Nhu cầu</translation>
    </message>
    <message>
        <source>Inspections</source>
        <translation>Khảo sát</translation>
    </message>
    <message>
        <source>Photos and documents</source>
        <translation>Ảnh, tài liệu</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Nhật ký thay đổi</translation>
    </message>
    <message>
        <source>Inspections (%1)</source>
        <translation>Khảo sát (%1)</translation>
    </message>
    <message>
        <source>Photos and documents (%1)</source>
        <translation>Ảnh, tài liệu (%1)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Household details…</source>
        <translation>Thông tin hộ…</translation>
    </message>
    <message>
        <source>Household – %1</source>
        <translation>Hộ %1</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>(đã xóa)</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>chưa ghi</translation>
    </message>
    <message>
        <source>none</source>
        <translation>chưa có</translation>
    </message>
    <message>
        <source>not inspected yet</source>
        <translation>chưa khảo sát</translation>
    </message>
</context>
<context>
    <name>HouseholdFilterBar</name>
    <message>
        <source>Name, citizen ID or household code (Ctrl+F)</source>
        <translation>Họ tên, số CCCD hoặc mã hộ (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search households</source>
        <translation>Tìm hộ</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Bỏ lọc</translation>
    </message>
    <message>
        <source>Show every household again</source>
        <translation>Hiện lại tất cả các hộ</translation>
    </message>
    <message>
        <source>All communes</source>
        <translation>Tất cả xã</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Xã</translation>
    </message>
    <message>
        <source>All hamlets</source>
        <translation>Tất cả thôn, xóm</translation>
    </message>
    <message>
        <source>Hamlet</source>
        <translation>Thôn, xóm</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>Tất cả diện hộ</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Diện hộ</translation>
    </message>
    <message>
        <source>All houses</source>
        <translation>Mọi hiện trạng nhà</translation>
    </message>
    <message>
        <source>House classification</source>
        <translation>Hiện trạng nhà ở</translation>
    </message>
    <message>
        <source>All needs</source>
        <translation>Mọi nhu cầu</translation>
    </message>
    <message>
        <source>Need</source>
        <translation>Nhu cầu</translation>
    </message>
    <message>
        <source>All case statuses</source>
        <translation>Mọi trạng thái hồ sơ</translation>
    </message>
    <message>
        <source>Support case status</source>
        <translation>Trạng thái hồ sơ hỗ trợ</translation>
    </message>
    <message>
        <source>Your account works on the households of %1 only.</source>
        <translation>Tài khoản của bạn chỉ làm việc với các hộ của %1.</translation>
    </message>
</context>
<context>
    <name>HouseholdFormDialog</name>
    <message>
        <source>New household</source>
        <translation>Thêm hộ gia đình</translation>
    </message>
    <message>
        <source>Household of %1</source>
        <translation>Hộ %1</translation>
    </message>
    <message>
        <source>Choose a hamlet</source>
        <translation>Chọn thôn, xóm</translation>
    </message>
    <message>
        <source>12 digits</source>
        <translation>12 chữ số</translation>
    </message>
    <message>
        <source>e.g. 1968</source>
        <translation>ví dụ 1968</translation>
    </message>
    <message>
        <source>Not given</source>
        <translation>Không ghi</translation>
    </message>
    <message>
        <source>e.g. 0912345678</source>
        <translation>ví dụ 0912345678</translation>
    </message>
    <message>
        <source>Land used lawfully</source>
        <translation>Sử dụng đất hợp pháp</translation>
    </message>
    <message>
        <source>Has a land-use certificate</source>
        <translation>Có Giấy chứng nhận QSDĐ</translation>
    </message>
    <message>
        <source>Land under dispute</source>
        <translation>Đất có tranh chấp</translation>
    </message>
    <message>
        <source>In a landslide or flood hazard zone</source>
        <translation>Ở vùng nguy cơ sạt lở, lũ quét</translation>
    </message>
    <message>
        <source>Certified able to build (labour or family support)</source>
        <translation>Được xác nhận có khả năng xây dựng (nhân công hoặc gia đình hỗ trợ)</translation>
    </message>
    <message>
        <source>Head of household</source>
        <translation>Chủ hộ</translation>
    </message>
    <message>
        <source>Hamlet *</source>
        <translation>Thôn, xóm *</translation>
    </message>
    <message>
        <source>Full name *</source>
        <translation>Họ và tên *</translation>
    </message>
    <message>
        <source>Citizen ID</source>
        <translation>Số CCCD</translation>
    </message>
    <message>
        <source>Birth year</source>
        <translation>Năm sinh</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Giới tính</translation>
    </message>
    <message>
        <source>Ethnicity</source>
        <translation>Dân tộc</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Điện thoại</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <source>Situation</source>
        <translation>Hoàn cảnh</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>Diện hộ</translation>
    </message>
    <message>
        <source>Poverty-list year</source>
        <translation>Năm danh sách hộ nghèo</translation>
    </message>
    <message>
        <source>Members *</source>
        <translation>Số nhân khẩu *</translation>
    </message>
    <message>
        <source>Land</source>
        <translation>Đất ở</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>* required</source>
        <translation>* bắt buộc</translation>
    </message>
    <message>
        <source>Household code:</source>
        <translation>Mã hộ:</translation>
    </message>
    <message>
        <source>The commune has no hamlet yet: an administrator adds them under Settings → Add hamlet.</source>
        <translation>Xã chưa có thôn, xóm nào: quản trị thêm ở Cài đặt → Thêm thôn, xóm.</translation>
    </message>
    <message>
        <source>given when saved</source>
        <translation>cấp khi lưu</translation>
    </message>
    <message>
        <source>Saving the household</source>
        <translation>Đang lưu hộ gia đình</translation>
    </message>
</context>
<context>
    <name>HouseholdTableModel</name>
    <message>
        <source>Head of household</source>
        <translation>Chủ hộ</translation>
    </message>
    <message>
        <source>Hamlet</source>
        <translation>Thôn, xóm</translation>
    </message>
    <message>
        <source>Born</source>
        <translation>Năm sinh</translation>
    </message>
    <message>
        <source>Citizen ID</source>
        <translation>Số CCCD</translation>
    </message>
    <message>
        <source>Ethnicity</source>
        <translation>Dân tộc</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>Diện hộ</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Nhân khẩu</translation>
    </message>
    <message>
        <source>House</source>
        <translation>Nhà ở</translation>
    </message>
    <message>
        <source>Need</source>
        <translation>Nhu cầu</translation>
    </message>
    <message>
        <source>Support case</source>
        <translation>Hồ sơ hỗ trợ</translation>
    </message>
    <message>
        <source>Poor</source>
        <translation>Nghèo</translation>
    </message>
    <message>
        <source>Near-poor</source>
        <translation>Cận nghèo</translation>
    </message>
    <message>
        <source>Merit</source>
        <translation>Có công</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>Chính sách</translation>
    </message>
    <message>
        <source>Disaster</source>
        <translation>Thiên tai</translation>
    </message>
    <message>
        <source>Hardship</source>
        <translation>Khó khăn</translation>
    </message>
    <message>
        <source>This column cannot be sorted</source>
        <translation>Không sắp xếp được theo cột này</translation>
    </message>
    <message>
        <source>Old 9-digit ID card (CMND)</source>
        <translation>Chứng minh nhân dân cũ 9 số (CMND)</translation>
    </message>
</context>
<context>
    <name>HouseholdsPage</name>
    <message>
        <source>Households</source>
        <translation>Hộ gia đình</translation>
    </message>
    <message>
        <source>&amp;New household</source>
        <translation>&amp;Thêm hộ</translation>
    </message>
    <message>
        <source>Add a household</source>
        <translation>Thêm một hộ gia đình</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Mở</translation>
    </message>
    <message>
        <source>Open the household&apos;s inspections, photos and history</source>
        <translation>Mở khảo sát, ảnh và lịch sử của hộ</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Sửa</translation>
    </message>
    <message>
        <source>Change the household&apos;s details</source>
        <translation>Sửa thông tin của hộ</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Xóa</translation>
    </message>
    <message>
        <source>Delete the household (it stays in the history)</source>
        <translation>Xóa hộ (vẫn giữ trong nhật ký thay đổi)</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Tìm</translation>
    </message>
    <message>
        <source>Search households</source>
        <translation>Tìm hộ</translation>
    </message>
    <message>
        <source>Import from Excel…</source>
        <translation>Nhập từ Excel…</translation>
    </message>
    <message>
        <source>Import a list of households kept in a spreadsheet</source>
        <translation>Nhập danh sách hộ từ bảng tính</translation>
    </message>
    <message>
        <source>Export register…</source>
        <translation>Xuất danh sách hộ…</translation>
    </message>
    <message>
        <source>Save the household register as an Excel file</source>
        <translation>Lưu danh sách hộ ra tệp Excel</translation>
    </message>
    <message>
        <source>No household matches the search or filters</source>
        <translation>Không có hộ nào khớp với tìm kiếm hoặc bộ lọc</translation>
    </message>
    <message numerus="yes">
        <source>%n household(s)</source>
        <translation>
            <numerusform>%n hộ</numerusform>
        </translation>
    </message>
    <message>
        <source>Household</source>
        <translation>Hộ gia đình</translation>
    </message>
    <message>
        <source>Delete household</source>
        <translation>Xóa hộ</translation>
    </message>
    <message>
        <source>Delete the household of %1 (%2)?
It disappears from the lists but stays in the history.</source>
        <translation>Xóa hộ %1 (%2)?
Hộ không còn trong danh sách nhưng vẫn được giữ trong nhật ký thay đổi.</translation>
    </message>
    <message>
        <source>Why is it deleted?</source>
        <translation>Vì sao xóa hộ này?</translation>
    </message>
    <message>
        <source>A reason is needed; it stays in the history. Why is it deleted?</source>
        <translation>Cần ghi lý do; lý do được giữ trong nhật ký thay đổi. Vì sao xóa hộ này?</translation>
    </message>
    <message>
        <source>Deleting the household</source>
        <translation>Đang xóa hộ</translation>
    </message>
</context>
<context>
    <name>ImportReportModel</name>
    <message>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Đơn vị gửi</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Loại dữ liệu</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Mới</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Cập nhật</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>Không đổi</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Xung đột</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Từ chối</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Duplicates</source>
        <translation>Có thể trùng</translation>
    </message>
    <message>
        <source>Households that look like the same people listed in two places</source>
        <translation>Số hộ có thể trùng: có vẻ là cùng những người được ghi ở hai nơi</translation>
    </message>
    <message>
        <source>Nothing new for this computer</source>
        <translation>Không có gì mới cho máy này</translation>
    </message>
    <message>
        <source>Checked: nothing new here</source>
        <translation>Đã kiểm tra: không có gì mới</translation>
    </message>
    <message>
        <source>Checked, nothing written</source>
        <translation>Đã kiểm tra trước (chưa ghi)</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Đã nhập</translation>
    </message>
    <message>
        <source>Already imported</source>
        <translation>Đã nhập từ trước</translation>
    </message>
    <message>
        <source>Waiting for an earlier bundle</source>
        <translation>Gói chờ (thiếu gói trước)</translation>
    </message>
    <message>
        <source>%1 voucher number(s) given out twice: see the details</source>
        <translation>%1 số phiếu bị cấp trùng: xem phần chi tiết</translation>
    </message>
</context>
<context>
    <name>ImportTab</name>
    <message>
        <source>Choose bundles…</source>
        <translation>Chọn gói dữ liệu…</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Kiểm tra lại</translation>
    </message>
    <message>
        <source>Check the chosen bundles without writing anything</source>
        <translation>Kiểm tra trước các gói đã chọn, chưa ghi gì</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Nhập</translation>
    </message>
    <message>
        <source>Write the checked bundles into this computer&apos;s data</source>
        <translation>Ghi các gói đã kiểm tra vào dữ liệu của máy này</translation>
    </message>
    <message>
        <source>Save report…</source>
        <translation>Lưu báo cáo…</translation>
    </message>
    <message>
        <source>Write acknowledgement…</source>
        <translation>Ghi giấy báo nhận…</translation>
    </message>
    <message>
        <source>A signed note for the sender saying what this computer now has</source>
        <translation>Giấy có chữ ký gửi lại nơi gửi, cho biết máy này đã có những dữ liệu nào</translation>
    </message>
    <message>
        <source>Choose the bundle files (.nhao) you received.</source>
        <translation>Hãy chọn các tệp gói dữ liệu (.nhao) đã nhận được.</translation>
    </message>
    <message>
        <source>Your account may only view: it cannot import.</source>
        <translation>Tài khoản của bạn chỉ được xem, không nhập được gói dữ liệu.</translation>
    </message>
    <message>
        <source>Choose bundles</source>
        <translation>Chọn gói dữ liệu</translation>
    </message>
    <message>
        <source>nhao data bundle (*.nhao)</source>
        <translation>Gói dữ liệu nhao (*.nhao)</translation>
    </message>
    <message>
        <source>Check bundles</source>
        <translation>Kiểm tra trước gói dữ liệu</translation>
    </message>
    <message>
        <source>Import bundles</source>
        <translation>Nhập gói dữ liệu</translation>
    </message>
    <message numerus="yes">
        <source>Checked %n bundle(s); nothing has been written yet.</source>
        <translation>
            <numerusform>Đã kiểm tra trước %n gói; chưa ghi gì.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n will be refused (see the reason).</source>
        <translation>
            <numerusform>%n gói sẽ bị từ chối (xem lý do).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bundle(s) imported here before, with nothing new in them.</source>
        <translation>
            <numerusform>%n gói đã được nhập từ trước, không có gì mới.</numerusform>
        </translation>
    </message>
    <message>
        <source>Each file is checked on its own: one waiting for another of these files is applied right after it.</source>
        <translation>Mỗi tệp được kiểm tra riêng: gói đang chờ một gói khác trong số này sẽ được ghi ngay sau gói đó.</translation>
    </message>
    <message>
        <source>Press Import to write them.</source>
        <translation>Bấm Nhập để ghi các gói này.</translation>
    </message>
    <message>
        <source>Imported: %1. Already imported before: %2. Waiting for an earlier bundle: %3. Refused: %4.</source>
        <translation>Đã nhập: %1. Đã nhập từ trước: %2. Gói chờ (thiếu gói trước): %3. Bị từ chối: %4.</translation>
    </message>
    <message numerus="yes">
        <source>%n bundle(s) had nothing new for this computer.</source>
        <translation>
            <numerusform>%n gói không có gì mới cho máy này.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s) to settle: see the Conflicts tab.</source>
        <translation>
            <numerusform>Có %n xung đột dữ liệu cần chọn giá trị: xem thẻ Xung đột.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pair(s) of possible duplicates to review: see the Possible duplicates tab.</source>
        <translation>
            <numerusform>Có %n cặp hộ có thể trùng cần xem xét: xem thẻ Có thể trùng.</numerusform>
        </translation>
    </message>
    <message>
        <source>Changes refused:</source>
        <translation>Các thay đổi bị từ chối:</translation>
    </message>
    <message>
        <source>Voucher numbers given out twice (both vouchers kept):</source>
        <translation>Số phiếu bị cấp hai lần (giữ cả hai phiếu):</translation>
    </message>
    <message>
        <source>Payments to look at again (all kept):</source>
        <translation>Phiếu chi cần xem lại (đã giữ cả các phiếu):</translation>
    </message>
    <message>
        <source>Steps of the unit above that replaced one taken here:</source>
        <translation>Bước của cấp trên thay bước làm ở máy này:</translation>
    </message>
    <message>
        <source>Changes waiting for their record:</source>
        <translation>Thay đổi đang chờ bản ghi gốc:</translation>
    </message>
    <message>
        <source>Save the import report</source>
        <translation>Lưu báo cáo nhập gói</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Bảng tính Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Report saved to %1.</source>
        <translation>Đã lưu báo cáo vào %1.</translation>
    </message>
    <message>
        <source>Write acknowledgement</source>
        <translation>Ghi giấy báo nhận</translation>
    </message>
    <message>
        <source>nhao acknowledgement (*%1)</source>
        <translation>Giấy báo nhận nhao (*%1)</translation>
    </message>
    <message>
        <source>Acknowledgement saved to %1; send it back to the sender.</source>
        <translation>Đã lưu giấy báo nhận vào %1; hãy gửi lại cho nơi gửi gói.</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>Save the import report</source>
        <translation>Lưu kết quả nhập</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Sổ tính Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>The report was saved to %1.</source>
        <translation>Đã lưu kết quả vào %1.</translation>
    </message>
    <message>
        <source>Report saved</source>
        <translation>Đã lưu kết quả</translation>
    </message>
    <message>
        <source>Saving the report</source>
        <translation>Đang lưu kết quả</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Hợp lệ</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Lỗi</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Trùng</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Bỏ qua</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Bỏ qua</translation>
    </message>
    <message>
        <source>Update the existing household</source>
        <translation>Cập nhật hộ đã có</translation>
    </message>
    <message>
        <source>Import as a new household</source>
        <translation>Nhập thành hộ mới</translation>
    </message>
    <message>
        <source>%1 rows read: %2 OK, %3 to check, %4 with errors, %5 duplicates, %6 skipped.</source>
        <translation>Đã đọc %1 dòng: %2 hợp lệ, %3 cần xem lại, %4 lỗi, %5 trùng, %6 bỏ qua.</translation>
    </message>
    <message>
        <source>Import households from a spreadsheet</source>
        <translation>Nhập danh sách hộ từ bảng tính</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; &amp;Quay lại</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>&amp;Tiếp &gt;</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Nhập</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>Đó&amp;ng</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Import households</source>
        <translation>Nhập danh sách hộ</translation>
    </message>
    <message>
        <source>Your account can only view households; it cannot import them.</source>
        <translation>Tài khoản của bạn chỉ được xem danh sách hộ, không được nhập.</translation>
    </message>
    <message>
        <source>To check</source>
        <translation>Cần xem lại</translation>
    </message>
</context>
<context>
    <name>InspectionForm</name>
    <message>
        <source>New inspection – %1</source>
        <translation>Khảo sát hiện trạng nhà ở – %1</translation>
    </message>
    <message>
        <source>The household has a house</source>
        <translation>Hộ có nhà ở</translation>
    </message>
    <message>
        <source>e.g. 25,5</source>
        <translation>ví dụ 25,5</translation>
    </message>
    <message>
        <source>Choose another need</source>
        <translation>Chọn nhu cầu khác</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>Lý do (bắt buộc)</translation>
    </message>
    <message>
        <source>Need</source>
        <translation>Nhu cầu</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Save inspection</source>
        <translation>Lưu khảo sát</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Inspection date</source>
        <translation>Ngày khảo sát</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>Người khảo sát</translation>
    </message>
    <message>
        <source>Usable area</source>
        <translation>Diện tích sử dụng</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Số nhân khẩu</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>Phân loại</translation>
    </message>
    <message>
        <source>Usable area must be a number of square metres, e.g. 25,5.</source>
        <translation>Diện tích sử dụng phải là số mét vuông, ví dụ 25,5.</translation>
    </message>
    <message>
        <source>Not classified yet</source>
        <translation>Chưa phân loại được</translation>
    </message>
    <message>
        <source>Need: %1</source>
        <translation>Nhu cầu: %1</translation>
    </message>
    <message>
        <source>(suggested: %1)</source>
        <translation>(đề xuất: %1)</translation>
    </message>
    <message>
        <source>Saving the inspection</source>
        <translation>Đang lưu khảo sát</translation>
    </message>
    <message>
        <source>Inspection not saved</source>
        <translation>Chưa lưu được khảo sát</translation>
    </message>
</context>
<context>
    <name>InspectionsModel</name>
    <message>
        <source>Date</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>Người khảo sát</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>Phân loại</translation>
    </message>
    <message>
        <source>Need</source>
        <translation>Nhu cầu</translation>
    </message>
    <message>
        <source>Usable area</source>
        <translation>Diện tích sử dụng</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>Căn cứ phân loại</translation>
    </message>
    <message>
        <source>%1 (changed)</source>
        <translation>%1 (đã điều chỉnh)</translation>
    </message>
    <message>
        <source>No house</source>
        <translation>Chưa có nhà ở</translation>
    </message>
    <message>
        <source>Members: %1</source>
        <translation>Số nhân khẩu: %1</translation>
    </message>
    <message>
        <source>Suggested need %1, changed to %2 because: %3</source>
        <translation>Nhu cầu đề xuất %1, điều chỉnh thành %2 vì: %3</translation>
    </message>
    <message>
        <source>Notes: %1</source>
        <translation>Ghi chú: %1</translation>
    </message>
</context>
<context>
    <name>InspectionsTab</name>
    <message>
        <source>New inspection…</source>
        <translation>Khảo sát mới…</translation>
    </message>
    <message>
        <source>No inspection recorded yet.</source>
        <translation>Chưa có lần khảo sát nào.</translation>
    </message>
</context>
<context>
    <name>KeysTab</name>
    <message>
        <source>Export public key…</source>
        <translation>Xuất khóa công khai…</translation>
    </message>
    <message>
        <source>Print certificate…</source>
        <translation>In giấy chứng nhận…</translation>
    </message>
    <message>
        <source>New key, signed by this one…</source>
        <translation>Khóa mới, do khóa này ký…</translation>
    </message>
    <message>
        <source>The units that trust this computer take the new key with its next bundle.</source>
        <translation>Các đơn vị đã tin cậy máy này nhận khóa mới cùng gói dữ liệu tiếp theo.</translation>
    </message>
    <message>
        <source>Replace a lost key…</source>
        <translation>Thay khóa bị mất…</translation>
    </message>
    <message>
        <source>When nobody here can open the key any more: every unit must trust the new one again from its file and certificate.</source>
        <translation>Khi ở máy này không còn ai mở được khóa: mọi đơn vị phải tin cậy lại khóa mới từ tệp khóa và giấy chứng nhận.</translation>
    </message>
    <message>
        <source>Trust a key…</source>
        <translation>Tin cậy một khóa…</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>Thu hồi…</translation>
    </message>
    <message>
        <source>Only an administrator may trust or revoke keys.</source>
        <translation>Chỉ quản trị mới được tin cậy hoặc thu hồi khóa.</translation>
    </message>
    <message>
        <source>This computer&apos;s key</source>
        <translation>Khóa của máy này</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Máy trạm</translation>
    </message>
    <message>
        <source>Key ID</source>
        <translation>Mã khóa</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>Mã nhận dạng khóa</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Ngày tạo</translation>
    </message>
    <message>
        <source>Give the public key file to the unit above together with a printed certificate showing this fingerprint, signed and stamped; they compare it before trusting.</source>
        <translation>Gửi tệp khóa công khai cho cấp trên kèm giấy chứng nhận khóa in mã nhận dạng này, có chữ ký và đóng dấu; cấp trên đối chiếu mã trước khi tin cậy.</translation>
    </message>
    <message>
        <source>Trusted computers</source>
        <translation>Các máy được tin cậy</translation>
    </message>
    <message>
        <source>Export public key</source>
        <translation>Xuất khóa công khai</translation>
    </message>
    <message>
        <source>nhao key file (*%1)</source>
        <translation>Tệp khóa nhao (*%1)</translation>
    </message>
    <message>
        <source>Public key saved to %1. Send it with the signed certificate.</source>
        <translation>Đã lưu khóa công khai vào %1. Hãy gửi kèm giấy chứng nhận khóa có chữ ký.</translation>
    </message>
    <message>
        <source>Print key certificate</source>
        <translation>In giấy chứng nhận khóa</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Certificate saved to %1. Print it and sign it, then ask the commune to certify it, sign it and stamp it.</source>
        <translation>Đã lưu giấy chứng nhận vào %1. Hãy in ra, ký tên, rồi đề nghị UBND xã xác nhận, ký và đóng dấu.</translation>
    </message>
    <message>
        <source>Certificate saved to %1. Print it, sign it and stamp it.</source>
        <translation>Đã lưu giấy chứng nhận vào %1. Hãy in ra, ký và đóng dấu.</translation>
    </message>
    <message>
        <source>Trust a key</source>
        <translation>Tin cậy khóa</translation>
    </message>
    <message>
        <source>The key of %1 was trusted already, since %2.</source>
        <translation>Khóa của %1 đã được tin cậy từ trước, từ %2.</translation>
    </message>
    <message>
        <source>The key of %1 is now trusted.</source>
        <translation>Đã tin cậy (đăng ký) khóa của %1.</translation>
    </message>
    <message>
        <source>New key</source>
        <translation>Khóa mới</translation>
    </message>
    <message>
        <source>Make a new key for this computer, signed by the current one? The units that trust this computer take it with its next bundle.</source>
        <translation>Tạo khóa mới cho máy này, do khóa hiện tại ký? Các đơn vị đã tin cậy máy này nhận khóa mới cùng gói dữ liệu tiếp theo.</translation>
    </message>
    <message>
        <source>This computer&apos;s new key: %1. The units that trust it take it with the next bundle they get from it; a unit that revoked this computer&apos;s key trusts the new one only from its file and a new certificate.</source>
        <translation>Khóa mới của máy này: %1. Các đơn vị tin cậy máy này nhận khóa mới cùng gói dữ liệu tiếp theo máy gửi cho họ; đơn vị đã thu hồi khóa của máy này chỉ tin cậy khóa mới từ tệp khóa và giấy chứng nhận mới.</translation>
    </message>
    <message>
        <source>Replace a lost key</source>
        <translation>Thay khóa bị mất</translation>
    </message>
    <message>
        <source>Only when nobody on this computer can open its key any more. The new key is not signed by the old one: every unit that trusts this computer must trust the new key again from its file and a new certificate, and the others who exchange bundles here need their passwords reset. Go on?</source>
        <translation>Chỉ dùng khi ở máy này không còn ai mở được khóa. Khóa mới không do khóa cũ ký: mọi đơn vị đã tin cậy máy này phải tin cậy lại khóa mới từ tệp khóa và giấy chứng nhận mới, và những người khác xuất, nhập gói ở máy này cần được đặt lại mật khẩu. Tiếp tục?</translation>
    </message>
    <message>
        <source>This computer&apos;s new key: %1. Export it and print its certificate for the units that trust this computer.</source>
        <translation>Khóa mới của máy này: %1. Hãy xuất tệp khóa và in giấy chứng nhận cho các đơn vị tin cậy máy này.</translation>
    </message>
    <message>
        <source>Revoke key</source>
        <translation>Thu hồi khóa</translation>
    </message>
    <message>
        <source>Revoke the key %1 of %2? Bundles it signed from the day you give next will be refused on this computer.</source>
        <translation>Thu hồi khóa %1 của %2? Các gói dữ liệu ký bằng khóa này từ ngày bạn ghi ở bước sau sẽ bị từ chối trên máy này.</translation>
    </message>
    <message>
        <source>From which day (dd/mm/yyyy)? For a lost or stolen computer, the day it went missing. Leave empty for from now.</source>
        <translation>Từ ngày nào (dd/mm/yyyy)? Máy bị mất hay bị lấy cắp: ghi ngày máy bị mất. Để trống: từ bây giờ.</translation>
    </message>
    <message>
        <source>, to %1 household(s) (%2)</source>
        <translation>, ở %1 hộ (%2)</translation>
    </message>
    <message>
        <source>Already taken in here: %1 change(s) that computer made since %2%3. They came before the key was revoked and were taken as genuine: look at them again.</source>
        <translation>Máy này đã nhận %1 thay đổi do máy đó làm từ %2%3. Chúng đến trước khi khóa bị thu hồi và đã được nhận như thật: hãy xem lại.</translation>
    </message>
    <message>
        <source>Why is the key revoked?</source>
        <translation>Lý do thu hồi khóa?</translation>
    </message>
    <message>
        <source>This key was replaced by the key %1, which that computer signs with now: it stays trusted if it came here before the day you give next, and is revoked too if it came since. For a lost or stolen computer, revoke the key %1 instead: the keys before it are revoked with it.</source>
        <translation>Khóa này đã được thay bằng khóa %1, khóa máy đó đang dùng để ký: khóa %1 vẫn được tin cậy nếu đến máy này trước ngày bạn ghi ở bước sau, và bị thu hồi cùng nếu đến từ ngày đó trở đi. Nếu máy bị mất hay bị lấy cắp, hãy thu hồi khóa %1: các khóa trước nó bị thu hồi cùng.</translation>
    </message>
    <message>
        <source>Please write why the key is revoked.</source>
        <translation>Hãy ghi lý do thu hồi khóa.</translation>
    </message>
</context>
<context>
    <name>LayoutPage</name>
    <message>
        <source>Sheet and header row</source>
        <translation>Trang tính và dòng tiêu đề</translation>
    </message>
    <message>
        <source>The row with the column names is found automatically and highlighted. If it is not the right one, choose another row (or double-click it).</source>
        <translation>Dòng chứa tên các cột được tìm tự động và tô màu. Nếu chưa đúng, hãy chọn dòng khác (hoặc bấm đúp vào dòng đó).</translation>
    </message>
    <message>
        <source>Sheet:</source>
        <translation>Trang tính:</translation>
    </message>
    <message>
        <source>Header row:</source>
        <translation>Dòng tiêu đề:</translation>
    </message>
    <message>
        <source>%1 (hidden)</source>
        <translation>%1 (ẩn)</translation>
    </message>
    <message>
        <source>This sheet is hidden in the spreadsheet.</source>
        <translation>Trang tính này đang bị ẩn trong tệp.</translation>
    </message>
    <message>
        <source>Reading the sheet</source>
        <translation>Đang đọc trang tính</translation>
    </message>
    <message>
        <source>Choose the row that holds the column names.</source>
        <translation>Hãy chọn dòng có tên các cột.</translation>
    </message>
    <message>
        <source>The text was typed in the old %1 encoding (fonts such as %2); it is read as Unicode. Check a few names in the preview.</source>
        <translation>Chữ trong tệp được gõ bằng bảng mã cũ %1 (phông %2…); nhao đọc sang Unicode. Hãy xem lại vài tên trong bảng dưới.</translation>
    </message>
    <message>
        <source>rows %1–%2</source>
        <translation>dòng %1–%2</translation>
    </message>
    <message>
        <source>row %1</source>
        <translation>dòng %1</translation>
    </message>
    <message>
        <source>Found automatically: %1.</source>
        <translation>Tìm tự động: %1.</translation>
    </message>
    <message>
        <source>Chosen: %1.</source>
        <translation>Đã chọn: %1.</translation>
    </message>
    <message>
        <source>%1 of %2 columns recognised.</source>
        <translation>Nhận ra %1/%2 cột.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <source>&amp;Lock screen</source>
        <translation>&amp;Khóa màn hình</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Thoát</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Trợ &amp;giúp</translation>
    </message>
    <message>
        <source>&amp;About nhao</source>
        <translation>&amp;Giới thiệu nhao</translation>
    </message>
    <message>
        <source>Unit: %1</source>
        <translation>Đơn vị: %1</translation>
    </message>
    <message>
        <source>User: %1 (%2)</source>
        <translation>Người dùng: %1 (%2)</translation>
    </message>
    <message>
        <source>Backups: by the database server</source>
        <translation>Sao lưu: do máy chủ cơ sở dữ liệu đảm nhận</translation>
    </message>
    <message>
        <source>nhao backs up data files on this computer only. Back up this server database on the server (pg_dump).</source>
        <translation>nhao chỉ sao lưu tệp dữ liệu trên máy này. Hãy sao lưu cơ sở dữ liệu máy chủ này ngay trên máy chủ (pg_dump).</translation>
    </message>
    <message>
        <source>never</source>
        <translation>chưa có</translation>
    </message>
    <message>
        <source>Last backup: %1</source>
        <translation>Sao lưu gần nhất: %1</translation>
    </message>
    <message>
        <source>Changes not yet exported: %1</source>
        <translation>Thay đổi chưa xuất: %1</translation>
    </message>
    <message>
        <source>About nhao</source>
        <translation>Giới thiệu nhao</translation>
    </message>
    <message>
        <source>nhao %1
Records of the programme that replaces temporary and dilapidated houses.

Data folder: %2</source>
        <translation>nhao %1
Hồ sơ chương trình xóa nhà tạm, nhà dột nát.

Thư mục dữ liệu: %2</translation>
    </message>
    <message>
        <source>Backing up</source>
        <translation>Đang sao lưu</translation>
    </message>
    <message>
        <source>Automatic backup failed: %1</source>
        <translation>Sao lưu tự động không thành công: %1</translation>
    </message>
    <message>
        <source>Restored or copied data</source>
        <translation>Dữ liệu khôi phục hoặc sao chép</translation>
    </message>
    <message>
        <source>This data file starts a new sync identity: %1.

Anything entered after this data was backed up or copied, and already sent to the unit above, is there but not here. A receipt or payment entered again here may take a number given out before; the unit above keeps both and lists them when it imports this computer&apos;s next bundle.</source>
        <translation>Tệp dữ liệu này bắt đầu một danh tính đồng bộ mới: %1.

Những gì đã nhập sau khi dữ liệu này được sao lưu hoặc sao chép, và đã gửi lên cấp trên, thì có ở cấp trên nhưng không có ở máy này. Phiếu thu hoặc phiếu chi nhập lại ở đây có thể mang số đã cấp trước đó; cấp trên giữ cả hai phiếu và liệt kê chúng khi nhận gói tiếp theo của máy này.</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <source>Columns</source>
        <translation>Các cột</translation>
    </message>
    <message>
        <source>What each column of the file holds, worked out from its header. Correct any that is wrong; columns set to “not imported” are left out.</source>
        <translation>Nội dung từng cột của tệp, suy ra từ tiêu đề cột. Hãy sửa cột nào chưa đúng; cột để “không nhập” sẽ được bỏ qua.</translation>
    </message>
    <message>
        <source>Remember this mapping for the next file</source>
        <translation>Ghi nhớ cách đọc các cột này cho lần nhập sau</translation>
    </message>
    <message>
        <source>Columns with the same header will be read the same way next time.</source>
        <translation>Lần sau, cột có cùng tiêu đề sẽ được đọc như vậy.</translation>
    </message>
    <message>
        <source>Hamlet of rows that name none:</source>
        <translation>Thôn của các dòng không ghi thôn:</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>Cột</translation>
    </message>
    <message>
        <source>Header in the file</source>
        <translation>Tiêu đề trong tệp</translation>
    </message>
    <message>
        <source>Holds</source>
        <translation>Đọc thành</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>Ví dụ</translation>
    </message>
    <message>
        <source>— not imported —</source>
        <translation>— không nhập —</translation>
    </message>
    <message>
        <source>Column %1</source>
        <translation>Cột %1</translation>
    </message>
    <message>
        <source>(none chosen)</source>
        <translation>(chưa chọn)</translation>
    </message>
    <message>
        <source>Choose the column that holds the name of the head of household.</source>
        <translation>Hãy chọn cột ghi họ và tên chủ hộ.</translation>
    </message>
    <message>
        <source>“%1” is chosen for more than one column: %2.</source>
        <translation>“%1” đang được chọn cho nhiều cột: %2.</translation>
    </message>
    <message>
        <source>The birth year is chosen both as one column and as the columns by sex (men, women): choose one way.</source>
        <translation>Năm sinh đang được chọn ở cả một cột riêng và ở các cột theo nam, nữ: hãy chỉ chọn một cách.</translation>
    </message>
    <message>
        <source>No column holds the hamlet: each row takes the hamlet its address names (column %1); a row whose address names none takes the hamlet chosen below.</source>
        <translation>Không có cột thôn, xóm: mỗi hộ được xếp vào thôn mà địa chỉ của hộ ghi (cột %1); hộ có địa chỉ không ghi thôn được xếp vào thôn chọn ở dưới.</translation>
    </message>
    <message>
        <source>Rows whose hamlet cell is empty go to %1 (%2), unless another hamlet is chosen below.</source>
        <translation>Các dòng để trống ô thôn được ghi vào %1 (%2), trừ khi chọn thôn khác ở dưới.</translation>
    </message>
    <message>
        <source>No column holds the hamlet: the rows that name none go to %1 (%2), unless another hamlet is chosen below.</source>
        <translation>Không có cột thôn: các dòng không ghi thôn được ghi vào %1 (%2), trừ khi chọn thôn khác ở dưới.</translation>
    </message>
    <message>
        <source>No column holds the hamlet: choose the hamlet of the whole file below, unless the list names hamlets in group title rows.</source>
        <translation>Không có cột thôn: hãy chọn thôn cho cả tệp ở dưới, trừ khi danh sách ghi tên thôn ở các dòng tiêu đề nhóm.</translation>
    </message>
</context>
<context>
    <name>MyAccountBox</name>
    <message>
        <source>My account</source>
        <translation>Tài khoản của tôi</translation>
    </message>
    <message>
        <source>Signed in as %1 (%2).</source>
        <translation>Đang đăng nhập: %1 (%2).</translation>
    </message>
    <message>
        <source>Change my password…</source>
        <translation>Đổi mật khẩu của tôi…</translation>
    </message>
    <message>
        <source>Change my password</source>
        <translation>Đổi mật khẩu của tôi</translation>
    </message>
    <message>
        <source>If you can sign bundle files, your signing key opens with the new password from now on, and no longer with the old one.</source>
        <translation>Nếu bạn ký được gói dữ liệu, từ nay khóa ký mở bằng mật khẩu mới, không còn mở bằng mật khẩu cũ.</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>Mật khẩu đang dùng</translation>
    </message>
    <message>
        <source>Your password was changed.</source>
        <translation>Đã đổi mật khẩu của bạn.</translation>
    </message>
</context>
<context>
    <name>NewPasswordFields</name>
    <message>
        <source>Type it again</source>
        <translation>Nhập lại</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Hai lần nhập mật khẩu không khớp nhau.</translation>
    </message>
</context>
<context>
    <name>OutcomesModel</name>
    <message>
        <source>Row</source>
        <translation>Dòng</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <source>Head of household</source>
        <translation>Chủ hộ</translation>
    </message>
    <message>
        <source>If duplicate</source>
        <translation>Nếu trùng</translation>
    </message>
    <message>
        <source>What was found</source>
        <translation>Nhận xét</translation>
    </message>
    <message>
        <source>Click to choose what to do with this row</source>
        <translation>Bấm để chọn cách xử lý dòng này</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>New password</source>
        <translation>Mật khẩu mới</translation>
    </message>
</context>
<context>
    <name>PendingModel</name>
    <message>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Đơn vị gửi</translation>
    </message>
    <message>
        <source>Waiting for</source>
        <translation>Đang chờ</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Ngày nhận</translation>
    </message>
</context>
<context>
    <name>PendingTab</name>
    <message>
        <source>Try again now</source>
        <translation>Thử lại ngay</translation>
    </message>
    <message>
        <source>These bundles arrived before an earlier one from the same computer. They are applied by themselves as soon as the missing bundle is imported.</source>
        <translation>Đây là các gói chờ: chúng đến trước một gói cũ hơn của cùng máy gửi. Khi gói còn thiếu được nhập, các gói này tự động được ghi.</translation>
    </message>
    <message>
        <source>Apply waiting bundles</source>
        <translation>Ghi các gói chờ</translation>
    </message>
    <message>
        <source>The missing bundles have not arrived yet.</source>
        <translation>Các gói còn thiếu vẫn chưa được nhập.</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting bundle(s) applied.</source>
        <translation>
            <numerusform>Đã áp dụng %n gói đang chờ.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <source>Check before importing</source>
        <translation>Kiểm tra trước khi nhập</translation>
    </message>
    <message>
        <source>Nothing is written yet. Rows with errors are not imported; correct them in the file and import it again later, or import the others now.</source>
        <translation>Chưa ghi gì vào dữ liệu. Dòng có lỗi sẽ không được nhập; hãy sửa trong tệp rồi nhập lại sau, hoặc nhập ngay các dòng còn lại.</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Kiểm tra lại</translation>
    </message>
    <message>
        <source>Save report…</source>
        <translation>Lưu kết quả…</translation>
    </message>
    <message>
        <source>Duplicate rows:</source>
        <translation>Dòng trùng:</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Hiện:</translation>
    </message>
    <message>
        <source>Checking every row…</source>
        <translation>Đang kiểm tra từng dòng…</translation>
    </message>
    <message>
        <source>Checking the rows</source>
        <translation>Đang kiểm tra trước (chưa ghi)</translation>
    </message>
    <message>
        <source>The rows could not be checked.</source>
        <translation>Không kiểm tra được các dòng.</translation>
    </message>
    <message>
        <source>The check was cancelled. Press “Check again” to run it.</source>
        <translation>Đã hủy kiểm tra. Bấm “Kiểm tra lại” để chạy lại.</translation>
    </message>
    <message>
        <source>Import will add or update up to %1 households.</source>
        <translation>Khi nhập sẽ thêm hoặc cập nhật tối đa %1 hộ.</translation>
    </message>
    <message numerus="yes">
        <source>%n of the skipped rows match a household already entered or an earlier row of the file (Show: Duplicate).</source>
        <translation>
            <numerusform>%n dòng bỏ qua trùng với hộ đã có hoặc với một dòng trước trong tệp (Hiện: Trùng).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) are households already entered just as the file has them: nothing to import.</source>
        <translation>
            <numerusform>%n dòng là hộ đã có, đúng như trong tệp: không có gì để nhập.</numerusform>
        </translation>
    </message>
    <message>
        <source>Create the hamlets the commune does not have yet:</source>
        <translation>Tạo các thôn xã chưa có:</translation>
    </message>
    <message>
        <source>All rows (%1)</source>
        <translation>Tất cả các dòng (%1)</translation>
    </message>
    <message>
        <source>Select a row to read all it says.</source>
        <translation>Chọn một dòng để xem đầy đủ nhận xét.</translation>
    </message>
    <message>
        <source>Row %1</source>
        <translation>Dòng %1</translation>
    </message>
    <message>
        <source>Import households</source>
        <translation>Nhập danh sách hộ</translation>
    </message>
    <message>
        <source>No row can be imported: every row has an error or is skipped.</source>
        <translation>Không có dòng nào nhập được: dòng nào cũng có lỗi hoặc bị bỏ qua.</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) with errors will not be imported. Import the other rows?</source>
        <translation>
            <numerusform>%n dòng có lỗi sẽ không được nhập. Nhập các dòng còn lại?</numerusform>
        </translation>
    </message>
    <message>
        <source>Importing households</source>
        <translation>Đang nhập danh sách hộ</translation>
    </message>
    <message>
        <source>Nothing was imported</source>
        <translation>Chưa nhập được gì</translation>
    </message>
    <message>
        <source>The import was cancelled; nothing was written.</source>
        <translation>Đã hủy nhập; không có gì được ghi.</translation>
    </message>
</context>
<context>
    <name>Prompts</name>
    <message>
        <source>nhao cannot open its data</source>
        <translation>nhao không mở được dữ liệu</translation>
    </message>
    <message>
        <source>Close without saving? What you typed here will be lost.</source>
        <translation>Đóng mà không lưu? Những gì vừa nhập ở đây sẽ mất.</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Có</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Không</translation>
    </message>
</context>
<context>
    <name>RegisterExport</name>
    <message>
        <source>Export the household register</source>
        <translation>Xuất danh sách hộ ra Excel</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Sổ tính Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Hide citizen IDs?</source>
        <translation>Che số CCCD?</translation>
    </message>
    <message>
        <source>Show only the last 4 digits of citizen IDs (for a list that leaves the commune office)?
A file imported back to update households needs the full numbers.</source>
        <translation>Chỉ hiện 4 chữ số cuối của số CCCD (cho danh sách gửi ra ngoài trụ sở xã)?
Tệp dùng để nhập lại, cập nhật hộ thì cần đủ số CCCD.</translation>
    </message>
    <message>
        <source>%n household(s) exported to %1.</source>
        <translation>Đã xuất %n hộ ra tệp %1.</translation>
    </message>
    <message>
        <source>Exporting the register</source>
        <translation>Đang xuất danh sách hộ</translation>
    </message>
</context>
<context>
    <name>RoleDialog</name>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Hamlet</source>
        <translation>Thôn, xóm</translation>
    </message>
    <message>
        <source>The person keeps their user name and password. A role that signs bundle files gets the signing key at the next password reset.</source>
        <translation>Người dùng giữ nguyên tên đăng nhập và mật khẩu. Vai trò có ký gói dữ liệu sẽ được giao khóa ký khi đặt lại mật khẩu lần tới.</translation>
    </message>
</context>
<context>
    <name>SaveTarget</name>
    <message>
        <source>%1 already exists. Replace it?</source>
        <translation>Đã có tệp %1. Ghi đè lên tệp đó?</translation>
    </message>
    <message>
        <source>%1 is the list being imported; choose another name for the report.</source>
        <translation>%1 là danh sách đang nhập; hãy đặt tên khác cho tệp kết quả.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source> minutes</source>
        <translation> phút</translation>
    </message>
    <message>
        <source> rows</source>
        <translation> dòng</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>Lưu cài đặt</translation>
    </message>
    <message>
        <source>A new language takes effect the next time nhao starts.</source>
        <translation>Ngôn ngữ mới có hiệu lực từ lần mở nhao sau.</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Máy này</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>Lock the screen after</source>
        <translation>Khóa màn hình sau</translation>
    </message>
    <message>
        <source>Largest list to import</source>
        <translation>Giới hạn tệp nhập</translation>
    </message>
    <message>
        <source>Only an administrator can change the settings of this computer.</source>
        <translation>Chỉ quản trị mới thay đổi được cài đặt của máy này.</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>Sao lưu</translation>
    </message>
    <message>
        <source>nhao backs this computer&apos;s data up every day, in %1. Putting a backup back takes out everything entered after it was made; the data replaced is kept as one more backup.</source>
        <translation>nhao tự sao lưu dữ liệu của máy này mỗi ngày, vào %1. Khôi phục một bản sao lưu sẽ bỏ đi mọi thứ đã nhập sau khi bản đó được tạo; dữ liệu bị thay được giữ lại thành một bản sao lưu nữa.</translation>
    </message>
    <message>
        <source>Restore from a backup…</source>
        <translation>Khôi phục từ bản sao lưu…</translation>
    </message>
    <message>
        <source>Restore from a backup</source>
        <translation>Khôi phục từ bản sao lưu</translation>
    </message>
    <message>
        <source>nhao backups (*.sqlite)</source>
        <translation>Bản sao lưu nhao (*.sqlite)</translation>
    </message>
    <message>
        <source>Put back the data of %1, made on %2 at %3?

Everything entered after that is taken out of the data in use (it is kept as one more backup). nhao then closes: open it again to go on.</source>
        <translation>Khôi phục dữ liệu của %1, tạo ngày %2 lúc %3?

Mọi thứ đã nhập sau thời điểm đó sẽ bị bỏ khỏi dữ liệu đang dùng (được giữ lại thành một bản sao lưu nữa). Sau đó nhao sẽ đóng lại: hãy mở lại để làm tiếp.</translation>
    </message>
    <message>
        <source>Putting the backup back…</source>
        <translation>Đang khôi phục bản sao lưu…</translation>
    </message>
    <message>
        <source>The data of %1 is back. The data it replaced is kept in %2. nhao closes now; open it again to go on. If bundles were exported after the backup was made, the next export starts a new numbering of changes by itself.</source>
        <translation>Đã khôi phục dữ liệu của %1. Dữ liệu bị thay được giữ ở %2. nhao sẽ đóng lại; hãy mở lại để làm tiếp. Nếu máy đã xuất gói sau ngày sao lưu, lần xuất gói tới sẽ tự bắt đầu một lượt đánh số thay đổi mới.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>Settings saved.</source>
        <translation>Đã lưu cài đặt.</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Screen locked</source>
        <translation>Màn hình đã khóa</translation>
    </message>
    <message>
        <source>Sign in to nhao</source>
        <translation>Đăng nhập nhao</translation>
    </message>
    <message>
        <source>Enter your password to continue.</source>
        <translation>Nhập mật khẩu để làm việc tiếp.</translation>
    </message>
    <message>
        <source>Sign in to work on %1.</source>
        <translation>Đăng nhập để làm việc với %1.</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Mở khóa</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Tên đăng nhập hoặc mật khẩu không đúng.</translation>
    </message>
</context>
<context>
    <name>StructureEditor</name>
    <message>
        <source>Main structures</source>
        <translation>Kết cấu chính</translation>
    </message>
    <message>
        <source>Structure</source>
        <translation>Kết cấu</translation>
    </message>
    <message>
        <source>Durability</source>
        <translation>Độ bền</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <source>Material</source>
        <translation>Vật liệu</translation>
    </message>
    <message>
        <source>Durable</source>
        <translation>Bền chắc</translation>
    </message>
    <message>
        <source>Not durable</source>
        <translation>Không bền chắc</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>Còn tốt</translation>
    </message>
    <message>
        <source>Damaged (leaks, cracks)</source>
        <translation>Hư hỏng (dột, nứt)</translation>
    </message>
    <message>
        <source>e.g. tôn, gạch</source>
        <translation>ví dụ: tôn, gạch</translation>
    </message>
</context>
<context>
    <name>Structures</name>
    <message>
        <source>Foundation</source>
        <translation>Nền – móng</translation>
    </message>
    <message>
        <source>Frame and walls</source>
        <translation>Khung – tường</translation>
    </message>
    <message>
        <source>Roof</source>
        <translation>Mái</translation>
    </message>
    <message>
        <source>not assessed</source>
        <translation>chưa đánh giá</translation>
    </message>
    <message>
        <source>durable</source>
        <translation>bền chắc</translation>
    </message>
    <message>
        <source>not durable</source>
        <translation>không bền chắc</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>hư hỏng</translation>
    </message>
    <message>
        <source>sound</source>
        <translation>còn tốt</translation>
    </message>
</context>
<context>
    <name>SyncEntities</name>
    <message>
        <source>Administrative units</source>
        <translation>Đơn vị hành chính</translation>
    </message>
    <message>
        <source>Yearly targets</source>
        <translation>Chỉ tiêu năm</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <source>Households</source>
        <translation>Hộ gia đình</translation>
    </message>
    <message>
        <source>Possible duplicates reviewed</source>
        <translation>Cặp hộ có thể trùng đã xem xét</translation>
    </message>
    <message>
        <source>Inspections</source>
        <translation>Khảo sát</translation>
    </message>
    <message>
        <source>Photos and documents</source>
        <translation>Ảnh, tài liệu</translation>
    </message>
    <message>
        <source>Support cases</source>
        <translation>Hồ sơ hỗ trợ</translation>
    </message>
    <message>
        <source>Support by source</source>
        <translation>Kinh phí hỗ trợ theo nguồn</translation>
    </message>
    <message>
        <source>Case steps</source>
        <translation>Chuyển bước hồ sơ</translation>
    </message>
    <message>
        <source>Donors</source>
        <translation>Nhà tài trợ</translation>
    </message>
    <message>
        <source>Pledges</source>
        <translation>Đăng ký ủng hộ</translation>
    </message>
    <message>
        <source>Receipt vouchers</source>
        <translation>Phiếu thu</translation>
    </message>
    <message>
        <source>Payment vouchers</source>
        <translation>Phiếu chi</translation>
    </message>
    <message>
        <source>Bank statement lines</source>
        <translation>Dòng sao kê ngân hàng</translation>
    </message>
    <message>
        <source>Period closes</source>
        <translation>Khóa sổ</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Sync</source>
        <translation>Đồng bộ</translation>
    </message>
    <message>
        <source>Password of %1 (it unlocks this computer&apos;s signing key):</source>
        <translation>Mật khẩu của %1 (để mở khóa ký của máy này):</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Xuất</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Nhập</translation>
    </message>
    <message>
        <source>Waiting (%1)</source>
        <translation>Gói chờ (%1)</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Gói chờ</translation>
    </message>
    <message>
        <source>Conflicts (%1)</source>
        <translation>Xung đột (%1)</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Xung đột</translation>
    </message>
    <message>
        <source>Possible duplicates (%1)</source>
        <translation>Có thể trùng (%1)</translation>
    </message>
    <message>
        <source>Possible duplicates</source>
        <translation>Có thể trùng</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Khóa</translation>
    </message>
</context>
<context>
    <name>TaskRunner</name>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>nhao met an unexpected error (%1). The step that failed was not saved. The details are in %2: send that file to whoever supports nhao.</source>
        <translation>nhao gặp lỗi không mong đợi (%1). Thao tác vừa lỗi không được lưu. Chi tiết ghi ở %2: hãy gửi tệp đó cho người hỗ trợ nhao.</translation>
    </message>
    <message>
        <source>The file or folder of %1 is not there any more (was a USB stick taken out?). Choose another place and try again.</source>
        <translation>Không còn thấy tệp hay thư mục của %1 (USB đã bị rút ra?). Hãy chọn nơi khác rồi làm lại.</translation>
    </message>
    <message>
        <source>nhao may not write %1: the file may be open in another program such as Excel, or the folder may be read-only. Close it or choose another place.</source>
        <translation>nhao không ghi được %1: có thể tệp đang mở trong chương trình khác như Excel, hoặc thư mục chỉ cho đọc. Hãy đóng tệp đó hoặc chọn nơi khác.</translation>
    </message>
    <message>
        <source>The disk is full: %1 could not be written.</source>
        <translation>Ổ đĩa đã đầy: không ghi được %1.</translation>
    </message>
    <message>
        <source>Could not read or write %1 (%2).</source>
        <translation>Không đọc hay ghi được %1 (%2).</translation>
    </message>
</context>
<context>
    <name>TrustKeyDialog</name>
    <message>
        <source>Trust a key</source>
        <translation>Tin cậy khóa</translation>
    </message>
    <message>
        <source>Type the fingerprint exactly as printed on the key certificate of %1, signed and stamped by that unit. Do not copy it from the file or a message.</source>
        <translation>Gõ mã nhận dạng khóa đúng như in trên giấy chứng nhận khóa của %1, có chữ ký và đóng dấu của đơn vị đó. Không sao chép từ tệp hay từ tin nhắn.</translation>
    </message>
    <message>
        <source>A unit below this one (it sends its records up)</source>
        <translation>Cấp dưới (gửi dữ liệu của mình lên)</translation>
    </message>
    <message>
        <source>The unit above this one (it sends targets and decisions down)</source>
        <translation>Cấp trên (gửi chỉ tiêu và quyết định xuống)</translation>
    </message>
    <message>
        <source>Trust</source>
        <translation>Tin cậy</translation>
    </message>
    <message>
        <source>Key file</source>
        <translation>Tệp khóa</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>Mã nhận dạng khóa</translation>
    </message>
    <message>
        <source>This unit is</source>
        <translation>Đơn vị này là</translation>
    </message>
</context>
<context>
    <name>TrustedKeysModel</name>
    <message>
        <source>Unit</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Key ID</source>
        <translation>Mã khóa</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>Mã nhận dạng khóa</translation>
    </message>
    <message>
        <source>Trusted since</source>
        <translation>Tin cậy từ</translation>
    </message>
    <message>
        <source>Revoked from</source>
        <translation>Thu hồi từ</translation>
    </message>
    <message>
        <source>Unit below</source>
        <translation>Cấp dưới</translation>
    </message>
    <message>
        <source>Unit above</source>
        <translation>Cấp trên</translation>
    </message>
    <message>
        <source>Replaced by a new key</source>
        <translation>Đã thay bằng khóa mới</translation>
    </message>
    <message>
        <source>Replaced by the key %1.</source>
        <translation>Đã thay bằng khóa %1.</translation>
    </message>
    <message>
        <source>Revoked from %1.</source>
        <translation>Bị thu hồi từ %1.</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>Lý do: %1</translation>
    </message>
</context>
</TS>
