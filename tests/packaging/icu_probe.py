"""Ask the ICU of one Qt library folder what Qt asks it, and print the answers as JSON.

    python tests/packaging/icu_probe.py FOLDER     # FOLDER holds libicui18n.so.NN

Run once on the PySide6 wheel's ``Qt/lib`` and once on the bundle's: the same answers
mean the bundle's smaller ICU data serves Qt like the whole one. The calls are the
services QtCore imports from ICU (collation, converters, case mapping, the calendar),
with the locales and encodings a newsroom meets; line breaking, which Qt does not ask
ICU for, is asked too, to show which data is there. One process per folder: both
folders' libraries have the same names, and a process loads a name once.
"""

from __future__ import annotations

import ctypes
import functools
import json
import sys
from pathlib import Path

WORDS = [
    "Zürich",
    "zebra",
    "Äpfel",
    "apple",
    "Öl",
    "Ostrava",
    "ıslak",
    "Istanbul",
    "İzmir",
    "Ångström",
    "Łódź",
    "Lodz",
    "čaj",
    "cukr",
    "chata",
    "hlad",
    "Ærø",
    "Ölands",
    "北京",
    "上海",
    "广州",
    "東京",
    "大阪",
    "서울",
    "부산",
    "القاهرة",
    "بغداد",
    "Москва",
    "Київ",
    "Αθήνα",
    "תל אביב",
    "ศรีสะเกษ",
    "Hà Nội",
    "Đà Nẵng",
    "10",
    "9",
    "file10",
    "file9",
    "résumé",
    "resume",
    "Résumé",
    "llama",
    "luz",
    "Ñandú",
    "nube",
]
COLLATIONS = [
    "",
    "root",
    "en_US",
    "de_DE",
    "de@collation=phonebook",
    "sv_SE",
    "fi",
    "da",
    "tr_TR",
    "cs",
    "pl",
    "es",
    "es@collation=traditional",
    "fr_CA",
    "vi",
    "ru",
    "uk",
    "el",
    "he",
    "ar",
    "fa",
    "hi",
    "th",
    "zh_CN",
    "zh@collation=pinyin",
    "zh@collation=stroke",
    "zh_TW",
    "zh_Hant@collation=zhuyin",
    "ja_JP",
    "ko_KR",
    "yue",
]
ENCODINGS = [
    "windows-1252",
    "ISO-8859-1",
    "ISO-8859-2",
    "ISO-8859-5",
    "ISO-8859-7",
    "ISO-8859-8",
    "ISO-8859-15",
    "windows-1250",
    "windows-1251",
    "windows-1253",
    "windows-1254",
    "windows-1255",
    "windows-1256",
    "windows-1257",
    "windows-1258",
    "windows-874",
    "KOI8-R",
    "KOI8-U",
    "macintosh",
    "IBM866",
    "Shift_JIS",
    "EUC-JP",
    "ISO-2022-JP",
    "GBK",
    "GB18030",
    "gb2312",
    "Big5",
    "Big5-HKSCS",
    "EUC-KR",
    "UTF-7",
    "SCSU",
    "BOCU-1",
    "CESU-8",
    "US-ASCII",
    "IBM037",
    "x-mac-cyrillic",
]
SAMPLE = "Café Zürich – “quoted” € 5 Москва Αθήνα תל אביב القاهرة 北京 東京 서울 ศรี Đà ✓"
CASES = [("tr", "istanbul ıi"), ("lt", "i̇̀"), ("el", "άδικος"), ("de", "straße"), ("", "ǆ ß")]
ZONES = [
    ("Europe/Berlin", "de_DE"),
    ("Asia/Tokyo", "ja_JP"),
    ("America/New_York", "en_US"),
    ("Asia/Kolkata", "hi_IN"),
    ("Africa/Cairo", "ar_EG"),
    ("Asia/Tehran", "fa_IR"),
    ("Australia/Lord_Howe", "en_AU"),
    ("Asia/Bangkok", "th_TH"),  # a Buddhist calendar by default
    ("Asia/Riyadh", "ar_SA"),  # an Islamic one
    ("Asia/Tokyo", "ja_JP@calendar=japanese"),
    ("UTC", ""),
    ("Nowhere/Atlantis", "en"),
]
JANUARY_2024 = 1704067200000.0  # ms since 1970
UCAL_FIRST_DAY_OF_WEEK, UCAL_MINIMAL_DAYS_IN_FIRST_WEEK = 0, 1
UCAL_ERA, UCAL_YEAR, UCAL_MONTH, UCAL_ZONE_OFFSET, UCAL_DST_OFFSET = 0, 1, 2, 15, 16


def main(folder: Path) -> None:
    (i18n,) = folder.glob("libicui18n.so.*")
    suffix = "_" + i18n.name.rpartition(".")[2]
    lib = ctypes.CDLL(str(i18n))  # links libicuuc and libicudata of the same folder

    def icu(name: str, restype: object, *argtypes: object) -> ctypes._CFuncPtr:
        function = getattr(lib, name + suffix)
        function.restype, function.argtypes = restype, list(argtypes)
        return function

    status_t = ctypes.POINTER(ctypes.c_int)
    c_void_p, c_int, c_char_p, c_wchar = (
        ctypes.c_void_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint16,
    )
    u16 = ctypes.POINTER(c_wchar)
    out_bytes = ctypes.POINTER(ctypes.c_char)  # a buffer ICU writes (c_char_p would copy)
    ucol_open = icu("ucol_open", c_void_p, c_char_p, status_t)
    ucol_strcoll = icu("ucol_strcoll", c_int, c_void_p, u16, c_int, u16, c_int)
    ucol_key = icu("ucol_getSortKey", c_int, c_void_p, u16, c_int, out_bytes, c_int)
    ucol_close = icu("ucol_close", None, c_void_p)
    ucnv_open = icu("ucnv_open", c_void_p, c_char_p, status_t)
    ucnv_name = icu("ucnv_getName", c_char_p, c_void_p, status_t)
    ucnv_from = icu("ucnv_fromUChars", c_int, c_void_p, out_bytes, c_int, u16, c_int, status_t)
    ucnv_to = icu("ucnv_toUChars", c_int, c_void_p, u16, c_int, c_char_p, c_int, status_t)
    ucnv_close = icu("ucnv_close", None, c_void_p)
    upper = icu("u_strToUpper", c_int, u16, c_int, u16, c_int, c_char_p, status_t)
    lower = icu("u_strToLower", c_int, u16, c_int, u16, c_int, c_char_p, status_t)
    ucal_open = icu("ucal_open", c_void_p, u16, c_int, c_char_p, c_int, status_t)
    ucal_set_millis = icu("ucal_setMillis", None, c_void_p, ctypes.c_double, status_t)
    ucal_get = icu("ucal_get", c_int, c_void_p, c_int, status_t)
    ucal_attribute = icu("ucal_getAttribute", c_int, c_void_p, c_int)
    ucal_close = icu("ucal_close", None, c_void_p)
    ubrk_open = icu("ubrk_open", c_void_p, c_int, c_char_p, u16, c_int, status_t)

    def utf16(text: str) -> tuple[ctypes.Array[c_wchar], int]:
        units = text.encode("utf-16-le")
        return (c_wchar * (len(units) // 2 + 1)).from_buffer_copy(units + b"\0\0"), len(units) // 2

    def text_of(buffer: ctypes.Array[c_wchar], length: int) -> str:
        return bytes(buffer)[: 2 * length].decode("utf-16-le", "surrogatepass")

    answers: dict[str, object] = {}
    for locale in COLLATIONS:
        status = c_int(0)
        collator = ucol_open(locale.encode(), ctypes.byref(status))
        if not collator:
            answers[f"collation {locale}"] = ["failed", status.value]
            continue

        def compare(a: str, b: str, collator: int = collator) -> int:
            (sa, la), (sb, lb) = utf16(a), utf16(b)
            return int(ucol_strcoll(collator, sa, la, sb, lb))

        keys = []
        for word in WORDS[:12]:
            source, length = utf16(word)
            key = ctypes.create_string_buffer(512)
            keys.append(key.raw[: ucol_key(collator, source, length, key, 512)].hex())
        answers[f"collation {locale}"] = [
            status.value,
            sorted(WORDS, key=functools.cmp_to_key(compare)),
            keys,
        ]
        ucol_close(collator)
    source, length = utf16(SAMPLE)
    for encoding in ENCODINGS:
        status = c_int(0)
        converter = ucnv_open(encoding.encode(), ctypes.byref(status))
        if not converter:
            answers[f"encoding {encoding}"] = ["failed", status.value]
            continue
        name = ucnv_name(converter, ctypes.byref(status)).decode()
        encoded = ctypes.create_string_buffer(1024)
        size = ucnv_from(converter, encoded, 1024, source, length, ctypes.byref(status))
        decoded = (c_wchar * 1024)()
        back = ucnv_to(converter, decoded, 1024, encoded.raw[:size], size, ctypes.byref(status))
        answers[f"encoding {encoding}"] = [
            status.value,
            name,
            encoded.raw[:size].hex(),
            text_of(decoded, back),
        ]
        ucnv_close(converter)
    for locale, text in CASES:
        source, length = utf16(text)
        for mapping, function in (("upper", upper), ("lower", lower)):
            status, out = c_int(0), (c_wchar * 64)()
            size = function(out, 64, source, length, locale.encode(), ctypes.byref(status))
            answers[f"{mapping} {locale} {text}"] = [status.value, text_of(out, size)]
    for zone, locale in ZONES:
        status = c_int(0)
        zone_id, length = utf16(zone)
        calendar = ucal_open(zone_id, length, locale.encode(), 0, ctypes.byref(status))
        if not calendar:
            answers[f"calendar {zone} {locale}"] = ["failed", status.value]
            continue
        ucal_set_millis(calendar, JANUARY_2024, ctypes.byref(status))
        answers[f"calendar {zone} {locale}"] = [
            status.value,
            ucal_get(calendar, UCAL_ERA, ctypes.byref(status)),
            ucal_get(calendar, UCAL_YEAR, ctypes.byref(status)),
            ucal_get(calendar, UCAL_MONTH, ctypes.byref(status)),
            ucal_get(calendar, UCAL_ZONE_OFFSET, ctypes.byref(status)),
            ucal_get(calendar, UCAL_DST_OFFSET, ctypes.byref(status)),
            ucal_attribute(calendar, UCAL_FIRST_DAY_OF_WEEK),
            ucal_attribute(calendar, UCAL_MINIMAL_DAYS_IN_FIRST_WEEK),
        ]
        ucal_close(calendar)
    status = c_int(0)
    text, length = utf16("ศรีสะเกษ 北京大学")
    answers["line break"] = bool(ubrk_open(2, b"th", text, length, ctypes.byref(status)))
    print(json.dumps(answers, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
