use convene_sdk::{Section, json};

use crate::sections::{dissent_table, recommendations_table};
use crate::when::{Date, valid_time};
use crate::{Report, merge_recommendations};

fn report(recommendations: &[&str]) -> Report {
    Report::parse(&json!({ "attendance": 5, "key_points": ["k"], "recommendations": recommendations })).unwrap()
}

#[test]
fn recommendations_merge_across_meetings_ignoring_case_and_spacing_once_per_meeting() {
    let a = report(&["Publish an algorithm register", "publish an  algorithm REGISTER", "Train staff"]);
    let b = report(&["  publish an algorithm register "]);
    let merged = merge_recommendations([&a, &b].into_iter());
    assert_eq!(merged, vec![("Publish an algorithm register".to_string(), 2), ("Train staff".to_string(), 1)]);
    match recommendations_table([&a, &b].into_iter()) {
        Section::Table { rows, .. } => assert_eq!(rows[0], vec!["Publish an algorithm register".to_string(), "2".to_string()]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn dissent_is_listed_with_its_meeting_in_its_own_words() {
    let r = Report::parse(&json!({ "attendance": 5, "key_points": ["k"], "dissent": ["No AI in policing", "Not yet"] })).unwrap();
    match dissent_table([("M-2", &r)].into_iter()) {
        Section::Table { rows, .. } => {
            assert_eq!(rows, vec![vec!["M-2".to_string(), "No AI in policing".to_string()], vec!["M-2".to_string(), "Not yet".to_string()]])
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn lists_come_as_lists_or_as_text_with_one_item_per_line() {
    // What the host's form sends for a long text field labelled "one per line".
    let r = Report::parse(&json!({ "attendance": 12, "key_points": "Buses first\r\n\n  Publish the register  \n", "recommendations": "" })).unwrap();
    assert_eq!(r.key_points, vec!["Buses first".to_string(), "Publish the register".to_string()]);
    assert!(r.recommendations.is_empty());
    let errors = Report::parse(&json!({ "attendance": 12, "key_points": " \n " })).unwrap_err();
    assert_eq!(errors[0].field, "key_points", "{errors:?}");
    assert_eq!(Report::parse(&json!({ "attendance": 1, "key_points": 3 })).unwrap_err()[0].field, "key_points");
}

#[test]
fn reports_never_panic_on_odd_bodies() {
    for body in [
        json!(null),
        json!([]),
        json!("x"),
        json!({ "attendance": -1 }),
        json!({ "attendance": 1e30, "key_points": [null] }),
        json!({ "demographics": [1], "key_points": "x" }),
        json!({ "attendance": 3, "key_points": "" }),
    ] {
        assert!(Report::parse(&body).is_err(), "{body}");
    }
}

#[test]
fn dates_are_real_days_and_count_across_months_and_years() {
    assert_eq!(Date::parse("2028-02-29").map(|d| d.to_string()).as_deref(), Some("2028-02-29"));
    for bad in ["2027-02-29", "2027-04-31", "2027-13-01", "2027-1-01", "27-01-01", "2027-01-01-", "+027-01-01", "２０２７-01-01", ""] {
        assert_eq!(Date::parse(bad), None, "{bad}");
    }
    assert_eq!(Date::parse("1970-01-01").unwrap().day_number(), 0);
    assert_eq!(Date::parse("2027-12-25").unwrap().plus_days(14).to_string(), "2028-01-08");
    assert_eq!(Date::parse("2028-03-01").unwrap().plus_days(-1).to_string(), "2028-02-29");
    for n in [-800_000, -1, 0, 1, 59, 60, 20_000, 2_000_000] {
        assert_eq!(Date::from_day_number(n).day_number(), n);
    }
    assert_eq!(Date::of_timestamp("2027-03-04T23:30:00-03:00"), Date::parse("2027-03-04"));
    assert_eq!(Date::of_timestamp("2027-03-0é"), None);
}

#[test]
fn times_are_two_digit_24_hour() {
    assert!(valid_time("00:00") && valid_time("18:30") && valid_time("23:59"));
    for bad in ["24:00", "9:30", "+9:30", "18:5", "18:60", "1830", ""] {
        assert!(!valid_time(bad), "{bad}");
    }
}
