"""PDF documents in the administrative format of Decree 30/2020/NĐ-CP."""

from .blocks import Letterhead, Signer, header_block, signature_block, title_block
from .key_certificate import write_key_certificate
from .layout import AdministrativeDocument, write_pdf

__all__ = [
    "AdministrativeDocument",
    "Letterhead",
    "Signer",
    "header_block",
    "signature_block",
    "title_block",
    "write_key_certificate",
    "write_pdf",
]
