use convene_sdk::testing::{Harness, with_host};
use convene_sdk::{Activity, Channel, Contribution, FieldKind, Section, Submitter, SubmitterRole, Validation, Value, json};

use super::OversightGroup;
use crate::dates::{Date, civil_from_days, days_from_civil};

fn config() -> Value {
    json!({
        "agency": { "en": "Municipal Transport Authority", "es": "Autoridad Municipal de Transporte" },
        "subject": { "en": "Procurement 2027/14: automated fare-evasion detection" },
        "answer_days": 20
    })
}

fn group() -> Harness<OversightGroup> {
    Harness::new(config()).unwrap()
}

fn by(id: &str, role: SubmitterRole, channel: Channel) -> Submitter {
    Submitter { id: id.into(), role, channel }
}

fn facilitator(id: &str) -> Submitter {
    by(id, SubmitterRole::Facilitator, Channel::Online)
}

fn today_is(date: &str) {
    with_host(|h| h.now = format!("{date}T09:30:00Z"));
}

fn question(title: &str) -> Value {
    json!({ "title": title, "text": format!("{title}: please explain in full.") })
}

fn question_on(title: &str, asked_on: &str) -> Value {
    json!({ "title": title, "text": "Please explain in full.", "asked_on": asked_on })
}

fn body(v: &Validation) -> Value {
    match v {
        Validation::Accepted(body) => body.clone(),
        Validation::Rejected(errors) => panic!("rejected: {errors:?}"),
    }
}

fn fields(v: &Validation) -> Vec<String> {
    v.errors().into_iter().map(|e| e.field).collect()
}

/// Takes a contribution out of the fake host's list, as the host does with a withdrawn or
/// hidden one, and with one being edited while it is validated again.
fn take_out(kind: &str, key: &str, value: &str) -> Contribution {
    with_host(|h| {
        let i = h.contributions.iter().position(|c| c.kind == kind && c.body.get(key).and_then(Value::as_str) == Some(value)).expect("stored");
        h.contributions.remove(i)
    })
}

fn answer(number: &str) -> Value {
    json!({ "question": number, "text": "The model was tested on 2026 data; the report is linked.", "documents": ["https://mta.example.org/dpia.pdf"] })
}

#[test]
fn config_errors_name_their_paths() {
    let errors = Harness::<OversightGroup>::new(json!({
        "agency": {}, "subject": { "en": "  ", "x": "y" }, "answer_days": 0, "description": { "en": "a".repeat(5_001) }
    }))
    .err()
    .unwrap();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["agency", "subject.en", "subject", "answer_days", "description.en"]);
    assert_eq!(errors[3].problem, "must be 1 to 365 days");

    let missing = Harness::<OversightGroup>::new(json!({ "answer_days": 366 })).err().unwrap();
    assert_eq!(missing.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["agency", "subject", "answer_days"]);

    let unknown = Harness::<OversightGroup>::new(json!({ "agency": { "en": "A" }, "subject": { "en": "S" }, "deadline": 3 })).err().unwrap();
    assert_eq!(unknown[0].field, "config");
    assert!(unknown[0].problem.contains("deadline"), "{unknown:?}");

    assert!(Harness::<OversightGroup>::new(json!({ "agency": { "en": "A" }, "subject": { "pt-BR": "S" }, "answer_days": 365 })).is_ok());
}

#[test]
fn answers_are_due_twenty_days_after_asking_by_default() {
    let mut h = Harness::<OversightGroup>::new(json!({ "agency": { "en": "MTA" }, "subject": { "en": "Fare-evasion detection" } })).unwrap();
    assert_eq!(h.config().answer_days, 20);
    let q = body(&h.contribute("question", question("Who trained the model?")));
    assert_eq!(
        q,
        json!({ "number": "Q-1", "title": "Who trained the model?", "text": "Who trained the model?: please explain in full.", "asked_on": "2027-01-15", "due_on": "2027-02-04" })
    );
}

#[test]
fn questions_are_numbered_in_order_and_numbers_are_never_reused() {
    let mut h = group();
    for (i, title) in ["First question", "Second question", "Third question"].iter().enumerate() {
        let who = Submitter::participant(&format!("p{i}"));
        assert_eq!(body(&h.contribute_as("question", question(title), &who))["number"], format!("Q-{}", i + 1));
    }
    // Q-3 is withdrawn: its number stays retired, so a report citing it keeps its meaning.
    take_out("question", "number", "Q-3");
    assert_eq!(body(&h.contribute("question", question("Fourth question")))["number"], "Q-4");
    // Even if the counter were lost, numbering carries on past the highest visible number.
    with_host(|h| h.kv.remove("questions:last-number"));
    assert_eq!(body(&h.contribute("question", question("Fifth question")))["number"], "Q-5");
}

#[test]
fn an_edit_keeps_its_number_and_date_only_for_its_asker() {
    let mut h = group();
    let first = body(&h.contribute("question", question("Is there a human review?")));
    assert!(h.contribute_as("question", question("Which data is used?"), &Submitter::participant("p2")).is_accepted());
    today_is("2027-01-20");

    // The edit sends back the stored body (number, dates), changed: it keeps Q-1 and its date.
    take_out("question", "number", "Q-1");
    let mut edited = first.clone();
    edited["text"] = json!("Is there a human review before any fine?");
    let kept = body(&h.contribute("question", edited));
    assert_eq!((kept["number"].as_str(), kept["asked_on"].as_str(), kept["due_on"].as_str()), (Some("Q-1"), Some("2027-01-15"), Some("2027-02-04")));

    // Someone else cannot take a retired number, nor a visible one.
    take_out("question", "number", "Q-1");
    let stolen = h.contribute_as("question", json!({ "number": "Q-1", "title": "Mine now", "text": "x" }), &Submitter::participant("p3"));
    assert!(stolen.errors()[0].problem.starts_with("no question of yours is numbered Q-1"), "{stolen:?}");
    let taken = h.contribute("question", json!({ "number": "Q-2", "title": "Mine now", "text": "x" }));
    assert_eq!(taken.errors()[0].problem, "Q-2 is another question; leave the number out to ask a new question");
    assert_eq!(fields(&h.contribute("question", json!({ "number": "three", "title": "Mine now", "text": "x" }))), ["number"]);

    // Once answered, a question no longer changes.
    assert!(h.contribute_as("answer", answer("Q-2"), &facilitator("liaison")).is_accepted());
    take_out("question", "number", "Q-2");
    let late = h.contribute_as("question", json!({ "number": "Q-2", "title": "Changed after the answer", "text": "x" }), &Submitter::participant("p2"));
    assert!(late.errors()[0].problem.contains("has been answered"), "{late:?}");
}

#[test]
fn only_facilitators_organisers_and_offline_questions_may_be_dated_earlier() {
    let mut h = group(); // today: 2027-01-15
    let online = h.contribute("question", question_on("Backdated online", "2027-01-10"));
    assert_eq!(fields(&online), ["asked_on"]);
    assert!(online.errors()[0].problem.starts_with("only facilitators and organisers"), "{online:?}");
    assert_eq!(body(&h.contribute("question", question_on("Today, said out loud", "2027-01-15")))["asked_on"], "2027-01-15");
    assert_eq!(body(&h.contribute("question", json!({ "title": "Empty date from a form", "text": "x", "asked_on": "" })))["asked_on"], "2027-01-15");

    for channel in [Channel::Paper, Channel::Phone, Channel::InPerson] {
        assert_eq!(body(&h.contribute_via("question", question_on("From a letter", "2027-01-10"), channel))["asked_on"], "2027-01-10");
    }
    assert_eq!(fields(&h.contribute_via("question", question_on("From another instance", "2027-01-10"), Channel::Federated)), ["asked_on"]);

    let letter = body(&h.contribute_as("question", question_on("The group's letter of last year", "2026-01-15"), &facilitator("f1")));
    assert_eq!((letter["asked_on"].as_str(), letter["due_on"].as_str()), (Some("2026-01-15"), Some("2026-02-04")));
    let organiser = by("o1", SubmitterRole::Organiser, Channel::Online);
    let too_old = h.contribute_as("question", question_on("Too old", "2026-01-14"), &organiser);
    assert_eq!(too_old.errors()[0].problem, "cannot be more than 365 days before today (2027-01-15)");
    let future = h.contribute_as("question", question_on("Tomorrow", "2027-01-16"), &organiser);
    assert_eq!(future.errors()[0].problem, "cannot be after today (2027-01-15)");
    for bad in [json!("2027-02-29"), json!("15/01/2027"), json!("2027-1-5"), json!(20270115)] {
        let v = h.contribute_as("question", json!({ "title": "Bad date", "text": "x", "asked_on": bad }), &organiser);
        assert_eq!(fields(&v), ["asked_on"], "{bad}");
    }
}

#[test]
fn due_dates_cross_month_ends_year_ends_and_leap_days() {
    let mut h = group();
    today_is("2028-12-31");
    let f = facilitator("f1");
    for (asked, due) in
        [("2028-02-10", "2028-03-01"), ("2028-02-09", "2028-02-29"), ("2028-01-31", "2028-02-20"), ("2028-12-20", "2029-01-09"), ("2028-12-31", "2029-01-20")]
    {
        assert_eq!(body(&h.contribute_as("question", question_on("Dated", asked), &f))["due_on"], due, "asked {asked}");
    }
    let d = |s: &str| Date::parse(s).unwrap();
    assert_eq!(d("2027-02-10").plus_days(20).to_string(), "2027-03-02", "no 29 February in 2027");
    assert_eq!(d("2028-03-01").days_since(d("2028-02-28")), 2);
    assert_eq!(d("2027-03-01").days_since(d("2027-02-28")), 1);
    assert_eq!(d("2100-03-01").days_since(d("2100-02-28")), 1, "2100 is not a leap year");
    assert_eq!(d("2000-03-01").days_since(d("2000-02-28")), 2, "2000 is");
    assert_eq!(d("1970-01-01"), Date(0));
    for bad in ["2027-02-29", "1900-02-29", "2027-04-31", "2027-13-01", "0000-01-01", "2027-01-15x", "2027-01-1", "20é7-01-15", "2é-01-151", ""] {
        assert_eq!(Date::parse(bad), None, "{bad}");
    }
    // Every day from 1900 to 2100 formats and parses back, one day after the other.
    let (start, end) = (days_from_civil(1900, 1, 1), days_from_civil(2100, 12, 31));
    for day in start..=end {
        assert_eq!(Date::parse(&Date(day).to_string()), Some(Date(day)));
        let (y, m, dd) = civil_from_days(day);
        assert_eq!(days_from_civil(y, m, dd), day);
    }
}

#[test]
fn an_answer_needs_an_existing_question_comes_once_and_tells_the_asker() {
    let mut h = group();
    let liaison = facilitator("liaison");
    assert_eq!(h.contribute_as("answer", answer("Q-9"), &liaison).errors()[0].problem, "there is no question Q-9 in this oversight group");
    assert_eq!(fields(&h.contribute_as("answer", answer("nine"), &liaison)), ["question"]);
    assert!(h.contribute("question", question("Who audits the system?")).is_accepted());

    let bad = h.contribute_as(
        "answer",
        json!({ "question": "Q-1", "text": " ", "documents": ["http://insecure.example.org", "https://ok.example.org/a.pdf"] }),
        &liaison,
    );
    assert_eq!(fields(&bad), ["text", "documents[0]"]);

    let first = body(&h.contribute_as("answer", answer("q1"), &liaison));
    assert_eq!(first["question"], "Q-1");
    assert_eq!(first["answered_on"], "2027-01-15");
    assert_eq!(first.get("revised_on"), None);
    with_host(|host| {
        assert_eq!(host.notifications.len(), 1);
        let (to, subject, text) = &host.notifications[0];
        assert_eq!(to, "p1", "the asker's pseudonym");
        assert_eq!(subject.get("en"), Some("Your question Q-1 has been answered"));
        assert!(text.get("en").unwrap().starts_with("Municipal Transport Authority has answered your question Q-1, “Who audits the system?”"));
    });
    let twice = h.contribute_as("answer", answer("Q-1"), &by("o1", SubmitterRole::Organiser, Channel::Online));
    assert_eq!(twice.errors()[0].problem, "Q-1 has already been answered; to correct the answer, edit it");

    // A correction (an edit, left out of the list) keeps the date of record and shows the revision.
    today_is("2027-01-20");
    take_out("answer", "question", "Q-1");
    let corrected = body(&h.contribute_as("answer", json!({ "question": "Q-1", "text": "Corrected.", "documents": "https://a.example.org/1.pdf\n\nhttps://a.example.org/2.pdf", "withheld": "Bid prices, while bids are evaluated." }), &liaison));
    assert_eq!((corrected["answered_on"].as_str(), corrected["revised_on"].as_str()), (Some("2027-01-15"), Some("2027-01-20")));
    assert_eq!(corrected["documents"], json!(["https://a.example.org/1.pdf", "https://a.example.org/2.pdf"]));
    with_host(|host| assert_eq!(host.notifications[1].1.get("en"), Some("The answer to your question Q-1 has been corrected")));

    // Nobody is told about their own question.
    assert!(h.contribute_as("question", question("Asked by the liaison"), &liaison).is_accepted());
    assert!(h.contribute_as("answer", answer("Q-2"), &liaison).is_accepted());
    with_host(|host| assert_eq!(host.notifications.len(), 2));
}

#[test]
fn reports_cite_questions_that_exist_once_each() {
    let mut h = group();
    assert!(h.contribute("question", question("First question")).is_accepted());
    assert!(h.contribute("question", question("Second question")).is_accepted());
    let bad = h.contribute("report", json!({ "title": "Interim report", "summary": "So far.", "findings": ["One"], "questions": ["Q-1", "Q-7", "Q-1", 5] }));
    assert_eq!(fields(&bad), ["questions[1]", "questions[2]", "questions[3]"]);
    assert_eq!(bad.errors()[0].problem, "there is no question Q-7 in this oversight group");
    assert_eq!(bad.errors()[1].problem, "Q-1 is listed twice");
    let empty = h.contribute("report", json!({ "title": "No", "summary": "", "findings": [], "recommendations": ["", "ok"] }));
    assert_eq!(fields(&empty), ["title", "summary", "findings", "recommendations[0]"]);

    let from_a_form =
        json!({ "title": "Interim report", "summary": "So far.", "findings": "Answers come late\n\nBias tests are missing", "questions": "Q-2, q1" });
    assert_eq!(
        body(&h.contribute("report", from_a_form)),
        json!({ "title": "Interim report", "summary": "So far.", "findings": ["Answers come late", "Bias tests are missing"], "recommendations": [], "questions": ["Q-2", "Q-1"] })
    );
}

fn status_column(h: &Harness<OversightGroup>) -> Vec<String> {
    match &h.results().unwrap().sections[2] {
        Section::Table { rows, .. } => rows.iter().map(|r| r[4].clone()).collect(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn results_count_on_time_late_open_and_overdue_questions() {
    let mut h = group();
    let f = facilitator("liaison");
    // Recorded on 2027-01-15: two letters from December, one from last week, one asked today.
    assert!(h.contribute_as("question", question_on("Who trained the model?", "2026-12-01"), &f).is_accepted()); // due 2026-12-21
    assert!(h.contribute_as("question", question_on("Which data is kept?", "2026-12-10"), &f).is_accepted()); // due 2026-12-30
    assert!(h.contribute_as("question", question_on("Is there a human review?", "2027-01-10"), &f).is_accepted()); // due 2027-01-30
    assert!(h.contribute("question", question("What does it cost?")).is_accepted()); // due 2027-02-04
    assert!(h.contribute_as("answer", answer("Q-1"), &f).is_accepted()); // 25 days late
    assert!(h.contribute_as("answer", answer("Q-3"), &f).is_accepted()); // on time
    today_is("2027-02-01");

    let results = h.results().unwrap();
    assert_eq!(results.sections.len(), 5);
    match &results.sections[0] {
        Section::Text { title, body } => {
            assert_eq!(title.get("en"), Some("Summary"));
            assert_eq!(
                body.get("en").unwrap(),
                "Questions to Municipal Transport Authority about Procurement 2027/14: automated fare-evasion detection.\n\n\
                 4 questions asked: 1 answered on time, 1 answered late, 1 open and not yet due, 1 overdue. Answers are due 20 days after a question is asked."
            );
            assert!(body.get("es").unwrap().starts_with("Preguntas a Autoridad Municipal de Transporte sobre Procurement 2027/14"));
        }
        other => panic!("{other:?}"),
    }
    match &results.sections[1] {
        Section::Chart { series, .. } => assert_eq!(series[0].values, vec![1.0, 1.0, 1.0, 1.0]),
        other => panic!("{other:?}"),
    }
    match &results.sections[2] {
        Section::Table { title, rows, .. } => {
            assert_eq!(title.get("en"), Some("Questions"));
            assert_eq!(rows[0], ["Q-1", "Who trained the model?", "2026-12-01", "2026-12-21", "answered late by 25 days", "2027-01-15"]);
            assert_eq!(rows[1], ["Q-2", "Which data is kept?", "2026-12-10", "2026-12-30", "OVERDUE by 33 days", ""]);
            assert_eq!(rows[2][4], "answered");
            assert_eq!(rows[3][4], "open");
        }
        other => panic!("{other:?}"),
    }
    match &results.sections[3] {
        Section::Text { title, body } => {
            assert_eq!(title.get("en"), Some("Answers"));
            let en = body.get("en").unwrap();
            assert!(en.starts_with("Q-1 “Who trained the model?” (asked 2026-12-01, due 2026-12-21; answered 2027-01-15, 25 days late)\nQuestion: "), "{en}");
            assert!(en.contains("\n\nQ-3 “Is there a human review?” (asked 2027-01-10, due 2027-01-30; answered 2027-01-15)\n"), "{en}");
            assert!(en.contains("Documents: https://mta.example.org/dpia.pdf"));
        }
        other => panic!("{other:?}"),
    }
    match &results.sections[4] {
        Section::Text { title, body } => assert_eq!((title.get("en"), body.get("en")), (Some("Reports"), Some("The group has not published a report yet."))),
        other => panic!("{other:?}"),
    }

    // Time moves on: the open question falls due, the overdue one grows older.
    today_is("2027-02-05");
    assert_eq!(status_column(&h), ["answered late by 25 days", "OVERDUE by 37 days", "answered", "OVERDUE by 1 day"]);
    // A late answer stays late.
    assert!(h.contribute_as("answer", answer("Q-2"), &f).is_accepted());
    assert_eq!(status_column(&h)[1], "answered late by 37 days");

    let report = json!({ "title": "First report", "summary": "The agency answers late.", "findings": ["Two of four answers were late"], "recommendations": ["Answer within 20 days"], "questions": ["Q-2"] });
    assert!(h.contribute("report", report).is_accepted());
    match h.results().unwrap().sections.last().unwrap() {
        Section::Text { title, body } => {
            assert_eq!(title.get("en"), Some("Report: First report"));
            assert_eq!(
                body.get("en").unwrap(),
                "Published 2027-02-05.\n\nThe agency answers late.\n\nFindings:\n1. Two of four answers were late\n\nRecommendations:\n1. Answer within 20 days\n\nDraws on questions: Q-2."
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn forms_offer_the_questions_asked_so_far() {
    let mut h = group();
    assert!(matches!(h.form("answer").unwrap()[0].kind, FieldKind::Text(_)), "nothing to choose from yet");
    assert!(h.contribute("question", question("First question")).is_accepted());
    assert!(h.contribute("question", question("Second question")).is_accepted());
    match &h.form("answer").unwrap()[0].kind {
        FieldKind::SingleChoice(choices) => {
            assert_eq!(choices.iter().map(|c| c.value.as_str()).collect::<Vec<_>>(), ["Q-1", "Q-2"]);
            assert_eq!(choices[1].label.get("en"), Some("Q-2: Second question"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(&h.form("report").unwrap().last().unwrap().kind, FieldKind::MultipleChoice(l) if l.choices.len() == 2 && l.max_selected == 2));
    assert_eq!(h.form("question").unwrap().iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["title", "text", "asked_on"]);
    assert_eq!(h.form("vote").err().unwrap()[0].field, "kind");
}

#[test]
fn describe_says_who_submits_each_kind() {
    let info = OversightGroup::describe();
    assert_eq!((info.id.as_str(), info.version.as_str()), ("org.convene.oversight-group", "0.1.0"));
    let roles = |kind: &str| info.contribution_kinds.iter().find(|k| k.id == kind).unwrap().submitted_by.clone();
    assert_eq!(roles("answer"), [SubmitterRole::Facilitator, SubmitterRole::Organiser]);
    assert!(roles("question").contains(&SubmitterRole::Participant));
    assert!(roles("report").contains(&SubmitterRole::Participant));
}

#[test]
fn no_input_makes_it_panic() {
    let mut h = group();
    assert!(h.contribute("question", question("A real question")).is_accepted());
    let junk = [
        json!(null),
        json!(5),
        json!("text"),
        json!([]),
        json!({}),
        json!({ "title": 5, "text": [1], "asked_on": {}, "number": 7, "question": {}, "documents": 3, "withheld": [], "findings": { "a": 1 }, "recommendations": 2, "questions": true, "summary": null }),
        json!({ "title": "x".repeat(100_000), "text": "y", "number": "Q-99999999999999999999", "asked_on": "9999-12-31" }),
        json!({ "title": "Fine title", "text": "y", "asked_on": "0001-01-01", "number": "Q-0", "question": "Q-", "documents": ["https://", "https://a b"], "questions": ["", "Q--1"] }),
        json!({ "question": "Q-1", "text": "ok", "findings": [null], "documents": [[]], "withheld": "w".repeat(6_000) }),
    ];
    for kind in ["question", "answer", "report", "nonsense"] {
        for body in &junk {
            for who in [Submitter::participant("p9"), facilitator("f9")] {
                assert!(!h.contribute_as(kind, body.clone(), &who).is_accepted(), "{kind} {body}");
            }
        }
    }
    // Bodies this plugin never wrote, and a clock it cannot read, are not a panic either.
    with_host(|host| {
        for (kind, body) in [("question", json!({ "number": "Q-1" })), ("answer", json!(7)), ("report", json!({ "title": [] })), ("other", json!(null))] {
            let mut c = host.contributions[0].clone();
            c.kind = kind.into();
            c.body = body;
            c.created_at = "yesterday".into();
            host.contributions.push(c);
        }
    });
    assert!(h.results().is_ok());
    with_host(|host| host.now = "soon".into());
    assert_eq!(fields(&h.contribute("question", question("Clockless"))), [""]);
    assert!(h.results().unwrap_err().contains("soon"));
}

#[test]
fn the_due_day_itself_is_still_on_time() {
    let mut h = group();
    assert!(h.contribute("question", question("Asked on the 15th")).is_accepted()); // due 2027-02-04
    today_is("2027-02-04");
    assert_eq!(status_column(&h), ["open"]);
    assert!(h.contribute_as("answer", answer("Q-1"), &facilitator("liaison")).is_accepted());
    today_is("2027-03-01");
    assert_eq!(status_column(&h), ["answered"]);
}
