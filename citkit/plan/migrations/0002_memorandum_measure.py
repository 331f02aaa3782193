"""Plans seeded before the MOUs were kept in citkit: their "Develop a memorandum of
understanding" task is now measured by the MOU's signatures (partnerships'
`mou_parties_signed`), as a newly seeded plan is. A task whose measure a coordinator
chose is left alone."""

from django.db import migrations


def measure_the_memorandum(apps, schema_editor):
    Task = apps.get_model("plan", "Task")
    Task.objects.filter(key="develop-memorandum", measure="").update(measure="mou_parties_signed")


class Migration(migrations.Migration):
    dependencies = [("plan", "0001_initial")]

    operations = [migrations.RunPython(measure_the_memorandum, migrations.RunPython.noop)]
