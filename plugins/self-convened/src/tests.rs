use convene_sdk::testing::{Harness, with_host};
use convene_sdk::{Channel, Contribution, Localized, Results, Section, Submitter, SubmitterRole, Validation, Value, json};

use super::SelfConvened;

fn config() -> Value {
    json!({ "guide": { "en": "1. Where should AI never decide for people?", "es": "1. ¿Dónde no debería la IA decidir nunca por las personas?" },
        "min_participants": 3, "max_participants": 50 })
}

fn harness() -> Harness<SelfConvened> {
    Harness::new(config()).unwrap()
}

fn p(id: &str) -> Submitter {
    Submitter::participant(id)
}

fn organiser(id: &str) -> Submitter {
    Submitter { id: id.into(), role: SubmitterRole::Organiser, channel: Channel::Online }
}

fn meeting(title: &str, date: &str) -> Value {
    json!({ "title": title, "date": date, "time": "18:30", "place": "Junta de vecinos", "expected_participants": 8, "language": "es" })
}

fn report(number: &str, attendance: u32, recommendations: &[&str]) -> Value {
    json!({ "meeting": number, "attendance": attendance, "key_points": ["Decisions about benefits need a person"], "recommendations": recommendations })
}

/// Registers a meeting and returns the number it was given.
fn register(h: &mut Harness<SelfConvened>, by: &str, body: Value) -> String {
    match h.contribute_as("meeting", body, &p(by)) {
        Validation::Accepted(b) => b["number"].as_str().unwrap().to_string(),
        rejected => panic!("{rejected:?}"),
    }
}

fn fields(v: &Validation) -> Vec<String> {
    v.errors().into_iter().map(|e| e.field).collect()
}

fn problem(v: &Validation) -> String {
    v.errors().first().map(|e| e.problem.clone()).unwrap_or_default()
}

/// Takes a stored contribution out of the visible ones, as a withdrawal does and as the host
/// does with the one being edited while it validates the edit.
fn take(kind: &str, field: &str, number: &str) -> Contribution {
    with_host(|host| {
        let i = host.contributions.iter().position(|c| c.kind == kind && c.body[field] == number).unwrap();
        host.contributions.remove(i)
    })
}

fn set_now(now: &str) {
    with_host(|host| host.now = now.into());
}

fn text_of(results: &Results, i: usize) -> Localized {
    match &results.sections[i] {
        Section::Text { body, .. } => body.clone(),
        other => panic!("{other:?}"),
    }
}

fn rows_of(results: &Results, i: usize) -> Vec<Vec<String>> {
    match &results.sections[i] {
        Section::Table { rows, .. } => rows.clone(),
        other => panic!("{other:?}"),
    }
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

#[test]
fn configuration_errors_name_their_paths() {
    let errors =
        Harness::<SelfConvened>::new(json!({ "guide": { "en": " ", "e s": "Guía" }, "min_participants": 0, "max_participants": -5, "report_due_days": 400 }))
            .err()
            .unwrap();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["guide.e s", "min_participants", "max_participants", "report_due_days"]);

    let errors = Harness::<SelfConvened>::new(json!({ "guide": { "es": "" }, "min_participants": 10, "max_participants": 5 })).err().unwrap();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["guide", "max_participants"]);
    assert!(errors[1].problem.contains("min_participants (10)"), "{errors:?}");

    assert_eq!(Harness::<SelfConvened>::new(json!({ "guide": { "es": "Guía" }, "capacity": 3 })).err().unwrap()[0].field, "config");
    let defaults = Harness::<SelfConvened>::new(json!({ "guide": { "es": "Guía" } })).unwrap();
    assert_eq!((defaults.config().min_participants, defaults.config().max_participants, defaults.config().report_due_days), (3, None, None));
}

#[test]
fn meetings_are_numbered_in_order_and_a_number_is_never_given_twice() {
    let mut h = harness();
    let first = h.contribute_as(
        "meeting",
        json!({ "title": "  Vecinos de Cerro Alegre ", "date": "2027-01-10", "place": "Sede vecinal", "expected_participants": 12, "online": false }),
        &p("p1"),
    );
    assert_eq!(
        first,
        Validation::Accepted(
            json!({ "number": "M-1", "title": "Vecinos de Cerro Alegre", "date": "2027-01-10", "place": "Sede vecinal", "online": false, "expected_participants": 12 })
        )
    );
    assert_eq!(register(&mut h, "p2", meeting("Sindicato portuario", "2027-01-11")), "M-2");
    assert_eq!(register(&mut h, "p1", meeting("Segunda conversación", "2027-01-12")), "M-3");
    // M-3 is withdrawn: its number is not handed to the next meeting.
    take("meeting", "number", "M-3");
    assert_eq!(register(&mut h, "p3", meeting("Liceo técnico", "2027-01-13")), "M-4");
    with_host(|host| assert_eq!(host.kv.get("meetings:last-number"), Some(&b"4".to_vec())));
}

#[test]
fn an_edit_keeps_its_number_and_nobody_claims_another_persons() {
    let mut h = harness();
    assert_eq!(register(&mut h, "p1", meeting("Vecinos", "2027-01-10")), "M-1");
    assert_eq!(register(&mut h, "p2", meeting("Sindicato", "2027-01-11")), "M-2");
    let mut edited = take("meeting", "number", "M-1").body;
    edited["title"] = json!("Vecinos de Cerro Alegre");
    let again = h.contribute_as("meeting", edited.clone(), &p("p1"));
    assert!(again.is_accepted(), "{again:?}");
    assert_eq!(register(&mut h, "p3", meeting("Otro", "2027-01-12")), "M-3", "the edit took no new number");

    let mut claim = meeting("Mío", "2027-01-12");
    claim["number"] = json!("M-1");
    let theft = h.contribute_as("meeting", claim.clone(), &p("p2"));
    assert_eq!((fields(&theft), problem(&theft)), (vec!["number".to_string()], "M-1 is not a meeting you registered".to_string()));
    assert!(problem(&h.contribute_as("meeting", claim, &p("p1"))).contains("M-1 is already registered"));
    let mut bogus = meeting("Mío", "2027-01-12");
    bogus["number"] = json!(7);
    assert_eq!(fields(&h.contribute_as("meeting", bogus, &p("p1"))), ["number"]);
}

#[test]
fn meeting_fields_are_checked_and_errors_name_them() {
    let mut h = harness();
    let bad = h.contribute(
        "meeting",
        json!({ "title": "ab", "date": "2027-02-30", "time": "7pm", "online": "yes", "expected_participants": 2, "language": "español!" }),
    );
    assert_eq!(fields(&bad), ["title", "date", "time", "online", "expected_participants", "language"]);
    let bad = h.contribute("meeting", json!({ "title": "Vecinos", "date": "2027-01-10", "expected_participants": 51 }));
    assert_eq!(fields(&bad), ["place", "expected_participants"]);
    assert_eq!(
        problem(&h.contribute("meeting", json!({ "title": "Vecinos", "date": "2027-01-10", "online": true, "expected_participants": 51 }))),
        "give the number of people you expect, 3 to 50"
    );
    let online = h.contribute(
        "meeting",
        json!({ "title": "En línea", "date": "2027-01-10", "online": true, "expected_participants": 3, "time": "", "description": "  " }),
    );
    assert_eq!(online, Validation::Accepted(json!({ "number": "M-1", "title": "En línea", "date": "2027-01-10", "online": true, "expected_participants": 3 })));
    with_host(|host| assert_eq!(host.kv.get("meetings:last-number"), Some(&b"1".to_vec()), "refused meetings take no number"));
}

#[test]
fn only_the_registrant_files_the_report() {
    let mut h = harness();
    register(&mut h, "p1", meeting("Vecinos", "2027-01-10"));
    let other = h.contribute_as("report", report("M-1", 8, &[]), &p("p2"));
    assert_eq!((fields(&other), problem(&other)), (vec!["meeting".to_string()], "only the person who registered M-1 may file its report".to_string()));
    assert_eq!(problem(&h.contribute_as("report", report("M-9", 8, &[]), &p("p1"))), "there is no meeting M-9 in this activity");
    assert_eq!(problem(&h.contribute_as("report", report("nine", 8, &[]), &p("p1"))), "a meeting number looks like M-7");
    assert_eq!(problem(&h.contribute_as("report", json!({ "attendance": 8, "key_points": ["x"] }), &p("p1"))), "give the meeting's number, e.g. M-7");
    match h.contribute_as("report", report(" m-1 ", 8, &["Publish an algorithm register"]), &p("p1")) {
        Validation::Accepted(body) => assert_eq!((body["meeting"].as_str(), body["attendance"].as_u64()), (Some("M-1"), Some(8))),
        rejected => panic!("{rejected:?}"),
    }
}

#[test]
fn one_report_per_meeting_and_a_correction_is_an_edit() {
    let mut h = harness();
    register(&mut h, "p1", meeting("Vecinos", "2027-01-10"));
    assert!(h.contribute_as("report", report("M-1", 8, &[]), &p("p1")).is_accepted());
    let second = h.contribute_as("report", report("M-1", 9, &[]), &p("p1"));
    assert_eq!(problem(&second), "M-1 already has a report: to correct it, edit that report");
    // The host leaves the report being edited out of the visible ones.
    let mut corrected = take("report", "meeting", "M-1").body;
    corrected["attendance"] = json!(9);
    assert!(h.contribute_as("report", corrected, &p("p1")).is_accepted());
    let results = h.results().unwrap();
    assert_eq!(text_of(&results, 0).get("en"), Some("1 meeting registered; 1 report filed; 0 received; 9 people attended."));
}

#[test]
fn attendance_must_be_within_the_configured_bounds() {
    let mut h = harness();
    register(&mut h, "p1", meeting("Vecinos", "2027-01-10"));
    let few = h.contribute_as("report", json!({ "meeting": "M-1", "attendance": 2, "key_points": [] }), &p("p1"));
    assert_eq!(fields(&few), ["key_points", "attendance"]);
    assert_eq!(few.errors()[1].problem, "a self-convened meeting needs at least 3 participants");
    assert_eq!(problem(&h.contribute_as("report", report("M-1", 51, &[]), &p("p1"))), "a self-convened meeting may have at most 50 participants");
    let consent = h.contribute_as(
        "report",
        json!({ "meeting": "M-1", "attendance": 5, "key_points": ["x"], "demographics": { "18-29": 6 }, "demographics_consented": true }),
        &p("p1"),
    );
    assert_eq!(fields(&consent), ["demographics"]);
    assert!(h.contribute_as("report", report("M-1", 3, &[]), &p("p1")).is_accepted(), "the minimum itself is enough");
}

#[test]
fn a_report_cannot_be_filed_before_the_meeting() {
    let mut h = harness();
    register(&mut h, "p1", meeting("Vecinos", "2027-01-20"));
    let early = h.contribute_as("report", report("M-1", 8, &[]), &p("p1"));
    assert_eq!((fields(&early), problem(&early)), (vec!["meeting".to_string()], "M-1 is on 2027-01-20: file its report on or after that day".to_string()));
    // The day of the meeting, in the host's offset, is enough.
    set_now("2027-01-20T08:00:00-03:00");
    assert!(h.contribute_as("report", report("M-1", 8, &[]), &p("p1")).is_accepted());
}

#[test]
fn receipts_need_a_report_come_once_and_tell_the_registrant() {
    let mut h = harness();
    register(&mut h, "p1", meeting("Vecinos", "2027-01-10"));
    assert_eq!(problem(&h.contribute_as("receipt", json!({ "meeting": "M-1" }), &organiser("o1"))), "M-1 has no report yet");
    assert!(h.contribute_as("report", report("M-1", 8, &[]), &p("p1")).is_accepted());
    assert_eq!(fields(&h.contribute_as("receipt", json!({ "meeting": "M-1" }), &p("p1"))), [""], "participants do not mark receipts");
    assert_eq!(problem(&h.contribute_as("receipt", json!({ "meeting": "M-4" }), &organiser("o1"))), "there is no meeting M-4 in this activity");
    let received = h.contribute_as("receipt", json!({ "meeting": "M-1", "note": " Gracias, lo publicaremos. " }), &organiser("o1"));
    assert_eq!(received, Validation::Accepted(json!({ "meeting": "M-1", "note": "Gracias, lo publicaremos." })));
    assert_eq!(problem(&h.contribute_as("receipt", json!({ "meeting": "M-1" }), &organiser("o2"))), "the report of M-1 is already marked as received");
    with_host(|host| {
        assert_eq!(host.notifications.len(), 1, "only the accepted receipt notifies");
        let (to, _, body) = &host.notifications[0];
        assert_eq!(to, "p1");
        assert!(body.get("es").unwrap().contains("M-1, \"Vecinos\"") && body.get("es").unwrap().contains("Gracias, lo publicaremos."), "{body:?}");
    });
}

#[test]
fn results_count_flag_due_dates_and_merge_recommendations() {
    let mut h = Harness::<SelfConvened>::new(json!({ "guide": { "es": "Guía" }, "report_due_days": 14 })).unwrap();
    set_now("2026-12-10T12:00:00Z");
    register(&mut h, "p1", meeting("Vecinos", "2026-12-05"));
    register(&mut h, "p2", json!({ "title": "Sindicato", "date": "2026-12-08", "online": true, "expected_participants": 7 }));
    register(&mut h, "p3", json!({ "title": "Liceo", "date": "2026-12-20", "place": "Liceo A-12", "online": true, "expected_participants": 30 }));
    register(&mut h, "p4", json!({ "title": "Biblioteca", "date": "2026-12-01", "place": "Biblioteca municipal", "expected_participants": 10 }));
    let mut first = report("M-1", 12, &["Publish an algorithm register", "Train staff"]);
    first["dissent"] = json!(["Two participants opposed any use in policing"]);
    assert!(h.contribute_as("report", first, &p("p1")).is_accepted());
    // Twice in one meeting, with other case and spacing: still one meeting.
    assert!(h.contribute_as("report", report("M-2", 7, &["publish an  ALGORITHM register", " Publish an algorithm register"]), &p("p2")).is_accepted());
    set_now("2027-01-15T10:00:00Z");
    assert!(h.contribute_as("report", report("M-3", 5, &["Teach AI in schools"]), &p("p3")).is_accepted());
    assert!(h.contribute_as("receipt", json!({ "meeting": "M-1" }), &organiser("o1")).is_accepted());

    let results = h.results().unwrap();
    let summary = text_of(&results, 0);
    assert_eq!(summary.get("en"), Some("4 meetings registered; 3 reports filed; 1 received; 24 people attended; 1 report overdue; 1 filed late."));
    assert_eq!(
        summary.get("es"),
        Some("4 encuentros registrados; 3 informes presentados; 1 recibido; 24 personas participaron; 1 informe atrasado; 1 presentado tarde.")
    );
    assert_eq!(
        rows_of(&results, 1),
        vec![
            row(&["M-1", "Vecinos", "2026-12-05", "Junta de vecinos", "2026-12-10", "2027-01-15", "12", "2026-12-19"]),
            row(&["M-2", "Sindicato", "2026-12-08", "online", "2026-12-10", "", "7", "2026-12-22"]),
            row(&["M-3", "Liceo", "2026-12-20", "Liceo A-12 + online", "2027-01-15", "", "5", "2027-01-03 (late)"]),
            row(&["M-4", "Biblioteca", "2026-12-01", "Biblioteca municipal", "", "", "", "2026-12-15 (overdue)"]),
        ]
    );
    assert_eq!(rows_of(&results, 2), vec![row(&["Publish an algorithm register", "2"]), row(&["Teach AI in schools", "1"]), row(&["Train staff", "1"])]);
    assert_eq!(rows_of(&results, 3).len(), 3, "one key point per report");
    assert_eq!(rows_of(&results, 4), vec![row(&["M-1", "Two participants opposed any use in policing"])]);
}

#[test]
fn withdrawn_meetings_leave_the_results_with_their_reports() {
    let mut h = harness();
    register(&mut h, "p1", meeting("Vecinos", "2027-01-10"));
    register(&mut h, "p2", meeting("Sindicato", "2027-01-11"));
    assert!(h.contribute_as("report", report("M-1", 8, &["Train staff"]), &p("p1")).is_accepted());
    assert!(h.contribute_as("report", report("M-2", 13, &["Train staff"]), &p("p2")).is_accepted());
    take("meeting", "number", "M-2");
    let results = h.results().unwrap();
    assert_eq!(text_of(&results, 0).get("en"), Some("1 meeting registered; 1 report filed; 0 received; 8 people attended."));
    match &results.sections[1] {
        Section::Table { columns, rows, .. } => assert_eq!((columns.len(), rows.len()), (7, 1), "no due column when no due date is set"),
        other => panic!("{other:?}"),
    }
    assert_eq!(rows_of(&results, 2), vec![row(&["Train staff", "1"])]);
}

#[test]
fn odd_input_is_refused_never_a_panic() {
    let mut h = harness();
    register(&mut h, "p1", meeting("Vecinos", "2027-01-10"));
    let odd = [
        json!(null),
        json!([]),
        json!("M-1"),
        json!(7),
        json!({ "meeting": ["M-1"], "title": { "es": "x" }, "date": 20270110, "number": null }),
        json!({ "meeting": "M-99999999999", "date": "2027-01-10T10:00", "expected_participants": 1e40 }),
        json!({ "meeting": "M-", "title": "ñññ", "date": "۲۰۲۷-01-10", "expected_participants": -3, "time": "23:5é" }),
        json!({ "meeting": "M-1", "attendance": "8", "key_points": "one", "note": 5 }),
    ];
    for kind in ["meeting", "report", "receipt", "vote"] {
        for body in &odd {
            for by in [p("p1"), organiser("o1")] {
                let verdict = h.contribute_as(kind, body.clone(), &by);
                assert!(!verdict.is_accepted(), "{kind} {body} {verdict:?}");
            }
        }
    }
    assert_eq!(h.form("vote").err().unwrap()[0].field, "kind");
    assert!(h.results().is_ok());
}

#[test]
fn describe_and_forms_say_who_submits_what() {
    let info = <SelfConvened as convene_sdk::Activity>::describe();
    assert_eq!((info.id.as_str(), info.version.as_str()), ("org.convene.self-convened", "0.1.0"));
    let kinds: Vec<(&str, &[SubmitterRole])> = info.contribution_kinds.iter().map(|k| (k.id.as_str(), k.submitted_by.as_slice())).collect();
    assert_eq!(kinds[2], ("receipt", &[SubmitterRole::Organiser][..]));
    assert_eq!(kinds.iter().map(|k| k.0).collect::<Vec<_>>(), ["meeting", "report", "receipt"]);
    let h = harness();
    let form = h.form("report").unwrap();
    assert_eq!(
        form.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
        ["meeting", "attendance", "key_points", "recommendations", "dissent", "demographics_consented"]
    );
    assert!(form[2].help.get("es").unwrap().contains("¿Dónde no debería"), "the guide helps with the key points");
    let meeting_form = h.form("meeting").unwrap();
    assert!(matches!(meeting_form[5].kind, convene_sdk::FieldKind::Number(l) if l.min == Some(3.0) && l.max == Some(50.0)));
}

/// The examples handed to the end-to-end tests, exactly as written there.
#[test]
fn the_documented_examples_are_accepted() {
    let mut h = Harness::<SelfConvened>::new(json!({
        "guide": { "en": "1. Where should AI help public services? 2. Where should it never decide? 3. What would make you trust it?",
                   "es": "1. ¿Dónde debería la IA ayudar a los servicios públicos? 2. ¿Dónde no debería decidir nunca? 3. ¿Qué les haría confiar en ella?" },
        "min_participants": 3, "max_participants": 50, "report_due_days": 14 }))
    .unwrap();
    let meeting = json!({ "title": "Vecinos de Cerro Alegre", "date": "2026-11-02", "time": "18:30", "place": "Sede vecinal, Calle Templeman 45",
        "online": false, "expected_participants": 12, "language": "es", "description": "Conversación abierta a los vecinos del cerro." });
    let mut stored = meeting.clone();
    stored["number"] = json!("M-1");
    assert_eq!(h.contribute("meeting", meeting), Validation::Accepted(stored));
    let report = json!({ "meeting": "M-1", "attendance": 11, "demographics_consented": true, "demographics": { "18-29": 3, "30-64": 6, "65+": 2 },
        "key_points": ["Queremos saber cuándo decide un algoritmo"], "recommendations": ["Publicar un registro de algoritmos"],
        "dissent": ["Dos personas se opusieron a cualquier uso policial"] });
    assert_eq!(h.contribute("report", report.clone()), Validation::Accepted(report));
    let receipt = json!({ "meeting": "M-1", "note": "Recibido, gracias." });
    assert_eq!(h.contribute_as("receipt", receipt.clone(), &organiser("o1")), Validation::Accepted(receipt));
    let results = h.results().unwrap();
    // Filed on the fake host's day, 2027-01-15: after its due date, 2026-11-16.
    assert_eq!(text_of(&results, 0).get("en"), Some("1 meeting registered; 1 report filed; 1 received; 11 people attended; 0 reports overdue; 1 filed late."));
    assert_eq!(rows_of(&results, 1)[0][7], "2026-11-16 (late)");
}
