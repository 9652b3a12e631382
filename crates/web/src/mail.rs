//! Email over SMTP (lettre): invitations and password resets. Without an SMTP
//! server configured, nothing is sent and the pages say what to do instead.

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Where mail goes.
#[derive(Clone)]
pub enum Mailer {
    /// No SMTP server configured.
    Off,
    Smtp {
        // Boxed: the transport is large and `Off` is nothing.
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::Off => f.write_str("Mailer::Off"),
            Mailer::Smtp { from, .. } => write!(f, "Mailer::Smtp(from {from})"),
        }
    }
}

/// One message to send: plain text, no tracking, no HTML.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to_name: String,
    pub to_email: String,
    pub subject: String,
    pub body: String,
    /// For reminders: the link that stops them, sent as List-Unsubscribe too.
    pub unsubscribe: Option<String>,
}

impl Mailer {
    /// From an SMTP URL as lettre reads it: `smtp://host:25` (plain, for a relay on
    /// the same machine or network), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS) or `smtps://user:pass@host:465`, and a From address.
    pub fn smtp(url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|error| format!("the SMTP URL cannot be used: {error}"))?
            .build();
        let from: Mailbox = from
            .parse()
            .map_err(|error| format!("the From address {from:?} cannot be used: {error}"))?;
        Ok(Mailer::Smtp {
            transport: Box::new(transport),
            from,
        })
    }

    pub fn is_on(&self) -> bool {
        matches!(self, Mailer::Smtp { .. })
    }

    /// Sends one message; the error says why it could not be sent.
    pub async fn send(&self, mail: &Mail) -> Result<(), String> {
        let Mailer::Smtp { transport, from } = self else {
            return Err("email is not set up on this server".into());
        };
        let to = Mailbox::new(
            Some(mail.to_name.clone()),
            mail.to_email.parse().map_err(|error| {
                format!("the address {} cannot be used: {error}", mail.to_email)
            })?,
        );
        let mut builder = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(mail.subject.clone());
        if let Some(link) = &mail.unsubscribe {
            builder = builder.raw_header(lettre::message::header::HeaderValue::new(
                lettre::message::header::HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{link}>"),
            ));
        }
        let message = builder
            .body(mail.body.clone())
            .map_err(|error| format!("the message cannot be built: {error}"))?;
        transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|error| format!("the SMTP server did not take the message: {error}"))
    }
}
