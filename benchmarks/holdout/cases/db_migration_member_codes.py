from django.db import migrations


def backfill_codes(apps, schema_editor):
    HistoricalMember = apps.get_model("loyalty", "Member")
    for member in HistoricalMember.objects.filter(code=""):
        member.code = f"M{member.pk:08d}"
        member.save(update_fields=["code"])  # expect-none


def clear_codes(apps, schema_editor):
    HistoricalMember = apps.get_model("loyalty", "Member")
    for member in HistoricalMember.objects.exclude(code=""):
        member.code = ""
        member.save(update_fields=["code"])  # expect-none


class Migration(migrations.Migration):
    dependencies = [("loyalty", "0007_member_code")]
    operations = [migrations.RunPython(backfill_codes, clear_codes)]
