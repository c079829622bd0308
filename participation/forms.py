import uuid

from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from events.models import District, kept_districts
from events.services import Place, PlaceRefused, place_at
from goals.models import Goal
from participation.models import Comment, Report, User


class CommentTextField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Your contribution"))
        kwargs.setdefault("max_length", Comment.MAX_LENGTH)
        kwargs.setdefault(
            "help_text",
            _(
                "Plain text, up to 4,000 characters. Links are made clickable. "
                "Please respect the netiquette."
            ),
        )
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 5}))
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Please write a text before you send your contribution."),
                "max_length": _(
                    "Your contribution is too long: at most %(limit_value)d characters are "
                    "allowed, it has %(show_value)d."
                ),
            },
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget) -> dict:
        attrs = super().widget_attrs(widget)
        # No maxlength: it cuts a pasted text silently. static/js/character-count.js shows the
        # count while typing, and the server refuses a text that is too long and keeps it.
        attrs.pop("maxlength", None)
        attrs.update(
            {
                "data-character-limit": str(self.max_length),
                "data-remaining-text": _("%(count)s of %(limit)s characters left"),
                "data-over-text": _("%(count)s characters too many"),
            }
        )
        return attrs


class PreloadedChoiceField(forms.ChoiceField):
    """Chooses one of objects already loaded with the page, so rendering costs no query."""

    def __init__(self, objects: list, **kwargs) -> None:
        self.objects = {str(obj.pk): obj for obj in objects}
        choices = [("", _("– none –")), *((key, str(obj)) for key, obj in self.objects.items())]
        super().__init__(choices=choices, required=False, **kwargs)
        self.error_messages["invalid_choice"] = _(
            "Please choose one of the goal's own key messages and measures."
        )

    def clean(self, value):
        key = super().clean(value)
        return self.objects.get(key) if key else None


class CommentForm(forms.ModelForm):
    """A new contribution on a goal; key message and measure are limited to that goal."""

    text = CommentTextField()
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Comment
        fields = ["text", "key_message", "measure"]
        labels = {
            "key_message": _("Refers to the key message (optional)"),
            "measure": _("Refers to the measure (optional)"),
        }

    def __init__(self, *args, goal: Goal, allows_placing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.allows_placing = allows_placing
        if allows_placing:
            self._add_place_fields()
        # The goal page preloads both lists (GoalQuerySet.with_content); reuse them.
        self.fields["key_message"] = PreloadedChoiceField(
            list(goal.key_messages.all()), label=self._meta.labels["key_message"]
        )
        self.fields["measure"] = PreloadedChoiceField(
            [link.measure for link in goal.measure_links.all()],
            label=self._meta.labels["measure"],
        )
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())

    def _add_place_fields(self) -> None:
        """The Stadtbezirk from a list (the way for keyboard, screen reader and no JavaScript)
        and the point a click on the map fills in (maps/district_picker.html)."""
        self.districts = {district.slug: district for district in kept_districts()}
        self.fields["place_district"] = forms.ChoiceField(
            label=_("District the contribution is about (optional)"),
            choices=[("", _("– no district –"))]
            + [(slug, district.name) for slug, district in self.districts.items()],
            required=False,
            help_text=_("Shown with your contribution and on the map of the goal."),
        )
        coordinate = {"widget": forms.HiddenInput, "required": False, "max_digits": 9}
        self.fields["latitude"] = forms.DecimalField(min_value=-90, max_value=90, **coordinate)
        self.fields["longitude"] = forms.DecimalField(min_value=-180, max_value=180, **coordinate)

    def clean_text(self) -> str:
        return self.cleaned_data["text"].strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.allows_placing:
            return cleaned
        slug = cleaned.pop("place_district", "")
        latitude, longitude = cleaned.pop("latitude", None), cleaned.pop("longitude", None)
        district = self.districts.get(slug)
        if latitude is None or longitude is None:
            cleaned["place"] = Place(district=district) if district else None
            return cleaned
        try:
            cleaned["place"] = place_at(latitude=latitude, longitude=longitude)
        except PlaceRefused as refusal:
            self.add_error("place_district", refusal.message)
        return cleaned


class ReplyForm(forms.Form):
    text = CommentTextField(label=_("Your reply"))
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def clean_text(self) -> str:
        return self.cleaned_data["text"].strip()


class CommentEditForm(forms.Form):
    text = CommentTextField()

    def clean_text(self) -> str:
        return self.cleaned_data["text"].strip()


DISPLAY_NAME_MAX_LENGTH = User._meta.get_field("display_name").max_length
# Named like a field bots love to fill; humans never see it (see .hp-field in components.css).
HONEYPOT_FIELD = "website"


def display_name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Public display name"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=_(
            "A pseudonym of your choice. It is the only name shown publicly next to your "
            "contributions; your e-mail address is never shown."
        ),
        error_messages={
            "max_length": _(
                "The display name may have at most %(limit_value)d characters "
                "(you entered %(show_value)d)."
            ),
            "required": _("Please choose a public display name."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )


def district_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("District (optional)"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("– not specified –"),
        help_text=_("Helps us to see which parts of Hagen take part. Never shown publicly."),
        error_messages={"invalid_choice": _("Please choose one of the listed districts.")},
    )


def clean_display_name(value: str, *, exclude_pk: int | None = None) -> str:
    """Normalise whitespace and refuse a name another account already uses (any case)."""
    name = " ".join(value.split())
    if not name:
        raise forms.ValidationError(_("Please choose a public display name."))
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        raise forms.ValidationError(_("The display name must not contain control characters."))
    taken = User.objects.filter(display_name__iexact=name).exclude(pk=exclude_pk)
    if taken.exists():
        raise forms.ValidationError(
            _("The display name „%(name)s“ is already taken. Please choose another one."),
            params={"name": name},
        )
    return name


class SignupForm(AllauthSignupForm):
    """allauth's sign-up plus display name, district, consents and a honeypot."""

    display_name = display_name_field()
    district = district_field()
    accept_netiquette = forms.BooleanField(
        error_messages={"required": _("Please accept the netiquette to take part.")},
    )
    accept_privacy = forms.BooleanField(
        error_messages={"required": _("Please confirm that you have read the privacy notice.")},
    )
    website = forms.CharField(
        label=_("Please leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    field_order = [
        "email",
        "display_name",
        "password1",
        "password2",
        "district",
        "accept_netiquette",
        "accept_privacy",
        HONEYPOT_FIELD,
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        self.fields["email"].help_text = _(
            "We send a confirmation link to this address. It is never shown publicly."
        )
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["password1"].label = _("Password")
        self.fields["password1"].help_text = format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}</li>",
                ((text,) for text in password_validation.password_validators_help_texts()),
            ),
        )
        self.fields["password2"].label = _("Password (again)")
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.fields["accept_netiquette"].label = format_html(
            _('I accept the <a href="{}">netiquette</a>.'), reverse_lazy("legal-netiquette")
        )
        self.fields["accept_privacy"].label = format_html(
            _('I have read the <a href="{}">privacy notice</a>.'),
            reverse_lazy("legal-datenschutz"),
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "email",
            "display_name",
            "password1",
            "password2",
            "district",
            "accept_netiquette",
            "accept_privacy",
            Div(
                Field(HONEYPOT_FIELD),
                css_class="hp-field",
                aria_hidden="true",
            ),
        )

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data["display_name"])

    def try_save(self, request):
        if self.cleaned_data.get(HONEYPOT_FIELD):
            # Answer a bot exactly like a real sign-up, but create nothing.
            return None, get_adapter().respond_email_verification_sent(request, None)
        if self.account_already_exists:
            # allauth answers as for a new account and mails the owner instead of creating one;
            # hashing the password as a new account would keeps the answer as slow, so its
            # timing (44 ms instead of 440 ms) does not tell that the address is registered.
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)

    def signup(self, request, user: User) -> None:
        """Called by allauth before the e-mail address is set up; the user is saved after."""
        now = timezone.now()
        user.display_name = self.cleaned_data["display_name"]
        user.district = self.cleaned_data.get("district")
        user.netiquette_accepted_at = now
        user.privacy_accepted_at = now
        user.save(
            update_fields=[
                "display_name",
                "district",
                "netiquette_accepted_at",
                "privacy_accepted_at",
            ]
        )


class ProfileForm(forms.ModelForm):
    """What an account holder can change on the account page."""

    display_name = display_name_field()
    district = district_field()

    class Meta:
        model = User
        fields = [
            "display_name",
            "district",
            "notify_on_answer",
            "notify_on_reply",
            "notify_on_outcome",
            "notify_on_moderation",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data["display_name"], exclude_pk=self.instance.pk)


class FollowSettingsForm(forms.ModelForm):
    """What a follower hears about, and how: single e-mails or a weekly digest."""

    follow_digest = forms.TypedChoiceField(
        label=_("How would you like to receive the news?"),
        choices=[
            (False, _("A single e-mail for each piece of news")),
            (True, _("One weekly digest")),
        ],
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = User
        fields = [
            "notify_follow_answers",
            "notify_follow_rounds",
            "notify_follow_events",
            "follow_digest",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def save(self, commit: bool = True) -> User:
        # Only these fields: the page cache then knows that no public page changed.
        user = super().save(commit=False)
        if commit:
            user.save(update_fields=self._meta.fields)
        return user


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting this contribution?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a reason.")},
    )
    text = forms.CharField(
        label=_("Explanation (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the moderation reads this."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Please enter your password to confirm.")},
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password


class ObjectionForm(forms.Form):
    """The author's Widerspruch against hiding their contribution."""

    text = forms.CharField(
        label=_("Why should the contribution be shown again?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=2000,
        help_text=_("At most 2,000 characters. The moderation team reads it and decides again."),
    )
