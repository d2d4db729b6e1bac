"""The default probability of each stage and a first list of loss reasons; an admin changes both."""

from django.db import migrations

PROBABILITIES = {"contact": 10, "needs": 30, "proposal": 50, "negotiation": 70}
REASONS = ["价格过高", "选择了竞争对手", "预算取消或推迟", "需求变化", "决策人变动", "长期联系不上", "其他"]


def seed(apps, schema_editor):
    StageProbability = apps.get_model("deals", "StageProbability")
    LossReason = apps.get_model("deals", "LossReason")
    for stage, probability in PROBABILITIES.items():
        StageProbability.objects.get_or_create(stage=stage, defaults={"probability": probability})
    for position, name in enumerate(REASONS):
        LossReason.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("deals", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
