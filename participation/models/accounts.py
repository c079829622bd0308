"""Accounts: a citizen's or staff member's login and public pseudonym."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. Only `display_name` is ever shown publicly."""

    email = models.EmailField(
        _("e-mail address"),
        unique=True,
        null=True,
        blank=True,
        help_text=_("Used to log in; never shown publicly."),
    )
    display_name = models.CharField(
        _("display name"),
        max_length=40,
        null=True,
        blank=True,
        help_text=_("Public pseudonym shown with contributions."),
    )
    district = models.ForeignKey(
        "events.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can log into the admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    netiquette_accepted_at = models.DateTimeField(
        _("netiquette accepted at"), null=True, blank=True
    )
    privacy_accepted_at = models.DateTimeField(
        _("privacy notice accepted at"), null=True, blank=True
    )
    notify_on_answer = models.BooleanField(
        _("e-mail when the city answers"),
        default=True,
        help_text=_("Send an e-mail when the city answers one of my contributions."),
    )
    notify_on_reply = models.BooleanField(
        _("e-mail on replies"),
        default=True,
        help_text=_("Send an e-mail when someone replies to one of my contributions."),
    )
    notify_follow_answers = models.BooleanField(
        _("e-mail about answers and outcomes in what I follow"),
        default=True,
        help_text=_(
            "A new official answer or outcome on a goal I follow, or on workshop input from a "
            "district I follow."
        ),
    )
    notify_follow_rounds = models.BooleanField(
        _("e-mail about comment rounds of what I follow"),
        default=True,
        help_text=_("A comment round opens, or ends in 3 days."),
    )
    notify_follow_events = models.BooleanField(
        _("e-mail about new dates in what I follow"),
        default=True,
        help_text=_("A new date on a goal or in a district I follow."),
    )
    follow_digest = models.BooleanField(
        _("weekly digest instead of single e-mails"),
        default=False,
        help_text=_("Collect the news about what I follow in one e-mail a week."),
    )
    notify_on_outcome = models.BooleanField(
        _("e-mail on the outcome"),
        default=True,
        help_text=_("Send an e-mail when the city records what became of one of my contributions."),
    )
    notify_on_moderation = models.BooleanField(
        _("e-mail on moderation decisions"),
        default=True,
        help_text=_(
            "Send an e-mail when the moderation hides one of my contributions or publishes it "
            "after review."
        ),
    )
    deleted_at = models.DateTimeField(
        _("deleted at"),
        null=True,
        blank=True,
        help_text=_("Set when the person deleted the account; personal data is then erased."),
    )
    blocked_at = models.DateTimeField(
        _("blocked at"),
        null=True,
        blank=True,
        help_text=_("Set while staff have blocked the account: it can neither log in nor write."),
    )
    block_reason = models.TextField(
        _("reason for the block"),
        blank=True,
        help_text=_("Shown to the person when they try to log in."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["display_name", "email"]
        permissions = [("block_user", _("Can block and unblock accounts"))]
        constraints = [
            models.UniqueConstraint(
                Lower("display_name"), name="participation_user_display_name_ci_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.public_name if not self.email else f"{self.public_name} <{self.email}>"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_blocked(self) -> bool:
        return self.blocked_at is not None

    @property
    def public_name(self) -> str:
        if self.is_deleted:
            return str(_("Deleted account"))
        return self.display_name or str(_("Anonymous"))

    def get_short_name(self) -> str:
        return self.public_name


class AccountLogEntry(models.Model):
    """One staff action on an account: blocked, unblocked, roles changed; who, when, why."""

    class Action(models.TextChoices):
        BLOCK = "block", _("Blocked")
        UNBLOCK = "unblock", _("Unblocked")
        ROLES = "roles", _("Roles changed")

    account = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.PROTECT, related_name="account_log"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("account log entry")
        verbose_name_plural = _("account log")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.account_id})"
