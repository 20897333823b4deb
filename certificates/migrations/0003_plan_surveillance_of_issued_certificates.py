"""Plan the surveillances (9.6.2) of the certificates issued before surveillance existed, as issuing does now."""

from django.db import migrations

from certificates.dates import add_months


def plan(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    Surveillance = apps.get_model("certificates", "Surveillance")
    for certificate in Certificate.objects.select_related("scheme").iterator():
        interval = certificate.scheme.surveillance_interval_months
        period = 1
        while True:
            due = add_months(certificate.issue_date, period * interval)
            if due >= certificate.expiry_date:
                break
            Surveillance.objects.get_or_create(
                certificate=certificate, period=period, follow_up_of=None, defaults={"due_date": due}
            )
            period += 1


class Migration(migrations.Migration):
    dependencies = [("certificates", "0002_after_issue")]

    operations = [migrations.RunPython(plan, migrations.RunPython.noop)]
