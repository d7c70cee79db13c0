//! Census files: an admin imports a CSV of identifiers (e.g. national ID numbers of residents);
//! only keyed hashes are stored. A person who later gives a matching identifier gains the
//! attribute. The raw identifiers never reach the database or the logs.

use hmac::{Hmac, Mac};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

use super::accounts::{AccountView, put_attribute, require_admin};
use super::error::AppResult;
use super::{AppContext, AppError, Viewer, now};
use crate::adapters::store::entities::census_entry;
use crate::domain::account::attribute_name;

pub const MAX_ROWS: usize = 2_000_000;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub attribute: String,
    /// Data rows read.
    pub rows: u64,
    pub imported: u64,
    /// Identifiers that were already in the census for this attribute.
    pub already_present: u64,
    pub rejected: Vec<RejectedRow>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RejectedRow {
    /// 1-based line number in the file, counting the header.
    pub line: u64,
    pub problem: String,
}

/// Removes the punctuation people type differently (spaces, dots, hyphens) and upper-cases,
/// so "12.345.678-k" and "12345678K" match.
fn normalise(identifier: &str) -> String {
    identifier
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | '/'))
        .flat_map(char::to_uppercase)
        .collect()
}

fn keyed_hash(ctx: &AppContext, attribute: &str, identifier: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(ctx.settings.census_secret.expose())
        .expect("HMAC takes keys of any length");
    mac.update(attribute.as_bytes());
    mac.update(&[0]);
    mac.update(normalise(identifier).as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Whether `viewer` may import a census into `attribute`, checked before the file is even
/// read; the attribute's name as it will be stored.
pub fn may_import(viewer: &Viewer, attribute: &str) -> AppResult<String> {
    require_admin(viewer)?;
    Ok(attribute_name("attribute", attribute)?)
}

/// Imports a CSV with a header row that has an `identifier` column (other columns are ignored
/// and never stored). The file is read as a stream; only the keyed hashes are kept.
pub async fn import(ctx: &AppContext, viewer: &Viewer, attribute: &str, csv: impl std::io::Read) -> AppResult<ImportReport> {
    let attribute = may_import(viewer, attribute)?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(csv);
    let headers = reader
        .headers()
        .map_err(|e| AppError::bad_request("body", format!("the CSV header cannot be read: {e}")))?
        .clone();
    let column = headers
        .iter()
        .position(|h| h.eq_ignore_ascii_case("identifier"))
        .ok_or_else(|| AppError::bad_request("body", "the CSV needs a header row with an `identifier` column"))?;

    let mut report = ImportReport { attribute: attribute.clone(), rows: 0, imported: 0, already_present: 0, rejected: vec![] };
    let mut hashes = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        report.rows += 1;
        if report.rows as usize > MAX_ROWS {
            return Err(AppError::bad_request("body", format!("at most {MAX_ROWS} rows per file")));
        }
        match record {
            Err(e) => report.rejected.push(RejectedRow { line, problem: format!("unreadable row: {e}") }),
            Ok(r) => match r.get(column).map(normalise) {
                Some(id) if (1..=128).contains(&id.len()) => hashes.push(keyed_hash(ctx, &attribute, &id)),
                _ => report.rejected.push(RejectedRow { line, problem: "empty or over-long identifier".into() }),
            },
        }
    }
    hashes.sort();
    let before = hashes.len();
    hashes.dedup();
    report.already_present += (before - hashes.len()) as u64;

    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    let at = now();
    for chunk in hashes.chunks(500) {
        let existing: std::collections::HashSet<String> = census_entry::Entity::find()
            .filter(census_entry::Column::Attribute.eq(&attribute))
            .filter(census_entry::Column::IdentifierHash.is_in(chunk.iter().cloned()))
            .all(&txn)
            .await?
            .into_iter()
            .map(|e| e.identifier_hash)
            .collect();
        let fresh: Vec<census_entry::ActiveModel> = chunk
            .iter()
            .filter(|h| !existing.contains(*h))
            .map(|h| census_entry::ActiveModel {
                id: Set(Uuid::now_v7()),
                attribute: Set(attribute.clone()),
                identifier_hash: Set(h.clone()),
                imported_at: Set(at),
                claimed_by: Set(None),
            })
            .collect();
        report.already_present += existing.len() as u64;
        report.imported += fresh.len() as u64;
        if !fresh.is_empty() {
            census_entry::Entity::insert_many(fresh).exec(&txn).await?;
        }
    }
    txn.commit().await?;
    Ok(report)
}

/// What a census file holds, shown before it is imported: its columns, its first rows as
/// they are, and how many data rows it has.
#[derive(Debug)]
pub struct Preview {
    pub attribute: String,
    pub headers: Vec<String>,
    /// Which column holds the identifiers.
    pub identifier_column: usize,
    pub first_rows: Vec<Vec<String>>,
    pub rows: u64,
}

/// Reads a census file as [`import`] would, without storing anything: its header (which
/// must have an `identifier` column), its first `first` rows and its row count.
pub fn preview(viewer: &Viewer, attribute: &str, csv: impl std::io::Read, first: usize) -> AppResult<Preview> {
    let attribute = may_import(viewer, attribute)?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(csv);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| AppError::bad_request("body", format!("the CSV header cannot be read: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let identifier_column = headers
        .iter()
        .position(|h| h.eq_ignore_ascii_case("identifier"))
        .ok_or_else(|| AppError::bad_request("body", "the CSV needs a header row with an `identifier` column"))?;
    let mut preview = Preview { attribute, headers, identifier_column, first_rows: vec![], rows: 0 };
    for record in reader.records() {
        preview.rows += 1;
        if preview.rows as usize > MAX_ROWS {
            return Err(AppError::bad_request("body", format!("at most {MAX_ROWS} rows per file")));
        }
        if preview.first_rows.len() < first {
            let row = match record {
                Ok(r) => r.iter().map(str::to_string).collect(),
                Err(e) => vec![format!("unreadable row: {e}")],
            };
            preview.first_rows.push(row);
        }
    }
    Ok(preview)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimInput {
    /// The attribute to claim, e.g. `resident`.
    pub attribute: String,
    /// Your identifier as it appears in the census (e.g. your ID number).
    pub identifier: String,
}

/// Grants the attribute when the identifier is in the census and nobody claimed it yet.
pub async fn claim(ctx: &AppContext, viewer: &Viewer, input: ClaimInput) -> AppResult<AccountView> {
    let attribute = attribute_name("attribute", &input.attribute)?;
    let id = normalise(&input.identifier);
    if id.is_empty() || id.len() > 128 {
        return Err(AppError::invalid("identifier", "must be 1 to 128 characters"));
    }
    let hash = keyed_hash(ctx, &attribute, &id);
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    let entry = census_entry::Entity::find()
        .filter(census_entry::Column::Attribute.eq(&attribute))
        .filter(census_entry::Column::IdentifierHash.eq(&hash))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::invalid("identifier", "is not in the census for this attribute; check it or ask the organisers"))?;
    match entry.claimed_by {
        Some(by) if by == viewer.account_id => {}
        Some(_) => return Err(AppError::conflict("identifier", "has already been claimed by another account")),
        None => {
            let mut model: census_entry::ActiveModel = entry.into();
            model.claimed_by = Set(Some(viewer.account_id));
            model.update(&txn).await?;
        }
    }
    put_attribute(&txn, viewer.account_id, &attribute, "census", None).await?;
    txn.commit().await?;
    let account = super::accounts::get(ctx, viewer.account_id).await?;
    super::accounts::view(ctx, account).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn normalises_common_spellings() {
        assert_eq!(super::normalise(" 12.345.678-k "), "12345678K");
    }
}
