//! `convene ledger verify`: fetches a ledger (from an instance or a file) and checks it with
//! the same code that sealed it.

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::domain::ledger::{self, Entry};

#[derive(Deserialize)]
struct Page {
    public_key: String,
    entries: Vec<Entry>,
    next_after: Option<i64>,
}

async fn fetch(base: &str) -> anyhow::Result<(String, Vec<Entry>)> {
    let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(30)).build()?;
    let base = base.trim_end_matches('/');
    let mut entries = Vec::new();
    let mut after = 0;
    let mut key: Option<String> = None;
    loop {
        let url = format!("{base}/api/v1/ledger?after={after}");
        let res = client.get(&url).send().await.with_context(|| format!("cannot reach {url}"))?;
        if !res.status().is_success() {
            bail!("{url} answered {}", res.status());
        }
        let page: Page = res.json().await.with_context(|| format!("{url} did not return a ledger page"))?;
        match &key {
            Some(k) if *k != page.public_key => bail!("the instance changed its public key between pages"),
            _ => key = Some(page.public_key.clone()),
        }
        entries.extend(page.entries);
        match page.next_after {
            Some(next) => after = next,
            None => break,
        }
    }
    Ok((key.unwrap_or_default(), entries))
}

pub async fn run(source: &str, pinned_key: Option<&str>) -> anyhow::Result<()> {
    let (published_key, entries) = if source.starts_with("http://") || source.starts_with("https://") {
        fetch(source).await?
    } else {
        let text = std::fs::read_to_string(source).with_context(|| format!("cannot read {source}"))?;
        let page: Page = serde_json::from_str(&text).with_context(|| format!("{source} is not a saved ledger page"))?;
        (page.public_key, page.entries)
    };
    let key_text = pinned_key.unwrap_or(&published_key);
    let key = ledger::parse_public_key(key_text).map_err(|e| anyhow::anyhow!("public key: {e}"))?;
    if pinned_key.is_some_and(|k| k.trim() != published_key) {
        println!("Note: the ledger names another public key than the one you gave; checking against yours.");
    }
    match ledger::verify(&entries, &key) {
        Ok(()) => {
            let head = entries.last().map(|e| e.hash.as_str()).unwrap_or(ledger::GENESIS);
            println!("Ledger verified: {} entries, every link, hash and signature is intact. Last hash: {head}", entries.len());
            Ok(())
        }
        Err(broken) => bail!("Ledger broken at entry {}: {}", broken.seq, broken.problem),
    }
}
