//! `leadkit serve`: the web app.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use leadkit_web::{AppState, Catalog, Clock, WebConfig};

use crate::config::StoreArgs;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "LEADKIT_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The address people use to reach leadkit, for printed links; an https address
    /// also marks cookies Secure (run behind a TLS-terminating proxy).
    #[arg(long, env = "LEADKIT_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Add the demo trust (about 60 people with reflections) and print how to sign in.
    #[arg(long, env = "LEADKIT_DEMO")]
    pub demo: bool,
    /// Behind a reverse proxy: the header with the client's address, for sign-in
    /// throttling per address (X-Forwarded-For or X-Real-IP).
    #[arg(long, env = "LEADKIT_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,
    /// Send invitations and password resets through this SMTP server:
    /// smtp://host:25, smtp://user:pass@host:587?tls=required or smtps://user:pass@host:465.
    #[arg(long, env = "LEADKIT_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The From address of leadkit's emails.
    #[arg(
        long,
        env = "LEADKIT_MAIL_FROM",
        default_value = "leadkit <leadkit@localhost>"
    )]
    pub mail_from: String,
    /// Serve https directly with this PEM certificate chain (with --tls-key);
    /// without it, run behind a TLS-terminating proxy.
    #[arg(long, env = "LEADKIT_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<std::path::PathBuf>,
    /// The PEM private key for --tls-cert.
    #[arg(long, env = "LEADKIT_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<std::path::PathBuf>,
    /// The largest evidence file accepted, in megabytes.
    #[arg(long, env = "LEADKIT_MAX_UPLOAD_MB", default_value_t = 20,
          value_parser = clap::value_parser!(u64).range(1..=2048))]
    pub max_upload_mb: u64,
    #[command(flatten)]
    pub store: StoreArgs,
}

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let clock = Clock::System;
    // On SQLite this process owns the database, so the reads every page makes
    // are cached until a write changes them (see `Store::with_read_cache`).
    let store = args.store.open(clock).await?.with_read_cache();
    // Bind first, so `--listen 127.0.0.1:0` prints the port it was given.
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {} (LEADKIT_LISTEN / --listen)",
                args.listen
            )
        })?;
    let bound = listener.local_addr().context("reading the bound address")?;
    let public_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| {
            let scheme = if args.tls_cert.is_some() {
                "https"
            } else {
                "http"
            };
            format!("{scheme}://{bound}")
        })
        .trim_end_matches('/')
        .to_owned();
    if args.demo {
        super::demo::ensure(&store, clock).await?;
    }
    if let Some(token) = leadkit_web::pages::setup::first_administrator_token(&store, clock.now())
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?
    {
        println!();
        println!(
            "No administrator has set a password yet. Open this one-time link (valid for 24 hours)"
        );
        println!("to create your trust and the first administrator account:");
        println!();
        println!("    {public_url}{}", leadkit_web::urls::setup(&token));
        println!();
    }
    let mailer = match &args.smtp_url {
        Some(url) => leadkit_web::mail::Mailer::smtp(url, &args.mail_from)
            .map_err(|error| anyhow::anyhow!("{error} (LEADKIT_SMTP_URL / --smtp-url)"))?,
        None => leadkit_web::mail::Mailer::Off,
    };
    let files = args.store.file_store(args.max_upload_mb * 1024 * 1024);
    let catalog = Catalog::new(store.frameworks().await?, leadkit_content::alignments()?);
    let state = AppState {
        store: store.clone(),
        catalog: Arc::new(catalog),
        clock,
        config: Arc::new(WebConfig {
            secure_cookies: public_url.starts_with("https://"),
            primary_framework: leadkit_content::primary_key()?,
            public_url: public_url.clone(),
            client_ip_header: args.client_ip_header.clone(),
            presession_key: store
                .server_secret("presession", &leadkit_web::auth::token::random_token())
                .await?,
        }),
        pages: Default::default(),
        mailer: std::sync::Arc::new(mailer),
        files: files.clone(),
    };
    // Carry out each trust's retention setting for archived people: now, then daily.
    let retention_store = store.clone();
    let retention_files = files.clone();
    tokio::spawn(async move {
        let mut daily = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
        loop {
            daily.tick().await;
            match retention_store
                .erase_expired_archives(&retention_files, clock.now())
                .await
            {
                Ok(erased) if !erased.is_empty() => {
                    tracing::info!(
                        count = erased.len(),
                        "erased archived people past their trust's retention"
                    );
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(%error, "the retention check failed; it runs again tomorrow")
                }
            }
        }
    });
    // Email reminders of actions falling due: checked every hour, at most one
    // digest a day per person (see leadkit_web::reminders).
    let reminder_state = state.clone();
    tokio::spawn(async move {
        let mut hourly = tokio::time::interval(std::time::Duration::from_secs(60 * 60));
        loop {
            hourly.tick().await;
            match leadkit_web::reminders::send_due(&reminder_state).await {
                Ok(outcome) if outcome.sent + outcome.failed > 0 => {
                    tracing::info!(
                        sent = outcome.sent,
                        failed = outcome.failed,
                        "sent reminder digests"
                    );
                }
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(%error, "the reminder run failed; it runs again within the hour")
                }
            }
        }
    });
    // Read the certificate before saying we listen, so a bad one stops the start.
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(super::tls::server_config(cert, key)?),
        _ => None,
    };
    println!("leadkit is listening on {public_url}");
    match tls {
        Some(config) => {
            super::tls::serve(listener, leadkit_web::app(state), config, shutdown_signal()).await?;
        }
        None => {
            axum::serve(
                listener,
                leadkit_web::app(state)
                    .into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("serving")?;
        }
    }
    store.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
