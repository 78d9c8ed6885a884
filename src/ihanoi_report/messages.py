"""Every sentence a user sees, in Vietnamese and English, keyed by a stable code.

Finding codes (kebab-case) are also the keys of their sentences; they are never renamed
once released. The language is chosen once per process by the CLI (``--lang``).
"""

from __future__ import annotations

import os
from typing import Final

LANGUAGES: Final = ("vi", "en")
_language = os.environ.get("IHANOI_LANG", "vi") if os.environ.get("IHANOI_LANG") in LANGUAGES else "vi"

# code -> (Vietnamese, English). Placeholders use str.format names.
CATALOG: Final[dict[str, tuple[str, str]]] = {
    # --- findings: reading and identification -------------------------------------------
    "file-unreadable": (
        "Tệp bị hỏng, không mở được ({detail}); đề nghị đơn vị mở lại bằng Excel, lưu lại và gửi lại.",
        "The file is damaged and cannot be opened ({detail}); ask the unit to open it in Excel, save it and send it again.",
    ),
    "file-encrypted": (
        "Tệp có mật khẩu nên không đọc được; đề nghị đơn vị bỏ mật khẩu rồi gửi lại.",
        "The file is password-protected and cannot be read; ask the unit to remove the password and send it again.",
    ),
    "not-a-spreadsheet": (
        "Không phải tệp bảng tính (nội dung là {detail}); đề nghị gửi lại đúng tệp biểu mẫu .xlsx.",
        "This is not a spreadsheet (its content is {detail}); ask for the .xlsx form itself.",
    ),
    "file-format-unsupported": (
        "Định dạng tệp không được hỗ trợ ({detail}); đề nghị mở bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx.",
        "This file format is not supported ({detail}); open it in Excel or LibreOffice and save it as .xlsx.",
    ),
    "file-variant-unsupported": (
        "Tệp không hỏng, nhưng công cụ chưa đọc được kiểu tệp này ({format}); đề nghị đơn vị mở tệp bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx rồi gửi lại.",
        "The file is not damaged, but the tool cannot read this kind of file yet ({format}); ask the unit to open it in Excel or LibreOffice, save it as .xlsx and send it again.",
    ),
    "file-too-large": (
        "Tệp quá lớn để là biểu mẫu báo cáo ({detail}); đề nghị gửi lại đúng tệp biểu mẫu.",
        "The file is too large to be a report form ({detail}); ask for the form itself.",
    ),
    "form-not-found": (
        'Không tìm thấy biểu mẫu báo cáo trong tệp (không có dòng tiêu đề "Tên đơn vị"); đề nghị dùng đúng biểu mẫu đã gửi.',
        'No report form found in the file (no header row with "Tên đơn vị"); ask the unit to use the form that was sent.',
    ),
    "unit-unknown": (
        'Không xác định được đơn vị báo cáo (tìm thấy: "{value}"); đề nghị ghi đúng tên đơn vị hoặc dùng biểu mẫu riêng của đơn vị.',
        'The reporting unit cannot be identified (found: "{value}"); ask the unit to write its exact name or use its own form.',
    ),
    "unit-reports-through": (
        "{value} báo cáo qua {parent}, nhưng đã gửi biểu riêng; số liệu vẫn được nhận. Đề nghị đơn vị gửi số liệu cho {parent} để tổng hợp, không gửi biểu riêng.",
        "{value} reports through {parent} but sent a form of its own; the figures are taken all the same. Ask the unit to send its figures to {parent}, not a form of its own.",
    ),
    "unit-ambiguous": (
        'Không rõ là đơn vị nào: "{value}" khớp với cả {candidates}; đề nghị ghi đầy đủ tên đơn vị.',
        'It is not clear which unit this is: "{value}" matches both {candidates}; ask for the unit\'s full name.',
    ),
    "round-mismatch": (
        "Tệp ghi là báo cáo lần {value}, nhưng thư mục đang nhận là lần {expected}; đề nghị kiểm tra lại lần báo cáo.",
        "The file says round {value}, but this folder is round {expected}; check which round it belongs to.",
    ),
    "round-unknown": (
        'Không xác định được lần báo cáo; ghi "LẦN N" trong tiêu đề hoặc chạy lệnh với --round N.',
        'The round cannot be determined; the title should say "LẦN N", or run the command with --round N.',
    ),
    "campaign-mismatch": (
        'Biểu mẫu thuộc đợt "{value}", không phải đợt "{expected}" đang thu; đề nghị dùng biểu mẫu của đợt này.',
        'The form belongs to campaign "{value}", not "{expected}"; ask for this campaign\'s form.',
    ),
    "row-unknown": (
        'Dòng {row} ("{value}") không có trong danh sách đơn vị trực thuộc nên số liệu dòng này không được tính; nếu đúng là đơn vị trực thuộc, thêm vào units.csv để các lần sau được tính.',
        'Row {row} ("{value}") is not a sub-unit in the registry, so its figures are not counted; if it is one, add it to units.csv so that later reports count it.',
    ),
    "unit-conflict": (
        'Biểu mẫu này là của {meta} (theo dữ liệu ẩn của biểu mẫu) nhưng trên biểu mẫu ghi đơn vị {shown} ("{value}"); đề nghị đơn vị dùng đúng biểu mẫu của mình. Số liệu chưa được nhận cho đơn vị nào.',
        'This form belongs to {meta} (by its hidden data) but it names {shown} ("{value}"); ask the unit to use its own form. The figures were not taken for either unit.',
    ),
    "round-conflict": (
        "Tiêu đề biểu mẫu ghi lần {value} nhưng biểu mẫu là của lần {expected} (dữ liệu ẩn); đề nghị dùng đúng biểu mẫu của lần báo cáo này.",
        "The form's title says round {value} but the form is round {expected}'s (its hidden data); ask for this round's form.",
    ),
    "round-date-conflict": (
        "Ô {cell}: biểu mẫu là của lần {round} nhưng ngày báo cáo {value} thuộc kỳ báo cáo lần {later}; nếu là báo cáo lần {later}, đề nghị đơn vị dùng biểu mẫu lần {later}; nếu đúng là báo cáo lần {round} gửi muộn, nhận lại tệp với --round {round}.",
        "Cell {cell}: the form is round {round}'s but its report date {value} falls in round {later}'s window; if it reports round {later}, ask for round {later}'s form; if it is a late round {round} report, ingest it again with --round {round}.",
    ),
    "legacy-encoding": (
        "Tệp gõ bằng bảng mã cũ {value} (phông .VnTime hoặc VNI); công cụ đã chuyển sang Unicode để đọc, đề nghị đơn vị dùng bảng mã Unicode ở các lần sau.",
        "The file was typed in the legacy {value} encoding (.VnTime or VNI fonts); it was converted to Unicode to be read; ask the unit to type in Unicode next time.",
    ),
    "not-a-workbook": (
        "Đơn vị gửi tệp {suffix} (ảnh chụp, bản PDF hay bản xuất CSV), không phải tệp Excel của biểu mẫu, nên công cụ không đọc được số liệu; đề nghị gửi lại chính tệp biểu mẫu .xlsx đã điền.",
        "The unit sent a {suffix} file (a photo, a PDF or a CSV export), not the form's Excel file, so its figures cannot be read; ask for the filled-in .xlsx form itself.",
    ),
    "title-not-a-workbook": ("Gửi ảnh/PDF/CSV thay cho tệp Excel", "A photo/PDF/CSV instead of the Excel file"),
    "archive-unopened": (
        "Tệp nén {suffix}: công cụ chỉ mở tệp nén .zip đặt trong thư mục nhận (không mở .rar, .7z hay tệp nén nằm trong tệp nén), nên các báo cáo trong tệp này chưa được nhận; đề nghị giải nén vào thư mục nhận, chuyển tệp nén ra chỗ khác rồi chạy lại lệnh.",
        "A {suffix} archive: the tool opens only .zip archives that lie in the inbox (not .rar, .7z, nor an archive inside an archive), so the reports in this one are not received; extract it into the inbox, move the archive elsewhere and run the command again.",
    ),
    "title-archive-unopened": ("Tệp nén chưa mở được (.rar, .7z, tệp nén lồng nhau)", "An archive not opened (.rar, .7z, nested)"),
    "archive-unreadable": (
        "Tệp nén .zip bị hỏng hoặc có quá nhiều tệp nên không mở được, các báo cáo trong đó chưa được nhận; đề nghị giải nén bằng máy tính vào thư mục nhận, chuyển tệp nén ra chỗ khác rồi chạy lại lệnh.",
        "The .zip archive is damaged or holds too many files and cannot be opened, so the reports in it are not received; extract it on the computer into the inbox, move the archive elsewhere and run the command again.",
    ),
    "title-archive-unreadable": ("Tệp nén .zip không mở được", "A .zip archive that cannot be opened"),
    "form-sheet-hidden": (
        'Biểu mẫu nằm trên trang tính "{sheet_name}" đang bị ẩn; số liệu trên đó vẫn được tính. Đề nghị đơn vị bỏ ẩn trang và kiểm tra đó đúng là số liệu muốn báo cáo.',
        'The form is on the hidden sheet "{sheet_name}"; its figures are counted. Ask the unit to unhide the sheet and check these are the figures it means to report.',
    ),
    "title-form-sheet-hidden": ('Biểu mẫu trên trang bị ẩn', 'Form on a hidden sheet'),
    "rows-hidden": (
        'Dòng {rows} của bảng đang bị ẩn (ẩn tay, lọc hay thu gọn nhóm) nhưng có số liệu, và số liệu đó vẫn được tính; đề nghị đơn vị bỏ ẩn và kiểm tra, hoặc xóa hẳn dòng không muốn báo cáo rồi gửi lại.',
        'Row(s) {rows} of the table are hidden (by hand, by a filter or a folded group) but hold figures, which are counted; ask the unit to unhide and check them, or delete the rows it does not mean to report and send the file again.',
    ),
    "title-rows-hidden": ('Dòng bị ẩn có số liệu', 'Hidden rows with figures'),
    "columns-hidden": (
        'Cột {columns} của bảng đang bị ẩn nhưng vẫn được đọc và tính; đề nghị đơn vị bỏ ẩn và kiểm tra.',
        'Column(s) {columns} of the table are hidden but are read and counted; ask the unit to unhide and check them.',
    ),
    "title-columns-hidden": ('Cột bị ẩn', 'Hidden columns'),
    "form-copy-ignored": (
        'Trang tính "{sheet_name}" là một bản nữa của biểu mẫu với đúng số liệu như bản được đọc; không tính hai lần.',
        'The sheet "{sheet_name}" is another copy of the form with the same figures as the one read; not counted twice.',
    ),
    "title-form-copy-ignored": ('Bản biểu mẫu thứ hai, cùng số liệu', 'Second copy of the form, same figures'),
    "form-on-two-sheets": (
        'Tệp có hai biểu mẫu khác nhau: trang "{sheet_name}" (được đọc) và trang "{other_sheet}" ({value}); công cụ không biết bản nào là báo cáo, nên trả lại. Đề nghị đơn vị chỉ để lại một biểu mẫu rồi gửi lại.',
        'The file holds two different forms: sheet "{sheet_name}" (read) and sheet "{other_sheet}" ({value}); the tool cannot tell which is the report, so it is sent back. Ask the unit to keep one form and send it again.',
    ),
    "title-form-on-two-sheets": ('Hai biểu mẫu khác nhau trong một tệp', 'Two different forms in one file'),
    "figures-elsewhere": (
        'Trang tính "{sheet_name}" có số liệu ({cells}) nằm ngoài biểu mẫu nên không được tính; nếu đó là số liệu báo cáo, đề nghị đơn vị ghi vào biểu mẫu rồi gửi lại.',
        'The sheet "{sheet_name}" holds figures ({cells}) outside the form, which are not counted; if they are report figures, ask the unit to put them in the form and send it again.',
    ),
    "title-figures-elsewhere": ('Số liệu ngoài biểu mẫu', 'Figures outside the form'),
    "sheet-unreadable": (
        'Trang tính "{sheet_name}" không đọc được nên không biết có số liệu hay không; số liệu ở trang đó (nếu có) không được tính. Nếu trang đó có số liệu báo cáo, đề nghị đơn vị ghi vào biểu mẫu rồi gửi lại.',
        'The sheet "{sheet_name}" cannot be read, so whether it holds figures is not known; any figures there are not counted. If it holds report figures, ask the unit to put them in the form and send it again.',
    ),
    "title-sheet-unreadable": ("Trang tính không đọc được", "A sheet that cannot be read"),
    "row-repeated": (
        'Dòng {row} ("{value}") lặp lại dòng {first} với cùng số liệu; chỉ tính một lần.',
        'Row {row} ("{value}") repeats row {first} with the same figures; counted once.',
    ),
    "title-row-repeated": ('Dòng lặp lại, cùng số liệu', 'Row repeated, same figures'),
    "row-repeated-differs": (
        'Dòng {row} ("{value}") lặp lại đơn vị của dòng {first} nhưng số liệu khác; công cụ không biết dòng nào đúng. Đề nghị đơn vị xóa dòng thừa rồi gửi lại.',
        'Row {row} ("{value}") repeats the unit of row {first} with other figures; the tool cannot tell which is right. Ask the unit to delete the extra row and send the file again.',
    ),
    "title-row-repeated-differs": ('Dòng lặp lại, số liệu khác', 'Row repeated with other figures'),
    "column-by-elimination": (
        "Tên cột chưa nói rõ là số nào (cùng một tên đứng dưới nhiều nhóm cột của biểu mẫu); công cụ đọc theo cách duy nhất còn lại, vì mọi cột khác đã rõ: {readings}. Đề nghị kiểm tra, và lần sau dùng đúng biểu mẫu đã gửi.",
        "A column's name does not say which count it is (the same name stands under several of the form's headings); the tool read it the only way left, every other column being clear: {readings}. Please check, and use the form that was sent next time.",
    ),
    "title-column-by-elimination": ("Cột đọc theo cách duy nhất còn lại", "Column read the only way left"),
    "column-missing": (
        "Dòng tiêu đề của bảng (dòng {row}) không có {column} (hoặc tên cột không nói rõ thuộc nhóm cột nào của biểu mẫu); đề nghị dùng đúng biểu mẫu đã gửi, hoặc ghi rõ tên cột như trong biểu mẫu.",
        "The table's header (row {row}) has no {column} (or the column's name does not say which of the form's headings it stands under); ask the unit to use the form that was sent, or to name the column as the form does.",
    ),
    "column-duplicate": (
        'Dòng tiêu đề của bảng (dòng {row}) có nhiều cột cùng là "{value}" (cột {letters}); đề nghị chỉ để lại một cột.',
        'The table\'s header (row {row}) has several "{value}" columns (columns {letters}); ask the unit to keep only one.',
    ),
    "row-missing": (
        "Thiếu dòng số liệu của {value}; đề nghị bổ sung dòng này vào bảng.",
        "The row of {value} is missing; ask the unit to add it to the table.",
    ),
    # --- findings: values ---------------------------------------------------------------
    "value-missing": (
        "Ô {cell} ({column}) còn trống; đề nghị nhập số liệu.",
        "Cell {cell} ({column}) is empty; a figure is required.",
    ),
    "value-not-integer": (
        'Ô {cell} ({column}) ghi "{value}", không phải số nguyên; đề nghị ghi một số nguyên, ví dụ 1234.',
        'Cell {cell} ({column}) holds "{value}", which is not a whole number; write a whole number such as 1234.',
    ),
    "value-negative": (
        "Ô {cell} ({column}) ghi số âm {value}; số lượng phải từ 0 trở lên.",
        "Cell {cell} ({column}) holds the negative number {value}; counts must be 0 or more.",
    ),
    "value-formula-no-result": (
        "Ô {cell} ({column}) có công thức nhưng chưa có kết quả đã lưu; đề nghị mở tệp bằng Excel/LibreOffice, lưu lại rồi gửi lại.",
        "Cell {cell} ({column}) holds a formula with no saved result; open the file in Excel/LibreOffice, save it and send it again.",
    ),
    "value-not-expected": (
        'Ô {cell} ({column}) có số liệu "{value}" nhưng đơn vị không quản lý dân cư; số liệu này không được tính.',
        'Cell {cell} ({column}) holds "{value}" but this unit has no residents; the figure is ignored.',
    ),
    # --- findings: rules ----------------------------------------------------------------
    "total-row-missing": (
        "Tệp tổng hợp của cấp dưới không có dòng tổng cộng; đề nghị gửi lại đúng tệp tổng hợp do công cụ ghi, không sửa bằng tay.",
        "The lower level's consolidated workbook has no total row; ask for the consolidated workbook as the tool wrote it, not edited by hand.",
    ),
    "unit-in-two-reports": (
        "Số liệu của {who} có trong hai báo cáo đang dùng: {other} (ngày {other_date}) và {this} (ngày {date}); số liệu được tính theo báo cáo ngày muộn hơn: {kept}. Đề nghị thống nhất với đơn vị để chỉ gửi một báo cáo.",
        "{who}'s figures are in two reports in use: {other} (dated {other_date}) and {this} (dated {date}); the later one counts: {kept}. Agree with the units that only one report is sent.",
    ),
    "title-unit-in-two-reports": ("Đơn vị có trong hai báo cáo", "Unit in two reports"),
    "staff-installed-gt-total": (
        "Ô {cell}: số CBCCVC đã cài đặt ({value}) lớn hơn tổng số CBCCVC ({limit}); đề nghị kiểm tra lại.",
        "Cell {cell}: staff installed ({value}) is more than the staff total ({limit}); please check.",
    ),
    "installed-gt-smartphones": (
        "Ô {cell}: số người dân đã cài đặt ({value}) lớn hơn số người dân có điện thoại thông minh ({limit}); đề nghị kiểm tra lại.",
        "Cell {cell}: residents installed ({value}) is more than residents with a smartphone ({limit}); please check.",
    ),
    "smartphones-gt-residents": (
        "Ô {cell}: số người dân có điện thoại thông minh ({value}) lớn hơn tổng số người dân ({limit}); đề nghị kiểm tra lại.",
        "Cell {cell}: residents with a smartphone ({value}) is more than all residents ({limit}); please check.",
    ),
    "total-row-mismatch": (
        "Ô {cell} (dòng Tổng cộng) ghi {value}, nhưng cộng các dòng được {limit}; đề nghị sửa lại dòng tổng.",
        "Cell {cell} (total row) holds {value}, but the rows add up to {limit}; please correct the total.",
    ),
    "target-missed": (
        "Ô {cell} ({who}): chưa đạt chỉ tiêu {label}, mới có {value}/{limit} ({share}), yêu cầu {target} từ ngày {deadline}.",
        "Cell {cell} ({who}): target missed ({label}), only {value} of {limit} ({share}); {target} was due by {deadline}.",
    ),
    "staff-target-missed": (
        "Ô {cell} ({who}): chưa đạt chỉ tiêu, mới có {value}/{limit} CBCCVC cài đặt iHanoi ({share}), yêu cầu {target} từ ngày {deadline}.",
        "Cell {cell} ({who}): target missed, only {value} of {limit} staff have installed iHanoi ({share}); {target} was due by {deadline}.",
    ),
    "resident-target-missed": (
        "Ô {cell} ({who}): chưa đạt chỉ tiêu, mới có {value}/{limit} người dân có điện thoại thông minh cài đặt iHanoi ({share}), yêu cầu {target} từ ngày {deadline}.",
        "Cell {cell} ({who}): target missed, only {value} of {limit} residents with a smartphone have installed iHanoi ({share}); {target} was due by {deadline}.",
    ),
    "count-fell": (
        "Ô {cell} ({column}) giảm từ {previous} (lần {previous_round}) xuống {value}; số đã cài đặt không thể giảm, đề nghị kiểm tra lại.",
        "Cell {cell} ({column}) fell from {previous} (round {previous_round}) to {value}; an installed count should not fall, please check.",
    ),
    "count-changed-sharply": (
        "Ô {cell} ({column}) thay đổi từ {previous} (lần {previous_round}) thành {value} ({change}); đề nghị kiểm tra lại.",
        "Cell {cell} ({column}) changed from {previous} (round {previous_round}) to {value} ({change}); please check.",
    ),
    "share-outlier": (
        "Ô {cell}: {share} là {value}, khác xa các đơn vị khác (trung bình {limit}); đề nghị kiểm tra lại.",
        "Cell {cell}: {share} is {value}, far from the other units (average {limit}); please check.",
    ),
    "residents-changed-sharply": (
        "Ô {cell}: tổng số người dân thay đổi từ {previous} (lần {previous_round}) thành {value} ({change}); đề nghị kiểm tra lại.",
        "Cell {cell}: residents changed from {previous} (round {previous_round}) to {value} ({change}); please check.",
    ),
    "smartphone-share-outlier": (
        "Ô {cell}: tỷ lệ người dân có điện thoại thông minh là {value}, khác xa các xã khác (trung bình {limit}); đề nghị kiểm tra lại.",
        "Cell {cell}: the smartphone share is {value}, far from the other communes (average {limit}); please check.",
    ),
    "late-report": (
        "Báo cáo ngày {value} ({date_source}), sau hạn {limit} của lần {round}.",
        "Report dated {value} ({date_source}), after round {round}'s due date {limit}.",
    ),
    "resubmission": (
        "Báo cáo này thay cho báo cáo đã nhận trước đó ({value}).",
        "This report supersedes one received earlier ({value}).",
    ),
    "report-not-latest": (
        'Báo cáo này (ngày {date}) cũ hơn báo cáo "{value}" (ngày {limit}) đã nhận; số liệu của báo cáo kia được dùng.',
        'This report (dated {date}) is older than "{value}" (dated {limit}), already received; that report\'s figures are used.',
    ),
    "report-order-unclear": (
        'Hai báo cáo lần {round} của đơn vị khác số liệu mà không rõ báo cáo nào mới hơn ({reason}): "{value}" và "{other}"; đang dùng số liệu của "{used}". Đề nghị đơn vị xác nhận báo cáo đúng.',
        'Two round {round} reports of the unit disagree and it is not clear which is newer ({reason}): "{value}" and "{other}"; the figures of "{used}" are used. Ask the unit which is right.',
    ),
    "report-date-missing": (
        "Ô {cell}: chưa ghi ngày báo cáo; thời hạn được tính theo ngày nhận tệp. Đề nghị ghi ngày dạng ngày/tháng/năm, ví dụ {example}.",
        "Cell {cell}: no report date; timeliness is judged by the day the file was received. Write the date as day/month/year, e.g. {example}.",
    ),
    "report-date-invalid": (
        'Ô {cell}: ngày báo cáo "{value}" không dùng được ({reason}); thời hạn được tính theo ngày nhận tệp. Đề nghị ghi ngày dạng ngày/tháng/năm, ví dụ {example}.',
        'Cell {cell}: the report date "{value}" cannot be used ({reason}); timeliness is judged by the day the file was received. Write the date as day/month/year, e.g. {example}.',
    ),
    "internal-error": (
        "Lỗi của công cụ khi đọc tệp này, không phải lỗi của tệp ({detail}); tệp chưa được nhận, hãy gửi nhật ký lỗi cho người phát triển.",
        "The tool failed on this file; the file is not at fault ({detail}); it was not taken, please send the error log to the developers.",
    ),
    "detail-crashed": ("chương trình đọc tệp bị dừng đột ngột", "the reading program stopped abruptly"),
    "detail-memory": ("cần quá nhiều bộ nhớ để đọc", "it needs too much memory to read"),
    "detail-timeout": ("đọc quá {seconds} giây", "reading took more than {seconds} s"),
    "format-xlsx": ("bảng tính Excel .xlsx/.xlsm của một chương trình khác", "an Excel .xlsx/.xlsm from another program"),
    "format-xlsb": ("bảng tính Excel nhị phân .xlsb", "a binary Excel workbook, .xlsb"),
    "format-ods": ("bảng tính OpenDocument .ods", "an OpenDocument spreadsheet, .ods"),
    "format-xls": ("bảng tính Excel 97-2003 .xls", "an Excel 97-2003 workbook, .xls"),
    "detail-empty": ("tệp rỗng, 0 byte", "an empty file, 0 bytes"),
    "detail-zip-damaged": ("nội dung nén bị cắt cụt hoặc hỏng", "its zip content is cut short or damaged"),
    "detail-structure": ("cấu trúc tệp không hợp lệ", "its structure is invalid"),
    "detail-megabytes": ("{megabytes} MB", "{megabytes} MB"),
    "detail-unpacked": ("{part}: {megabytes} MB khi giải nén", "{part}: {megabytes} MB unpacked"),
    "detail-width": ("vùng dữ liệu rộng {columns} cột", "a data area {columns} columns wide"),
    "detail-zip": ("tệp nén zip", "a zip archive"),
    "detail-pdf": ("PDF", "PDF"),
    "detail-html": ("trang web (HTML)", "a web page (HTML)"),
    "detail-image": ("ảnh", "an image"),
    "detail-rtf": ("văn bản RTF", "an RTF document"),
    "detail-text": ("văn bản thường", "plain text"),
    "detail-unknown": ("dữ liệu không rõ", "unknown data"),
    "detail-biff2-4": ("Excel 2.x - 4.x", "Excel 2.x - 4.x"),
    "detail-fods": ("bảng tính XML phẳng (.fods)", "a flat XML spreadsheet (.fods)"),
    "detail-xml2003": ("Excel 2003 XML", "Excel 2003 XML"),
    "word-and": ("và", "and"),
    # Phrases that fill a finding's blanks, by the code stored in its arguments.
    "reason-unreadable": ("không đọc được là một ngày", "not readable as a date"),
    "reason-future": ("ngày trong tương lai", "a date in the future"),
    "reason-outside-campaign": ("ngoài thời gian của đợt", "outside the campaign"),
    "reason-before-round": ("trước khi kỳ báo cáo mở ngày {opens}", "before the round opened on {opens}"),
    "reason-same-date": ("cùng ghi một ngày báo cáo", "both give the same report date"),
    "reason-no-date": ("có báo cáo không ghi ngày báo cáo hợp lệ", "one has no usable report date"),
    "date-source-typed": ("ngày ghi trên biểu mẫu", "the date typed on the form"),
    "date-source-file": (
        "theo ngày sửa đổi của tệp, vì không có ngày báo cáo hợp lệ",
        "the file's modification date, as the form has no usable report date",
    ),
    "date-source-stated": (
        "theo ngày nhận do cán bộ ghi khi nhận tệp, vì không có ngày báo cáo hợp lệ",
        "the day of receipt stated by the officer, as the form has no usable report date",
    ),
    "form-version-unknown": (
        'Biểu mẫu phiên bản "{value}" khác phiên bản hiện hành "{expected}"; số liệu vẫn được đọc theo tiêu đề cột.',
        'Form version "{value}" differs from the current "{expected}"; figures are still read by their column labels.',
    ),
    # --- verdicts -----------------------------------------------------------------------
    "verdict-accepted": ("Đã nhận", "accepted"),
    "verdict-accepted-with-warnings": ("Đã nhận, có cảnh báo", "accepted with warnings"),
    "verdict-rejected": ("Bị trả lại", "rejected"),
    "verdict-skipped": ("Bỏ qua", "skipped"),
    "verdict-already-received": ("Đã nhận trước đó", "already received"),
    "verdict-internal-error": ("Lỗi của công cụ", "tool error"),
    "rejected-again": ("đã gửi trước đó với tên {name}, vẫn còn lỗi", "sent before as {name}, still wrong"),
    "rejected-beside": (
        "lượt này cũng nhận tệp {name} của đơn vị; nếu đó là bản đã sửa thì không cần báo lại",
        "this run also received the unit's file {name}; if that is the corrected one, there is nothing to tell it",
    ),
    "rejected-answered": (
        "từ lần nhận trước; đơn vị đã gửi {name} sau đó và đã được nhận — không cần báo lại",
        "at an earlier run; the unit has since sent {name}, which was received — nothing to tell it",
    ),
    "skip-lock-file": ("tệp khóa tạm của Excel/LibreOffice", "a temporary lock file of Excel/LibreOffice"),
    "skip-hidden": ("tệp ẩn", "a hidden file"),
    "skip-not-spreadsheet": ("không phải tệp bảng tính", "not a spreadsheet"),
    "skip-archive-read": ("tệp nén: từng tệp bảng tính trong đó được đọc ở các dòng sau", "an archive: each spreadsheet in it is read on the lines below"),
    "skip-archive-no-spreadsheet": ("tệp nén không có tệp bảng tính nào", "an archive with no spreadsheet in it"),
    "skip-symlink-loop": ("liên kết vòng", "a symbolic link loop"),
    "skip-not-a-file": ("không phải tệp thông thường", "not a regular file"),
    "skip-link-outside": ("liên kết tới tệp ngoài thư mục nhận, không đọc", "a link to a file outside the inbox, not read"),
    "skip-own-output": ("kết quả của chính lượt chạy này (--report, --feedback)", "this run's own output (--report, --feedback)"),
    "skip-tool-output": ("tệp do ihanoi-report tạo ra, không phải báo cáo của đơn vị", "a file ihanoi-report made, not a unit's report"),
    "skip-feedback-unchanged": ("bản phản hồi do ihanoi-report tạo ra, đơn vị chưa sửa số liệu nào", "a feedback copy ihanoi-report made, no figure changed by the unit"),
    "skipped-why": ("Bỏ qua {count} tệp: {reason}.", "Skipped {count} files: {reason}."),
    "skip-blank-form": ("biểu mẫu trắng, chưa điền gì — đơn vị vẫn là chưa báo cáo", "the blank form, nothing filled in — the unit has still not reported"),
    "severity-error": ("Lỗi", "Error"),
    "severity-warning": ("Cảnh báo", "Warning"),
    "severity-info": ("Thông tin", "Info"),
    # --- command-line help --------------------------------------------------------------
    "help-app": (
        "Thu thập, kiểm tra và tổng hợp báo cáo của các đơn vị theo biểu mẫu khai báo trong campaign.toml (mặc định: cài đặt ứng dụng iHanoi).",
        "Collect, check and consolidate the units' reports on the form campaign.toml declares (by default: iHanoi installations).",
    ),
    "help-init": (
        "Ghi bản sao sửa được của campaign.toml và units.csv vào thư mục làm việc; --for MÃ: thư mục làm việc cho đơn vị cấp dưới tự thu báo cáo; --city: cấu hình mẫu của thành phố.",
        "Write editable copies of campaign.toml and units.csv into a workspace; --for CODE: a workspace for a sub-collector; --city: the city's example.",
    ),
    "help-template": (
        "Tạo biểu mẫu trắng cho từng đơn vị của một lần báo cáo.",
        "Write the blank form of every unit for one round.",
    ),
    "help-opt-round": ("Lần báo cáo (1, 2, 3…).", "Reporting round (1, 2, 3…)."),
    "help-opt-unit": ("Chỉ đơn vị có mã này (lặp lại được).", "Only the unit with this code (repeatable)."),
    "help-opt-group": ("Chỉ các đơn vị của nhóm này.", "Only the units of this group."),
    "help-opt-out": ("Thư mục hoặc tệp ghi kết quả.", "Output folder or file."),
    "help-opt-force": ("Ghi đè tệp đã có.", "Overwrite existing files."),
    "help-opt-workspace": (
        "Thư mục làm việc (mặc định: thư mục hiện tại, hoặc biến IHANOI_WORKSPACE).",
        "Workspace folder (default: the current folder, or IHANOI_WORKSPACE).",
    ),
    "help-opt-lang": ("Ngôn ngữ hiển thị: vi hoặc en.", "Display language: vi or en."),
    "help-opt-debug": ("Hiện chi tiết lỗi kỹ thuật (traceback).", "Show technical error details (traceback)."),
    "help-opt-json": ("In kết quả dạng JSON cho chương trình khác.", "Print the result as JSON for scripts."),
    "help-opt-originals": (
        "Chép bản gốc các báo cáo đang được dùng của lần này (đúng từng byte đã nhận) vào thư mục này.",
        "Copy the original files of this round's reports in use (byte for byte as received) into this folder.",
    ),
    "originals-done": (
        "Đã chép {count} bản gốc của lần {round} vào {path}.",
        "Copied {count} original files of round {round} into {path}.",
    ),
    "help-opt-version": ("In phiên bản và thoát.", "Print the version and exit."),
    "help-arg-dir": ("Thư mục làm việc.", "Workspace folder."),
    "help-panel-arguments": ("Tham số", "Arguments"),
    "help-opt-help": ("Hiện hướng dẫn này rồi thoát.", "Show this message and exit."),
    "help-usage": ("Cách dùng:", "Usage:"),
    "help-usage-options": ("[TÙY-CHỌN]", "[OPTIONS]"),
    "help-usage-command": ("LỆNH [THAM-SỐ]...", "COMMAND [ARGS]..."),
    "meta-dir": ("THƯ-MỤC", "DIR"),
    "meta-file": ("TỆP", "FILE"),
    "meta-number": ("SỐ", "N"),
    "meta-name": ("TÊN", "NAME"),
    "meta-code": ("MÃ", "CODE"),
    "meta-date": ("NGÀY", "DATE"),
    "help-default": ("[mặc định: {}]", "[default: {}]"),
    "help-required": ("[bắt buộc]", "[required]"),
    "help-try": (
        "Xem [blue]'{command_path} {help_option}'[/] để biết cách dùng.",
        "Try [blue]'{command_path} {help_option}'[/] for help.",
    ),
    "help-envvar": ("[biến môi trường: {}]", "[env var: {}]"),
    "help-try-plain": ("Xem '{command} -h' để biết cách dùng.", "Try '{command} -h' for help."),
    "usage-no-such-option": ("Không có tùy chọn {option}", "No such option: {option}"),
    "usage-possibilities": ("(Các tùy chọn gần giống: {options})", "(Possible options: {options})"),
    "usage-missing-argument": ("Thiếu tham số {name}.", "Missing argument {name}."),
    "usage-missing-option": ("Thiếu tùy chọn {name}.", "Missing option {name}."),
    "usage-bad-value": ("Giá trị không hợp lệ cho {name}: {detail}", "Invalid value for {name}: {detail}"),
    "help-panel-options": ("Tùy chọn", "Options"),
    "help-panel-commands": ("Lệnh", "Commands"),
    "help-panel-error": ("Lỗi", "Error"),
    # --- operational errors -------------------------------------------------------------
    "config-missing": ("Không tìm thấy tệp cấu hình {path}.", "Configuration file {path} not found."),
    "config-syntax": (
        "Tệp {path}, dòng {line}: sai cú pháp TOML ({detail}).",
        "File {path}, line {line}: TOML syntax error ({detail}).",
    ),
    "config-invalid": ("Tệp {path}, dòng {line}: {detail}.", "File {path}, line {line}: {detail}."),
    "cfg-unknown-blank": (
        "{key} dùng chỗ trống không có: {blanks} (được dùng: {allowed})",
        "{key} uses blanks that do not exist: {blanks} (allowed: {allowed})",
    ),
    "cfg-bad-list": ("{key} phải là danh sách {count} dòng chữ", "{key} must be a list of {count} texts"),
    "cfg-negative": ("{key} không được âm (đang là {value})", "{key} cannot be negative (it is {value})"),
    "cfg-bad-choice": ("{key} = {value} không có trong chiến dịch (được dùng: {allowed})", "{key} = {value} is not in the campaign (allowed: {allowed})"),
    "cfg-form-key-twice": ("{key} được khai báo hai lần trong [form]; mỗi khóa chỉ được dùng một lần", "{key} is declared twice in [form]; each key may be used once"),
    "cfg-form-label-twice": ("hai cột có cùng tên \"{key}\"; đặt cho mỗi cột một tên riêng để cán bộ đơn vị và công cụ phân biệt được", "two columns share the name \"{key}\"; give each column its own name so that clerks and the tool can tell them apart"),
    "cfg-form-key": ("khóa cột \"{key}\" không hợp lệ; chỉ dùng chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ (ví dụ: staff_total)", "column key \"{key}\" is not valid; use lower-case letters, digits and underscores, starting with a letter (e.g. staff_total)"),
    "cfg-form-label-unread": ("tiêu đề \"{label}\" của cột {key} không được đọc ra chính cột này; thêm vào words của cột một từ có trong tiêu đề", "the header \"{label}\" of column {key} does not read back as this column; add to the column's words one that its header holds"),
    "cfg-form-part-is-whole": ("part và whole cùng là cột {key}; phần và tổng phải là hai cột khác nhau", "part and whole are both column {key}; they must be two different columns"),
    "cfg-form-whole-blank": ("cột {whole} (điền bởi: {whole_by}) có thể để trống ở đơn vị điền cột {part} (điền bởi: {part_by}); tổng phải được điền ở mọi đơn vị điền phần", "column {whole} (filled by: {whole_by}) may be blank where column {part} (filled by: {part_by}) is filled; the whole must be filled wherever the part is"),
    "cfg-form-prompt-long": ("lời nhắc trên ô của cột {key} dài quá {limit} chữ (Excel cắt bớt); ghi prompt ngắn hơn cho cột này", "the cell hint of column {key} is longer than {limit} letters (Excel cuts it); give the column a shorter prompt"),
    "store-form-differs": ("Kho dữ liệu {path} giữ số liệu theo các cột {held}, còn campaign.toml khai báo các cột {keys}; đọc theo cột khác sẽ ra số sai nên công cụ dừng lại", "The store {path} holds figures by the columns {held}, but campaign.toml declares the columns {keys}; read by other columns they would be wrong, so the tool stops"),
    "store-form-differs-hint": ("Khôi phục [[form.columns]] của campaign.toml như khi nhận báo cáo đầu tiên, hoặc dùng một thư mục làm việc mới cho biểu mẫu mới.", "Restore campaign.toml's [[form.columns]] as they were when the first report came, or use a new workspace for the new form."),
    # A check campaign.toml declares under a code of its own: {part} and {whole} are its columns' names, filled
    # when the campaign is loaded; the doubled braces are its finding's blanks.
    "check-gt": ("Ô {{cell}}: {part} ({{value}}) lớn hơn {whole} ({{limit}}); đề nghị kiểm tra lại.", "Cell {{cell}}: {part} ({{value}}) is more than {whole} ({{limit}}); please check."),
    "cfg-short-name": ("short_name = \"{value}\" không dùng được trong tên tệp; chỉ dùng chữ không dấu, chữ số và dấu gạch ngang (ví dụ: iHanoi, BDHVS)", "short_name = \"{value}\" cannot be used in file names; use unaccented letters, digits and dashes (e.g. iHanoi)"),
    "cfg-criterion-twice": ("tiêu chí {key} có hai lần", "criterion {key} appears twice"),
    "cfg-missing-key": ('thiếu khóa "{key}"', 'the key "{key}" is missing'),
    "cfg-not-a-date": (
        '"{key}" phải là một ngày dạng 2024-07-19, không phải "{value}"',
        '"{key}" must be a date such as 2024-07-19, not "{value}"',
    ),
    "cfg-bad-value": ('"{key}" có giá trị không hợp lệ "{value}"', '"{key}" has an invalid value "{value}"'),
    "cfg-missing-table": ("thiếu bảng [{key}]", "the table [{key}] is missing"),
    "cfg-missing-array": ("thiếu các mục [[{key}]]", "the [[{key}]] entries are missing"),
    "cfg-round-order": (
        "các lần báo cáo phải đánh số 1, 2, 3… theo thứ tự (gặp {number})",
        "rounds must be numbered 1, 2, 3… in order (found {number})",
    ),
    "cfg-due-order": (
        "hạn lần {number} ({due}) sớm hơn lần trước",
        "round {number} is due ({due}) before the previous one",
    ),
    "cfg-share-range": (
        "tỷ lệ chỉ tiêu phải trong khoảng (0, 1], không phải {share}",
        "a target share must be in (0, 1], not {share}",
    ),
    "input-missing": (
        "Không đọc được tệp số liệu {key} ({path}): {detail}.",
        "Cannot read the {key} figures file ({path}): {detail}.",
    ),
    "input-missing-hint": (
        "Kiểm tra đường dẫn trong --input {key}=TỆP, hoặc đặt tệp vào thư mục làm việc với tên ghi ở campaign.toml.",
        "Check the path in --input {key}=FILE, or put the file in the workspace under the name campaign.toml gives.",
    ),
    "input-unreadable": ("Tệp số liệu {path} không dùng được: {detail}.", "The figures file {path} cannot be used: {detail}."),
    "input-unreadable-hint": (
        "Xuất lại bảng từ trang quản trị của ứng dụng (Excel .xlsx hoặc .csv) rồi chạy lại.",
        "Export the table again from the app's administration (Excel .xlsx or .csv) and run again.",
    ),
    "input-no-header": (
        "Tệp số liệu {path} không có dòng tiêu đề với các cột: {wanted}.",
        "The figures file {path} has no header row with the columns: {wanted}.",
    ),
    "input-no-header-hint": (
        "Sửa tên cột trong [[ranking.inputs]] của campaign.toml cho đúng với tệp xuất (mỗi cột có thể ghi nhiều tên).",
        "Make the column names in [[ranking.inputs]] of campaign.toml match the export (a column may have several names).",
    ),
    "input-unknown": ("Không có số liệu xếp hạng tên {key}; campaign.toml khai báo: {keys}.", "No ranking input is called {key}; campaign.toml declares: {keys}."),
    "input-not-read": (
        "Chưa có tệp {file} ({label}): tiêu chí {criteria} chưa được chấm. Đặt tệp vào thư mục làm việc hoặc dùng --input {key}=TỆP.",
        "No file {file} ({label}): not judged: {criteria}. Put the file in the workspace or use --input {key}=FILE.",
    ),
    "input-unmatched": (
        "Tệp {file}: {count} dòng không dùng được ({rows}); xem trang \"Số liệu từ ứng dụng\" của bảng xếp hạng.",
        "File {file}: rows not used: {count} ({rows}); see the \"Figures from the app\" sheet of the ranking.",
    ),
    "input-reason-unknown": ("không khớp đơn vị nào", "matches no unit"),
    "input-reason-ambiguous": ("khớp hai đơn vị", "matches two units"),
    "input-reason-twice": ("đơn vị đã có dòng trước", "the unit already has a row"),
    "input-reason-not-a-number": ("có ô không phải số nguyên không âm", "has a cell that is not a whole number"),
    "help-opt-input": (
        "Tệp số liệu xuất từ ứng dụng cho một bảng khai ở mục ranking.inputs của campaign.toml, dạng MÃ=TỆP (ví dụ phan_anh=thong-ke-pakn.xlsx); dùng nhiều lần được.",
        "A file exported from the app for one table of ranking.inputs in campaign.toml, as KEY=FILE (e.g. phan_anh=thong-ke-pakn.xlsx); may be repeated.",
    ),
    "input-bad-option": ("--input cần dạng MÃ=TỆP, không phải {value}.", "--input needs KEY=FILE, not {value}."),
    "cfg-thresholds": (
        "thresholds phải là danh sách [tỷ lệ tối thiểu, điểm], tỷ lệ giảm dần, không âm; đang là {value}",
        "thresholds must be a list of [least ratio, points], ratios decreasing, none negative; it is {value}",
    ),
    "cfg-period": ("kỳ số liệu kết thúc ({ends}) trước khi bắt đầu ({starts})", "the period ends ({ends}) before it starts ({starts})"),
    "cfg-group-twice": ('nhóm "{code}" bị khai báo hai lần', 'the group "{code}" is declared twice'),
    "cfg-header": (
        "dòng đầu phải là: {columns} (có thể thêm sau đó các cột: {optional})",
        "the first line must be: {columns} (optionally followed by: {optional})",
    ),
    "cfg-addressee-name": (
        'lời gọi đơn vị "{value}" phải có chỗ {{name}} cho tên đơn vị',
        'the addressee "{value}" must hold {{name}} for the unit\'s name',
    ),
    "cfg-columns": ("cần {want} cột, có {got} cột", "{want} columns expected, {got} found"),
    "docx-addressee": ("Kính gửi: {addressee}", "To: {addressee}"),
    "cfg-summary-pair": (
        'mục [summary] có {other} nhưng thiếu {key}; hai câu này đi đôi với nhau: thêm {key} = "…", hoặc bỏ cả {other}',
        '[summary] has {other} but not {key}; the two go together: add {key} = "…", or remove {other} too',
    ),
    "cfg-nhu-tren-needs-addressee": (
        'nơi nhận có "Như trên" nhưng báo cáo không có "Kính gửi"; thêm vào mục [summary] dòng addressee = "…" (ví dụ addressee = "Ủy ban nhân dân huyện Ba Vì."), hoặc bỏ "Như trên" khỏi recipients',
        'the recipients include "Như trên" (as above) but the report has no "Kính gửi" (addressee); add addressee = "…" to [summary], or take "Như trên" out of recipients',
    ),
    "cfg-control-character": (
        "có ký tự điều khiển {code} (không nhìn thấy được); đề nghị gõ lại ô này",
        "holds the control character {code} (invisible); type this cell again",
    ),
    "cfg-implausible-name": (
        'tên "{name}" không giống chữ tiếng Việt khi đọc tệp theo bảng mã {encoding}; đề nghị lưu lại tệp bằng Excel: "CSV UTF-8 (Comma delimited)"',
        'the name "{name}" does not read as Vietnamese in the encoding {encoding}; save the file again in Excel as "CSV UTF-8 (Comma delimited)"',
    ),
    "cfg-csv": ("không đọc được dạng CSV ({detail})", "not readable as CSV ({detail})"),
    "cfg-no-name": ("thiếu tên đơn vị", "the unit's name is missing"),
    "cfg-unknown-group": (
        'nhóm "{group}" không có trong campaign.toml ({groups})',
        'the group "{group}" is not in campaign.toml ({groups})',
    ),
    "cfg-empty-registry": ("danh sách đơn vị trống", "the unit registry is empty"),
    "cfg-bad-code": (
        'mã đơn vị "{code}" chỉ được gồm chữ không dấu, số và dấu gạch ngang',
        'the unit code "{code}" may hold only ASCII letters, digits and dashes',
    ),
    "cfg-duplicate-code": ('mã đơn vị "{code}" trùng với dòng {line}', 'the unit code "{code}" repeats line {line}'),
    "cfg-has-residents": (
        'has_residents phải là 1 hoặc 0, không phải "{value}"',
        'has_residents must be 1 or 0, not "{value}"',
    ),
    "cfg-parent-cycle": (
        "{code} và đơn vị cấp trên {parent} là cấp trên của nhau (vòng lặp); đề nghị sửa cột parent",
        "{code} and its parent {parent} are each other's parent (a loop); fix the parent column",
    ),
    "cfg-parent-nested": (
        'đơn vị cấp trên "{parent}" lại có cấp trên ({grand}); trong một thư mục làm việc chỉ có một cấp đơn vị trực thuộc (cấp dưới nữa dùng thư mục làm việc riêng: ihanoi-report init --for {parent})',
        'the parent unit "{parent}" has a parent itself ({grand}); a workspace holds one level of sub-units (a lower level gets a workspace of its own: ihanoi-report init --for {parent})',
    ),
    "cfg-unknown-parent": (
        'đơn vị cấp trên "{parent}" không có trong danh sách',
        'the parent unit "{parent}" is not in the registry',
    ),
    "config-hint": (
        "Sửa tệp theo mẫu trong README, hoặc xóa tệp để dùng cấu hình mặc định.",
        "Fix the file as the README shows, or delete it to use the shipped defaults.",
    ),
    "round-not-in-campaign": (
        "Không có lần báo cáo {round}; đợt này có các lần {rounds}.",
        "There is no round {round}; this campaign has rounds {rounds}.",
    ),
    "unit-code-unknown": (
        'Không có đơn vị mã "{code}" trong danh sách đơn vị.',
        'There is no unit with code "{code}" in the registry.',
    ),
    "unit-code-hint": (
        "Xem danh sách mã đơn vị trong tệp {path}.",
        "See the unit codes in {path}.",
    ),
    "group-unknown": (
        'Không có nhóm đơn vị "{group}"; các nhóm là: {groups}.',
        'There is no unit group "{group}"; the groups are: {groups}.',
    ),
    "output-exists": (
        "Tệp {path} đã có; không ghi đè.",
        "{path} already exists; not overwritten.",
    ),
    "output-exists-hint": (
        "Thêm --force để ghi đè, hoặc chọn thư mục/tệp khác với --out.",
        "Add --force to overwrite, or choose another folder/file with --out.",
    ),
    "output-failed": (
        "Không ghi được tệp {path} ({detail}).",
        "Cannot write {path} ({detail}).",
    ),
    "output-failed-hint": (
        "Đóng tệp nếu đang mở trong Excel, kiểm tra quyền ghi thư mục rồi chạy lại.",
        "Close the file if Excel has it open, check the folder is writable and run again.",
    ),
    "output-not-a-file": (
        "{path} không phải là một tệp thông thường (là thư mục, thiết bị hay ống dẫn); công cụ không ghi vào đó.",
        "{path} is not a regular file (a folder, a device or a pipe); the tool does not write there.",
    ),
    "output-not-a-file-hint": (
        "Chọn một tên tệp khác với --out.",
        "Choose another file name with --out.",
    ),
    "output-folder-not-a-folder": (
        "{path} đã có nhưng không phải thư mục; không ghi các tệp kết quả vào đó.",
        "{path} exists but is not a folder; the outputs are not written there.",
    ),
    "output-same-name": (
        "Hai tệp kết quả sẽ trùng tên {name} trong {path}.",
        "Two outputs would have the same name {name} in {path}.",
    ),
    "internal-failure": (
        "Lỗi nội bộ của chương trình: {detail}.",
        "Internal error: {detail}.",
    ),
    "internal-error-hint": (
        "Chạy lại với --debug và gửi nội dung hiển thị cho người phát triển.",
        "Run again with --debug and send the output to the developers.",
    ),
    "store-open-failed": ("Không mở được kho dữ liệu {path} ({detail}).", "Cannot open the store {path} ({detail})."),
    "store-write-failed": (
        "Không ghi được vào kho dữ liệu {path} ({detail}).",
        "Cannot write to the store {path} ({detail}).",
    ),
    "store-write-failed-hint": (
        "Kiểm tra dung lượng đĩa và quyền ghi của thư mục làm việc rồi chạy lại; tệp nào chưa ghi sẽ được nhận ở lần sau.",
        "Check the disk space and that the workspace is writable, then run again; files not yet recorded are taken then.",
    ),
    "store-open-failed-hint": (
        "Kiểm tra tệp có phải của ihanoi-report không, hoặc dùng thư mục làm việc khác (--workspace).",
        "Check that the file belongs to ihanoi-report, or use another workspace (--workspace).",
    ),
    "store-create-failed": (
        "Không tạo được kho dữ liệu {path} ({detail}).",
        "Cannot create the store {path} ({detail}).",
    ),
    "store-create-failed-hint": ("Kiểm tra quyền ghi của thư mục làm việc.", "Check that the workspace is writable."),
    "store-too-new": (
        "Kho dữ liệu {path} được tạo bởi phiên bản mới hơn của ihanoi-report.",
        "The store {path} was made by a newer ihanoi-report.",
    ),
    "store-too-new-hint": (
        "Cập nhật ihanoi-report (pip install -U ihanoi-report).",
        "Upgrade ihanoi-report (pip install -U ihanoi-report).",
    ),
    "store-not-ours": (
        "Tệp {path} không phải là kho dữ liệu của ihanoi-report (tệp rỗng hoặc cơ sở dữ liệu của chương trình khác); công cụ không đọc, không sửa tệp này.",
        "{path} is not an ihanoi-report store (an empty file, or another program's database); the tool neither reads nor changes it.",
    ),
    "store-not-ours-hint": (
        "Nếu đây là kho cũ bị hỏng, đổi tên tệp rồi nhận lại các tệp báo cáo; nếu không, dùng thư mục làm việc khác (--workspace).",
        "If this is a damaged store of ours, rename the file and ingest the returns again; otherwise use another workspace (--workspace).",
    ),
    "store-damaged": (
        "Kho dữ liệu {path} bị hỏng ({detail}).",
        "The store {path} is damaged ({detail}).",
    ),
    "store-damaged-hint": (
        "Chạy `ihanoi-report recover` để lấy bản gốc các tệp đã nhận từ kho hỏng vào thư mục khoi-phuc/, đổi tên tệp ihanoi.sqlite (giữ lại để đối chiếu), rồi `ihanoi-report ingest khoi-phuc` để dựng lại kho.",
        "Run `ihanoi-report recover` to take the originals of the files received out of the damaged store into khoi-phuc/, rename ihanoi.sqlite (keep it), then `ihanoi-report ingest khoi-phuc` to build the store again.",
    ),
    "workspace-missing": (
        "Không có thư mục làm việc {path}.",
        "There is no workspace folder {path}.",
    ),
    "workspace-missing-hint": (
        "Kiểm tra --workspace hoặc biến môi trường IHANOI_WORKSPACE; tạo thư mục mới bằng `ihanoi-report init THƯ-MỤC`.",
        "Check --workspace or the IHANOI_WORKSPACE variable; make a new workspace with `ihanoi-report init FOLDER`.",
    ),
    "stdout-failed": (
        "Không ghi được kết quả ra đầu ra chuẩn ({detail}).",
        "Cannot write the results to standard output ({detail}).",
    ),
    "stdout-failed-hint": (
        "Kiểm tra ổ đĩa còn chỗ trống, hoặc chuyển kết quả vào tệp khác.",
        "Check the disk has free space, or send the output to another file.",
    ),
    "store-missing": (
        "Chưa có kho dữ liệu {path}: thư mục làm việc này chưa nhận báo cáo nào.",
        "There is no store {path}: this workspace has not received any report yet.",
    ),
    "store-missing-hint": (
        "Chạy ihanoi-report ingest THƯ-MỤC trước, hoặc chọn đúng thư mục làm việc (--workspace).",
        "Run ihanoi-report ingest DIR first, or choose the right workspace (--workspace).",
    ),
    "nothing-accepted": (
        "Chưa nhận được báo cáo hợp lệ nào của lần {round}; không có gì để tổng hợp.",
        "No valid report of round {round} has been received yet; there is nothing to consolidate.",
    ),
    "nothing-accepted-hint": (
        "Nhận báo cáo bằng ihanoi-report ingest THƯ-MỤC --round {round}, rồi tổng hợp lại.",
        "Ingest the reports with ihanoi-report ingest DIR --round {round}, then consolidate again.",
    ),
    "status-nothing-accepted": (
        "Chưa nhận được báo cáo hợp lệ nào của lần {round}.",
        "No valid report of round {round} has been received yet.",
    ),
    "store-locked": ("Kho dữ liệu {path} đang bị khóa quá lâu.", "The store {path} has been locked for too long."),
    "store-locked-hint": (
        "Chờ lệnh ihanoi-report khác chạy xong rồi chạy lại.",
        "Wait for the other ihanoi-report command to finish, then run again.",
    ),
    "error-title": ("Lỗi", "Error"),
    "hint-prefix": ("Cách xử lý", "What to do"),
    # --- template command ---------------------------------------------------------------
    "using-workspace-config": (
        "Dùng cấu hình của thư mục làm việc: {path}",
        "Using the workspace's configuration: {path}",
    ),
    "using-default-config": ("Dùng cấu hình mặc định ({what})", "Using the shipped defaults ({what})"),
    "round-before-campaign": (
        "Hôm nay ({today}) chưa đến kỳ báo cáo nào nên dùng lần {round} (hạn {due}). Dùng --round N để chọn lần khác.",
        "Today ({today}) is before the campaign's reporting windows, so round {round} (due {due}) is used. Use --round N for another round.",
    ),
    "round-after-campaign": (
        "Hôm nay ({today}) đã qua hạn của lần báo cáo cuối nên dùng lần {round} (hạn {due}). Dùng --round N để chọn lần khác.",
        "Today ({today}) is after the last round's due date, so round {round} (due {due}) is used. Use --round N for another round.",
    ),
    "round-from-today": (
        "Hôm nay ({today}) thuộc kỳ báo cáo lần {round} (hạn {due}).",
        "Today ({today}) falls in round {round}'s window (due {due}).",
    ),
    "templates-progress": ("Đang tạo biểu mẫu", "Writing forms"),
    "templates-done": (
        "Đã tạo {count} biểu mẫu lần {round} trong thư mục {path}.",
        "Wrote {count} round {round} forms into {path}.",
    ),
    "templates-placeholder": (
        'Lưu ý: biểu mẫu còn chỗ chưa điền: {key} = "{text}" ({path}, mục [form]); điền số và ngày công văn rồi chạy lại template --force trước khi gửi.',
        'Note: the form still has a blank: {key} = "{text}" ({path}, [form]); fill in the number and date of the official letter and run template --force again before sending.',
    ),
    "templates-kept": (
        "Giữ nguyên {count} tệp đã có (thêm --force để ghi đè).",
        "Kept {count} existing files (add --force to overwrite).",
    ),
    "help-opt-for": (
        "Tạo thư mục làm việc cho đơn vị cấp dưới tự thu báo cáo (ví dụ PB-GDDT: Phòng GD&ĐT thu của các trường), từ thư mục làm việc này.",
        "Write a workspace for a sub-collector (e.g. PB-GDDT: the Education Office collecting its schools), from this workspace.",
    ),
    "help-opt-days-before": (
        "Với --for: hạn của cấp dưới sớm hơn hạn của cấp này bao nhiêu ngày.",
        "With --for: how many days before this level's due dates the sub-collector's rounds are due.",
    ),
    "help-opt-city": (
        "Chép cấu hình mẫu của thành phố (các quận, huyện, thị xã là đơn vị báo cáo).",
        "Copy the city's example configuration (its districts as the reporting units).",
    ),
    "init-sub-done": (
        "Đã tạo thư mục làm việc cho {code}: {path} (hạn mỗi lần sớm hơn {days} ngày). Chuyển thư mục này cho đơn vị; ở đó chạy template, ingest, consolidate như ở huyện, rồi gửi tệp tổng hợp về đây để ingest.",
        "Wrote a workspace for {code}: {path} (each due date {days} days earlier). Give this folder to the unit; there, run template, ingest and consolidate as here, and send the consolidated workbook back here to ingest.",
    ),
    "init-sub-parent-words": (
        "Mục [summary] giữ nguyên lời văn của cấp trên cho chỉ tiêu {keys} (có thể vẫn nói \"toàn xã\", \"toàn huyện\"): xem lại các dòng đó trong {path} cho đúng với đơn vị này trước khi chuyển thư mục.",
        "[summary] keeps the level above's sentences for the target(s) {keys} (they may still say \"the whole commune\" or \"district\"): read those lines in {path} and fit them to this unit before handing the folder over.",
    ),
    "sub-no-children": (
        "{name} ({code}) không có đơn vị trực thuộc trong units.csv nên không cần thư mục làm việc riêng.",
        "{name} ({code}) has no units under it in units.csv, so it needs no workspace of its own.",
    ),
    "sub-no-children-hint": (
        "Đơn vị trực thuộc có cột parent là mã của đơn vị cấp trên.",
        "Units under it have its code in their parent column.",
    ),
    "sub-days-range": (
        "--days-before phải từ 0 đến 30 (đang là {days}).",
        "--days-before must be between 0 and 30 (it is {days}).",
    ),
    "sub-level-unit": ("mã của đơn vị này trong danh sách đơn vị của {parent}", "this unit's code in the registry of {parent}"),
    "sub-level-parent_campaign": ("mã đợt của {parent}", "the campaign id of {parent}"),
    "sub-level-whole": ('dòng tổng cộng: "TỔNG CỘNG …"', 'the total row: "TỔNG CỘNG …"'),
    "sub-symbol-comment": (
        "ký hiệu {symbol} được đoán từ tên đơn vị: sửa nếu đơn vị dùng ký hiệu khác",
        "the symbol {symbol} is guessed from the unit's name: change it if the unit uses another",
    ),
    "sub-campaign-head": (
        "Cấu hình của {code}, do ihanoi-report init --for {code} tạo từ thư mục làm việc của {parent}.\nHạn mỗi lần sớm hơn hạn của cấp trên {days} ngày; có thể sửa lời văn và hạn gửi cho phù hợp.\nGiữ nguyên mục [level]: nhờ đó cấp trên nhận ra báo cáo tổng hợp gửi lên.",
        "Configuration of {code}, written by ihanoi-report init --for {code} from the workspace of {parent}.\nEach due date is {days} days before the level above's; words and due dates may be edited.\nKeep [level] as it is: it is how the level above recognises the consolidated workbook sent up.",
    ),
    "help-opt-campaign": (
        "Chiến dịch đi kèm công cụ (xem init --list); mặc định ihanoi-2024.",
        "A campaign shipped with the tool (see init --list); ihanoi-2024 by default.",
    ),
    "help-opt-list-campaigns": ("Liệt kê các chiến dịch đi kèm công cụ.", "List the campaigns shipped with the tool."),
    "campaigns-title": ("Các chiến dịch đi kèm công cụ", "The campaigns shipped with the tool"),
    "col-campaign": ("Tên (--campaign)", "Name (--campaign)"),
    "col-about": ("Nội dung", "What it is"),
    "campaign-unknown": ("Không có chiến dịch \"{name}\" đi kèm công cụ (có: {names}).", "No campaign \"{name}\" is shipped with the tool (there are: {names})."),
    "campaign-unknown-hint": ("Xem danh sách: ihanoi-report init --list", "See the list: ihanoi-report init --list"),
    "init-done": ("Đã ghi {path}", "Wrote {path}"),
    "init-kept": (
        "Đã có {path}, giữ nguyên (thêm --force để ghi đè)",
        "{path} exists, kept (add --force to overwrite)",
    ),
    "init-next": (
        "Sửa hai tệp trên cho đúng với địa phương; các lệnh chạy trong thư mục {path} sẽ dùng chúng.",
        "Edit the two files for your district; commands run in {path} will use them.",
    ),
    # --- ingest command -----------------------------------------------------------------
    "help-ingest": (
        "Đọc, nhận diện, kiểm tra và lưu các biểu mẫu các đơn vị gửi về trong một thư mục.",
        "Read, identify, check and store the returned workbooks in a folder.",
    ),
    "help-arg-folder": ("Thư mục chứa các tệp đơn vị gửi về.", "Folder holding the returned workbooks."),
    "help-opt-round-ingest": (
        "Lần báo cáo của thư mục này; tệp ghi lần khác sẽ bị trả lại.",
        "The round this folder holds; a file that says another round is rejected.",
    ),
    "help-opt-report": (
        "Ghi danh sách mọi lỗi, cảnh báo vào tệp Excel này.",
        "Write every finding into this workbook.",
    ),
    "help-opt-feedback": (
        "Ghi vào thư mục này bản sao có đánh dấu ô lỗi của từng tệp cần sửa, để gửi lại đơn vị.",
        "Write into this folder a marked-up copy of every file with findings, to send back to its unit.",
    ),
    "help-opt-received": (
        "Ngày các tệp này thực sự được gửi đến (ví dụ 19/8/2024), dùng cho tệp không ghi ngày báo cáo hợp lệ; mặc định là ngày sửa đổi của từng tệp.",
        "The day these files actually arrived (e.g. 2024-08-19), for forms without a usable report date; by default each file's modification date.",
    ),
    "received-not-a-date": (
        '"{value}" không phải là một ngày (--received); ghi ngày/tháng/năm, ví dụ 21/8/2024.',
        '"{value}" is not a date (--received); write day/month/year, for example 21/8/2024.',
    ),
    "received-invalid": (
        '"{value}" không phải là một ngày đã qua (--received).',
        '"{value}" is not a past date (--received).',
    ),
    "received-invalid-hint": (
        "Ghi ngày dạng ngày/tháng/năm, ví dụ 19/8/2024, hoặc 2024-08-19.",
        "Write the date as day/month/year, e.g. 19/8/2024, or as 2024-08-19.",
    ),
    "internal-errors": (
        "{count} tệp gặp lỗi của công cụ (không phải lỗi của tệp) nên chưa được nhận; chi tiết ghi ở {path}. Đề nghị gửi tệp nhật ký này cho người phát triển.",
        "{count} files hit a fault of the tool (not of the files) and were not taken; details are in {path}. Please send that log to the developers.",
    ),
    "folder-missing": ("Không có thư mục {path}.", "There is no folder {path}."),
    "folder-missing-hint": ("Kiểm tra lại đường dẫn thư mục.", "Check the folder's path."),
    "ingest-progress": ("Đang đọc các tệp", "Reading files"),
    "summary-progress": ("Đang soạn báo cáo", "Drafting the report"),
    "col-file": ("Tệp", "File"),
    "col-unit": ("Đơn vị", "Unit"),
    "col-round": ("Lần", "Round"),
    "col-verdict": ("Kết quả", "Verdict"),
    "col-errors": ("Lỗi", "Errors"),
    "col-warnings": ("Cảnh báo", "Warnings"),
    "col-cell": ("Ô", "Cell"),
    "col-problem": ("Nội dung", "Problem"),
    "col-code": ("Mã", "Code"),
    "col-severity": ("Mức", "Severity"),
    "coverage-title": (
        "Lần {round} — đơn vị đã có báo cáo / phải báo cáo:",
        "Round {round} — units with a report / units expected:",
    ),
    "coverage-line": ("{label}: {reported}/{expected} ({share})", "{label}: {reported}/{expected} ({share})"),
    "action-title": (
        "Bị trả lại ({count} tệp) — báo đơn vị sửa rồi gửi lại:",
        "Sent back ({count} files) — ask the units to correct and resend:",
    ),
    "tool-failed-title": (
        "Lỗi của công cụ ({count} tệp, không phải lỗi của tệp):",
        "Tool failures ({count} files, not the files' fault):",
    ),
    "more-errors": ("… và {count} lỗi khác", "… and {count} more errors"),
    "more-rejected": (
        "… và {count} tệp khác bị trả lại (danh sách đầy đủ: thêm --report TỆP.xlsx).",
        "… and {count} more files sent back (the full list: add --report FILE.xlsx).",
    ),
    "by-code-title": (
        "Cảnh báo và thông tin, theo loại (số liệu vẫn được nhận):",
        "Warnings and notes by kind (the figures are kept):",
    ),
    "by-code-line": ("{title}: {count} — {where}", "{title}: {count} — {where}"),
    "and-more-units": ("{names} và {count} đơn vị khác", "{names} and {count} more units"),
    "details-hint": (
        "Chi tiết từng lỗi, từng ô: thêm --report TỆP.xlsx (danh sách cho cán bộ) hoặc --feedback THƯ-MỤC (bản đánh dấu gửi lại từng đơn vị).",
        "Every finding with its cell: add --report FILE.xlsx (a list for the officer) or --feedback FOLDER (marked copies to send back to each unit).",
    ),
    "file-table-hidden": (
        "Bảng từng tệp ({count} tệp) không in vì dài; thêm --all để in.",
        "The table of every file ({count} files) is not printed; add --all to print it.",
    ),
    "help-opt-all": (
        "In bảng từng tệp và mọi lỗi, cảnh báo của từng tệp, dù có nhiều tệp.",
        "Print the table of every file and every finding of each file, however many files.",
    ),
    "title-file-unreadable": ("Tệp hỏng, không mở được", "Damaged file"),
    "title-file-encrypted": ("Tệp có mật khẩu", "Password-protected file"),
    "title-not-a-spreadsheet": ("Không phải tệp bảng tính", "Not a spreadsheet"),
    "title-file-format-unsupported": ("Định dạng tệp không hỗ trợ", "Unsupported file format"),
    "title-file-variant-unsupported": ("Kiểu tệp công cụ chưa đọc được", "A file variant the tool cannot read"),
    "title-file-too-large": ("Tệp quá lớn", "File too large"),
    "title-form-not-found": ("Không thấy biểu mẫu trong tệp", "No form in the file"),
    "title-unit-unknown": ("Không xác định được đơn vị", "Unit not identified"),
    "title-unit-ambiguous": ("Tên đơn vị khớp nhiều đơn vị", "Unit name matches several units"),
    "title-round-mismatch": ("Sai lần báo cáo", "Wrong round"),
    "title-round-unknown": ("Không xác định được lần báo cáo", "Round not identified"),
    "title-campaign-mismatch": ("Biểu mẫu của đợt khác", "Form of another campaign"),
    "title-form-version-unknown": ("Phiên bản biểu mẫu khác", "Another form version"),
    "title-unit-conflict": ("Biểu mẫu của đơn vị khác", "Another unit's form"),
    "title-unit-reports-through": ("Đơn vị phải báo cáo qua cấp trên", "Unit reports through its parent"),
    "title-round-conflict": ("Lần báo cáo ghi không khớp", "Round on the form disagrees"),
    "title-round-date-conflict": ("Ngày báo cáo thuộc kỳ lần sau", "Report date in a later round"),
    "title-legacy-encoding": ("Phông chữ cũ (TCVN3/VNI)", "Legacy font (TCVN3/VNI)"),
    "title-column-missing": ("Thiếu cột", "Missing column"),
    "title-column-duplicate": ("Cột bị trùng", "Duplicated column"),
    "title-row-unknown": ("Dòng đơn vị không có trong danh sách", "Row of an unknown unit"),
    "title-row-missing": ("Thiếu dòng đơn vị", "Missing unit row"),
    "title-value-missing": ("Ô số liệu để trống", "Empty figure"),
    "title-value-not-integer": ("Số liệu không phải số nguyên", "Figure not a whole number"),
    "title-value-negative": ("Số liệu âm", "Negative figure"),
    "title-value-formula-no-result": ("Công thức chưa có kết quả", "Formula without a result"),
    "title-value-not-expected": ("Số liệu ở ô không cần điền", "Figure where none is expected"),
    "title-staff-installed-gt-total": ("CBCCVC đã cài lớn hơn tổng số", "Staff installed above staff"),
    "title-installed-gt-smartphones": ("Dân đã cài lớn hơn số có ĐTTM", "Residents installed above smartphone owners"),
    "title-smartphones-gt-residents": ("Số có ĐTTM lớn hơn số dân", "Smartphone owners above residents"),
    "title-total-row-mismatch": ("Dòng tổng cộng không khớp", "Total row does not add up"),
    "title-total-row-missing": ("Thiếu dòng tổng cộng", "No total row"),
    "title-staff-target-missed": ("Chưa đạt 100% CBCCVC", "Staff target not met"),
    "title-target-missed": ("Chưa đạt chỉ tiêu", "Target not met"),
    "title-count-changed-sharply": ("Số liệu thay đổi bất thường", "Count changed sharply"),
    "title-share-outlier": ("Tỷ lệ khác xa các đơn vị khác", "Share far from the others"),
    "title-check-gt": ("{part} lớn hơn {whole}", "{part} more than {whole}"),
    "title-resident-target-missed": ("Chưa đạt 100% người dân có ĐTTM", "Resident target not met"),
    "title-count-fell": ("Số đã cài giảm so với lần trước", "Installed count fell"),
    "title-residents-changed-sharply": ("Số dân thay đổi nhiều", "Residents changed sharply"),
    "title-smartphone-share-outlier": ("Tỷ lệ có ĐTTM khác thường", "Unusual smartphone share"),
    "title-report-date-missing": ("Chưa ghi ngày báo cáo", "No report date"),
    "title-report-date-invalid": ("Ngày báo cáo không dùng được", "Unusable report date"),
    "title-late-report": ("Báo cáo muộn", "Late report"),
    "title-resubmission": ("Báo cáo gửi lại thay bản trước", "Resubmission replaces an earlier report"),
    "title-report-not-latest": ("Không phải báo cáo mới nhất", "Not the latest report"),
    "title-report-order-unclear": ("Hai báo cáo khác nhau, không rõ bản nào mới", "Two reports, order unclear"),
    "title-internal-error": ("Lỗi của công cụ", "Tool error"),
    "ingest-title": ("Kết quả nhận báo cáo", "Ingest results"),
    "findings-title": ("Các lỗi và cảnh báo", "Findings"),
    "ingest-summary": (
        "{files} tệp: {accepted} đã nhận, {warned} đã nhận có cảnh báo, {rejected} bị trả lại, {already} đã nhận trước đó, {skipped} bỏ qua.",
        "{files} files: {accepted} accepted, {warned} accepted with warnings, {rejected} rejected, {already} already received, {skipped} skipped.",
    ),
    "ingest-empty": ("Thư mục {path} không có tệp nào.", "Folder {path} holds no files."),
    "report-written": ("Đã ghi danh sách lỗi: {path}", "Findings written to {path}"),
    "feedback-written": (
        "Đã ghi {count} tệp phản hồi cho các đơn vị vào {path}",
        "Wrote {count} feedback files for the units into {path}",
    ),
    # --- consolidate, status, demo, rules ------------------------------------------------
    "help-feedback": (
        "Làm lại danh sách lỗi và các bản sao có đánh dấu ô cần sửa cho đơn vị từ kho dữ liệu, bất kỳ lúc nào.",
        "Make the error list and the units' marked copies again from the store, at any time.",
    ),
    "help-opt-round-feedback": (
        "Chỉ các tệp của lần báo cáo này (cùng các tệp chưa rõ lần); không ghi: mọi lần.",
        "Only the files of this round (with those of no known round); without it: every round.",
    ),
    "help-opt-out-feedback": (
        "Thư mục ghi các bản sao phản hồi (mặc định phan-hoi-lan-N).",
        "Folder for the feedback copies (default phan-hoi-lan-N).",
    ),
    "ingest-outputs-hint": (
        "Chưa tệp nào được ghi nhận vào kho. Thêm --force để ghi đè danh sách lỗi và bản phản hồi cũ, hoặc chọn tệp --report và thư mục --feedback khác.",
        "No file has been recorded yet. Add --force to replace the old error list and feedback copies, or choose another --report file and --feedback folder.",
    ),
    "feedback-again-hint": (
        "Các tệp đã được ghi nhận vào kho; làm lại danh sách lỗi và bản sao phản hồi bằng: ihanoi-report feedback --round {round} --report TỆP --out THƯ-MỤC",
        "The files are recorded in the store; make the error list and the copies again with: ihanoi-report feedback --round {round} --report FILE --out FOLDER",
    ),
    "help-recover": (
        "Lấy bản gốc các tệp đã nhận ra khỏi một kho dữ liệu bị hỏng, để nhận lại vào kho mới.",
        "Take the originals of the received files out of a damaged store, to ingest them into a new one.",
    ),
    "help-opt-recover-from": (
        "Kho bị hỏng cần đọc (mặc định ihanoi.sqlite của thư mục làm việc).",
        "The damaged store to read (default: the workspace's ihanoi.sqlite).",
    ),
    "help-opt-out-recover": (
        "Thư mục ghi các bản gốc lấy lại được.",
        "Folder for the originals read back.",
    ),
    "recover-done": (
        "Đã lấy lại bản gốc các tệp vào {path}. Đổi tên kho cũ (giữ lại để đối chiếu), rồi chạy lần lượt:",
        "The originals are in {path}. Rename the old store (keep it), then run, in this order:",
    ),
    "recover-out-hint": (
        "Chọn một thư mục mới hoặc trống với --out.",
        "Choose a new or empty folder with --out.",
    ),
    "recover-lost": (
        "{count} tệp nằm trên phần hỏng của kho, không lấy lại được: đề nghị các đơn vị đó gửi lại.",
        "{count} files lie on the damaged part of the store and could not be read back: ask those units to send them again.",
    ),
    "recover-nothing": (
        "Không đọc được tệp nào từ kho này: đề nghị các đơn vị gửi lại báo cáo.",
        "No file could be read from this store: ask the units to send their reports again.",
    ),
    "help-consolidate": (
        "Ghi báo cáo tổng hợp của một lần báo cáo (cũng là tệp gửi lên cấp trên).",
        "Write the consolidated report of a round (also the file sent to the level above).",
    ),
    "help-opt-round-required": ("Lần báo cáo cần tổng hợp.", "The round to consolidate."),
    "help-opt-round-close": ("Lần báo cáo cần chốt (hoặc mở lại).", "The round to close (or reopen)."),
    "moment": ("{time} ngày {date}", "{time} on {date}"),
    "help-opt-format": ("Định dạng tệp kết quả: xlsx, csv hoặc json.", "Output format: xlsx, csv or json."),
    "help-status": (
        "Đơn vị nào đã báo cáo, báo cáo muộn, chưa báo cáo; kèm tin nhắn nhắc sẵn để gửi.",
        "Who has reported, who is late, who is missing; with ready-to-send reminders.",
    ),
    "help-demo": (
        "Chạy thử cả quy trình trên dữ liệu mẫu: nhận báo cáo lần 1-4 (có Phòng GD&ĐT thu của các trường), tổng hợp và soạn báo cáo lần 3, xếp hạng thi đua.",
        "Run the whole cycle on the shipped samples: ingest rounds 1-4 (the Education Office collecting its schools), consolidate and draft round 3, rank the units.",
    ),
    "help-arg-demo-dir": (
        "Thư mục làm việc cho bản chạy thử (mặc định: thư mục tạm).",
        "Workspace for the demo (default: a temporary folder).",
    ),
    "help-rules": ("Liệt kê các quy tắc kiểm tra, mã và mức độ.", "List the checks, their codes and severities."),
    "format-unknown": (
        'Định dạng "{fmt}" không hỗ trợ; chọn xlsx, csv hoặc json.',
        'Format "{fmt}" is not supported; choose xlsx, csv or json.',
    ),
    "consolidate-written": (
        "Đã ghi báo cáo tổng hợp lần {round}: {path}",
        "Wrote the round {round} consolidated report: {path}",
    ),
    "summary-title": ("Tổng hợp lần {round} (số liệu đến {as_of})", "Round {round} summary (figures to {as_of})"),
    "col-group": ("Nhóm", "Group"),
    "col-reported": ("Đã BC", "Reported"),
    "col-late": ("Muộn", "Late"),
    "col-missing": ("Chưa BC", "Missing"),
    "col-units": ("Số đơn vị", "Units"),
    "col-reported-share": ("Đã BC", "Reported"),
    "col-on-time-share": ("Đúng hạn %", "On time %"),
    "col-share": ("%", "%"),
    "col-status": ("Tình trạng", "Status"),
    "col-contact": ("Liên hệ", "Contact"),
    "col-date": ("Ngày báo cáo", "Report date"),
    "district-total": ("{whole}", "Total ({whole})"),
    "furthest-title": ("{count} đơn vị xa chỉ tiêu nhất ({share})", "The {count} units furthest from the target ({share})"),
    "status-title": ("Tình hình báo cáo lần {round} (hạn {due})", "Round {round} reporting (due {due})"),
    "status-on-time": ("Đúng hạn", "On time"),
    "status-late": ("Muộn", "Late"),
    "status-missing": ("Chưa gửi", "Missing"),
    "status-rejected": ("Bị trả lại, chờ gửi lại", "Sent back, awaiting a corrected file"),
    "reminders-title": (
        "Tin nhắn nhắc các đơn vị chưa báo cáo (sao chép để gửi e-mail/Zalo)",
        "Reminders for the units that have not reported (copy into e-mail/Zalo)",
    ),
    "to-confirm-title": (
        "Cần hỏi lại đơn vị (hai báo cáo khác số liệu, không rõ báo cáo nào mới hơn)",
        "To confirm with the unit (two reports disagree and their order is unclear)",
    ),
    "status-all-reported": ("Tất cả đơn vị đã báo cáo lần {round}.", "Every unit has reported round {round}."),
    "demo-folder-not-empty": (
        "Thư mục {path} đã có dữ liệu; bản chạy thử không ghi vào đó.",
        "{path} is not empty; the demo does not write into it.",
    ),
    "demo-folder-not-empty-hint": (
        "Chọn một thư mục mới (hoặc bỏ trống để dùng thư mục tạm).",
        "Choose a new folder (or give none to use a temporary one).",
    ),
    "demo-round": ("Lần {round}: {summary}", "Round {round}: {summary}"),
    "demo-chain": (
        "Hai cấp: Phòng GD&ĐT nhận {files} tệp của mình và các trường (thư mục làm việc riêng), gửi báo cáo tổng hợp {path} lên huyện: {verdict}.",
        "Two levels: the Education Office took {files} files of its own and its schools' (a workspace of its own) and sent its consolidated workbook {path} to the district: {verdict}.",
    ),
    "demo-ranking": ("Bảng xếp hạng thi đua các đơn vị: {path}", "The emulation ranking of the units: {path}"),
    "demo-pack": (
        "Báo cáo gửi lãnh đạo (.docx), ảnh tiến độ và tin nhắn Zalo: {path}",
        "The report for the leaders (.docx), progress pictures and the Zalo message: {path}",
    ),
    "demo-done": (
        "Xong. Thư mục làm việc: {workspace}\nBáo cáo tổng hợp lần {round}: {path}",
        "Done. Workspace: {workspace}\nRound {round} consolidated report: {path}",
    ),
    "demo-next": (
        "Xem thêm: ihanoi-report status --round {round} --workspace {workspace}",
        "Next: ihanoi-report status --round {round} --workspace {workspace}",
    ),
    # the checks of the registry (checks/__init__.py), by name, in `ihanoi-report rules`
    "check-read": ("Đọc tệp", "Reading the file"),
    "check-identify": ("Nhận diện đơn vị, lần báo cáo", "Identifying the unit and round"),
    "check-columns": ("Các cột của biểu mẫu", "The form's columns"),
    "check-seen": ("Số liệu người lập không nhìn thấy hoặc để ngoài biểu mẫu", "Figures hidden or outside the form"),
    "check-values": ("Giá trị từng ô của biểu mẫu", "Each cell of a form"),
    "check-consolidated-values": ("Giá trị từng dòng của bảng tổng hợp cấp dưới", "Each row of a lower level's workbook"),
    "check-lines": ("Logic số liệu các dòng tổng, tổng nhóm", "Checks between columns on total rows"),
    "check-subtotals": ("Dòng tổng, tổng nhóm của bảng tổng hợp", "A consolidated workbook's totals"),
    "check-total": ("Dòng tổng cộng của biểu mẫu", "The form's total row"),
    "check-consistency": ("Logic số liệu giữa các cột", "Checks between columns"),
    "check-report-date": ("Ngày báo cáo", "The report's date"),
    "check-targets": ("Chỉ tiêu", "Targets"),
    "check-late": ("Thời hạn", "Timeliness"),
    "check-history": ("So với lần báo cáo trước (dữ liệu đã lưu)", "Against earlier rounds (the store)"),
    "check-outliers": ("So với các đơn vị khác (dữ liệu đã lưu)", "Against the other units (the store)"),
    "check-elsewhere": ("Đơn vị có trong báo cáo của nơi khác (dữ liệu đã lưu)", "A unit in another report (the store)"),
    "check-choice": ("Báo cáo nào được dùng (dữ liệu đã lưu)", "Which report counts (the store)"),
    "check-tool": ("Lỗi công cụ", "The tool's own failure"),
    "rules-title": ("Các quy tắc kiểm tra", "Checks"),
    "col-check": ("Kiểm tra", "Check"),
    # --- feedback workbooks (written for the units, always in Vietnamese) ---------------------
    "feedback-title": ("CÁC ĐIỂM CẦN SỬA TRONG BÁO CÁO CỦA {unit}", "WHAT TO CORRECT IN THE REPORT OF {unit}"),
    "feedback-check-title": ("CÁC ĐIỂM CẦN KIỂM TRA TRONG BÁO CÁO CỦA {unit}", "WHAT TO CHECK IN THE REPORT OF {unit}"),
    "feedback-check-marked": (
        "Báo cáo của đơn vị đã được nhận. Các ô cần kiểm tra được tô màu trong trang tính báo cáo và có ghi chú; nếu số liệu đúng thì không cần gửi lại, nếu có sai thì sửa trên biểu mẫu rồi gửi lại.",
        "The unit's report has been received. The cells to check are coloured on the report sheet and carry a note; if the figures are right there is no need to send it again, otherwise correct the form and send it again.",
    ),
    "feedback-check-listed": (
        "Báo cáo của đơn vị đã được nhận. Tệp ({suffix}) không đánh dấu trực tiếp được; các ô cần kiểm tra được ghi ở cột Ô dưới đây. Nếu số liệu đúng thì không cần gửi lại.",
        "The unit's report has been received. The file ({suffix}) cannot be marked directly; the cells to check are listed in the Cell column below. If the figures are right there is no need to send it again.",
    ),
    "feedback-check-unread": (
        "Báo cáo của đơn vị đã được nhận; đề nghị kiểm tra các điểm dưới đây.",
        "The unit's report has been received; please check the points below.",
    ),
    "feedback-marked": (
        "Các ô có vấn đề được tô màu trong trang tính báo cáo và có ghi chú. Đề nghị đơn vị sửa trực tiếp trên biểu mẫu rồi gửi lại.",
        "The cells with problems are coloured on the report sheet and carry a note. Please correct the form itself and send it again.",
    ),
    "feedback-listed": (
        "Tệp của đơn vị ({suffix}) không đánh dấu trực tiếp được; các ô có vấn đề được ghi ở cột Ô dưới đây. Đề nghị đơn vị sửa trên tệp của mình rồi gửi lại.",
        "The unit's file ({suffix}) cannot be marked directly; the cells with problems are listed in the Cell column below. Please correct your file and send it again.",
    ),
    "feedback-unread": (
        "Tệp của đơn vị không đọc được như biểu mẫu báo cáo; lý do ở dưới đây. Đề nghị đơn vị gửi lại đúng tệp biểu mẫu.",
        "The unit's file could not be read as the report form; the reason is below. Please send the form file again.",
    ),
    # --- the consolidated workbook ----------------------------------------------------------
    "note-late-typed": ("Báo cáo muộn ({date})", "Late report ({date})"),
    "note-late-file": (
        "Báo cáo muộn (nhận {date}, theo ngày của tệp vì không có ngày báo cáo hợp lệ)",
        "Late report (received {date}, by the file's date: no usable report date)",
    ),
    "note-late-stated": (
        "Báo cáo muộn (nhận {date}, theo ngày nhận do cán bộ ghi)",
        "Late report (received {date}, as stated by the officer)",
    ),
    "note-date-file": (
        "Không có ngày báo cáo hợp lệ; ngày nhận theo ngày của tệp: {date}",
        "No usable report date; received by the file's date: {date}",
    ),
    "note-date-stated": (
        "Không có ngày báo cáo hợp lệ; ngày nhận do cán bộ ghi: {date}",
        "No usable report date; received on {date}, as stated by the officer",
    ),
    "note-order-unclear": (
        "Có hai báo cáo khác số liệu, không rõ báo cáo nào mới hơn: xem trang Kiểm tra",
        "Two reports disagree and their order is unclear: see the Kiểm tra sheet",
    ),
    # --- words of the workbooks the tool writes (official documents: Vietnamese, whatever --lang) ---
    "book-sheet-summary": ("Tổng hợp", "Summary"),
    "book-sheet-missing": ("Chưa báo cáo", "Not reported"),
    "book-checks-none": ("Các báo cáo đã nhận không có cảnh báo nào.", "The reports received carry no warning."),
    "book-sheet-checks": ("Kiểm tra", "Checks"),
    "book-sheet-trend": ("Tiến độ", "Progress"),
    "book-sheet-sources": ("Nguồn số liệu", "Sources"),
    "book-sheet-groups": ("Theo nhóm", "By group"),
    "book-groups-title": (
        "SỐ LIỆU THEO NHÓM ĐƠN VỊ CỦA TỪNG ĐƠN VỊ GỬI BÁO CÁO TỔNG HỢP (LẦN {round})",
        "EACH SENDER'S FIGURES BY GROUP, FROM ITS CONSOLIDATED WORKBOOK (ROUND {round})",
    ),
    "book-col-stt": ("STT", "No."),
    "book-col-code": ("Mã đơn vị", "Unit code"),
    "book-col-name": ("Tên đơn vị", "Unit"),
    "book-col-unit": ("Đơn vị", "Unit"),
    "book-col-group": ("Nhóm", "Group"),
    "book-col-status": ("Tình trạng", "Status"),
    "book-col-contact": ("Liên hệ", "Contact"),
    "book-col-file": ("Tệp", "File"),
    "book-col-round": ("Lần", "Round"),
    "book-col-cell": ("Ô", "Cell"),
    "book-col-severity": ("Mức", "Level"),
    "book-col-code-short": ("Mã", "Code"),
    "book-col-finding-code": ("Mã lỗi", "Finding code"),
    "book-col-text": ("Nội dung", "Text"),
    "book-col-to-fix": ("Nội dung cần sửa", "What to fix"),
    "book-col-to-check": ("Nội dung cần kiểm tra", "What to check"),
    "book-col-share": ("Tỷ lệ (%)", "Share (%)"),
    "book-col-assessment": ("Đánh giá", "Assessment"),
    "book-col-note": ("Ghi chú", "Note"),
    "book-col-file-in-use": ("Tệp đang dùng", "File in use"),
    "book-col-sha": ("SHA-256 (12 ký tự đầu)", "SHA-256 (first 12)"),
    "book-col-identified-by": ("Nhận diện theo", "Identified by"),
    "book-col-report-date": ("Ngày báo cáo", "Report date"),
    "book-col-date-source": ("Nguồn của ngày", "Date from"),
    "book-col-superseded": ("Tệp đã bị thay thế", "Files superseded"),
    "book-col-rejected": ("Tệp bị trả lại", "Files sent back"),
    "book-status-missing": ("Chưa gửi báo cáo", "Not sent"),
    "book-status-rejected": ("Đã gửi nhưng bị trả lại, chờ gửi lại", "Sent, sent back, awaiting a corrected file"),
    "book-as-of": ("(Số liệu tính đến ngày {date})", "(Figures as of {date})"),
    "book-as-of-closed": (
        "(Số liệu tính đến ngày {date}; số liệu chốt ngày {closed})",
        "(Figures as of {date}; closed on {closed})",
    ),
    "closed-figures-changed": (
        "Số liệu lần {round} đã chốt nhưng kho {path} không còn cho đúng số liệu đã chốt; công cụ không ghi báo cáo sai khác với bản đã gửi.",
        "Round {round} is closed but the store {path} no longer gives the figures it was closed with; the tool writes no report that differs from the one sent.",
    ),
    "closed-figures-changed-hint": (
        "Đây là lỗi của công cụ, không phải của tệp đơn vị gửi: báo lỗi cho người hỗ trợ; chạy ihanoi-report reopen --round {round} nếu muốn tính lại lần này.",
        "This is the tool's fault, not a returned file's: report it; run ihanoi-report reopen --round {round} to count this round again.",
    ),
    "close-done": (
        "Đã chốt số liệu lần {round} lúc {at}: {reported}/{expected} đơn vị, mã kiểm tra số liệu {digest}. Tệp nhận sau đó được lưu nhưng không làm thay đổi báo cáo lần {round} (mở lại: ihanoi-report reopen --round {round}).",
        "Round {round} closed at {at}: {reported}/{expected} units, figures digest {digest}. Files received later are stored but change no output of round {round} (reopen: ihanoi-report reopen --round {round}).",
    ),
    "close-already": (
        "Lần {round} đã chốt số liệu từ {at} (mã kiểm tra {digest}); không có gì thay đổi.",
        "Round {round} was already closed at {at} (digest {digest}); nothing changed.",
    ),
    "reopen-done": (
        "Đã mở lại lần {round} (chốt lúc {at}): các tệp nhận sau khi chốt được tính từ bây giờ.",
        "Round {round} reopened (closed at {at}): files received after the closing count from now on.",
    ),
    "reopen-not-closed": ("Lần {round} chưa chốt số liệu; không có gì để mở lại.", "Round {round} is not closed; there is nothing to reopen."),
    "closed-notice": (
        "Lần {round} đã chốt số liệu lúc {at}: {count} tệp nhận sau khi chốt được lưu nhưng chưa được tính ({files}). Để tính: ihanoi-report reopen --round {round}.",
        "Round {round} was closed at {at}: {count} files received after the closing are stored but not counted ({files}). To count them: ihanoi-report reopen --round {round}.",
    ),
    "help-close": (
        "Chốt số liệu một lần báo cáo khi đã gửi báo cáo lên trên: tệp nhận sau đó được lưu nhưng không làm thay đổi báo cáo của lần đó.",
        "Close a round once its report is sent: files received later are stored but change none of its outputs.",
    ),
    "help-reopen": (
        "Mở lại một lần báo cáo đã chốt: các tệp nhận sau khi chốt được tính.",
        "Reopen a closed round: the files received after the closing count.",
    ),
    "book-group-reported": ("{group} ({reported}/{total} đã báo cáo)", "{group} ({reported}/{total} reported)"),
    "book-place-date": ("{place}, ngày ….. tháng ….. năm {year}", "{place}, date ….. / ….. / {year}"),
    "book-total-of": ("TỔNG CỘNG {whole}", "TOTAL, {whole}"),
    "book-missing-title": ("CÁC ĐƠN VỊ CHƯA BÁO CÁO LẦN {round}", "UNITS THAT HAVE NOT REPORTED IN ROUND {round}"),
    "book-checks-title": ("CÁC CẢNH BÁO TRONG BÁO CÁO ĐÃ NHẬN", "WARNINGS IN THE REPORTS RECEIVED"),
    "book-trend-title": ("TIẾN ĐỘ QUA CÁC LẦN BÁO CÁO", "PROGRESS OVER THE ROUNDS"),
    "book-trend-share": ("Lần {round}: {share} (%)", "Round {round}: {share} (%)"),
    "book-round": ("Lần {round}", "Round {round}"),
    "book-chart-line-title": (
        "Các tỷ lệ {whole} qua các lần báo cáo",
        "The shares of the whole ({whole}) over the rounds",
    ),
    "book-chart-share": ("Tỷ lệ", "Share"),
    "book-chart-unit-share": ("Lần {round}: {share}", "Round {round}: {share}"),
    "book-chart-bar-title": (
        "{share} (lần {round})",
        "{share} (round {round})",
    ),
    "book-chart-bar-title-lowest": (
        "{share} (lần {round}): {count} đơn vị thấp nhất trong số {total}",
        "{share} (round {round}): the lowest {count} of {total} units",
    ),
    "book-sheet-findings": ("Lỗi và cảnh báo", "Errors and warnings"),
    "book-sheet-to-fix": ("Cần sửa", "To fix"),
    "prompt-whole": ("Nhập số nguyên từ 0 trở lên.", "A whole number, 0 or more."),
    "prompt-bound": ("Nhập số nguyên từ 0 đến {whole} (cột {number}).", "A whole number from 0 up to: {whole} (column {number})."),
    "assessment-met": ("Đạt", "Met"),
    "assessment-missed": ("Chưa đạt", "Not met"),
    "assessment-not-reported": ("Chưa báo cáo", "Not reported"),
    "assessment-not-judged": ("Chưa đánh giá", "Not judged yet"),
    "chart-round": ("Lần {round}\n({due})", "Round {round}\n({due})"),
    "chart-target": ("Chỉ tiêu {share}", "Target {share}"),
    "chart-progress-title": ("{district}: các tỷ lệ qua các lần báo cáo (đến lần {round})", "{district}: the shares over the rounds (to round {round})"),
    "chart-target-title": ("{share} — lần {round} (số liệu đến {as_of})", "{share} — round {round} (figures to {as_of})"),
    "chart-target-note": (
        "Đường đỏ: chỉ tiêu {target} (hạn {deadline}).",
        "Red line: the target, {target} (due {deadline}).",
    ),
    "chart-more": ("Còn {count} đơn vị khác không hiện trên hình.", "{count} more units are not shown."),
    "help-summary": (
        "Soạn báo cáo kết quả một lần gửi lãnh đạo (.docx theo thể thức Nghị định 30/2020/NĐ-CP), kèm báo cáo tổng hợp, ảnh tiến độ và tin nhắn cho nhóm Zalo.",
        "Draft a round's report for the leaders (.docx in the layout of Decree 30/2020), with the consolidated workbook, progress pictures and a message for the Zalo group.",
    ),
    "help-opt-out-pack": (
        "Thư mục ghi báo cáo (mặc định Bao-cao-<tên chiến dịch>-lan-N, ví dụ Bao-cao-iHanoi-lan-3).",
        "Folder to write into (default Bao-cao-<campaign>-lan-N, e.g. Bao-cao-iHanoi-lan-3).",
    ),
    "help-opt-pdf": (
        "Ghi thêm bản PDF của báo cáo và của báo cáo tổng hợp (cần LibreOffice).",
        "Also write PDFs of the report and of the consolidated workbook (needs LibreOffice).",
    ),
    "pack-written": ("Đã ghi báo cáo vào {path}:", "Written to {path}:"),
    "zalo-title": (
        "Tin nhắn cho nhóm Zalo (đã ghi vào tệp .txt ở trên):",
        "Message for the Zalo group (also in the .txt above):",
    ),
    "pdf-no-libreoffice": (
        "Máy này chưa có LibreOffice nên chưa ghi được PDF; cài LibreOffice (https://vi.libreoffice.org) rồi chạy lại với --pdf, hoặc mở tệp .docx, .xlsx và chọn Lưu thành PDF.",
        "LibreOffice is not installed, so no PDF was written; install it (https://www.libreoffice.org) and run again with --pdf, or open the .docx and .xlsx and save them as PDF.",
    ),
    "pdf-failed": (
        "LibreOffice không chuyển được một số tệp sang PDF; mở tệp .docx, .xlsx và chọn Lưu thành PDF.",
        "LibreOffice could not convert some files to PDF; open the .docx and .xlsx and save them as PDF.",
    ),
    "summary-no-reports": (
        "Lần {round} chưa có báo cáo nào được nhận: báo cáo và hình ở trên chỉ có khung, chưa có số liệu.",
        "No report has been taken for round {round}: the report and pictures above are frames without figures.",
    ),
    "rank-nothing": ("Chưa có báo cáo nào được nhận nên chưa xếp hạng được.", "No report has been taken yet, so there is nothing to rank."),
    "rank-nothing-hint": ("Chạy ihanoi-report ingest với thư mục các tệp đơn vị gửi về trước.", "Run ihanoi-report ingest on the folder of returned files first."),
    "rank-col-points": ("Điểm theo tiêu chí", "Points by criterion"),
    "rank-col-rank": ("Hạng", "Rank"),
    "rank-col-total": ("Tổng điểm", "Total"),
    "rank-col-proposal": ("Đề xuất", "Proposal"),
    "rank-col-figures": ("Số liệu từ ứng dụng", "Figures from the app"),
    "rank-no-figures": ("Không có số liệu", "No figures"),
    "rank-inputs-sheet": ("Số liệu từ ứng dụng", "Figures from the app"),
    "rank-inputs-title": ("SỐ LIỆU TỪ ỨNG DỤNG DÙNG ĐỂ XẾP HẠNG", "THE APP'S FIGURES USED IN THE RANKING"),
    "rank-inputs-col-input": ("Số liệu", "Input"),
    "rank-inputs-col-file": ("Tệp", "File"),
    "rank-inputs-col-sha": ("SHA-256 (12 ký tự đầu)", "SHA-256 (first 12)"),
    "rank-inputs-col-period": ("Kỳ số liệu", "Period"),
    "rank-inputs-col-units": ("Số đơn vị có số liệu", "Units with figures"),
    "rank-inputs-col-row": ("Dòng", "Row"),
    "rank-inputs-col-text": ("Dòng không dùng được", "Row not used"),
    "rank-inputs-col-reason": ("Lý do", "Why"),
    "rank-inputs-no-row": ("Không có dòng trong tệp: không có số liệu", "No row in the file: no figures"),
    "rank-inputs-not-read": ("Chưa có tệp: các tiêu chí dùng số liệu này chưa được chấm", "No file: the criteria on these figures are not judged"),
    "rank-threshold": ("đạt từ {ratio}%: {points} điểm", "{ratio}% or more: {points} points"),
    "rank-prorata": ("{points} × tỷ lệ (tối đa {points} điểm)", "{points} × the ratio (at most {points} points)"),
    "rank-kind-rate": (
        "Tỷ lệ theo tệp {file} (kỳ {period}): {scale}. Đơn vị không có dòng trong tệp (không có số liệu): {missing} điểm; đơn vị không phải xử lý gì: đủ điểm.",
        "The ratio from {file} ({period}): {scale}. A unit with no row (no figures): {missing} points; a unit with nothing to handle: full points.",
    ),
    "rank-kind-count": (
        "Số tin theo tệp {file} so với 01 tin mỗi {days} ngày của kỳ {period}: {scale}. Đơn vị không có dòng trong tệp (không có số liệu): {missing} điểm.",
        "Items in {file} against one every {days} days of {period}: {scale}. A unit with no row (no figures): {missing} points.",
    ),
    "rank-col-days-early": ("Số ngày gửi trước hạn (cộng các lần)", "Days before the due dates (all rounds)"),
    "rank-note-ties": (
        "Cùng tổng điểm: so lần lượt điểm {criteria}; vẫn bằng thì đơn vị có {days} lớn hơn đứng trên; vẫn bằng nữa thì cùng hạng.",
        "Equal totals: compared by {criteria} in turn; still equal, the unit with more {days} ranks higher; still equal, the same rank.",
    ),
    "rank-note-blank": (
        "Ô điểm để trống: tiêu chí không áp dụng cho nhóm của đơn vị (không phải 0 điểm).",
        "A blank points cell: the criterion does not apply to the unit's group (not 0 points).",
    ),
    "rank-note-elsewhere": (
        "Các đơn vị do {collector} tổng hợp (như các trường học) không xếp hạng ở bảng này: {collector} xếp hạng trong thư mục làm việc của mình (ihanoi-report rank).",
        "The units {collector} collects (such as the schools) are not ranked here: {collector} ranks them in its own workspace (ihanoi-report rank).",
    ),
    "rank-subtitle": (
        "({group}; số liệu đến lần {round}, hạn {due})",
        "({group}; figures to round {round}, due {due})",
    ),
    "rank-all-groups": ("Mọi nhóm", "Every group"),
    "rank-not-judged": (
        "Chưa đánh giá ở lần này: chỉ tiêu chưa đến lần được đánh giá",
        "Not judged yet: the target's round is still to come",
    ),
    "rank-every-round": ("mọi lần", "every round"),
    "rank-kind-on_time": (
        "{points} điểm mỗi lần báo cáo đúng hạn (không bị trả lại), {late} điểm mỗi lần gửi muộn, 0 điểm nếu thiếu; các lần được tính: {rounds}.",
        "{points} points for each report on time (not sent back), {late} for a late one, 0 for a missing one; rounds counted: {rounds}.",
    ),
    "rank-kind-target": (
        "{points} điểm nếu đạt chỉ tiêu {target} ở lần báo cáo đầu tiên có hạn sau ngày {deadline}.",
        "{points} points if the target ({target}) is met in the first report due after {deadline}.",
    ),
    "rank-kind-share": ("{points} × {measure} ở lần báo cáo gần nhất.", "{points} × {measure} in the latest report."),
    "rank-kind-progress": (
        "{points} × mức tăng của {measure} từ lần đầu có số liệu đến lần gần nhất (không tăng: 0).",
        "{points} × the rise of {measure} from the first report with figures to the latest (no rise: 0).",
    ),
    "rank-kind-quality": (
        "{points} điểm, trừ {penalty} điểm cho mỗi tệp báo cáo bị trả lại (thấp nhất 0).",
        "{points} points, less {penalty} for each file sent back (at least 0).",
    ),
    "rank-criteria-col-n": ("STT", "No."),
    "rank-criteria-col-name": ("Tiêu chí", "Criterion"),
    "rank-criteria-col-how": ("Cách tính điểm", "How the points are given"),
    "rank-criteria-col-groups": ("Áp dụng cho", "Applies to"),
    "rank-criteria-col-note": ("Ghi chú", "Note"),
    "rank-tie-title": ("Khi bằng điểm", "Ties"),
    "rank-tie-rule": (
        "So lần lượt: {criteria}; vẫn bằng: đơn vị gửi báo cáo sớm hơn (tổng số ngày trước hạn của các lần) đứng trên; vẫn bằng nữa: cùng hạng. Đơn vị chưa gửi báo cáo nào đứng cuối nhóm.",
        "Compared in turn: {criteria}; still equal: the unit whose reports came earlier (days before the due dates, summed) first; still equal: the same rank. A unit that never reported is last in its group.",
    ),
    "rank-criteria-sheet": ("Tiêu chí", "Criteria"),
    "rank-criteria-title": ("TIÊU CHÍ VÀ CÁCH TÍNH ĐIỂM XẾP HẠNG THI ĐUA", "THE RANKING CRITERIA AND THEIR POINTS"),
    "book-sheet-ranking": ("Xếp hạng thi đua", "Ranking"),
    "help-rank": (
        "Xếp hạng thi đua các đơn vị trong từng nhóm theo tiêu chí của campaign.toml, kèm đề xuất khen thưởng, nhắc nhở, phê bình.",
        "Rank the units within their groups by the campaign's criteria, with proposals for commendation, reminders and criticism.",
    ),
    "help-opt-round-rank": (
        "Xếp hạng tính đến lần này (mặc định: lần gần nhất đã có báo cáo).",
        "Rank as of this round (default: the last round with reports).",
    ),
    "help-opt-out-rank": (
        "Tệp ghi kết quả (mặc định Xep-hang-thi-dua-den-lan-N.xlsx).",
        "File to write (default Xep-hang-thi-dua-den-lan-N.xlsx).",
    ),
    "rank-title": (
        "Xếp hạng thi đua đến lần {round} (đầu và cuối mỗi nhóm)",
        "Ranking as of round {round} (top and bottom of each group)",
    ),
    "rank-written": ("Đã ghi bảng xếp hạng đến lần {round}: {path}", "Ranking as of round {round} written to {path}"),
    "col-rank": ("Hạng", "Rank"),
    "col-total": ("Điểm", "Points"),
    "col-proposal": ("Đề xuất", "Proposal"),
    "summary-line": (
        "Đã báo cáo: {reported}/{total} đơn vị; báo cáo muộn: {late}; chưa báo cáo: {missing}.",
        "Reported: {reported}/{total} units; late: {late}; not reported: {missing}.",
    ),
    "sources-title": ("NGUỒN SỐ LIỆU CỦA BÁO CÁO TỔNG HỢP LẦN {round}", "WHERE THE ROUND {round} FIGURES COME FROM"),
    "identified-metadata": ("dữ liệu ẩn của biểu mẫu", "the form's hidden data"),
    "identified-visible": ("tên đơn vị ghi trên biểu mẫu", "the unit name on the form"),
    "identified-file-name": ("tên tệp", "the file name"),
    "date-from-typed": ("ghi trên biểu mẫu", "typed on the form"),
    "date-from-file": ("ngày sửa đổi của tệp", "the file's modification date"),
    "date-from-stated": ("ngày nhận do cán bộ ghi", "stated by the officer"),
    # --- form texts (written into workbooks) ---------------------------------------------
    "form-unit-line": ("Đơn vị báo cáo: {name} (mã: {code})", "Reporting unit: {name} (code: {code})"),
    "form-due-line-cutoff": (
        "Số liệu tính đến ngày {as_of}. Hạn gửi báo cáo: chậm nhất ngày {due} về {office}",
        "Figures as of {as_of}. Due: on or before {due}, to {office}",
    ),
    "cfg-cutoff-after-due": (
        "ngày chốt số liệu lần {number} ({cutoff}) sau hạn gửi ({due})",
        "round {number}'s data cut-off ({cutoff}) is after its due date ({due})",
    ),
    "sub-cutoff-after-due": (
        "Lần {number}: hạn của cấp dưới ({due}) sớm hơn ngày chốt số liệu của cấp này ({cutoff}).",
        "Round {number}: the sub-collector's due date ({due}) comes before this level's data cut-off ({cutoff}).",
    ),
    "sub-cutoff-after-due-hint": ("Dùng --days-before nhỏ hơn.", "Use a smaller --days-before."),
    "form-due-line": (
        "Hạn gửi báo cáo: chậm nhất ngày {due} về {office}",
        "Due: on or before {due}, to {office}",
    ),
    "form-date-prompt-title": ("Ngày báo cáo", "Report date"),
    "form-date-prompt": (
        "Nhập ngày dạng ngày/tháng/năm, ví dụ {example}.",
        "Type the date as day/month/year, e.g. {example}.",
    ),
    "form-date-error-title": ("Ngày không hợp lệ", "Invalid date"),
    "form-date-error": (
        "Ngày báo cáo phải là một ngày trong đợt báo cáo, dạng ngày/tháng/năm, ví dụ {example}. Nếu máy đặt định dạng ngày kiểu Mỹ, nhập tháng/ngày/năm, ví dụ {example_us}.",
        "The report date must be a date of the campaign, as day/month/year, e.g. {example}. On a computer set to US dates, type month/day/year, e.g. {example_us}.",
    ),
    "form-date-line": ("{place}, ngày ….. tháng ….. năm {year}", "{place}, date ….. / ….. / {year}"),

    # --- serve: the page in the browser ----------------------------------------------------
    "help-serve": (
        "Mở trang làm việc trong trình duyệt (chỉ trên máy này): nhận tệp, xem ai còn thiếu, lập tài liệu, chốt số liệu.",
        "Open the desk page in the browser (on this computer only): receive files, see who is missing, make the documents, close a round.",
    ),
    "help-opt-port": ("Cổng của trang (mặc định 8765, hoặc cổng trống kế tiếp; 0: cổng trống bất kỳ).", "The page's port (default 8765, or the next free one; 0: any free port)."),
    "help-opt-no-browser": ("Không tự mở trình duyệt; chỉ in địa chỉ.", "Do not open the browser; only print the address."),
    "serve-started": (
        "Trang đang chạy ở địa chỉ trên (chỉ máy này mở được). Nhấn Ctrl-C để dừng.",
        "The page is running at the address above (only this computer can open it). Press Ctrl-C to stop.",
    ),
    "serve-stopped": ("Đã dừng trang.", "The page has stopped."),
    "stopped": (
        "Đã dừng theo yêu cầu. Không tệp kết quả nào bị ghi dở; các tệp đã nhận vào kho trước lúc dừng vẫn được giữ, chạy lại lệnh để làm tiếp.",
        "Stopped as asked. No output was left half-written; the files received into the store before the stop are kept: run the command again to carry on.",
    ),
    "serve-port-busy": ("Không mở được cổng {port} ({detail}).", "Cannot open port {port} ({detail})."),
    "serve-port-busy-hint": (
        "Chọn cổng khác bằng --port, hoặc dừng chương trình đang dùng cổng đó.",
        "Choose another port with --port, or stop the program that uses it.",
    ),
    "web-refused-token": (
        "Trang này chỉ mở được bằng địa chỉ có mã mà lệnh ihanoi-report serve đã in ra; hãy mở lại đúng địa chỉ đó.",
        "This page opens only from the address with the code that ihanoi-report serve printed; open that address again.",
    ),
    "web-refused-host": (
        "Yêu cầu bị từ chối: trang chỉ phục vụ địa chỉ 127.0.0.1 của máy này.",
        "Request refused: the page serves only this computer's address 127.0.0.1.",
    ),
    "web-refused-origin": (
        "Yêu cầu bị từ chối: nó không đến từ chính trang làm việc (có thể từ một trang web khác đang mở).",
        "Request refused: it does not come from the desk page itself (perhaps from another site that is open).",
    ),
    "web-title": ("Bàn làm việc", "Desk"),
    "web-rounds": ("Các lần báo cáo", "Rounds"),
    "web-pages": ("Các trang", "Pages"),
    "web-round": ("Lần {round}", "Round {round}"),
    "web-due": ("hạn {due}", "due {due}"),
    "web-nav-glance": ("Tổng quan", "Overview"),
    "web-nav-receive": ("Nhận tệp", "Receive files"),
    "web-nav-missing": ("Còn thiếu, phải gửi lại", "Missing, to resend"),
    "web-nav-documents": ("Tài liệu", "Documents"),
    "web-nav-units": ("Đơn vị", "Units"),
    "web-nav-close": ("Chốt số liệu", "Close the round"),
    "web-busy": ("Đang xử lý, xin chờ…", "Working, please wait…"),
    "web-error": ("Chưa làm được", "Not done"),
    "web-tool-fault": ("Lỗi của công cụ (không phải lỗi của tệp)", "A fault of the tool (not of the file)"),
    "web-internal": ("Công cụ gặp lỗi của chính nó ({detail}); tệp và kho dữ liệu không bị thay đổi.", "The tool met a fault of its own ({detail}); no file and no store was changed."),
    "web-back": ("Quay lại", "Back"),
    "web-glance-title": ("Lần {round} (hạn {due}): tình hình báo cáo", "Round {round} (due {due}): who has reported"),
    "web-nothing-yet": ("Chưa nhận báo cáo nào. Hãy nhận các tệp đơn vị gửi về.", "No report received yet. Receive the files the units sent."),
    "web-workspace": ("Thư mục làm việc: {path}", "Workspace: {path}"),
    "web-step-forms": ("Lập biểu mẫu trắng cho các đơn vị và gửi đi:", "Make the blank forms for the units and send them:"),
    "web-step-receive": ("Khi đơn vị gửi lại, nhận các tệp tại đây:", "When the units send them back, receive the files here:"),
    "web-round-closed": ("Lần này đã chốt số liệu lúc {at}.", "This round was closed at {at}."),
    "web-after-closure": ("{count} tệp nhận sau khi chốt được lưu nhưng chưa được tính.", "{count} file(s) received after the closing are kept but not counted."),
    "web-standings-caption": ("Theo nhóm đơn vị", "By group of units"),
    "web-col-reported": ("Đã báo cáo / phải báo cáo", "Reported / expected"),
    "web-col-on-time": ("Đúng hạn", "On time"),
    "web-col-late": ("Muộn", "Late"),
    "web-col-sent-back": ("Bị trả lại", "Sent back"),
    "web-col-missing": ("Chưa có báo cáo", "No report"),
    "web-col-reported-share": ("Tỷ lệ đã báo cáo", "Share reported"),
    "web-col-on-time-share": ("Tỷ lệ đúng hạn", "Share on time"),
    "web-missing-link": ("{count} đơn vị còn thiếu hoặc phải gửi lại: xem tin nhắc sẵn", "{count} unit(s) missing or to resend: see the ready reminders"),
    "web-picture": ("Ảnh tiến độ", "Progress picture"),
    "web-receive-title": ("Nhận tệp đơn vị gửi về", "Receive the units' files"),
    "web-receive-intro": (
        "Chọn các tệp báo cáo (hoặc cả thư mục) nhận qua Zalo, thư điện tử…, hoặc kéo thả vào ô dưới đây. Mỗi tệp tối đa {megabytes} MB. Công cụ kiểm tra từng tệp, lưu bản gốc và cho biết đơn vị nào phải sửa gì.",
        "Choose the report files (or a whole folder) received by Zalo, e-mail…, or drop them in the box below. At most {megabytes} MB a file. The tool checks each file, keeps the original and says which unit must correct what.",
    ),
    "web-choose-files": ("Các tệp báo cáo:", "Report files:"),
    "web-choose-folder": ("Hoặc cả một thư mục:", "Or a whole folder:"),
    "web-pick-files": ("Chọn các tệp…", "Choose files…"),
    "web-pick-folder": ("Chọn thư mục…", "Choose a folder…"),
    "web-drop-hint": ("Có thể kéo thả tệp hoặc thư mục vào ô này.", "Files or folders can be dropped in this box."),
    "web-chosen": ("Đã chọn {count} tệp.", "{count} file(s) chosen."),
    "web-round-of-files": ("Lần báo cáo của các tệp:", "Round of the files:"),
    "web-round-from-file": ("Theo tệp (tự nhận biết)", "From each file (found by the tool)"),
    "web-received-on": ("Ngày nhận:", "Received on:"),
    "web-received-hint": ("Để trống nếu nhận hôm nay; ngày này dùng để xét đúng hạn khi tệp không ghi ngày báo cáo.", "Leave empty if received today; it judges timeliness where a file has no report date."),
    "web-receiving": ("Đang nhận và kiểm tra các tệp", "Receiving and checking the files"),
    "web-receiving-count": ("Đã kiểm tra {done} / {total} tệp…", "{done} of {total} files checked…"),
    "web-receive-button": ("Nhận và kiểm tra", "Receive and check"),
    "web-no-files": ("Chưa chọn tệp nào.", "No file was chosen."),
    "web-no-files-hint": ("Chọn hoặc kéo thả các tệp báo cáo rồi bấm Nhận và kiểm tra.", "Choose or drop the report files, then press Receive and check."),
    "web-request-too-large": ("Các tệp gửi một lần vượt quá {megabytes} MB nên không nhận.", "The files sent at once are over {megabytes} MB, so none was received."),
    "web-request-too-large-hint": ("Gửi thành nhiều lần, mỗi lần ít tệp hơn.", "Send them in several batches of fewer files."),
    "web-upload-too-large": ("Tệp {name} lớn hơn {megabytes} MB nên không nhận; biểu mẫu báo cáo nhỏ hơn nhiều, đề nghị đơn vị gửi lại đúng tệp biểu mẫu.", "The file {name} is over {megabytes} MB, so it was not received; a report form is far smaller: ask the unit for the form itself."),
    "web-received-title": ("Kết quả nhận tệp", "Files received"),
    "web-coverage": ("Lần {round}, số đơn vị đã có số liệu:", "Round {round}, units with figures:"),
    "web-col-round": ("Lần", "Round"),
    "web-col-what-to-do": ("Nội dung cần xử lý", "What to do"),
    "web-feedback-copy": ("Tải bản phản hồi gửi đơn vị", "Download the copy for the unit"),
    "web-received-kept": ("Các tệp đã nhận được lưu trong {path}.", "The received files are kept in {path}."),
    "web-receive-more": ("Nhận thêm tệp", "Receive more files"),
    "web-missing-title": ("Lần {round} (hạn {due}): đơn vị còn thiếu hoặc phải gửi lại", "Round {round} (due {due}): units missing or to resend"),
    "web-missing-intro": ("{count} đơn vị. Mỗi đơn vị có sẵn tin nhắc; bấm Sao chép rồi dán vào Zalo hoặc thư điện tử.", "{count} unit(s). Each has a ready reminder: press Copy and paste it into Zalo or an e-mail."),
    "web-reminder-text": ("Tin nhắc gửi {name}", "Reminder to {name}"),
    "web-copy": ("Sao chép", "Copy"),
    "web-documents-title": ("Tài liệu lần {round}", "Documents of round {round}"),
    "web-doc-forms": ("Biểu mẫu trắng gửi đơn vị", "Blank forms for the units"),
    "web-doc-forms-about": ("Biểu mẫu lần {round} của từng đơn vị (mỗi đơn vị một tệp, tên đơn vị in sẵn), gộp trong một tệp .zip để gửi.", "Round {round}'s form for each unit (one file each, its name printed), in one .zip to send."),
    "web-forms-for": ("Cho:", "For:"),
    "web-forms-every-unit": ("Mọi đơn vị", "Every unit"),
    "web-made-forms": ("Đã lập biểu mẫu trắng", "The blank forms are made"),
    "web-forms-placeholder": (
        'Lưu ý: biểu mẫu còn chỗ chưa điền: {key} = "{text}" ({path}, mục [form]); điền số và ngày công văn rồi lập lại biểu mẫu trước khi gửi.',
        'Note: the form still has a blank: {key} = "{text}" ({path}, [form]); fill in the number and date of the official letter, then make the forms again before sending.',
    ),
    "web-doc-workbook": ("Biểu tổng hợp (.xlsx)", "Consolidated workbook (.xlsx)"),
    "web-doc-workbook-about": ("Số liệu tổng hợp lần {round} của các đơn vị, theo nhóm, kèm biểu đồ; gửi cấp trên.", "Round {round}'s consolidated figures of the units, by group, with charts; for the level above."),
    "web-doc-summary": ("Báo cáo gửi lãnh đạo", "Report for the leaders"),
    "web-doc-summary-about": ("Dự thảo báo cáo (.docx), biểu tổng hợp, ảnh tiến độ và tin nhắn Zalo của lần {round}.", "The drafted report (.docx), the consolidated workbook, the progress pictures and the Zalo message of round {round}."),
    "web-doc-ranking": ("Xếp hạng thi đua", "Emulation ranking"),
    "web-doc-ranking-about": ("Xếp hạng thi đua các đơn vị tính đến lần {round} (.xlsx).", "The units' emulation ranking as of round {round} (.xlsx)."),
    "web-doc-errors": ("Danh sách lỗi và bản phản hồi", "Error list and copies for the units"),
    "web-doc-errors-about": ("Danh sách các lỗi của lần {round} và bản phản hồi cho từng đơn vị phải sửa.", "Round {round}'s list of errors and a copy for each unit that must correct its file."),
    "web-make": ("Lập và tải về", "Make and download"),
    "web-made-workbook": ("Đã lập biểu tổng hợp", "The consolidated workbook is made"),
    "web-made-summary": ("Đã lập báo cáo gửi lãnh đạo", "The report for the leaders is made"),
    "web-made-ranking": ("Đã lập bảng xếp hạng thi đua", "The emulation ranking is made"),
    "web-made-errors": ("Đã lập danh sách lỗi và bản phản hồi", "The error list and copies are made"),
    "web-made-kept": ("Các tệp cũng được lưu trong {path}.", "The files are also kept in {path}."),
    "web-zalo-message": ("Tin nhắn gửi nhóm Zalo:", "Message for the Zalo group:"),
    "web-unknown-document": ("Không có loại tài liệu này.", "There is no such document."),
    "web-file-gone": ("Tệp này không còn; hãy lập lại tài liệu.", "This file is gone; make the document again."),
    "web-units-title": ("Các đơn vị, lần {round}", "The units, round {round}"),
    "web-original": ("Tải tệp gốc đơn vị đã gửi", "Download the file as the unit sent it"),
    "web-unit-no-file": ("Chưa gửi tệp nào.", "No file sent."),
    "web-col-received": ("Nhận lúc", "Received at"),
    "web-col-findings": ("Nội dung kiểm tra", "Findings"),
    "web-status-accepted": ("Đang dùng", "In use"),
    "web-status-rejected": ("Bị trả lại", "Sent back"),
    "web-status-superseded": ("Đã thay bằng tệp sau", "Replaced by a later file"),
    "web-status-after-closure": ("Nhận sau khi chốt, chưa được tính", "Received after the closing, not counted"),
    "web-close-title": ("Chốt số liệu lần {round}", "Close round {round}"),
    "web-round-open": ("Lần {round} chưa chốt: mọi tệp nhận thêm đều được tính.", "Round {round} is open: every file received is counted."),
    "web-close-about": (
        "Chốt số liệu giữ nguyên số liệu lần {round} như hiện nay cho mọi tài liệu; tệp nhận sau đó vẫn được lưu nhưng không được tính, cho đến khi mở lại.",
        "Closing keeps round {round}'s figures as they are now in every document; files received later are kept but not counted until it is reopened.",
    ),
    "web-close-confirm": ("Tôi xác nhận chốt số liệu lần {round}.", "I confirm closing round {round}."),
    "web-close-button": ("Chốt số liệu lần {round}", "Close round {round}"),
    "web-close-unconfirmed": ("Chưa đánh dấu ô xác nhận nên chưa làm gì.", "The confirmation box was not ticked, so nothing was done."),
    "web-close-digest": ("Mã kiểm tra số liệu: {digest}.", "Figures check code: {digest}."),
    "web-close-done-closed": ("Đã chốt số liệu lần {round}.", "Round {round} is closed."),
    "web-close-done-reopened": ("Đã mở lại lần {round}: các tệp nhận sau khi chốt được tính lại.", "Round {round} is reopened: the files received after the closing count again."),
    "web-reopen-about": ("Mở lại để tính cả các tệp nhận sau khi chốt lần {round}.", "Reopen to count the files received after round {round} was closed."),
    "web-reopen-confirm": ("Tôi xác nhận mở lại lần {round}.", "I confirm reopening round {round}."),
    "web-reopen-button": ("Mở lại lần {round}", "Reopen round {round}"),
}


OWN: Final = frozenset(CATALOG)  # the tool's own sentences: a campaign's never replace them


def declare(entries: dict[str, tuple[str, str]]) -> None:
    """Add the sentences a campaign declares (its columns' names, the sentence of a check under a code of its
    own, in Vietnamese and English): campaign.toml names the columns, so that no module has to."""
    CATALOG.update({key: texts for key, texts in entries.items() if key not in OWN})


def set_language(language: str) -> None:
    """Choose the language of every later sentence ("vi" or "en")."""
    global _language
    if language not in LANGUAGES:
        raise ValueError(language)
    _language = language


def get_language() -> str:
    return _language


# The blanks that hold a count of units, files or reports: written with the thousands mark, as every figure is
# ("10.000/10.000 đơn vị", "12.000 tệp"); never a round, a year, a row or a cell.
COUNT_BLANKS: Final = frozenset({"count", "files", "reported", "expected", "total", "late", "missing", "on_time",
                                 "accepted", "warned", "rejected", "already", "skipped", "done", "corrected"})


def with_counts(values: dict[str, object], language: str) -> dict[str, object]:
    """``values``, with every whole number of a count blank from 1000 on written the reader's way (a new dict
    when there is one)."""
    grouped = {key: f"{value:,}".replace(",", "." if language == "vi" else ",")
               for key in COUNT_BLANKS.intersection(values)
               if type(value := values[key]) is int and not -1000 < value < 1000}  # type(): not a bool
    return {**values, **grouped} if grouped else values


def t(key: str, /, **values: object) -> str:
    """The sentence for ``key`` in the current language, with ``values`` filled in."""
    vi, en = CATALOG[key]
    text = en if _language == "en" else vi
    return text.format(**with_counts(values, _language)) if values else text


def vi(key: str, /, **values: object) -> str:
    """The Vietnamese sentence, whatever the language: for texts written into workbooks."""
    text = CATALOG[key][0]
    return text.format(**with_counts(values, "vi")) if values else text


# The example date of a sentence given none of its own: the list of rules, and a finding kept in a store made
# before findings carried their round's example (the one the shipped campaign's round 3 showed).
EXAMPLE_DAY: Final = "18/8/2024"


class _Placeholder(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return {"cell": "F12", "example": EXAMPLE_DAY}.get(key, "…")


def t_example(key: str) -> str:
    """The sentence with its blanks shown as "…", for the list of rules."""
    vi_text, en_text = CATALOG[key]
    return (en_text if _language == "en" else vi_text).format_map(_Placeholder())


# The usage errors Typer/Click write in English, and their Vietnamese; matched in order.
_USAGE_ERRORS: Final = (
    (r"No such command '(.+?)'\.", r"Không có lệnh '\1'."),
    (r"Did you mean '(.+?)'\?", r"Có phải ý bạn là '\1'?"),
    (r"\(Possible options: (.+?)\)", r"(Các tùy chọn gần giống: \1)"),
    (r"Missing argument '(.+?)'\.", r"Thiếu tham số '\1'."),
    (r"Missing option '(.+?)'\.", r"Thiếu tùy chọn '\1'."),
    (r"No such option: (\S+)", r"Không có tùy chọn \1"),
    (r"Option '(.+?)' requires an argument\.", r"Tùy chọn '\1' cần một giá trị."),
    (r"Got unexpected extra arguments? \((.+?)\)", r"Thừa tham số (\1)"),
    (r"Invalid value for '(.+?)': ", r"Giá trị không hợp lệ cho '\1': "),
    (r"'(.+?)' is not a valid int(eger)?\.", r"'\1' không phải số nguyên."),
    (r"(\S+) is not in the range (.+?)\.", r"\1 không nằm trong khoảng \2."),
    (r"Directory '(.+?)' is a file\.", r"'\1' là một tệp, không phải thư mục."),
    (r"File '(.+?)' is a directory\.", r"'\1' là một thư mục, không phải tệp."),
)


def usage_error(text: str) -> str:
    """A Typer/Click usage error in the user's language."""
    if _language == "en":
        return text
    import re

    for pattern, replacement in _USAGE_ERRORS:
        text = re.sub(pattern, replacement, text)
    return text
