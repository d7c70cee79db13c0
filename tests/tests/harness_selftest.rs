//! Tests of the harness itself, without the server: the SMTP sink driven by a raw SMTP client
//! written here (so a bug in the sink cannot hide behind the same bug in a shared client), and
//! the per-test database.

use std::time::Duration;

use convene_e2e::{DbKind, SmtpSink, TestDb};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

const WAIT: Duration = Duration::from_secs(10);

/// Just enough of an SMTP client to drive the sink by hand.
struct Smtp {
    read: BufReader<OwnedReadHalf>,
    write: OwnedWriteHalf,
}

impl Smtp {
    /// Connects and checks the `220` greeting.
    async fn connect(sink: &SmtpSink) -> Smtp {
        let stream = TcpStream::connect(("127.0.0.1", sink.port())).await.unwrap();
        let (read, write) = stream.into_split();
        let mut smtp = Smtp { read: BufReader::new(read), write };
        let (code, _) = smtp.reply().await;
        assert_eq!(code, 220, "greeting");
        smtp
    }

    /// Reads one reply, single- or multi-line: its code and the text of each line.
    async fn reply(&mut self) -> (u16, Vec<String>) {
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            let n = self.read.read_line(&mut line).await.unwrap();
            assert!(n > 0, "the sink closed the connection in the middle of a reply");
            assert!(line.ends_with("\r\n"), "replies end in CRLF: {line:?}");
            let code: u16 = line[..3].parse().unwrap_or_else(|_| panic!("no reply code in {line:?}"));
            let more = line.as_bytes()[3] == b'-';
            lines.push(line[4..].trim_end().to_string());
            if !more {
                return (code, lines);
            }
        }
    }

    async fn send(&mut self, text: &str) {
        self.write.write_all(text.as_bytes()).await.unwrap();
    }

    /// Sends one command line and returns the reply's code.
    async fn cmd(&mut self, line: &str) -> u16 {
        self.send(&format!("{line}\r\n")).await;
        self.reply().await.0
    }

    /// One whole transaction; `message` uses CRLF line ends and is dot-stuffed here.
    async fn send_mail(&mut self, from: &str, to: &[&str], message: &str) {
        assert_eq!(self.cmd(&format!("MAIL FROM:<{from}> BODY=8BITMIME")).await, 250);
        for rcpt in to {
            assert_eq!(self.cmd(&format!("RCPT TO:<{rcpt}>")).await, 250);
        }
        assert_eq!(self.cmd("DATA").await, 354);
        self.send(&dot_stuff(message)).await;
        self.send(".\r\n").await;
        assert_eq!(self.reply().await.0, 250, "message accepted");
    }

    /// Sends QUIT, expects 221 and then the end of the connection.
    async fn quit(mut self) {
        assert_eq!(self.cmd("QUIT").await, 221);
        let mut rest = String::new();
        assert_eq!(self.read.read_line(&mut rest).await.unwrap(), 0, "the sink closes after QUIT");
    }
}

/// RFC 5321 4.5.2: a line starting with a dot gets another one.
fn dot_stuff(message: &str) -> String {
    message.split_inclusive("\r\n").map(|l| if l.starts_with('.') { format!(".{l}") } else { l.to_string() }).collect()
}

/// A quoted-printable message whose link is broken across a soft line break, with an
/// RFC 2047 subject, a lone-dot line and a line that starts with a dot.
const QP_MESSAGE: &str = "From: Convene <noreply@convene.test>\r\n\
To: ana@example.org\r\n\
Subject: =?UTF-8?Q?Your_sign-in_link_for_Cap=C3=ADtulo?=\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Hola Ana P=C3=A9rez,\r\n\
\r\n\
Sign in: http://127.0.0.1:8080/login/magic?token=3DAbC-123_x=\r\n\
yz.\r\n\
.\r\n\
.hidden line\r\n\
Or visit https://example.org/help for help.\r\n";

/// A multipart message with a base64 text part and an HTML part.
fn base64_message() -> String {
    // "Welcome, Łukasz!\nConfirm: https://convene.test/confirm?id=42\n" in base64.
    let text_b64 = "V2VsY29tZSwgxYF1a2FzeiEKQ29uZmlybTogaHR0cHM6Ly9jb252ZW5lLnRlc3QvY29uZmlybT9pZD00Mgo=";
    format!(
        "From: noreply@convene.test\r\n\
To: lukasz@example.org\r\n\
Subject: Welcome\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
{text_b64}\r\n\
--b1\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<p>Welcome, <b>friend</b></p>\r\n\
--b1--\r\n"
    )
}

#[tokio::test]
async fn a_session_speaks_what_lettre_needs_and_keeps_each_message() {
    let sink = SmtpSink::start().await;
    let mut smtp = Smtp::connect(&sink).await;

    smtp.send("EHLO client.test\r\n").await;
    let (code, lines) = smtp.reply().await;
    assert_eq!(code, 250);
    assert!(lines.len() > 1, "EHLO gets a multi-line reply: {lines:?}");
    assert!(lines.iter().any(|l| l == "8BITMIME"), "{lines:?}");
    assert!(lines.iter().any(|l| l == "SMTPUTF8"), "{lines:?}");

    smtp.send_mail("noreply@convene.test", &["ana@example.org", "copy@example.org"], QP_MESSAGE).await;
    // A second message on the same connection, after the usual housekeeping commands.
    assert_eq!(smtp.cmd("NOOP").await, 250);
    assert_eq!(smtp.cmd("RSET").await, 250);
    smtp.send_mail("noreply@convene.test", &["lukasz@example.org"], &base64_message()).await;
    // A transaction abandoned with RSET stores nothing.
    assert_eq!(smtp.cmd("MAIL FROM:<noreply@convene.test>").await, 250);
    assert_eq!(smtp.cmd("RCPT TO:<dropped@example.org>").await, 250);
    assert_eq!(smtp.cmd("RSET").await, 250);
    assert_eq!(smtp.cmd("VRFY ana").await, 502);
    assert_eq!(smtp.cmd("STARTTLS").await, 502);
    smtp.quit().await;

    let all = sink.wait_for_count(2, WAIT).await;
    assert_eq!(all.len(), 2);

    let qp = &all[0];
    assert_eq!(qp.from, "noreply@convene.test");
    assert_eq!(qp.to, ["ana@example.org", "copy@example.org"]);
    assert_eq!(qp.subject, "Your sign-in link for Capítulo");
    assert!(qp.text.contains("Hola Ana Pérez,"), "{:?}", qp.text);
    // Dot-stuffing undone: the lone dot and the leading dot are back as sent.
    assert!(qp.text.contains("\n.\n.hidden line\n"), "{:?}", qp.text);
    assert!(qp.raw.contains("\r\n.hidden line\r\n") && !qp.raw.contains("..hidden"), "{:?}", qp.raw);
    assert_eq!(qp.first_link_containing("/login/magic").as_deref(), Some("http://127.0.0.1:8080/login/magic?token=AbC-123_xyz"));
    assert_eq!(qp.first_link_containing("help").as_deref(), Some("https://example.org/help"));
    assert_eq!(qp.first_link_containing("/nowhere"), None);
    assert!(qp.html.is_none(), "a text-only message has no HTML body");

    let b64 = &all[1];
    assert_eq!(b64.to, ["lukasz@example.org"]);
    assert_eq!(b64.subject, "Welcome");
    assert!(b64.text.contains("Welcome, Łukasz!"), "{:?}", b64.text);
    assert_eq!(b64.first_link_containing("confirm").as_deref(), Some("https://convene.test/confirm?id=42"));
    assert!(b64.html.as_deref().unwrap().contains("<b>friend</b>"));

    assert_eq!(sink.wait_for_to("COPY@example.org", WAIT).await.subject, qp.subject, "recipients match case-insensitively");
    assert_eq!(sink.messages_to("lukasz@example.org").len(), 1);
    assert!(sink.messages_to("dropped@example.org").is_empty());
}

#[tokio::test]
async fn a_sink_with_a_directory_writes_each_message_there_as_json_before_accepting_it() {
    let dir = tempfile::tempdir().unwrap();
    let mail_dir = dir.path().join("mail");
    let sink = SmtpSink::start_writing_to(&mail_dir).await;
    assert_eq!(sink.dir(), Some(mail_dir.as_path()));
    let mut smtp = Smtp::connect(&sink).await;
    assert_eq!(smtp.cmd("EHLO client.test").await, 250);
    smtp.send_mail("noreply@convene.test", &["ana@example.org"], QP_MESSAGE).await;
    // The 250 came back: the first file is already there, whole.
    let first: serde_json::Value = serde_json::from_slice(&std::fs::read(mail_dir.join("000001.json")).unwrap()).unwrap();
    smtp.send_mail("noreply@convene.test", &["lukasz@example.org"], &base64_message()).await;
    smtp.quit().await;

    assert_eq!(first["seq"], 1);
    assert_eq!(first["from"], "noreply@convene.test");
    assert_eq!(first["to"], serde_json::json!(["ana@example.org"]));
    assert_eq!(first["subject"], "Your sign-in link for Capítulo");
    assert!(first["text"].as_str().unwrap().contains("Hola Ana Pérez,"));
    assert_eq!(first["html"], serde_json::Value::Null);
    assert_eq!(first["links"][0], "http://127.0.0.1:8080/login/magic?token=AbC-123_xyz");

    let second: serde_json::Value = serde_json::from_slice(&std::fs::read(mail_dir.join("000002.json")).unwrap()).unwrap();
    assert_eq!(second["seq"], 2);
    assert_eq!(second["subject"], "Welcome");
    assert!(second["html"].as_str().unwrap().contains("<b>friend</b>"));
    let mut names: Vec<String> = std::fs::read_dir(&mail_dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["000001.json", "000002.json"], "nothing else (no temporary files) is left in the directory");
    assert_eq!(sink.messages().len(), 2, "the messages are kept in memory as well");
}

#[tokio::test]
async fn commands_out_of_order_and_unknown_ones_are_refused() {
    let sink = SmtpSink::start().await;
    let mut smtp = Smtp::connect(&sink).await;
    assert_eq!(smtp.cmd("MAIL FROM:<a@example.org>").await, 503, "MAIL before the greeting");
    assert_eq!(smtp.cmd("HELO client.test").await, 250);
    assert_eq!(smtp.cmd("RCPT TO:<b@example.org>").await, 503, "RCPT before MAIL");
    assert_eq!(smtp.cmd("DATA").await, 503, "DATA before MAIL");
    assert_eq!(smtp.cmd("mail from:<a@example.org>").await, 250, "verbs are case-insensitive");
    assert_eq!(smtp.cmd("DATA").await, 503, "DATA before RCPT");
    assert_eq!(smtp.cmd("MAIL FROM:<a@example.org>").await, 503, "nested MAIL");
    assert_eq!(smtp.cmd("RCPT <b@example.org>").await, 501, "RCPT without TO:");
    assert_eq!(smtp.cmd("HELP").await, 502);
    assert_eq!(smtp.cmd("XYZZY plugh").await, 502);
    smtp.quit().await;
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn pipelined_commands_are_answered_in_order() {
    let sink = SmtpSink::start().await;
    let mut smtp = Smtp::connect(&sink).await;
    assert_eq!(smtp.cmd("EHLO client.test").await, 250);
    // Everything up to DATA in one write, as a pipelining client sends it.
    smtp.send("MAIL FROM:<p@convene.test>\r\nRCPT TO:<x@example.org>\r\nRCPT TO:<y@example.org>\r\nDATA\r\n").await;
    for expected in [250, 250, 250, 354] {
        assert_eq!(smtp.reply().await.0, expected);
    }
    smtp.send("Subject: piped\r\n\r\nbody\r\n.\r\nQUIT\r\n").await;
    assert_eq!(smtp.reply().await.0, 250);
    assert_eq!(smtp.reply().await.0, 221);
    let mail = sink.wait_for_to("y@example.org", WAIT).await;
    assert_eq!(mail.subject, "piped");
    assert_eq!(mail.text.trim(), "body");
}

#[tokio::test]
async fn many_connections_at_once_each_with_several_messages() {
    const CONNECTIONS: usize = 12;
    const PER_CONNECTION: usize = 4;
    let sink = SmtpSink::start().await;
    let mut clients = Vec::new();
    for c in 0..CONNECTIONS {
        let sink = sink.clone();
        clients.push(tokio::spawn(async move {
            let mut smtp = Smtp::connect(&sink).await;
            assert_eq!(smtp.cmd("EHLO client.test").await, 250);
            for m in 0..PER_CONNECTION {
                let to = format!("user{c}-{m}@example.org");
                let message = format!("Subject: message {c}-{m}\r\n\r\nhttps://convene.test/m/{c}/{m}\r\n");
                smtp.send_mail("noreply@convene.test", &[&to], &message).await;
            }
            smtp.quit().await;
        }));
    }
    for client in clients {
        client.await.unwrap();
    }
    let all = sink.wait_for_count(CONNECTIONS * PER_CONNECTION, WAIT).await;
    assert_eq!(all.len(), CONNECTIONS * PER_CONNECTION);
    for c in 0..CONNECTIONS {
        for m in 0..PER_CONNECTION {
            let mail = sink.wait_for_to(&format!("user{c}-{m}@example.org"), WAIT).await;
            assert_eq!(mail.subject, format!("message {c}-{m}"));
            assert_eq!(mail.first_link_containing("/m/").unwrap(), format!("https://convene.test/m/{c}/{m}"));
        }
    }
}

#[tokio::test]
async fn waiting_returns_when_the_message_arrives_and_fails_clearly_when_it_does_not() {
    let sink = SmtpSink::start().await;
    let sender = sink.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut smtp = Smtp::connect(&sender).await;
        assert_eq!(smtp.cmd("EHLO client.test").await, 250);
        smtp.send_mail("noreply@convene.test", &["late@example.org"], "Subject: Late but here\r\n\r\nhi\r\n").await;
        smtp.quit().await;
    });
    let mail = sink.wait_for_to("late@example.org", WAIT).await;
    assert_eq!(mail.subject, "Late but here");

    // No message to this address: the panic names it and lists what did arrive.
    let waiting = sink.clone();
    let failed = tokio::spawn(async move { waiting.wait_for_to("nobody@example.org", Duration::from_millis(300)).await }).await;
    let message = *failed.expect_err("waiting for mail that never comes fails").into_panic().downcast::<String>().unwrap();
    assert!(message.contains("no email to nobody@example.org"), "{message}");
    assert!(message.contains("late@example.org") && message.contains("Late but here"), "{message}");

    let waiting = sink.clone();
    let failed = tokio::spawn(async move { waiting.wait_for_count(5, Duration::from_millis(100)).await }).await;
    let message = *failed.expect_err("too few messages").into_panic().downcast::<String>().unwrap();
    assert!(message.contains("at least 5") && message.contains("1 arrived"), "{message}");
}

#[tokio::test]
async fn a_refusing_sink_answers_with_a_temporary_failure() {
    let sink = SmtpSink::start().await;
    sink.refuse_mail(true);
    let mut smtp = Smtp::connect(&sink).await;
    assert_eq!(smtp.cmd("EHLO client.test").await, 250);
    assert_eq!(smtp.cmd("MAIL FROM:<noreply@convene.test>").await, 451);
    sink.refuse_mail(false);
    smtp.send_mail("noreply@convene.test", &["retry@example.org"], "Subject: retried\r\n\r\nok\r\n").await;
    smtp.quit().await;
    assert_eq!(sink.wait_for_count(1, WAIT).await.len(), 1);
}

#[tokio::test]
async fn dropping_the_last_handle_stops_the_sink() {
    let sink = SmtpSink::start().await;
    let port = sink.port();
    let clone = sink.clone();
    drop(sink);
    // A clone keeps it alive.
    Smtp::connect(&clone).await.quit().await;
    drop(clone);
    let deadline = tokio::time::Instant::now() + WAIT;
    while TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
        assert!(tokio::time::Instant::now() < deadline, "the sink still accepts connections after it was dropped");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The database of the engine `CONVENE_TEST_DB` selects: fresh, separate from another test's,
/// usable through its URL, and (PostgreSQL) dropped afterwards.
#[tokio::test]
async fn each_test_database_is_fresh_separate_and_cleaned_up() {
    use sea_orm::{ConnectionTrait, Database};

    let (a, b) = (TestDb::new().await, TestDb::new().await);
    assert_eq!(a.kind(), DbKind::from_env());
    assert_ne!(a.url(), b.url());
    for db in [&a, &b] {
        let conn = Database::connect(db.url()).await.unwrap();
        conn.execute_unprepared("CREATE TABLE probe (id INTEGER PRIMARY KEY)").await.unwrap();
        conn.execute_unprepared("INSERT INTO probe (id) VALUES (1)").await.unwrap();
        conn.close().await.unwrap();
    }

    match a.kind() {
        DbKind::Sqlite => {
            let path = a.url().trim_start_matches("sqlite://").split('?').next().unwrap().to_string();
            assert!(std::path::Path::new(&path).is_file(), "{path}");
            drop(a);
            assert!(!std::path::Path::new(&path).exists(), "the SQLite file goes with the TestDb");
        }
        DbKind::Postgres => {
            let name = a.url().rsplit('/').next().unwrap().split('?').next().unwrap().to_string();
            assert!(name.starts_with("convene_t_"), "{name}");
            drop(a);
            let admin_url = std::env::var("CONVENE_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
            let admin = Database::connect(admin_url).await.unwrap();
            let left = admin
                .query_one_raw(sea_orm::Statement::from_string(
                    admin.get_database_backend(),
                    format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
                ))
                .await
                .unwrap();
            assert!(left.is_none(), "database {name} was dropped");
        }
    }
}
