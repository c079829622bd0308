import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from goals.models import Goal
from participation.models import Comment


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

    def __init__(self, *args, goal: Goal, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.fields["key_message"].queryset = goal.key_messages.all()
        self.fields["measure"].queryset = goal.measures.all()
        self.fields["key_message"].help_text = ""
        self.fields["measure"].help_text = ""
        for name in ("key_message", "measure"):
            self.fields[name].empty_label = _("– none –")
            self.fields[name].error_messages["invalid_choice"] = _(
                "Please choose one of the goal's own key messages and measures."
            )
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())

    def clean_text(self) -> str:
        return self.cleaned_data["text"].strip()


class ReplyForm(forms.Form):
    text = CommentTextField(label=_("Your reply"))
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def clean_text(self) -> str:
        return self.cleaned_data["text"].strip()


class CommentEditForm(forms.Form):
    text = CommentTextField()

    def clean_text(self) -> str:
        return self.cleaned_data["text"].strip()
