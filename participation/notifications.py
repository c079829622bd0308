"""E-mails to citizens and moderators, and the signed per-kind unsubscribe links.

Called through `transaction.on_commit` by the services, never from `save()` or signals.
"""

import logging

from django.conf import settings
from django.contrib.sites.models import Site
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from participation.models import Comment, ModerationDigest, OfficialAnswer, User

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "participation.unsubscribe"
# Kind of e-mail -> the preference field on User that switches it off.
KINDS = {
    "answer": "notify_on_answer",
    "reply": "notify_on_reply",
    "outcome": "notify_on_outcome",
}


def absolute_url(path: str) -> str:
    domain = Site.objects.get_current().domain
    return f"{settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL}://{domain}{path}"


def unsubscribe_token(user: User, kind: str) -> str:
    return signing.dumps({"user": user.pk, "kind": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[User, str] | None:
    """The user and kind of a valid token (it never expires), else None."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("kind") not in KINDS:
        return None
    user = User.objects.filter(pk=data.get("user"), deleted_at__isnull=True).first()
    return (user, data["kind"]) if user else None


def unsubscribe_url(user: User, kind: str) -> str:
    path = reverse("participation:unsubscribe", kwargs={"token": unsubscribe_token(user, kind)})
    return absolute_url(path)


def _send(*, template: str, context: dict, subject: str, to: list[str], headers=None) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"participation/email/{template}.txt", context)
        html = render_to_string(f"participation/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        to=to,
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:  # the answer or reply is saved; a mail server problem must not undo it
        logger.exception("Could not send the %s e-mail", template)


def _notify_author(comment: Comment, *, kind: str, template: str, subject: str, **extra) -> bool:
    author = comment.author
    if author is None or author.is_deleted or not author.email:
        return False
    if not getattr(author, KINDS[kind]):
        return False
    unsubscribe = unsubscribe_url(author, kind)
    context = {
        "author": author,
        "comment": comment,
        "comment_url": absolute_url(comment.get_absolute_url()),
        "unsubscribe_url": unsubscribe,
        **extra,
    }
    _send(
        template=template,
        context=context,
        subject=subject,
        to=[author.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    return True


def send_answer_notification(*, answer_id: int) -> bool:
    answer = OfficialAnswer.objects.select_related("comment__author", "comment__goal").get(
        pk=answer_id
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = translation.gettext("The City of Hagen answered your contribution")
    return _notify_author(
        answer.comment, kind="answer", template="answer", subject=subject, answer=answer
    )


def send_reply_notification(*, reply_id: int) -> bool:
    reply = Comment.objects.select_related("author", "parent__author", "parent__goal").get(
        pk=reply_id
    )
    if reply.status != Comment.Status.PUBLISHED:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = translation.gettext("New reply to your contribution")
    return _notify_author(
        reply.parent, kind="reply", template="reply", subject=subject, reply=reply
    )


def send_outcome_notification(*, comment_id: int) -> bool:
    """Tell the author what became of the contribution: once per outcome, however often the
    editors save it (the claim is a conditional UPDATE, so two saves at once send one)."""
    comment = Comment.objects.select_related(
        "author", "goal", "outcome_measure", "outcome_key_message"
    ).get(pk=comment_id)
    if not comment.outcome or comment.status == Comment.Status.WITHDRAWN:
        return False
    claimed = (
        Comment.objects.filter(pk=comment.pk, outcome=comment.outcome)
        .exclude(outcome_notified=comment.outcome)
        .update(outcome_notified=comment.outcome)
    )
    if not claimed:
        return False
    measure_url = ""
    if comment.outcome_measure:
        measure_url = absolute_url(comment.outcome_measure.get_absolute_url())
    with translation.override(settings.LANGUAGE_CODE):
        subject = translation.gettext("What became of your contribution")
    return _notify_author(
        comment, kind="outcome", template="outcome", subject=subject, measure_url=measure_url
    )


def send_moderation_digest(*, digest: ModerationDigest, recipients: list[str]) -> None:
    queue_url = absolute_url(reverse("admin:participation_comment_changelist") + "?queue=1")
    with translation.override(settings.LANGUAGE_CODE):
        subject = translation.gettext("Moderation: contributions waiting for review")
    for recipient in recipients:  # one message each: moderators don't see each other's address
        _send(
            template="moderation_digest",
            context={"digest": digest, "queue_url": queue_url},
            subject=subject,
            to=[recipient],
        )
