//! `leadkit migrate`.

use crate::config::StoreArgs;

pub async fn run(args: StoreArgs) -> anyhow::Result<()> {
    let store = args.open(leadkit_web::Clock::System).await?;
    println!("The database is up to date and the shipped frameworks are loaded.");
    store.close().await;
    Ok(())
}
