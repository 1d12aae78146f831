"""The 54 ethnic groups of Vietnam, as the household form offers them and the list
import knows a column of them.

Names, not interface text: they are shown as written here in every language. The
most common groups of the programme's mountain communes come first; the combo box
stays editable for spellings people prefer.
"""

ETHNICITIES: tuple[str, ...] = (
    "Kinh", "Tày", "Nùng", "Dao", "Mông", "Thái", "Mường", "Khmer", "Hoa",
    "Sán Chay", "Sán Dìu", "Giáy", "Gia Rai", "Ê Đê", "Ba Na", "Xơ Đăng", "Cơ Ho",
    "Chăm", "Hrê", "Mnông", "Ra Glai", "Xtiêng", "Bru - Vân Kiều", "Thổ", "Cơ Tu",
    "Giẻ Triêng", "Mạ", "Khơ Mú", "Co", "Tà Ôi", "Chơ Ro", "Kháng", "Xinh Mun",
    "Hà Nhì", "Chu Ru", "Lào", "La Chí", "La Ha", "Phù Lá", "La Hủ", "Lự", "Lô Lô",
    "Chứt", "Mảng", "Pà Thẻn", "Cơ Lao", "Cống", "Bố Y", "Si La", "Pu Péo", "Brâu",
    "Ơ Đu", "Rơ Măm", "Ngái",
)
