import pytest

from goals.models import Goal, KeyMessage, Measure, MeasureGoal


def make_goals(count: int, *, key_messages: int = 3, measures: int = 4) -> list[Goal]:
    """`count` published goals; every measure also serves the next goal (shared measures)."""
    goals = [
        Goal.objects.create(
            slug=f"ziel-{i}",
            title=f"Ziel Nummer {i}",
            claim=f"Anspruch {i}",
            position=i,
            status=Goal.Status.PUBLISHED,
        )
        for i in range(count)
    ]
    for i, goal in enumerate(goals):
        KeyMessage.objects.bulk_create(
            KeyMessage(goal=goal, position=k, text=f"Botschaft {i}.{k}")
            for k in range(key_messages)
        )
        for m in range(measures):
            measure = Measure.objects.create(
                is_published=True, slug=f"massnahme-{i}-{m}", text=f"Maßnahme {i}.{m}"
            )
            MeasureGoal.objects.create(measure=measure, goal=goal, position=m)
            MeasureGoal.objects.create(measure=measure, goal=goals[(i + 1) % count], position=99)
    return goals


@pytest.fixture
def goal_factory(db):
    return make_goals
