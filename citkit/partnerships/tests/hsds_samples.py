# The CSV rows are written as a file holds them, one record a line, however long.
# ruff: noqa: E501
"""A small HSDS 3 data package, written by hand from the specification: two partner
organizations, four services, three locations, their hours (weekdays, around the
clock, overnight), phones, a contact, languages, areas and beds.

It is deliberately a third party's package, not one of ours: plural file names as
HSDS names them, a column and a whole table (funding) we do not keep, a taxonomy of
someone else's, and times written with seconds.

`package(changes)` zips it, with files replaced (`{"services.csv": text}`) or left
out (`{"services.csv": None}`).
"""

import io
import json
import zipfile

ORG_CLINIC = "0b6f7c7e-3d55-4a6e-9d3c-1f2a9e5b7c01"
ORG_HOSPITAL = "0b6f7c7e-3d55-4a6e-9d3c-1f2a9e5b7c02"

SVC_LINE = "5a1e0c44-8f0e-4c1b-b7d2-6a9d8e2f3a01"
SVC_MOBILE = "5a1e0c44-8f0e-4c1b-b7d2-6a9d8e2f3a02"
SVC_CSU = "5a1e0c44-8f0e-4c1b-b7d2-6a9d8e2f3a03"
SVC_ED = "5a1e0c44-8f0e-4c1b-b7d2-6a9d8e2f3a04"

LOC_CLINIC = "9c2d4e6f-1a3b-4c5d-8e7f-0a1b2c3d4e01"
LOC_CSU = "9c2d4e6f-1a3b-4c5d-8e7f-0a1b2c3d4e02"
LOC_HOSPITAL = "9c2d4e6f-1a3b-4c5d-8e7f-0a1b2c3d4e03"

TAX_TYPES = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a01"
TAX_OTHER = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a02"
TAX_PARTNERS = "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a03"
TERM_LINE = "f0e1d2c3-b4a5-4968-8776-655443322101"
TERM_MOBILE = "f0e1d2c3-b4a5-4968-8776-655443322102"
TERM_CSU = "f0e1d2c3-b4a5-4968-8776-655443322103"
TERM_OTHER = "f0e1d2c3-b4a5-4968-8776-655443322104"
TERM_CLINIC = "f0e1d2c3-b4a5-4968-8776-655443322105"
UNIT_BEDS = "7d8e9f0a-1b2c-4d3e-9f4a-5b6c7d8e9f01"

FILES: dict[str, str] = {
    "organizations.csv": f"""\
id,name,alternate_name,description,email,website,year_incorporated
{ORG_CLINIC},Riverbend Behavioral Health,RBH,"Community mental-health center for Riverbend County.",info@rbh.example.org,https://rbh.example.org,1978
{ORG_HOSPITAL},St. Anne's Regional Hospital,,"General hospital with a psychiatric emergency service.",,https://stanne.example.org,1921
""",
    "services.csv": f"""\
id,organization_id,name,alternate_name,description,url,email,status,interpretation_services,application_process,fees_description,eligibility_description,minimum_age,maximum_age,wait_time
{SVC_LINE},{ORG_CLINIC},Riverbend Crisis Line,988 local,"Someone to talk to, any hour.",https://rbh.example.org/crisis,,active,Language Line for 200 languages,"Call or text 988, or the local number.",Free,Anyone in Riverbend County,,,none
{SVC_MOBILE},{ORG_CLINIC},Mobile Crisis Team,MCT,"Clinicians who come to the person.",,mct@rbh.example.org,active,,Dispatch through the crisis line or 911.,Free,Adults and youth in crisis,12,,30 minutes
{SVC_CSU},{ORG_CLINIC},Crisis Stabilization Unit,CSU,"Walk-in and officer drop-off, up to 72 hours.",,,active,,"Officers: use the ambulance bay, ring the bell.",Sliding scale,Adults 18 and over,18,64,
{SVC_ED},{ORG_HOSPITAL},Psychiatric Emergency Service,,"Emergency psychiatric evaluation.",,,temporarily closed,,Come to the emergency entrance.,Insurance billed,All ages,,,
""",
    "locations.csv": f"""\
id,location_type,organization_id,name,alternate_name,description,transportation,latitude,longitude,external_identifier
{LOC_CLINIC},physical,{ORG_CLINIC},RBH Main Clinic,,,Bus 4 stops at the door.,38.951705,-92.328636,
{LOC_CSU},physical,{ORG_CLINIC},Crisis Stabilization Unit,,Secure unit on the ground floor.,"Police and ambulance bay on Elm St., side door.",38.9441,-92.3104,
{LOC_HOSPITAL},physical,{ORG_HOSPITAL},St. Anne's Emergency Department,,,,38.9620,-92.3350,
""",
    "addresses.csv": f"""\
id,location_id,attention,address_1,address_2,city,region,state_province,postal_code,country,address_type
3f4e5d6c-7b8a-4998-a1b2-c3d4e5f60001,{LOC_CLINIC},,1200 Main St,Suite 100,Riverbend,,MO,65201,US,physical
3f4e5d6c-7b8a-4998-a1b2-c3d4e5f60002,{LOC_CSU},,40 Elm St,,Riverbend,,MO,65201,US,physical
3f4e5d6c-7b8a-4998-a1b2-c3d4e5f60003,{LOC_CSU},Records,PO Box 77,,Riverbend,,MO,65205,US,postal
3f4e5d6c-7b8a-4998-a1b2-c3d4e5f60004,{LOC_HOSPITAL},,500 Hospital Dr,,Riverbend,,MO,65203,US,physical
""",
    "service_at_locations.csv": f"""\
id,service_id,location_id,description
2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901,{SVC_LINE},{LOC_CLINIC},Answered in the call center.
2b3c4d5e-6f70-4182-93a4-b5c6d7e8f902,{SVC_CSU},{LOC_CSU},
2b3c4d5e-6f70-4182-93a4-b5c6d7e8f903,{SVC_ED},{LOC_HOSPITAL},
""",
    "contacts.csv": f"""\
id,organization_id,service_id,service_at_location_id,location_id,name,title,department,email
4c5d6e7f-8091-42a3-b4c5-d6e7f8091a01,,{SVC_CSU},,,Jordan Price,Charge nurse,CSU,csu@rbh.example.org
""",
    "phones.csv": f"""\
id,location_id,service_id,organization_id,contact_id,service_at_location_id,number,extension,type,description
6e7f8091-a2b3-44c5-96d7-e8f9a0b1c201,,{SVC_LINE},,,,988,,voice,Answered 24/7
6e7f8091-a2b3-44c5-96d7-e8f9a0b1c202,,{SVC_LINE},,,,(573) 555-0100,,text,Text line
6e7f8091-a2b3-44c5-96d7-e8f9a0b1c203,,{SVC_CSU},,,,(573) 555-0140,12,voice,Officer drop-off line
6e7f8091-a2b3-44c5-96d7-e8f9a0b1c204,,,,4c5d6e7f-8091-42a3-b4c5-d6e7f8091a01,,(573) 555-0141,,cell,
6e7f8091-a2b3-44c5-96d7-e8f9a0b1c205,,,{ORG_HOSPITAL},,,(573) 555-0300,,voice,Switchboard
""",
    "schedules.csv": f"""\
id,service_id,location_id,service_at_location_id,valid_from,valid_to,dtstart,timezone,until,count,wkst,freq,interval,byday,byweekno,bymonthday,byyearday,description,opens_at,closes_at,schedule_link,attending_type,notes
8091a2b3-c4d5-46e7-98f9-0a1b2c3d4e01,{SVC_LINE},,,,,,,,,,WEEKLY,1,"MO,TU,WE,TH,FR,SA,SU",,,,Open 24 hours,00:00,00:00,,,
8091a2b3-c4d5-46e7-98f9-0a1b2c3d4e02,{SVC_MOBILE},,,2025-01-01,,,,,,,WEEKLY,1,"MO,TU,WE,TH,FR",,,,Weekday nights,19:00:00,07:00:00,,,Weekends through the crisis line
8091a2b3-c4d5-46e7-98f9-0a1b2c3d4e03,,{LOC_CLINIC},,,,,,,,,WEEKLY,1,"MO,TU,WE,TH,FR",,,,Clinic hours,08:00,17:00,,,
8091a2b3-c4d5-46e7-98f9-0a1b2c3d4e04,,,2b3c4d5e-6f70-4182-93a4-b5c6d7e8f902,,,2025-01-06,,,,,MONTHLY,1,1MO,,,,Family night,18:00,20:00,,,
""",
    "service_areas.csv": f"""\
id,service_id,service_at_location_id,name,description,extent,extent_type,uri
a1b2c3d4-e5f6-4718-89a0-b1c2d3e4f501,{SVC_MOBILE},,Riverbend County,The whole county,"65201,65202,65203",text,
""",
    "languages.csv": f"""\
id,service_id,location_id,phone_id,name,code,note
b2c3d4e5-f6a7-4829-90b1-c2d3e4f5a601,{SVC_LINE},,,English,en,
b2c3d4e5-f6a7-4829-90b1-c2d3e4f5a602,{SVC_LINE},,,Spanish,es,Bilingual counselors on every shift
b2c3d4e5-f6a7-4829-90b1-c2d3e4f5a603,,{LOC_CLINIC},,English,en,
""",
    "units.csv": f"""\
id,name,scheme,identifier,uri
{UNIT_BEDS},beds,,,
""",
    "service_capacity.csv": f"""\
id,service_id,unit_id,available,maximum,description,updated
c3d4e5f6-a7b8-493a-a1c2-d3e4f5a6b701,{SVC_CSU},{UNIT_BEDS},3,16,Adult crisis beds,2025-03-01T06:30:00Z
""",
    "taxonomies.csv": f"""\
id,name,description,uri,version
{TAX_TYPES},citkit-service-type,Crisis service types,,
{TAX_OTHER},AIRS/211 LA County Taxonomy,Someone else's taxonomy,https://211taxonomy.example.org,
{TAX_PARTNERS},citkit-partner-type,Partner types,,
""",
    "taxonomy_terms.csv": f"""\
id,code,name,description,parent_id,taxonomy,language,taxonomy_id,term_uri
{TERM_LINE},crisis_line,Crisis line,Crisis line,,,en,{TAX_TYPES},
{TERM_MOBILE},mobile_crisis,Mobile crisis team,Mobile crisis team,,,en,{TAX_TYPES},
{TERM_CSU},crisis_stabilization,Crisis stabilization,Crisis stabilization,,,en,{TAX_TYPES},
{TERM_OTHER},RP-1500,Crisis Intervention,Crisis Intervention,,,en,{TAX_OTHER},
{TERM_CLINIC},mental_health,Mental-health provider,Mental-health provider,,,en,{TAX_PARTNERS},
""",
    "attributes.csv": f"""\
id,link_id,taxonomy_term_id,link_type,link_entity,value,label
d4e5f6a7-b8c9-4a0b-b2d3-e4f5a6b7c801,{SVC_LINE},{TERM_LINE},service_type,service,,
d4e5f6a7-b8c9-4a0b-b2d3-e4f5a6b7c802,{SVC_MOBILE},{TERM_MOBILE},service_type,service,,
d4e5f6a7-b8c9-4a0b-b2d3-e4f5a6b7c803,{SVC_CSU},{TERM_CSU},service_type,service,,
d4e5f6a7-b8c9-4a0b-b2d3-e4f5a6b7c804,{SVC_ED},{TERM_OTHER},,service,,
d4e5f6a7-b8c9-4a0b-b2d3-e4f5a6b7c805,{ORG_CLINIC},{TERM_CLINIC},,organization,,
""",
    # A table HSDS has and the directory does not keep.
    "funding.csv": f"""\
id,organization_id,service_id,source
e5f6a7b8-c9d0-4b1c-83e4-f5a6b7c8d901,{ORG_CLINIC},,County mental-health levy
""",
}


def descriptor(files) -> dict:
    names = {
        "organizations.csv": "organization",
        "services.csv": "service",
        "locations.csv": "location",
        "addresses.csv": "address",
        "service_at_locations.csv": "service_at_location",
        "contacts.csv": "contact",
        "phones.csv": "phone",
        "schedules.csv": "schedule",
        "service_areas.csv": "service_area",
        "languages.csv": "language",
        "units.csv": "unit",
        "service_capacity.csv": "service_capacity",
        "taxonomies.csv": "taxonomy",
        "taxonomy_terms.csv": "taxonomy_term",
        "attributes.csv": "attribute",
        "funding.csv": "funding",
    }
    return {
        "profile": "tabular-data-package",
        "name": "riverbend-sample",
        "resources": [
            {"name": names[path], "path": path, "profile": "tabular-data-resource"}
            for path in files
            if path in names
        ],
    }


def package(changes: dict[str, str | None] | None = None, *, with_descriptor=True) -> bytes:
    files = dict(FILES)
    for name, text in (changes or {}).items():
        if text is None:
            files.pop(name, None)
        else:
            files[name] = text
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if with_descriptor:
            listed = [n for n in FILES if n in files or n not in (changes or {})]
            archive.writestr("datapackage.json", json.dumps(descriptor(listed)))
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def replace_cell(name: str, row: int, column: str, value: str) -> str:
    """The file with one cell changed; `row` as a spreadsheet counts (header is 1)."""
    import csv

    rows = list(csv.reader(io.StringIO(FILES[name])))
    rows[row - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()
