"""Benchmarks worth joining: a catalogue of key figures German municipalities already compare.

Families: the KGSt comparison rings (IKO-Netz) for services and staff, and the SDG indicators for
municipalities (Bertelsmann Stiftung, Deutscher Städtetag, DStGB and others) for climate, social
and finance figures. Wording and definitions are Leitwerk's own short descriptions; the source
names where the figure comes from. Existing definitions keep their text and gain a source.
"""

from django.db import migrations, models

KGST_SERVICE = "KGSt-Vergleichsringe (IKO-Netz), Bürgerservice"
KGST_STAFF = "KGSt-Vergleichsringe (IKO-Netz), Personal"
SDG = "SDG-Indikatoren für Kommunen"

# (slug, title, unit, definition, direction, source)
CATALOGUE = [
    ("wartezeit-buergeramt", "", "", "", "", KGST_SERVICE),
    ("zufriedenheit-kernfrage", "", "", "", "", "Bürgerbefragung der Kommune (Leitwerk)"),
    ("beschwerden-fristgerecht", "", "", "", "", "Beschwerdemanagement der Kommune"),
    ("telefon-erreichbarkeit", "Telefonische Erreichbarkeit", "%",
     "Angenommene Anrufe im Verhältnis zu allen eingehenden Anrufen der Servicenummer im Jahr.",
     "higher", KGST_SERVICE),
    ("bearbeitungsdauer-baugenehmigung", "Bearbeitungsdauer Baugenehmigung", "Tage",
     "Median der Kalendertage vom vollständigen Bauantrag bis zum Bescheid, über alle Bescheide des Jahres.",
     "lower", "KGSt-Vergleichsringe (IKO-Netz), Bauaufsicht"),
    ("bearbeitungsdauer-wohngeld", "Bearbeitungsdauer Wohngeldantrag", "Tage",
     "Median der Kalendertage vom vollständigen Antrag bis zum Bescheid.",
     "lower", "KGSt-Vergleichsringe (IKO-Netz), Soziales"),
    ("online-leistungen", "Anteil online beantragbarer Leistungen", "%",
     "Verwaltungsleistungen, die vollständig online beantragt werden können, im Verhältnis zu allen angebotenen Leistungen (OZG-Katalog).",
     "higher", "OZG-Umsetzung, eigene Erhebung"),
    ("e-rechnung-anteil", "Anteil elektronischer Eingangsrechnungen", "%",
     "Rechnungen im Format XRechnung oder ZUGFeRD im Verhältnis zu allen Eingangsrechnungen des Jahres.",
     "higher", "eigene Erhebung (Kämmerei)"),
    ("e-akte-arbeitsplaetze", "Arbeitsplätze mit E-Akte", "%",
     "Büroarbeitsplätze, an denen Vorgänge in der elektronischen Akte geführt werden, im Verhältnis zu allen Büroarbeitsplätzen.",
     "higher", "eigene Erhebung"),
    ("krankenquote", "Krankenquote", "%",
     "Krankheitstage im Verhältnis zu den Soll-Arbeitstagen aller Beschäftigten im Jahr.",
     "lower", KGST_STAFF),
    ("fluktuation", "Fluktuationsquote", "%",
     "Abgänge von Beschäftigten (ohne Ruhestand) im Verhältnis zum durchschnittlichen Personalbestand.",
     "lower", KGST_STAFF),
    ("fortbildungstage", "Fortbildungstage je Beschäftigten", "Tage",
     "Tage in Fort- und Weiterbildung im Jahr je Beschäftigten (Vollzeitäquivalent).",
     "higher", KGST_STAFF),
    ("frauen-fuehrung", "Frauenanteil in Führungspositionen", "%",
     "Frauen in Positionen mit Personalverantwortung im Verhältnis zu allen Führungskräften der Verwaltung.",
     "higher", f"{SDG} (SDG 5)"),
    ("co2-je-einwohner", "CO₂-Emissionen je Einwohner", "t CO₂e",
     "Treibhausgasemissionen des Gemeindegebiets nach BISKO-Bilanz je Einwohner und Jahr.",
     "lower", f"{SDG} (SDG 13)"),
    ("co2-kommunale-gebaeude", "CO₂-Emissionen der kommunalen Gebäude", "t CO₂e",
     "Treibhausgasemissionen aus Wärme und Strom der kommunalen Liegenschaften im Jahr.",
     "lower", "kommunales Energiemanagement"),
    ("waerme-kommunale-gebaeude", "Wärmeverbrauch kommunaler Gebäude", "kWh je m²",
     "Witterungsbereinigter Heizenergieverbrauch je m² Bruttogrundfläche der kommunalen Gebäude.",
     "lower", "kommunales Energiemanagement"),
    ("oekostrom-liegenschaften", "Anteil erneuerbarer Strom in kommunalen Liegenschaften", "%",
     "Strom aus erneuerbaren Quellen (eigene Erzeugung und Bezug) im Verhältnis zum Stromverbrauch der Liegenschaften.",
     "higher", f"{SDG} (SDG 7)"),
    ("ladepunkte", "Öffentliche Ladepunkte je 1.000 Einwohner", "Anzahl",
     "Öffentlich zugängliche Ladepunkte für Elektrofahrzeuge im Gemeindegebiet je 1.000 Einwohner.",
     "higher", f"{SDG} (SDG 7, SDG 11)"),
    ("radwege-je-einwohner", "Radwegenetz je 10.000 Einwohner", "km",
     "Länge der Radwege und Radfahrstreifen im Gemeindegebiet je 10.000 Einwohner.",
     "higher", f"{SDG} (SDG 11)"),
    ("flaeche-je-einwohner", "Siedlungs- und Verkehrsfläche je Einwohner", "m²",
     "Siedlungs- und Verkehrsfläche des Gemeindegebiets je Einwohner.",
     "lower", f"{SDG} (SDG 11, SDG 15)"),
    ("restabfall-je-einwohner", "Restabfall je Einwohner", "kg",
     "Haus- und Sperrmüll zur Beseitigung je Einwohner und Jahr.",
     "lower", f"{SDG} (SDG 12)"),
    ("betreuungsquote-u3", "Betreuungsquote unter Dreijähriger", "%",
     "Kinder unter drei Jahren in Kindertagesbetreuung im Verhältnis zu allen Kindern dieses Alters.",
     "higher", f"{SDG} (SDG 4)"),
    ("schulden-je-einwohner", "Schulden je Einwohner", "€",
     "Schulden des Kernhaushalts beim nicht-öffentlichen Bereich zum 31.12. je Einwohner.",
     "lower", f"{SDG} (SDG 16, SDG 17)"),
]


def create(apps, schema_editor):
    BenchmarkDefinition = apps.get_model("network", "BenchmarkDefinition")
    for slug, title, unit, definition, direction, source in CATALOGUE:
        row = BenchmarkDefinition.objects.filter(slug=slug).first()
        if row is not None:
            if not row.source:
                row.source = source
                row.save(update_fields=["source"])
            continue
        BenchmarkDefinition.objects.create(
            slug=slug,
            title=title,
            unit=unit,
            definition=definition,
            direction=direction,
            source=source,
        )


class Migration(migrations.Migration):
    dependencies = [("network", "0003_transfer_thread")]

    operations = [
        migrations.AddField(
            model_name="benchmarkdefinition",
            name="source",
            field=models.CharField(blank=True, max_length=300, verbose_name="Quelle"),
        ),
        migrations.RunPython(create, migrations.RunPython.noop),
    ]
