use convene_sdk::testing::Harness;
use convene_sdk::{Activity, Channel, FieldKind, NumberLimits, Results, Section, Submitter, SubmitterRole, TextLimits, Validation, Value, json};

use super::LinkedReports;

fn harness() -> Harness<LinkedReports> {
    Harness::new(json!({})).unwrap()
}

/// A linked process on another instance, as the host presents it: one pseudonym per sender.
fn remote(id: &str) -> Submitter {
    Submitter { id: id.into(), role: SubmitterRole::Participant, channel: Channel::Federated }
}

fn report(title: &str) -> Value {
    json!({ "title": title, "summary": "The town's roundtables recommend an algorithm register." })
}

fn fields(v: &Validation) -> Vec<String> {
    v.errors().into_iter().map(|e| e.field).collect()
}

/// The only error of a rejection, as (field, problem).
fn error(v: &Validation) -> (String, String) {
    match v.errors().as_slice() {
        [e] => (e.field.clone(), e.problem.clone()),
        other => panic!("expected one error, got {other:?} from {v:?}"),
    }
}

fn with(field: &str, value: Value) -> Value {
    let mut body = report("Villaluz roundtables");
    body[field] = value;
    body
}

fn text_of(results: &Results, i: usize) -> &convene_sdk::Localized {
    match &results.sections[i] {
        Section::Text { body, .. } => body,
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
fn a_valid_report_is_accepted_and_normalised() {
    let mut h = harness();
    let sent = json!({
        "title": "  Villaluz AI roundtables:\n   outcome  ",
        "summary": "\r\n  Five roundtables, 120 people.\r\n\r\nThey recommend an algorithm register.  ",
        "link": " HTTPS://convene.villaluz.example/processes/ai-roundtables/outcome ",
        "participants": 120.0,
        "source": " Villaluz AI roundtables  (convene.villaluz.example) ",
    });
    assert_eq!(
        h.contribute_as("report", sent, &remote("r1")),
        Validation::Accepted(json!({
            "title": "Villaluz AI roundtables: outcome",
            "summary": "Five roundtables, 120 people.\n\nThey recommend an algorithm register.",
            "link": "https://convene.villaluz.example/processes/ai-roundtables/outcome",
            "participants": 120,
            "source": "Villaluz AI roundtables (convene.villaluz.example)",
        }))
    );
    // Only title and summary are needed; optional fields left blank (as a form posts them) are dropped.
    let minimal = json!({ "title": "Costa Norte", "summary": "x", "link": "", "source": "   ", "participants": null });
    assert_eq!(h.contribute("report", minimal), Validation::Accepted(json!({ "title": "Costa Norte", "summary": "x" })));
    // Control characters are dropped: invisible, and no reason to refuse a linked process's outcome.
    let controls = json!({ "title": "Bell\u{7} rings\u{0}", "summary": "a\u{1b}[31mb\tc", "source": "\u{7f}Town" });
    assert_eq!(h.contribute("report", controls), Validation::Accepted(json!({ "title": "Bell rings", "summary": "a[31mb\tc", "source": "Town" })));
    let plain_http = h.contribute("report", with("link", json!("http://town.example/outcome")));
    assert!(plain_http.is_accepted(), "{plain_http:?}");
    assert!(h.contribute("report", with("participants", json!(0))).is_accepted());
    assert!(h.contribute("report", with("participants", json!(1_000_000))).is_accepted());
}

#[test]
fn any_channel_may_bring_a_report() {
    let mut h = harness();
    for channel in [Channel::Federated, Channel::Online, Channel::Paper, Channel::Phone, Channel::InPerson] {
        assert!(h.contribute_via("report", report("Entered by hand"), channel).is_accepted(), "{channel:?}");
    }
    let facilitator = Submitter { id: "f1".into(), role: SubmitterRole::Facilitator, channel: Channel::Paper };
    assert!(h.contribute_as("report", report("Entered by a facilitator"), &facilitator).is_accepted());
}

#[test]
fn each_bad_field_is_named() {
    let mut h = harness();
    let cases: Vec<(Value, &str, &str)> = vec![
        (json!({ "summary": "x" }), "title", "is required"),
        (with("title", json!("   ")), "title", "is required"),
        (with("title", json!("ab")), "title", "must be at least 3 characters"),
        (with("title", json!("t".repeat(201))), "title", "must be at most 200 characters"),
        (with("title", json!(["a title"])), "title", "must be text"),
        (json!({ "title": "Villaluz" }), "summary", "is required"),
        (with("summary", json!(" \n ")), "summary", "is required"),
        (with("summary", json!("s".repeat(20_001))), "summary", "must be at most 20000 characters"),
        (with("summary", json!(42)), "summary", "must be text"),
        (with("summary", json!("\u{0}\u{1b}")), "summary", "is required"),
        (with("link", json!("ftp://town.example/outcome")), "link", "must be a web address starting with https:// or http://"),
        (with("link", json!("javascript:alert(1)")), "link", "must be a web address starting with https:// or http://"),
        (with("link", json!("town.example/outcome")), "link", "must be a web address starting with https:// or http://"),
        (with("link", json!("https://")), "link", "must be a web address with a host and no spaces, e.g. https://example.org/outcome"),
        (with("link", json!("https:///outcome")), "link", "must be a web address with a host and no spaces, e.g. https://example.org/outcome"),
        (with("link", json!("https://town.example/our outcome")), "link", "must be a web address with a host and no spaces, e.g. https://example.org/outcome"),
        (with("link", json!(format!("https://town.example/{}", "a".repeat(2000)))), "link", "must be at most 2000 characters"),
        (with("link", json!(true)), "link", "must be text"),
        (with("participants", json!(-1)), "participants", "must be a whole number from 0 to 1000000"),
        (with("participants", json!(1.5)), "participants", "must be a whole number from 0 to 1000000"),
        (with("participants", json!(1_000_001)), "participants", "must be a whole number from 0 to 1000000"),
        (with("participants", json!(1e40)), "participants", "must be a whole number from 0 to 1000000"),
        (with("participants", json!("120")), "participants", "must be a whole number from 0 to 1000000"),
        (with("source", json!("s".repeat(201))), "source", "must be at most 200 characters"),
        (with("source", json!({ "name": "Villaluz" })), "source", "must be text"),
        (with("author", json!("Ana")), "author", "is not a field of a report (title, summary, link, participants, source)"),
        (json!("a report"), "", "a report is a JSON object with the fields title, summary, link, participants and source"),
        (json!(null), "", "a report is a JSON object with the fields title, summary, link, participants and source"),
    ];
    for (body, field, problem) in cases {
        let verdict = h.contribute_as("report", body.clone(), &remote("r1"));
        assert_eq!(error(&verdict), (field.to_string(), problem.to_string()), "{body}");
    }
    // Every problem at once, in the form's order, unknown fields last.
    let all = json!({ "title": "x", "summary": "", "link": "mailto:a@b", "participants": -3, "source": 7, "zeta": 1, "alpha": 2 });
    assert_eq!(fields(&h.contribute("report", all)), ["title", "summary", "link", "participants", "source", "alpha", "zeta"]);
    assert_eq!(error(&h.contribute("vote", report("Villaluz"))).0, "kind");
    assert!(h.results().unwrap().sections.len() == 2 && rows_of(&h.results().unwrap(), 1).is_empty(), "nothing rejected was stored");
}

#[test]
fn unknown_fields_are_named_within_limits() {
    let mut h = harness();
    let mut body = report("Villaluz");
    for i in 0..50 {
        body[format!("extra-{i:02}-{}", "x".repeat(100))] = json!(i);
    }
    let verdict = h.contribute("report", body);
    let names = fields(&verdict);
    assert_eq!(names.len(), 10, "at most ten unknown fields named");
    assert!(names.iter().all(|n| n.chars().count() == 64 && n.starts_with("extra-")), "{names:?}");
}

#[test]
fn results_count_the_reports_and_list_the_latest_version_of_each() {
    let mut h = harness();
    let empty = h.results().unwrap();
    assert_eq!(text_of(&empty, 0).get("en"), Some("No reports from linked processes yet."));
    assert!(rows_of(&empty, 1).is_empty());

    let villaluz =
        json!({ "title": "Villaluz: outcome", "summary": "Draft.", "source": "Villaluz AI roundtables (convene.villaluz.example)", "participants": 100 });
    assert!(h.contribute_as("report", villaluz, &remote("villaluz")).is_accepted());
    let costa = json!({ "title": "Costa Norte: what we heard", "summary": "…", "link": "https://convene.costanorte.example/o/1",
        "source": "Costa Norte roundtables (convene.costanorte.example)" });
    assert!(h.contribute_as("report", costa, &remote("costa")).is_accepted());
    // Entered by hand, with no source and no count.
    assert!(h.contribute_via("report", json!({ "title": "Letter from the Lindenport youth council", "summary": "…" }), Channel::Paper).is_accepted());
    // Villaluz revises its outcome: a new title, the same source (its case and spacing aside).
    let revised = json!({ "title": "Villaluz: final outcome", "summary": "Final.", "source": "villaluz AI roundtables  (convene.villaluz.example)",
        "participants": 120, "link": "https://convene.villaluz.example/processes/ai/outcome" });
    assert!(h.contribute_as("report", revised, &remote("villaluz")).is_accepted());
    // Another sender claiming Villaluz's source does not replace Villaluz's report.
    let other = json!({ "title": "Villaluz (copy)", "summary": "…", "source": "Villaluz AI roundtables (convene.villaluz.example)", "participants": 5 });
    assert!(h.contribute_as("report", other, &remote("someone-else")).is_accepted());

    let results = h.results().unwrap();
    let summary = text_of(&results, 0);
    assert_eq!(
        summary.get("en"),
        Some("4 reports from linked processes. People who took part, as the reports give it: 125. 1 earlier version was replaced by a newer one.")
    );
    assert_eq!(
        summary.get("es"),
        Some("4 informes de procesos vinculados. Personas que participaron, según los informes: 125. 1 versión anterior fue reemplazada por una más reciente.")
    );
    assert_eq!(
        summary.get("fr"),
        Some("4 rapports des processus liés. Personnes ayant participé, selon les rapports : 125. 1 version antérieure a été remplacée par une plus récente.")
    );
    match &results.sections[1] {
        Section::Table { title, columns, .. } => {
            assert_eq!(title.get("en"), Some("Reports"));
            let en: Vec<&str> = columns.iter().map(|c| c.get("en").unwrap()).collect();
            assert_eq!(en, ["Title", "Source", "People who took part", "Link"]);
            assert!(columns.iter().all(|c| c.get("es").is_some() && c.get("fr").is_some()));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        rows_of(&results, 1),
        vec![
            row(&[
                "Villaluz: final outcome",
                "villaluz AI roundtables (convene.villaluz.example)",
                "120",
                "https://convene.villaluz.example/processes/ai/outcome"
            ]),
            row(&["Costa Norte: what we heard", "Costa Norte roundtables (convene.costanorte.example)", "", "https://convene.costanorte.example/o/1"]),
            row(&["Letter from the Lindenport youth council", "", "", ""]),
            row(&["Villaluz (copy)", "Villaluz AI roundtables (convene.villaluz.example)", "5", ""]),
        ]
    );
}

#[test]
fn without_a_source_the_title_tells_reports_apart() {
    let mut h = harness();
    // One organiser typing in two different letters: two reports.
    let organiser = Submitter { id: "o1".into(), role: SubmitterRole::Organiser, channel: Channel::Online };
    assert!(h.contribute_as("report", json!({ "title": "Letter one", "summary": "a", "participants": 1 }), &organiser).is_accepted());
    assert!(h.contribute_as("report", json!({ "title": "Letter two", "summary": "b" }), &organiser).is_accepted());
    assert!(h.contribute_as("report", json!({ "title": "LETTER ONE", "summary": "a, corrected", "participants": 2 }), &organiser).is_accepted());
    let results = h.results().unwrap();
    assert_eq!(
        text_of(&results, 0).get("en"),
        Some("2 reports from linked processes. People who took part, as the reports give it: 2. 1 earlier version was replaced by a newer one.")
    );
    assert_eq!(rows_of(&results, 1), vec![row(&["LETTER ONE", "", "2", ""]), row(&["Letter two", "", "", ""])]);
}

#[test]
fn describe_declares_one_remote_report_kind_with_its_fields() {
    let info = LinkedReports::describe();
    assert_eq!((info.id.as_str(), info.version.as_str()), ("org.convene.linked-reports", "0.1.0"));
    assert_eq!(info.name.get("en"), Some("Reports from linked processes"));
    assert_eq!(info.name.get("es"), Some("Informes de procesos vinculados"));
    assert_eq!(info.name.get("fr"), Some("Rapports des processus liés"));
    assert!(["en", "es", "fr"].iter().all(|l| info.description.get(l).is_some()));
    assert!(info.config_fields.is_empty());
    assert_eq!(info.results.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["reports"]);
    let [kind] = info.contribution_kinds.as_slice() else { panic!("{:?}", info.contribution_kinds) };
    assert_eq!((kind.id.as_str(), kind.remote_allowed, kind.submitted_by.as_slice()), ("report", true, &[][..]));
    let shape: Vec<(&str, bool, FieldKind)> = kind.fields.iter().map(|f| (f.name.as_str(), f.required, f.kind.clone())).collect();
    assert_eq!(
        shape,
        vec![
            ("title", true, FieldKind::Text(TextLimits { min_length: 3, max_length: 200 })),
            ("summary", true, FieldKind::LongText(TextLimits { min_length: 1, max_length: 20_000 })),
            ("link", false, FieldKind::Text(TextLimits { min_length: 0, max_length: 2_000 })),
            ("participants", false, FieldKind::Number(NumberLimits { min: Some(0.0), max: Some(1_000_000.0), integer: true })),
            ("source", false, FieldKind::Text(TextLimits { min_length: 0, max_length: 200 })),
        ]
    );
    assert!(kind.fields.iter().all(|f| ["en", "es", "fr"].iter().all(|l| f.label.get(l).is_some())), "labels in three languages");
    // The form is the declared one; no configuration is needed, and none other is taken.
    assert_eq!(harness().form("report").unwrap(), kind.fields);
    assert_eq!(harness().form("vote").err().unwrap()[0].field, "kind");
    assert_eq!(convene_sdk::check_config::<LinkedReports>("{}").unwrap().1, "{}");
    assert!(Harness::<LinkedReports>::new(json!({ "sources": ["x"] })).is_err());
}

#[test]
fn odd_input_is_refused_never_a_panic() {
    let mut h = harness();
    let odd = [
        json!([]),
        json!(7),
        json!({}),
        json!({ "title": null, "summary": null }),
        json!({ "title": { "en": "x" }, "summary": ["x"], "link": 5, "participants": true, "source": [] }),
        json!({ "title": "ñ", "summary": "ok", "link": "httpś://x" }),
        json!({ "title": "ok!", "summary": "ok", "link": "https://é\u{a0}x" }),
        json!({ "title": "ok!", "summary": "ok", "participants": -1e308 }),
        json!({ "title": "ok!", "summary": "ok", "link": "http://\u{1}" }),
    ];
    for body in &odd {
        let verdict = h.contribute_as("report", body.clone(), &remote("r1"));
        assert!(!verdict.is_accepted(), "{body} {verdict:?}");
        assert!(!verdict.errors().is_empty());
    }
    assert!(h.results().is_ok());
}

/// As a linked process's instance sends its outcome: one report per published version, the
/// version in the title, the same source each time.
#[test]
fn each_outcome_version_a_linked_process_sends_replaces_the_last() {
    let mut h = harness();
    let version = |v: u32, summary: &str| {
        json!({ "title": format!("What we heard (v{v})"), "summary": summary,
                "link": "http://town.localhost:8081/processes/ai-roundtables/outcome", "source": "AI roundtables (town.localhost:8081)" })
    };
    assert!(h.contribute_as("report", version(1, "Key findings\n\nPeople want a register."), &remote("town")).is_accepted());
    assert!(h.contribute_as("report", version(2, "Key findings\n\nPeople want a public register."), &remote("town")).is_accepted());
    let results = h.results().unwrap();
    assert_eq!(text_of(&results, 0).get("en"), Some("1 report from linked processes. 1 earlier version was replaced by a newer one."));
    assert_eq!(
        rows_of(&results, 1),
        vec![row(&["What we heard (v2)", "AI roundtables (town.localhost:8081)", "", "http://town.localhost:8081/processes/ai-roundtables/outcome"])]
    );
}
