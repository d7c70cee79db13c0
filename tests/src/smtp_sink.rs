//! A real SMTP server for tests. The server under test sends its email with lettre over a TCP
//! socket exactly as it would in production; this sink accepts it and keeps every message so
//! that a test can read the sign-in link out of it.
//!
//! It speaks the plain-text subset of SMTP that lettre's client uses without TLS and without
//! authentication (RFC 5321: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), accepts any
//! number of messages per connection and any number of connections at once.
//!
//! Started with [`SmtpSink::start_writing_to`], the sink also writes every message it accepts
//! as a JSON file into a directory, before it acknowledges it, so that a program outside the
//! test process (the browser scenarios in `tests/browser/`) can read the email too. See
//! [`ReceivedMail::to_json`] for the format.
//!
//! The sink runs on its own thread with its own Tokio runtime. A test that blocks its own
//! runtime (a synchronous wait, a `std::thread::sleep`) therefore cannot stall a server that is
//! halfway through sending a message, and the sink does not depend on which runtime created it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};

/// The name the sink gives itself in its greeting and EHLO reply.
const HOST_NAME: &str = "convene-sink.test";

/// No test email comes anywhere near this; it only stops a runaway client from filling memory.
const MAX_MESSAGE_BYTES: usize = 32 * 1024 * 1024;

/// One message as the sink received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    /// The envelope sender (`MAIL FROM`), without angle brackets; empty for a null sender.
    pub from: String,
    /// The envelope recipients (`RCPT TO`), without angle brackets, in the order given.
    pub to: Vec<String>,
    /// The decoded `Subject` header (RFC 2047 encoded words decoded); empty if absent.
    pub subject: String,
    /// The first text body, decoded from its transfer encoding (quoted-printable, base64) and
    /// charset, with line ends as `\n`. If the message only has an HTML body, this is that body
    /// converted to text.
    pub text: String,
    /// The first HTML body, decoded (line ends as `\n`), if the message has one.
    pub html: Option<String>,
    /// The message as transmitted after DATA, dot-stuffing undone (headers and body).
    pub raw: String,
}

impl ReceivedMail {
    fn parse(from: String, to: Vec<String>, raw: Vec<u8>) -> ReceivedMail {
        let parser = mail_parser::MessageParser::default();
        let (subject, text, html) = match parser.parse(&raw) {
            Some(msg) => (
                msg.subject().unwrap_or_default().to_string(),
                msg.body_text(0).map(|t| t.replace("\r\n", "\n")).unwrap_or_default(),
                // mail-parser lists a plain-text part among the HTML bodies too (rendered as
                // HTML); only a real text/html part counts here.
                msg.html_part(0).filter(|p| p.is_text_html()).and_then(|p| p.text_contents()).map(|h| h.replace("\r\n", "\n")),
            ),
            // Not a parseable message: the test still sees the raw text and can tell why.
            None => (String::new(), String::new(), None),
        };
        ReceivedMail { from, to, subject, text, html, raw: String::from_utf8_lossy(&raw).into_owned() }
    }

    /// Whether `addr` is one of the envelope recipients (case-insensitive, as mailbox domains
    /// are and as the server treats addresses).
    pub fn is_to(&self, addr: &str) -> bool {
        let addr = addr.trim();
        self.to.iter().any(|t| t.eq_ignore_ascii_case(addr))
    }

    /// Every http(s) URL in the decoded text body, in order of appearance.
    pub fn links(&self) -> Vec<String> {
        find_links(&self.text)
    }

    /// The first http(s) URL in the decoded text body that contains `needle`.
    pub fn first_link_containing(&self, needle: &str) -> Option<String> {
        self.links().into_iter().find(|l| l.contains(needle))
    }

    /// The message as a JSON object, as written into the sink's directory: `seq` (1 for the
    /// first message this sink received, increasing by arrival), `from`, `to` (array),
    /// `subject`, `text`, `html` (null if none) and `links` (the http(s) URLs of `text`).
    pub fn to_json(&self, seq: u64) -> serde_json::Value {
        serde_json::json!({
            "seq": seq,
            "from": self.from,
            "to": self.to,
            "subject": self.subject,
            "text": self.text,
            "html": self.html,
            "links": self.links(),
        })
    }

    /// One line for a failure message: who to whom, and what about.
    fn summary(&self) -> String {
        format!("from <{}> to {:?}: {:?}", self.from, self.to, self.subject)
    }
}

/// Finds the http(s) URLs in plain text. A URL ends at whitespace or at a character that
/// cannot be part of one in running text (`<>"'` and brackets); trailing sentence punctuation
/// is not part of it.
fn find_links(text: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(start) = [rest.find("http://"), rest.find("https://")].into_iter().flatten().min() {
        let candidate = &rest[start..];
        let end = candidate
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '(' | ')' | '[' | ']' | '{' | '}'))
            .unwrap_or(candidate.len());
        let link = candidate[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
        if link.len() > "https://".len() {
            links.push(link.to_string());
        }
        rest = &candidate[end.max(1)..];
    }
    links
}

/// What the sink's thread and the test share.
struct Shared {
    /// Every message received so far; a watch channel so that waiters wake on each new one.
    mail: watch::Sender<Vec<ReceivedMail>>,
    /// When set, the sink answers `MAIL FROM` with a temporary failure, to test retries.
    refusing: AtomicBool,
    /// Where each message is also written as JSON, if anywhere.
    dir: Option<PathBuf>,
    /// The number of messages accepted so far (the `seq` of the last one written).
    count: AtomicU64,
    /// Dropping this sender (when the last handle goes) stops the sink's thread.
    _shutdown: oneshot::Sender<()>,
}

impl Shared {
    /// Numbers a message, writes it into the directory if there is one, then adds it to the
    /// list (waking waiters). A message that cannot be written is refused, so that a scenario
    /// waiting for it fails with the sink's reason in the server's log rather than a timeout
    /// alone.
    fn keep(&self, mail: ReceivedMail) -> std::io::Result<()> {
        let seq = self.count.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(dir) = &self.dir {
            let json = serde_json::to_vec_pretty(&mail.to_json(seq)).map_err(std::io::Error::other)?;
            let tmp = dir.join(format!(".{seq:06}.json.tmp"));
            std::fs::write(&tmp, json)?;
            std::fs::rename(&tmp, dir.join(format!("{seq:06}.json")))?;
        }
        self.mail.send_modify(|all| all.push(mail));
        Ok(())
    }
}

/// A running SMTP sink. Cheap to clone; the server stops when the last clone is dropped.
#[derive(Clone)]
pub struct SmtpSink {
    port: u16,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for SmtpSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSink").field("port", &self.port).field("messages", &self.messages().len()).finish()
    }
}

impl SmtpSink {
    /// Starts a sink on 127.0.0.1 with a port the OS picks.
    pub async fn start() -> SmtpSink {
        SmtpSink::start_with(None).await
    }

    /// Starts a sink that also writes every message it accepts into `dir` (created if needed)
    /// as `<seq>.json`, `seq` zero-padded to six digits so that names sort by arrival; see
    /// [`ReceivedMail::to_json`]. Each file is complete when it appears (written under another
    /// name, then renamed) and is there before the sender is told the message was accepted.
    pub async fn start_writing_to(dir: &Path) -> SmtpSink {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("create the mail directory {}: {e}", dir.display()));
        SmtpSink::start_with(Some(dir.to_path_buf())).await
    }

    async fn start_with(dir: Option<PathBuf>) -> SmtpSink {
        // Bind here, synchronously, so the port is known before this returns and a bind error
        // surfaces in the test rather than on a background thread.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the SMTP sink on 127.0.0.1:0");
        listener.set_nonblocking(true).expect("make the SMTP sink's socket non-blocking");
        let port = listener.local_addr().expect("the SMTP sink's address").port();

        let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
        let (mail, _) = watch::channel(Vec::new());
        let shared = Arc::new(Shared { mail, refusing: AtomicBool::new(false), dir, count: AtomicU64::new(0), _shutdown: shutdown_tx });

        // The thread holds only a weak reference so that it does not keep the sink alive.
        let weak = Arc::downgrade(&shared);
        std::thread::Builder::new()
            .name(format!("smtp-sink-{port}"))
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime for the SMTP sink");
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(listener).expect("register the SMTP sink's socket");
                    tokio::select! {
                        _ = accept_loop(listener, weak) => {}
                        // Fires when the last SmtpSink handle drops the sender.
                        _ = shutdown_rx => {}
                    }
                });
                // Dropping the runtime here cancels every open connection's task.
            })
            .expect("start the SMTP sink's thread");

        SmtpSink { port, shared }
    }

    /// The port the sink listens on (host 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The directory the sink writes messages into, if it was started with one.
    pub fn dir(&self) -> Option<&Path> {
        self.shared.dir.as_deref()
    }

    /// Every message received so far, in order of arrival.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.shared.mail.borrow().clone()
    }

    /// The messages received so far that have `addr` among their recipients.
    pub fn messages_to(&self, addr: &str) -> Vec<ReceivedMail> {
        self.messages().into_iter().filter(|m| m.is_to(addr)).collect()
    }

    /// Makes the sink refuse (`451` to `MAIL FROM`) or accept mail from now on.
    pub fn refuse_mail(&self, refuse: bool) {
        self.shared.refusing.store(refuse, Ordering::SeqCst);
    }

    /// Waits until at least `n` messages have arrived and returns all of them. Panics, listing
    /// what did arrive, if that does not happen within `timeout`.
    pub async fn wait_for_count(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        self.wait_until(timeout, |all| all.len() >= n)
            .await
            .unwrap_or_else(|all| panic!("expected at least {n} email(s) within {timeout:?}; {}", describe(&all)))
    }

    /// Waits for the first message addressed to `addr` (case-insensitive) and returns it. If
    /// one already arrived it is returned at once. Panics, listing what did arrive, if none
    /// comes within `timeout`.
    pub async fn wait_for_to(&self, addr: &str, timeout: Duration) -> ReceivedMail {
        let all = self
            .wait_until(timeout, |all| all.iter().any(|m| m.is_to(addr)))
            .await
            .unwrap_or_else(|all| panic!("no email to {addr} within {timeout:?}; {}", describe(&all)));
        all.into_iter().find(|m| m.is_to(addr)).expect("the wait ended on a message to this address")
    }

    /// Waits for the first message that `pred` accepts. Panics, listing what did arrive, if
    /// none comes within `timeout`.
    pub async fn wait_for(&self, timeout: Duration, pred: impl Fn(&ReceivedMail) -> bool) -> ReceivedMail {
        let all = self
            .wait_until(timeout, |all| all.iter().any(&pred))
            .await
            .unwrap_or_else(|all| panic!("no matching email within {timeout:?}; {}", describe(&all)));
        all.into_iter().find(|m| pred(m)).expect("the wait ended on a matching message")
    }

    /// Waits until `done` holds for the list of received messages. `Ok` with the list when it
    /// does, `Err` with the list at the deadline otherwise.
    async fn wait_until(
        &self,
        timeout: Duration,
        done: impl Fn(&[ReceivedMail]) -> bool,
    ) -> Result<Vec<ReceivedMail>, Vec<ReceivedMail>> {
        let mut rx = self.shared.mail.subscribe();
        match tokio::time::timeout(timeout, rx.wait_for(|all| done(all))).await {
            Ok(Ok(all)) => Ok(all.clone()),
            // The sender lives in `shared`, which `self` keeps alive, so the channel cannot
            // close while we wait; a timeout is the only other outcome.
            _ => Err(self.messages()),
        }
    }
}

/// What arrived, for a panic message.
fn describe(all: &[ReceivedMail]) -> String {
    if all.is_empty() {
        return "no email arrived at all".to_string();
    }
    let lines: Vec<String> = all.iter().enumerate().map(|(i, m)| format!("  {}. {}", i + 1, m.summary())).collect();
    format!("{} arrived:\n{}", all.len(), lines.join("\n"))
}

async fn accept_loop(listener: TcpListener, shared: std::sync::Weak<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Accept errors (out of file descriptors, say) are transient; back off briefly.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            // A broken connection only ends that session; the client will see its own error.
            let _ = Session::new(shared).run(stream).await;
        });
    }
}

/// The state of one SMTP connection.
struct Session {
    shared: std::sync::Weak<Shared>,
    greeted: bool,
    /// `Some` between `MAIL FROM` and the end of `DATA` (or `RSET`).
    from: Option<String>,
    to: Vec<String>,
}

impl Session {
    fn new(shared: std::sync::Weak<Shared>) -> Session {
        Session { shared, greeted: false, from: None, to: Vec::new() }
    }

    fn reset(&mut self) {
        self.from = None;
        self.to.clear();
    }

    async fn run(mut self, stream: TcpStream) -> std::io::Result<()> {
        let (read, mut write) = stream.into_split();
        // Commands are read one line at a time from a buffer, so pipelined commands (several
        // sent before any reply) are answered in order like any others.
        let mut read = BufReader::new(read);
        write.write_all(format!("220 {HOST_NAME} ESMTP convene test sink\r\n").as_bytes()).await?;

        let mut line = Vec::new();
        loop {
            line.clear();
            if read.read_until(b'\n', &mut line).await? == 0 {
                return Ok(()); // The client closed the connection.
            }
            let command = String::from_utf8_lossy(&line);
            let command = command.trim_end_matches(['\r', '\n']);
            let (verb, arg) = match command.split_once(' ') {
                Some((verb, arg)) => (verb.to_ascii_uppercase(), arg.trim()),
                None => (command.to_ascii_uppercase(), ""),
            };

            let reply: String = match verb.as_str() {
                "EHLO" => {
                    self.greeted = true;
                    self.reset();
                    // Multi-line reply: `250-` on every line but the last. lettre reads the
                    // extensions it may use from here; it needs none of them without TLS.
                    format!("250-{HOST_NAME} greets {arg}\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING\r\n")
                }
                "HELO" => {
                    self.greeted = true;
                    self.reset();
                    format!("250 {HOST_NAME}\r\n")
                }
                "MAIL" => match parse_path(arg, "FROM:") {
                    _ if !self.greeted => "503 5.5.1 Send EHLO or HELO first\r\n".into(),
                    _ if self.from.is_some() => "503 5.5.1 Nested MAIL command\r\n".into(),
                    _ if self.refusing() => "451 4.3.0 The test sink is refusing mail\r\n".into(),
                    Some(from) => {
                        self.from = Some(from);
                        "250 2.1.0 OK\r\n".into()
                    }
                    None => "501 5.5.4 Syntax: MAIL FROM:<address>\r\n".into(),
                },
                "RCPT" => match parse_path(arg, "TO:") {
                    _ if self.from.is_none() => "503 5.5.1 Need MAIL before RCPT\r\n".into(),
                    Some(to) if !to.is_empty() => {
                        self.to.push(to);
                        "250 2.1.5 OK\r\n".into()
                    }
                    _ => "501 5.5.4 Syntax: RCPT TO:<address>\r\n".into(),
                },
                "DATA" if self.from.is_none() || self.to.is_empty() => "503 5.5.1 Need MAIL and RCPT before DATA\r\n".into(),
                "DATA" => {
                    write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
                    let Some(raw) = read_data(&mut read).await? else {
                        return Ok(()); // The connection ended mid-message: nothing was sent.
                    };
                    let from = self.from.take().unwrap_or_default();
                    let to = std::mem::take(&mut self.to);
                    if raw.len() > MAX_MESSAGE_BYTES {
                        "552 5.3.4 Message too big for the test sink\r\n".into()
                    } else {
                        let mail = ReceivedMail::parse(from, to, raw);
                        match self.shared.upgrade() {
                            Some(shared) => match shared.keep(mail) {
                                Ok(()) => "250 2.0.0 OK queued\r\n".into(),
                                Err(e) => format!("451 4.3.0 The test sink cannot write the message: {e}\r\n"),
                            },
                            None => "421 4.3.0 The test sink is shutting down\r\n".into(),
                        }
                    }
                }
                "RSET" => {
                    self.reset();
                    "250 2.0.0 OK\r\n".into()
                }
                "NOOP" => "250 2.0.0 OK\r\n".into(),
                "QUIT" => {
                    write.write_all(format!("221 2.0.0 {HOST_NAME} closing connection\r\n").as_bytes()).await?;
                    write.shutdown().await?;
                    return Ok(());
                }
                "" => "500 5.5.2 Empty command\r\n".into(),
                _ => "502 5.5.1 Command not implemented\r\n".into(),
            };
            write.write_all(reply.as_bytes()).await?;
        }
    }

    fn refusing(&self) -> bool {
        self.shared.upgrade().is_some_and(|s| s.refusing.load(Ordering::SeqCst))
    }
}

/// The address in `FROM:<a@b> PARAMS` or `TO:<a@b>`, without brackets. `None` if the keyword
/// is missing. Parameters such as `BODY=8BITMIME` or `SMTPUTF8` are accepted and ignored.
fn parse_path(arg: &str, keyword: &str) -> Option<String> {
    let head = arg.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = arg[keyword.len()..].trim_start();
    if let Some(inner) = rest.strip_prefix('<') {
        return inner.split_once('>').map(|(addr, _)| addr.to_string());
    }
    // Some clients omit the brackets; take the first word.
    Some(rest.split_whitespace().next().unwrap_or_default().to_string())
}

/// Reads message data up to the terminating `.` line and undoes dot-stuffing (RFC 5321
/// 4.5.2: a line that starts with a dot was sent with one more). `None` if the connection
/// ended first.
async fn read_data<R: tokio::io::AsyncBufRead + Unpin>(read: &mut R) -> std::io::Result<Option<Vec<u8>>> {
    let mut data = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if read.read_until(b'\n', &mut line).await? == 0 {
            return Ok(None);
        }
        // Bare LF line endings are not SMTP, but accepting them costs nothing.
        if line == b".\r\n" || line == b".\n" {
            return Ok(Some(data));
        }
        let unstuffed = line.strip_prefix(b".").unwrap_or(&line);
        // Past the limit, keep reading to the end so the reply lines up, but stop storing.
        if data.len() <= MAX_MESSAGE_BYTES {
            data.extend_from_slice(unstuffed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_end_at_whitespace_brackets_and_sentence_punctuation() {
        let text = "Sign in: https://x.test/login/magic?token=a-b_c.\nOr <http://y.test/a> (http://z.test/b), done";
        assert_eq!(find_links(text), ["https://x.test/login/magic?token=a-b_c", "http://y.test/a", "http://z.test/b"]);
        assert!(find_links("no links, only http:// and text").is_empty());
    }

    #[test]
    fn paths_parse_with_and_without_brackets_and_parameters() {
        assert_eq!(parse_path("FROM:<a@b.test> BODY=8BITMIME SMTPUTF8", "FROM:").as_deref(), Some("a@b.test"));
        assert_eq!(parse_path("from: <a@b.test>", "FROM:").as_deref(), Some("a@b.test"));
        assert_eq!(parse_path("FROM:<>", "FROM:").as_deref(), Some(""));
        assert_eq!(parse_path("TO:c@d.test", "TO:").as_deref(), Some("c@d.test"));
        assert_eq!(parse_path("c@d.test", "TO:"), None);
    }
}
