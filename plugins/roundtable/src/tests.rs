use convene_sdk::testing::{Harness, with_host};
use convene_sdk::{Channel, Section, Submitter, SubmitterRole, json};

use super::Roundtable;

fn config() -> convene_sdk::Value {
    json!({ "meetings": [
        { "id": "north", "title": { "en": "Northern region" }, "date": "2027-03-04", "time": "18:30", "place": "Civic centre, room 2", "capacity": 2,
          "accessibility": { "en": "Step-free access; sign language on request" } },
        { "id": "online", "title": { "en": "Online evening" }, "date": "2027-03-11", "online_link": "https://meet.example.org/ai", "capacity": 100 }
    ]})
}

fn facilitator(id: &str) -> Submitter {
    Submitter { id: id.into(), role: SubmitterRole::Facilitator, channel: Channel::Online }
}

#[test]
fn meetings_need_a_date_a_place_or_link_and_a_capacity() {
    let errors = Harness::<Roundtable>::new(json!({ "meetings": [
        { "id": "a", "title": { "en": "A" }, "date": "2027-13-01", "capacity": 0, "online_link": "http://insecure" },
        { "id": "a", "title": {}, "date": "2027-01-01", "time": "25:00", "place": "Hall", "capacity": 5 } ] }))
    .err()
    .unwrap();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["meetings[0].date", "meetings[0].online_link", "meetings[0].capacity", "meetings[1].id", "meetings[1].title", "meetings[1].time"]);
}

#[test]
fn registration_stops_at_capacity_and_once_per_person() {
    let mut h = Harness::<Roundtable>::new(config()).unwrap();
    let north = json!({ "meeting": "north" });
    assert!(h.contribute_as("registration", north.clone(), &Submitter::participant("p1")).is_accepted());
    assert_eq!(h.contribute_as("registration", north.clone(), &Submitter::participant("p1")).errors()[0].problem, "you are already registered for this meeting");
    assert!(h.contribute_as("registration", north.clone(), &Submitter::participant("p2")).is_accepted());
    let full = h.contribute_as("registration", north, &Submitter::participant("p3"));
    assert!(full.errors()[0].problem.contains("full (2 places)"), "{full:?}");
    assert_eq!(h.contribute("registration", json!({ "meeting": "south" })).errors()[0].field, "meeting");
    with_host(|host| assert_eq!(host.kv.get("registrations:north"), Some(&b"2".to_vec())));
}

#[test]
fn reports_are_structured_consented_and_one_per_meeting() {
    let mut h = Harness::<Roundtable>::new(config()).unwrap();
    let bad = h.contribute_as("report", json!({ "meeting": "north", "attendance": 3, "key_points": [], "demographics": { "18-29": 5 } }), &facilitator("f1"));
    let fields: Vec<String> = bad.errors().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["demographics_consented", "demographics", "key_points"]);

    let report = json!({ "meeting": "north", "attendance": 14, "demographics_consented": true, "demographics": { "18-29": 4, "65+": 3 },
        "key_points": ["People want to know when an algorithm decides"], "recommendations": ["Publish an algorithm register", "Train staff"],
        "dissent": ["Two participants opposed any use in policing"] });
    assert!(h.contribute_as("report", report.clone(), &facilitator("f1")).is_accepted());
    // The same facilitator may correct it; another may not replace it.
    assert!(h.contribute_as("report", report.clone(), &facilitator("f1")).is_accepted());
    assert!(h.contribute_as("report", report, &facilitator("f2")).errors()[0].problem.contains("already filed"));
    let online = json!({ "meeting": "online", "attendance": 40, "key_points": ["Worries about bias"], "recommendations": ["publish an  ALGORITHM register"] });
    assert!(h.contribute_as("report", online, &facilitator("f2")).is_accepted());

    let results = h.results().unwrap();
    match &results.sections[0] {
        Section::Text { body, .. } => assert_eq!(body.get("en").unwrap(), "2 of 2 meetings reported; 54 people attended; 0 registrations."),
        other => panic!("{other:?}"),
    }
    match &results.sections[2] {
        Section::Table { rows, .. } => {
            assert_eq!(rows[0], vec!["Publish an algorithm register".to_string(), "2".to_string()], "merged across meetings, case and spacing ignored");
            assert_eq!(rows[1], vec!["Train staff".to_string(), "1".to_string()]);
        }
        other => panic!("{other:?}"),
    }
}
