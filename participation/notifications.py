"""E-mails to citizens and moderators, and the signed per-kind unsubscribe links.

Called through `transaction.on_commit` by the services, never from `save()` or signals.
"""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hagen_isek.site_url import absolute_url
from participation.models import Comment, ModerationDigest, OfficialAnswer, User

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "participation.unsubscribe"
# Kind of e-mail -> the preference fields on User that its unsubscribe link switches off.
KINDS = {
    "answer": ("notify_on_answer",),
    "reply": ("notify_on_reply",),
    "outcome": ("notify_on_outcome",),
    "moderation": ("notify_on_moderation",),
    "follow_answers": ("notify_follow_answers",),
    "follow_rounds": ("notify_follow_rounds",),
    "follow_events": ("notify_follow_events",),
    # The weekly digest holds every kind of follow news; its one-click link stops them all.
    "follows": ("notify_follow_answers", "notify_follow_rounds", "notify_follow_events"),
}
# What the follow kinds are about, for the unsubscribe links and page.
FOLLOW_KIND_LABELS = {
    "follow_answers": _("official answers and outcomes"),
    "follow_rounds": _("comment rounds opening or ending"),
    "follow_events": _("new dates"),
    "follows": _("goals and districts you follow"),
}


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


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: mail programs POST to the link."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _send(
    *,
    template: str,
    context: dict,
    subject: str,
    to: list[str],
    headers=None,
    fail_silently: bool = True,
) -> None:
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
        if not fail_silently:
            raise
        logger.exception("Could not send the %s e-mail", template)


def _notify_author(comment: Comment, *, kind: str, template: str, subject: str, **extra) -> bool:
    author = comment.author
    if author is None or author.is_deleted or not author.email:
        return False
    if not all(getattr(author, field) for field in KINDS[kind]):
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
        headers=unsubscribe_headers(unsubscribe),
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


def send_hidden_notification(*, comment_id: int) -> bool:
    """Tell the author that the moderation hid the contribution: why, the netiquette, and
    how to object."""
    comment = Comment.objects.select_related("author", "goal").get(pk=comment_id)
    if comment.status != Comment.Status.HIDDEN or not comment.moderation_reason:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = translation.gettext("Your contribution was hidden by the moderation")
        reason = str(comment.get_moderation_reason_display())
    return _notify_author(
        comment,
        kind="moderation",
        template="hidden",
        subject=subject,
        reason=reason,
        netiquette_url=absolute_url(reverse("legal-netiquette")),
        objection_url=absolute_url(
            reverse("participation:comment-object", kwargs={"pk": comment.pk})
        ),
    )


def send_approved_notification(*, comment_id: int) -> bool:
    """Tell the author that the moderation published the contribution (or its edit)."""
    comment = Comment.objects.select_related("author", "goal").get(pk=comment_id)
    if comment.status != Comment.Status.PUBLISHED:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = translation.gettext("Your contribution is published")
    return _notify_author(comment, kind="moderation", template="approved", subject=subject)


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


def send_follow_news(*, user: User, items: list, digest: bool) -> None:
    """One item by single e-mail, or the week's items as a digest. Raises when the mail cannot
    be handed over, so that the caller's transaction does not record the items as sent."""
    kinds = sorted({item.kind for item in items})
    list_kind = "follows" if digest else items[0].kind
    unsubscribe = unsubscribe_url(user, list_kind)
    context = {
        "user": user,
        "items": items,
        "digest": digest,
        "unsubscribe_url": unsubscribe,
        "base_url": absolute_url(""),
        "kind_unsubscribe": [
            (FOLLOW_KIND_LABELS[kind], unsubscribe_url(user, kind)) for kind in kinds
        ],
        "settings_url": absolute_url(reverse("participation:account") + "#folgen"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        if digest:
            subject = translation.ngettext(
                "Your weekly digest: %(count)d piece of news",
                "Your weekly digest: %(count)d pieces of news",
                len(items),
            ) % {"count": len(items)}
        else:
            subject = str(items[0].subject)
    _send(
        template="follow_digest" if digest else "follow_item",
        context=context,
        subject=subject,
        to=[user.email],
        headers=unsubscribe_headers(unsubscribe),
        fail_silently=False,
    )
