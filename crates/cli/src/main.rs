//! `leadkit`: the one binary. A thin layer that reads configuration, opens the
//! store and hands over to `leadkit-web` (serve) or runs an administrator's verb.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a CLI talks on stdout

mod commands;
mod config;

use clap::{Parser, Subcommand};

use config::StoreArgs;

/// leadkit: leadership frameworks, reflection and growth for school trusts.
#[derive(Parser)]
#[command(name = "leadkit", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web app (creates and migrates the database on first start).
    Serve(commands::serve::ServeArgs),
    /// Apply database migrations and load the shipped frameworks, then exit.
    Migrate(StoreArgs),
    /// Add the demo trust (schools, about 60 people, reflections) and print how to
    /// sign in; with --people N [--cycles C], a generated trust of N leaders.
    Demo(commands::demo::DemoArgs),
    /// Back up the database while the server runs (SQLite: a copy of the file;
    /// PostgreSQL or --portable: a portable export).
    Backup(commands::backup::BackupArgs),
    /// Restore a backup into a fresh, empty database (SQLite or PostgreSQL).
    Restore(commands::backup::RestoreArgs),
    /// Write a trust's whole audit log as CSV to standard output.
    AuditExport(commands::audit::AuditExportArgs),
    /// Import staff lists and archive people who left.
    #[command(subcommand)]
    People(commands::people::PeopleCommand),
    /// Work with frameworks.
    #[command(subcommand)]
    Framework(commands::framework::FrameworkCommand),
}

fn main() -> std::process::ExitCode {
    // The database, its WAL, backups and evidence files hold password hashes and
    // private notes: everything leadkit creates is readable by its own user only
    // (files 0600, folders 0700), whatever the umask it was started with.
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LEADKIT_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => commands::serve::run(args).await,
            Command::Migrate(args) => commands::migrate::run(args).await,
            Command::Demo(args) => commands::demo::run(args).await,
            Command::Backup(args) => commands::backup::backup(args).await,
            Command::Restore(args) => commands::backup::restore(args).await,
            Command::Framework(command) => commands::framework::run(command).await,
            Command::People(command) => commands::people::run(command).await,
            Command::AuditExport(args) => commands::audit::export(args).await,
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
