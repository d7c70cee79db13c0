//! The durable job queue: emails queued while the mail server refuses them survive a crash
//! of the server (SIGKILL, nothing flushed) and are each delivered exactly once after it
//! comes back.

use std::time::{Duration, Instant};

use convene_e2e::flows::{add_activity, admin_token, contribute, published_process, user_token};
use convene_e2e::{TestApp, expect_json};
use serde_json::json;

const AUTHORS: usize = 12;

#[tokio::test]
async fn queued_emails_survive_a_crash_and_arrive_exactly_once() {
    let mut app = TestApp::builder().with_metrics().spawn().await;
    let admin = admin_token(&app, "admin@example.org").await;
    published_process(&app, &admin, "national-ai").await;
    let activity = json!({ "type": "org.convene.consultation", "title": { "en": "Consultation" },
        "config": { "questions": [ { "id": "q", "type": "free_text", "required": true, "text": { "en": "Your view?" } } ] } });
    let activity = add_activity(&app, &admin, "national-ai", &activity).await;
    let mut ids = Vec::new();
    for i in 0..AUTHORS {
        let token = user_token(&app, &format!("person{i}@example.org")).await;
        let body = json!({ "kind": "response", "body": { "answers": { "q": format!("View number {i}") } } });
        ids.push(expect_json(contribute(&app, &token, activity["id"].as_str().unwrap(), &body).await, 201).await["id"].clone());
    }

    // The mail server is down when the organisers respond to everyone at once.
    app.smtp.refuse_mail(true);
    let body = json!({ "contribution_ids": ids, "disposition": "noted", "explanation": { "en": "Read and summarised in the synthesis report." } });
    expect_json(app.post_json("/api/v1/processes/national-ai/responses", &body).bearer_auth(&admin).send().await.unwrap(), 201).await;
    // Wait until the worker has tried and failed, so the emails are mid-queue.
    let started = Instant::now();
    loop {
        let metrics = app.metrics().await;
        if metrics.lines().any(|l| l.starts_with("convene_job_failures_total") && l.contains("email")) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "no email job failed:\n{metrics}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Crash, the mail server recovers, the server comes back.
    app.stop().await;
    app.smtp.refuse_mail(false);
    app.restart().await;

    let is_response = |m: &convene_e2e::ReceivedMail| m.subject.contains("a response to your input");
    let deadline = Instant::now() + Duration::from_secs(40);
    while app.smtp.messages().iter().filter(|m| is_response(m)).count() < AUTHORS {
        assert!(Instant::now() < deadline, "only {} of {AUTHORS} emails arrived", app.smtp.messages().iter().filter(|m| is_response(m)).count());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Give any duplicate time to show up, then count per person.
    tokio::time::sleep(Duration::from_secs(3)).await;
    for i in 0..AUTHORS {
        let to = format!("person{i}@example.org");
        let n = app.smtp.messages_to(&to).iter().filter(|m| is_response(m)).count();
        assert_eq!(n, 1, "{to} got {n} response emails");
    }
    let metrics = app.metrics().await;
    assert!(metrics.lines().any(|l| l.starts_with("convene_jobs{status=\"pending\"} 0")), "the queue drained:\n{metrics}");
}
