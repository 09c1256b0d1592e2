"""The district's offices (NĐ 37/2014, NĐ 108/2020) and recognising them in evidence text.

The list is data: a workspace's `offices.yaml` overrides it. This module only
holds the default and the matching of an office's names inside free text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .vn import nfc


@dataclass(slots=True)
class Office:
    """A specialised office of the district: a short code, its full and short names."""

    code: str
    name: str
    short: str
    #: Other ways the office is written in rubrics ("Phòng VH và TT", "VP HĐND và UBND huyện").
    aliases: list[str] = field(default_factory=list)


DEFAULT_OFFICES: list[Office] = [
    Office("VP", "Văn phòng HĐND và UBND huyện", "Văn phòng", ["VP HĐND và UBND huyện", "Văn phòng HĐND và UBND",
                                                           "Trung tâm HCC huyện"]),
    Office("NV", "Phòng Nội vụ", "Nội vụ"),
    Office("TP", "Phòng Tư pháp", "Tư pháp"),
    Office("TCKH", "Phòng Tài chính - Kế hoạch", "Tài chính - Kế hoạch", ["Phòng Tài chính – Kế hoạch",
                                                                       "Phòng TC-KH", "Phòng TCKH"]),
    Office("TNMT", "Phòng Tài nguyên và Môi trường", "Tài nguyên và Môi trường", ["Phòng TN và MT", "Phòng TNMT"]),
    Office("LDTBXH", "Phòng Lao động - Thương binh và Xã hội", "Lao động - TB và XH",
           ["Phòng LĐ-TB và XH", "Phòng LĐTBXH"]),
    Office("VHTT", "Phòng Văn hóa và Thông tin", "Văn hóa và Thông tin", ["Phòng VH và TT", "Phòng VHTT",
                                                                       "Phòng Văn hoá và Thông tin"]),
    Office("GDDT", "Phòng Giáo dục và Đào tạo", "Giáo dục và Đào tạo", ["Phòng GD và ĐT", "Phòng GDĐT"]),
    Office("YT", "Phòng Y tế", "Y tế"),
    Office("TTR", "Thanh tra huyện", "Thanh tra"),
    Office("KTHT", "Phòng Kinh tế và Hạ tầng", "Kinh tế và Hạ tầng", ["Phòng KT và HT", "Phòng KTHT"]),
    Office("NNPTNT", "Phòng Nông nghiệp và Phát triển nông thôn", "Nông nghiệp và PTNT",
           ["Phòng NN và PTNT", "Phòng NNPTNT"]),
]

_MONITORED_BY = re.compile(r"(?:theo dõi(?: giám sát)?|thẩm định)\s+của\s+(.+)", re.IGNORECASE)


def _key(text: str) -> str:
    return " ".join(nfc(text).replace("–", "-").lower().split())


def propose_owner(evidence: list[str], offices: list[Office] | None = None) -> str:
    """The code of the office whose monitoring is the evidence ("Kết quả theo dõi của Phòng Tài chính - Kế hoạch").

    An office that names itself as checking the evidence ("Văn phòng HĐND và UBND
    huyện đối chiếu …") counts too. Returns "" when no office is named.
    """
    offices = offices or DEFAULT_OFFICES
    for line in evidence:
        text = _key(line)
        m = _MONITORED_BY.search(text)
        candidates = [m.group(1)] if m else []
        if "đối chiếu" in text or "căn cứ thẩm định" in text:
            candidates.append(text)
        for candidate in candidates:
            for office in offices:
                for name in [office.name, *office.aliases]:
                    if candidate.startswith(_key(name)) or (not m and _key(name) in candidate):
                        return office.code
    return ""
