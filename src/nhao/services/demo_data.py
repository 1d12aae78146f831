"""Names and words of the demo commune (a mountain commune of Lạng Sơn).

Kept apart from demo.py so the generator reads as logic; every name here is made up
from common Tày, Nùng, Dao, Mông and Kinh names and Lạng Sơn place words.
"""

from __future__ import annotations

from nhao.domain.enums import CaseStatus, SupportKind

# Hamlet name, relative size, ethnic mix (weights) of its households.
HAMLETS: tuple[tuple[str, float, dict[str, int]], ...] = (
    ("Thôn Nà Pàn", 1.2, {"Tày": 70, "Nùng": 20, "Kinh": 10}),
    ("Thôn Khuổi Hẩu", 0.8, {"Dao": 70, "Tày": 20, "Nùng": 10}),
    ("Bản Chu", 1.0, {"Nùng": 60, "Tày": 35, "Kinh": 5}),
    ("Thôn Pác Làng", 1.1, {"Tày": 60, "Nùng": 30, "Kinh": 10}),
    ("Thôn Nà Mạ", 0.9, {"Tày": 50, "Nùng": 40, "Kinh": 10}),
    ("Bản Lũng Cút", 0.6, {"Mông": 80, "Dao": 20}),
    ("Thôn Cốc Lùng", 1.0, {"Nùng": 55, "Tày": 40, "Kinh": 5}),
    ("Thôn Phai Xá", 1.4, {"Tày": 55, "Kinh": 35, "Nùng": 10}),
    ("Thôn Nà Lốc", 1.0, {"Tày": 60, "Nùng": 30, "Dao": 10}),
    ("Bản Khuổi Ngòa", 0.7, {"Dao": 50, "Nùng": 30, "Tày": 20}),
)

# Ethnicity → surnames, male middle names, female middle names, male and female given names.
NAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    "Tày": (
        ("Hoàng", "Nông", "Hà", "Lương", "Lộc", "Hứa", "Ma", "Vi", "Chu", "Lâm", "Đinh", "Dương"),
        ("Văn",), ("Thị",),
        ("Páo", "Thắng", "Slằn", "Pẻn", "Toản", "Khoa", "Việt", "Chiến", "Đức", "Lường",
         "Thuận", "Quý", "Bắc", "Vầu", "Sinh", "Tằng"),
        ("Mẩy", "Hoa", "Nhung", "Mai", "Thơm", "Phượng", "Nga", "Lìn", "Slao", "Hiền", "Đào",
         "Vần"),
    ),
    "Nùng": (
        ("Lương", "Hoàng", "Vy", "Nông", "Lăng", "Chu", "Mã", "Lý", "Đàm", "Lục", "Hà"),
        ("Văn",), ("Thị",),
        ("Pảo", "Sổ", "Lìn", "Phủ", "Chắn", "Thình", "Mạnh", "Pù", "Slì", "Cẩu", "Lành", "Hín"),
        ("Slinh", "Nhàn", "Thoa", "Lầu", "Mí", "Hoa", "Ngần", "Sáy", "Dìn", "Phấn"),
    ),
    "Dao": (
        ("Triệu", "Bàn", "Lý", "Đặng", "Chảo", "Phùng"),
        ("Văn", "Văn", "Tài", "Quầy"), ("Thị",),
        ("Sành", "Phin", "Vàng", "Quẩy", "Chài", "Lai", "Kiều", "Mềnh", "Sinh", "Tả", "Chòi"),
        ("Mẩy", "Xuân", "Nhì", "Liều", "Sai", "Mùi", "Piệt", "Chang"),
    ),
    "Mông": (
        ("Giàng", "Vừ", "Thào", "Lù", "Sùng", "Hầu", "Lý", "Mùa", "Hờ"),
        ("A",), ("Thị",),
        ("Dình", "Páo", "Chứ", "Của", "Sử", "Lử", "Tráng", "Chống", "Dế", "Vàng", "Sình", "Khua"),
        ("Mỷ", "Dua", "Súa", "Chá", "Mai", "Pà", "Xúa", "Dợ", "Sua", "Dinh"),
    ),
    "Kinh": (
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Ngô", "Đặng", "Phan"),
        ("Văn", "Văn", "Đức", "Minh", "Quang"), ("Thị", "Thị", "Thu", "Thanh"),
        ("Thắng", "Hùng", "Dũng", "Tuấn", "Hải", "Long", "Sơn", "Minh", "Quân", "Bình", "Hòa",
         "Cường", "Trung"),
        ("Hoa", "Lan", "Hương", "Hạnh", "Thủy", "Nga", "Hằng", "Liên", "Tâm", "Yến", "Huệ"),
    ),
}

PHONE_PREFIXES = ("086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038",
                  "039", "081", "082", "083", "084", "085", "088", "091", "094", "070", "076",
                  "077", "078", "079")

# Structure → {durable: materials}; what inspectors write in the survey form.
MATERIALS: dict[str, dict[bool, tuple[str, ...]]] = {
    "foundation": {
        True: ("Móng đá hộc, nền láng xi măng", "Móng bê tông, nền lát gạch"),
        False: ("Nền đất nện", "Kê đá, nền đất"),
    },
    "frame_walls": {
        True: ("Tường gạch, khung bê tông", "Tường xây gạch xi măng"),
        False: ("Vách gỗ tạp", "Tường trình đất", "Vách tre nứa", "Nhà sàn gỗ tạp đã mục"),
    },
    "roof": {
        True: ("Mái ngói", "Mái tôn lạnh", "Mái bằng bê tông cốt thép"),
        False: ("Lợp lá cọ", "Lợp fibro xi măng đã vỡ", "Lợp giấy dầu, tấm nhựa"),
    },
}

DESIGNS: dict[SupportKind, tuple[str, ...]] = {
    SupportKind.new_build: ("Mẫu nhà 3 gian mái tôn (MN-01), 45 m²",
                            "Mẫu nhà 2 gian mái ngói (MN-02), 40 m²",
                            "Mẫu nhà sàn bê tông giả gỗ (MN-03), 60 m²"),
    SupportKind.repair: ("Thay mái tôn, trát lại tường", "Làm lại nền, gia cố móng",
                         "Xây lại tường hư hỏng, thay cửa"),
}

REASONS: dict[CaseStatus, tuple[str, ...]] = {
    CaseStatus.rejected: (
        "Qua bình xét, hộ đã được hỗ trợ làm nhà theo Quyết định 167 năm 2012",
        "Qua bình xét, hộ có điều kiện kinh tế, không thuộc diện hỗ trợ",
    ),
    CaseStatus.cancelled: (
        "Hộ chuyển đến ở cùng con cháu tại xã khác",
        "Hộ tự làm nhà bằng nguồn vốn của gia đình, xin rút hồ sơ",
    ),
}

# Donor name, kind, and the range of the gift in units of 500,000 VND.
# Companies come first: the first ones also give materials (IN_KIND_GIFTS).
DONORS: tuple[tuple[str, str, int, int], ...] = (
    ("Công ty TNHH Vật liệu xây dựng Hoàng Long", "company", 40, 200),
    ("Công ty CP Xi măng Xứ Lạng", "company", 60, 300),
    ("Công ty TNHH Thương mại Bình Gia", "company", 20, 100),
    ("Công ty CP Nông lâm sản Kỳ Lừa", "company", 20, 120),
    ("Doanh nghiệp tư nhân Vận tải Đức Thịnh", "company", 10, 60),
    ("Công ty TNHH Chế biến hoa hồi Lạng Sơn", "company", 20, 80),
    ("Hợp tác xã Chè Thiện Thuật", "company", 6, 30),
    ("Cán bộ, công chức Ủy ban nhân dân xã", "organisation", 10, 40),
    ("Hội Cựu chiến binh xã", "organisation", 4, 16),
    ("Hội Liên hiệp Phụ nữ xã", "organisation", 4, 16),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh xã", "organisation", 2, 10),
    ("Hội Nông dân xã", "organisation", 4, 12),
    ("Trường Phổ thông dân tộc bán trú Tiểu học và THCS xã", "organisation", 6, 20),
    ("Trạm Y tế xã", "organisation", 2, 8),
    ("Công đoàn Điện lực huyện Bình Gia", "organisation", 10, 40),
    ("Ông Hoàng Văn Bình (Hà Nội)", "person", 4, 40),
    ("Bà Lương Thị Thu (TP Lạng Sơn)", "person", 2, 20),
    ("Gia đình ông Nông Văn Chiến", "person", 2, 10),
    ("Ông Lộc Văn Toản", "person", 1, 6),
    ("Bà Vi Thị Nhung", "person", 1, 4),
    ("Ông Triệu Văn Sành", "person", 1, 4),
    ("Bà Hà Thị Mai (Thái Nguyên)", "person", 2, 20),
    ("Ông Nguyễn Văn Thắng", "person", 1, 10),
    ("Chị Lý Thị Mẩy", "person", 1, 2),
    ("Anh Chu Văn Đức", "person", 1, 3),
    ("Nhóm thiện nguyện Áo ấm vùng cao", "organisation", 10, 60),
)

IN_KIND_GIFTS: tuple[tuple[str, int], ...] = (
    ("200 m² tôn lạnh 0,4 mm", 24_000_000),
    ("50 tấn xi măng PCB40 (1.000 bao)", 65_000_000),
    ("10 m³ cát vàng, 10 m³ đá 1x2", 9_500_000),
    ("1,5 tấn thép phi 10", 25_500_000),
)
