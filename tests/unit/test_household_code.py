"""The household code ("Mã hộ"): the forms a search finds it by."""

from __future__ import annotations

import uuid

from nhao.domain.household_code import (
    code_spellings,
    derived_code_forms,
    derived_codes,
    derived_household_code,
    household_code_key,
)


def test_derived_codes_at_once_are_each_ones_derived_code() -> None:
    ids = [uuid.UUID(int=0), uuid.UUID(int=2**128 - 1)] + [uuid.uuid4() for _ in range(2000)]
    assert derived_codes(i.bytes for i in ids) == [
        derived_household_code(i).replace("-", "") for i in ids
    ]
    assert derived_codes([]) == []


def test_a_key_shaped_as_a_derived_code_stands_for_it_with_and_without_the_dash() -> None:
    assert derived_code_forms("7k2mq9qx3p") == ("7k2mq-9qx3p", "7k2mq9qx3p")
    assert derived_code_forms("7k2mq-9qx3p") == ("7k2mq-9qx3p", "7k2mq9qx3p")
    assert derived_code_forms(household_code_key(" 7K2MQ-9QX3P ")) == ("7k2mq-9qx3p", "7k2mq9qx3p")
    # Typed back with spaces around the dash (before, a code of its own).
    for typed in ("7K2MQ - 9QX3P", "7k2mq -9qx3p"):
        assert household_code_key(typed) == "7k2mq-9qx3p"
    # Not Crockford's letters (i, l, o, u), another length, another place of the dash.
    for key in ("7k2mq9qx3o", "7k2mq9qx3", "7k2m-q9qx3p", "bg-0012", "0412"):
        assert derived_code_forms(key) == (key,)


def test_every_spelling_of_a_key_is_one_a_stored_code_may_have() -> None:
    assert sorted(code_spellings("bg-01")) == ["BG-01", "Bg-01", "bG-01", "bg-01"]
    # A code of digits is compared without its leading zeros: "0412" typed as 412.
    assert household_code_key("0412") == "412"
    assert code_spellings("412") == ["412", "0412", "00412", "000412"]
    assert "Đội 3" in code_spellings(household_code_key("ĐỘI 3"))
    assert all(household_code_key(s) == "7k2mq-9qx3p" for s in code_spellings("7k2mq-9qx3p"))
    assert len(code_spellings("7k2mq-9qx3p")) == 2**6  # k, m, q, q, x, p
    # Past ten letters: as the key is, in capitals, capitalised.
    assert code_spellings("nguyen van an") == ["nguyen van an", "NGUYEN VAN AN", "Nguyen van an"]
