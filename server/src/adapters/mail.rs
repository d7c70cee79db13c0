//! Sending email with lettre: real SMTP in production, .eml files in a folder as the embedded
//! default (so a fresh instance can log in without any mail server).

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::config::{MailSettings, MailTransport, SmtpTls};

/// One email, with a plain-text body and an optional HTML alternative.
pub struct Email {
    pub to: Mailbox,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    /// A stable Message-ID (e.g. from a job id), so a retried send can be recognised as the
    /// same message; generated when None.
    pub message_id: Option<String>,
    /// A link that unsubscribes the recipient in one click: sent as `List-Unsubscribe` with
    /// `List-Unsubscribe-Post` (RFC 8058), so mail clients offer their own button.
    pub unsubscribe: Option<String>,
}

#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>, std::path::PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("could not build the message: {0}")]
    Build(String),
    #[error("could not deliver the message: {0}")]
    Deliver(String),
}

impl Mailer {
    pub fn new(settings: &MailSettings) -> Result<Mailer, MailError> {
        let transport = match &settings.transport {
            MailTransport::File { dir } => {
                Transport::File(AsyncFileTransport::<Tokio1Executor>::new(dir), dir.clone())
            }
            MailTransport::Smtp { host, port, credentials, tls } => {
                let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(*port);
                let params = || {
                    TlsParameters::new(host.clone()).map_err(|e| MailError::Build(e.to_string()))
                };
                builder = match tls {
                    SmtpTls::None => builder.tls(Tls::None),
                    SmtpTls::Starttls => builder.tls(Tls::Required(params()?)),
                    SmtpTls::Tls => builder.tls(Tls::Wrapper(params()?)),
                };
                if let Some((user, password)) = credentials {
                    let password = String::from_utf8_lossy(password.expose()).into_owned();
                    builder = builder.credentials(Credentials::new(user.clone(), password));
                }
                Transport::Smtp(builder.timeout(Some(std::time::Duration::from_secs(20))).build())
            }
        };
        Ok(Mailer { from: settings.from.clone(), transport })
    }

    pub async fn send(&self, email: Email) -> Result<(), MailError> {
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(email.to.clone())
            .subject(email.subject.clone())
            .message_id(email.message_id.clone());
        if let Some(link) = &email.unsubscribe {
            builder = builder
                .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{link}>")))
                .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click".into()));
        }
        let text = SinglePart::builder().header(ContentType::TEXT_PLAIN).body(email.text.clone());
        let message = match &email.html {
            Some(html) => builder.multipart(
                MultiPart::alternative()
                    .singlepart(text)
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(html.clone())),
            ),
            None => builder.singlepart(text),
        }
        .map_err(|e| MailError::Build(e.to_string()))?;

        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message).await.map_err(|e| MailError::Deliver(e.to_string()))?;
            }
            Transport::File(file, dir) => {
                let id = file.send(message).await.map_err(|e| MailError::Deliver(e.to_string()))?;
                // With no mail server the operator still needs the links: log where it went.
                tracing::info!(
                    to = %email.to,
                    subject = %email.subject,
                    file = %dir.join(format!("{id}.eml")).display(),
                    "email written to the mail folder (file transport)\n{}",
                    email.text
                );
            }
        }
        Ok(())
    }
}
