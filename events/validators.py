from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The first bytes of the file types editors may upload.
SIGNATURES = (b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def validate_document_content(file) -> None:
    """Reject files whose content is not really a PDF, JPEG or PNG, whatever their name says."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(8)
    file.seek(position)
    if not any(head.startswith(signature) for signature in SIGNATURES):
        raise ValidationError(
            _("Only PDF, JPEG and PNG files can be uploaded."), code="invalid_file_type"
        )
