//! Cursor pagination. Ids are UUIDv7, which sort by creation time, so the cursor is simply the
//! last id seen: pages stay stable while rows are added, and each page is one index range scan.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::AppError;

pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 100;

/// `?limit=&cursor=` as sent by the client.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub limit: u64,
    pub after: Option<Uuid>,
}

impl PageParams {
    pub fn parse(&self) -> Result<PageRequest, AppError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(AppError::bad_request("limit", format!("must be between 1 and {MAX_LIMIT}")));
        }
        let after = match &self.cursor {
            None => None,
            Some(c) => Some(decode_cursor(c).ok_or_else(|| {
                AppError::bad_request("cursor", "is not a cursor this server issued; use next_cursor from the previous page")
            })?),
        };
        Ok(PageRequest { limit, after })
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows fetched in order: the extra row only tells
    /// that there is more.
    pub fn from_rows<R>(mut rows: Vec<R>, req: PageRequest, id: impl Fn(&R) -> Uuid, map: impl FnMut(R) -> T) -> Page<T> {
        let more = rows.len() as u64 > req.limit;
        rows.truncate(req.limit as usize);
        let next_cursor = if more { rows.last().map(|r| encode_cursor(id(r))) } else { None };
        Page { items: rows.into_iter().map(map).collect(), next_cursor }
    }
}

pub fn encode_cursor(id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(id.as_bytes())
}

fn decode_cursor(cursor: &str) -> Option<Uuid> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    Uuid::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip_and_rejects_junk() {
        let id = Uuid::now_v7();
        let p = PageParams { limit: Some(5), cursor: Some(encode_cursor(id)) };
        assert_eq!(p.parse().unwrap().after, Some(id));
        assert!(PageParams { limit: Some(0), cursor: None }.parse().is_err());
        assert!(PageParams { limit: Some(101), cursor: None }.parse().is_err());
        assert!(PageParams { limit: None, cursor: Some("!!".into()) }.parse().is_err());
    }
}
