from django.core.management.base import BaseCommand, CommandError, CommandParser

from goals.models import Goal
from participation.models import CommentRound
from workbench.services import run_workbench


class Command(BaseCommand):
    help = (
        "Run the evaluation workbench: suggested goals, themes and near-identical groups for the "
        "counted contributions (suggestions only; editors confirm them in the admin)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--round", dest="round_slug", help="Only this comment round (slug).")
        parser.add_argument("--goal", dest="goal_slug", help="Only this goal (slug).")

    def handle(self, *args, round_slug=None, goal_slug=None, **options) -> None:
        comment_round = goal = None
        if round_slug:
            comment_round = CommentRound.objects.filter(slug=round_slug).first()
            if comment_round is None:
                raise CommandError(f"No comment round with the slug {round_slug!r}.")
        if goal_slug:
            goal = Goal.objects.filter(slug=goal_slug).first()
            if goal is None:
                raise CommandError(f"No goal with the slug {goal_slug!r}.")
        run = run_workbench(comment_round=comment_round, goal=goal)
        seconds = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(
            f"{run.contribution_count} contributions, {run.theme_count} themes, "
            f"{run.duplicate_group_count} groups of near-identical contributions "
            f"in {seconds:.1f} s ({run.method_version})."
        )
