"""Visit photos move to the private storage of ``core.files``: no public address, names the server
chooses. Photos stored before under another name (the client's, or an extension that is not their
content's kind) are renamed to ``visits/<yyyy>/<mm>/<uuid4 hex>.<kind>``, ``.bin`` when not a photo."""

import salesops.core.files
from django.db import migrations, models


def rename_unsafe_photos(apps, schema_editor):
    from salesops.core.files import PHOTOS, rename_to_safe

    VisitPhoto = apps.get_model("followups", "VisitPhoto")
    for pk, name in VisitPhoto.objects.exclude(image="").values_list("pk", "image").iterator():
        safe = rename_to_safe(name, folder="visits", allowed=PHOTOS)
        if safe != name:
            VisitPhoto.objects.filter(pk=pk).update(image=safe)


class Migration(migrations.Migration):

    dependencies = [
        ("followups", "0004_followup_author_team"),
    ]

    operations = [
        migrations.AlterField(
            model_name="visitphoto",
            name="image",
            field=models.FileField(
                storage=salesops.core.files.private_storage, upload_to=salesops.core.files.StoredName("visits")
            ),
        ),
        migrations.RunPython(rename_unsafe_photos, migrations.RunPython.noop),
    ]
