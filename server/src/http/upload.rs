//! Large request bodies: plugin components and census files, tens of MiB each. A handler
//! takes the body as an unread `web::Payload`, asks the app whether the caller may send it
//! at all, and only then spools it here: into an unnamed temporary file, never into memory,
//! stopping at the limit. Someone who may not upload gets a 403 before a byte of their body
//! is read, so parallel uploads cannot fill the server's memory.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use actix_web::http::header;
use actix_web::{HttpRequest, web};
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

use crate::app::AppError;
use crate::domain::errors::FieldError;

/// A request body held in a temporary file that disappears when this is dropped (or the
/// process dies: the file has no name).
pub struct Spooled {
    file: std::fs::File,
    len: u64,
}

impl Spooled {
    /// Reads the body from its start.
    pub fn into_reader(self) -> impl Read {
        std::io::BufReader::new(self.file)
    }

    /// The whole body in memory, for consumers that need it so (compiling a component).
    pub fn into_bytes(self) -> Result<Vec<u8>, AppError> {
        let mut bytes = Vec::with_capacity(self.len as usize);
        let mut file = self.file;
        file.read_to_end(&mut bytes).map_err(|e| AppError::Internal(anyhow::anyhow!("reading a spooled upload: {e}")))?;
        Ok(bytes)
    }
}

/// `1 MiB`-style text for a limit in bytes.
fn describe_limit(limit: u64) -> String {
    if limit % (1 << 20) == 0 { format!("{} MiB", limit >> 20) } else { format!("{} KiB", limit.div_ceil(1 << 10)) }
}

fn too_large(limit: u64) -> AppError {
    AppError::TooLarge(FieldError::new("body", format!("is larger than the {} limit ({limit} bytes)", describe_limit(limit))))
}

/// Reads `payload` into a temporary file in `dir`, refusing with 413 a body whose declared
/// length is over `limit` before reading it, and one that grows past `limit` as soon as it
/// does. Call it only once the caller is known to be allowed to send this body.
pub async fn spool(req: &HttpRequest, mut payload: web::Payload, limit: u64, dir: &Path) -> Result<Spooled, AppError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit) {
        return Err(too_large(limit));
    }
    let internal = |what: &str, e: std::io::Error| AppError::Internal(anyhow::anyhow!("{what} in {}: {e}", dir.display()));
    let file = tempfile::tempfile_in(dir).map_err(|e| internal("creating an upload file", e))?;
    let mut file = tokio::fs::File::from_std(file);
    let mut len: u64 = 0;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::bad_request("body", format!("could not read the body: {e}")))?;
        len += chunk.len() as u64;
        if len > limit {
            return Err(too_large(limit));
        }
        file.write_all(&chunk).await.map_err(|e| internal("writing an upload", e))?;
    }
    file.flush().await.map_err(|e| internal("writing an upload", e))?;
    let mut file = file.into_std().await;
    file.seek(SeekFrom::Start(0)).map_err(|e| internal("rewinding an upload", e))?;
    Ok(Spooled { file, len })
}

#[cfg(test)]
mod tests {
    #[test]
    fn limits_are_named_in_units_people_use() {
        assert_eq!(super::describe_limit(32 << 20), "32 MiB");
        assert_eq!(super::describe_limit(256 * 1024), "256 KiB");
    }
}
