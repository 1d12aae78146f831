import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from nhao.domain.text import fold, nfc, nfc_lines

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩị" \
    "óòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ ÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰ"
names = st.text(alphabet=VIETNAMESE, max_size=40)


def test_nfc_composes_and_collapses_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Văn\tẤn ")
    assert nfc(decomposed) == "Nguyễn Văn Ấn"
    assert nfc("  a \u00a0 b  ") == "a b"
    assert nfc("") == ""


def test_fold_examples() -> None:
    assert fold("Nguyễn Văn Ấn") == "nguyen van an"
    assert fold("nguyen van an") == "nguyen van an"
    assert fold("ĐẶNG Thị Đào") == "dang thi dao"
    assert fold("  Bùi   Thị\u00a0Lý ") == "bui thi ly"
    assert fold("Thôn Nà Đon") == "thon na don"


@given(names)
def test_fold_ignores_normal_form(s: str) -> None:
    assert fold(unicodedata.normalize("NFD", s)) == fold(unicodedata.normalize("NFC", s))


@given(names)
def test_fold_ignores_case_and_diacritics(s: str) -> None:
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)
    ).replace("Đ", "D").replace("đ", "d")
    assert fold(s) == fold(stripped) == fold(s.upper()) == fold(s.lower())
    assert fold(s).isascii()


@given(st.text(max_size=40))
def test_fold_and_nfc_are_idempotent(s: str) -> None:
    assert fold(fold(s)) == fold(s)
    assert nfc(nfc(s)) == nfc(s)
    assert fold(nfc(s)) == fold(s)


def test_nfc_lines_keeps_the_line_breaks_of_a_note() -> None:
    typed = unicodedata.normalize("NFD", "\r\n Khảo sát:  \r\n- mái  dột\n\n\n- tường\tnứt \n\n")
    assert nfc_lines(typed) == "Khảo sát:\n- mái dột\n\n- tường nứt"
    assert nfc_lines(" một  dòng ") == "một dòng"
    assert nfc_lines("\n \n") == ""
