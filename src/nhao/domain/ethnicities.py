"""The 54 ethnic groups of Vietnam, as the household form offers them and the list
import knows a column of them.

Names, not interface text: they are shown as written here in every language. The
most common groups of the programme's mountain communes come first; the combo box
stays editable for spellings people prefer.
"""

import re

from nhao.domain.text import fold

ETHNICITIES: tuple[str, ...] = (
    "Kinh", "Tày", "Nùng", "Dao", "Mông", "Thái", "Mường", "Khmer", "Hoa",
    "Sán Chay", "Sán Dìu", "Giáy", "Gia Rai", "Ê Đê", "Ba Na", "Xơ Đăng", "Cơ Ho",
    "Chăm", "Hrê", "Mnông", "Ra Glai", "Xtiêng", "Bru - Vân Kiều", "Thổ", "Cơ Tu",
    "Giẻ Triêng", "Mạ", "Khơ Mú", "Co", "Tà Ôi", "Chơ Ro", "Kháng", "Xinh Mun",
    "Hà Nhì", "Chu Ru", "Lào", "La Chí", "La Ha", "Phù Lá", "La Hủ", "Lự", "Lô Lô",
    "Chứt", "Mảng", "Pà Thẻn", "Cơ Lao", "Cống", "Bố Y", "Si La", "Pu Péo", "Brâu",
    "Ơ Đu", "Rơ Măm", "Ngái",
)


def _key(name: str) -> str:
    """"H'Mông", "Hmông", "HMÔNG" → "hmong": marks, case, spaces, dashes aside."""
    return re.sub(r"[^0-9a-z]", "", fold(name))


# Other names and spellings lists use for a group: a count by ethnic group must not
# split one group into several. From the groups' own names and their common older ones.
_OTHER_NAMES = {
    "hmong": "Mông", "meo": "Mông", "viet": "Kinh", "khome": "Khmer", "khomer": "Khmer",
    "rade": "Ê Đê", "jrai": "Gia Rai", "bahnar": "Ba Na", "xedang": "Xơ Đăng",
    "sedang": "Xơ Đăng", "kho": "Cơ Ho", "koho": "Cơ Ho", "raglai": "Ra Glai",
    "stieng": "Xtiêng", "bru": "Bru - Vân Kiều", "vankieu": "Bru - Vân Kiều",
    "katu": "Cơ Tu", "caolan": "Sán Chay", "sanchi": "Sán Chay", "khmu": "Khơ Mú",
    "tahoi": "Tà Ôi", "paco": "Tà Ôi",
}  # fmt: skip
_BY_KEY = {**_OTHER_NAMES, **{_key(name): name for name in ETHNICITIES}}


def ethnicity_named(typed: str) -> str:
    """The name of the 54 groups' a spelling gives ("H'Mông" → "Mông", "ê-đê" → "Ê Đê"),
    else the text as typed ("Dao đỏ": a group's branch, said as people say it)."""
    return _BY_KEY.get(_key(typed), typed)
