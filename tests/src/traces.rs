//! Looking for a person in the whole database: every column of every table, searched by the
//! database itself for what identifies them (address, name, account id as text and bytes, the
//! hashes rate limits keep). What the account-deletion tests use to show nothing is left.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use sha2::{Digest, Sha256};

use crate::TestApp;

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Something that identifies a person, as the server could have stored it: text, or bytes.
pub struct Trace {
    pub what: String,
    pub bytes: Vec<u8>,
    pub text: bool,
}

/// What identifies a person, in every form the server could have stored it: the address,
/// the name (unless empty), the account id as text (with and without hyphens) and as 16
/// bytes, and the hashes the rate limits keep instead of the address and the id.
pub fn traces_of(email: &str, name: &str, id: &str) -> Vec<Trace> {
    let id = uuid::Uuid::parse_str(id).unwrap();
    let text = |what: String, value: String| Trace { what, bytes: value.into_bytes(), text: true };
    let mut traces = vec![
        text(format!("email {email}"), email.to_string()),
        text(format!("id {id}"), id.to_string()),
        text(format!("id {}", id.simple()), id.simple().to_string()),
        Trace { what: "id as bytes".into(), bytes: id.as_bytes().to_vec(), text: false },
        text("sha256 of the email".into(), sha256_hex(email)),
        text("sha256 of the id".into(), sha256_hex(&id.to_string())),
    ];
    if !name.is_empty() {
        traces.push(text(format!("name {name}"), name.to_string()));
    }
    traces
}

/// Every column of every table in the database, with its declared type.
pub async fn columns(db: &DatabaseConnection) -> Vec<(String, String, String)> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => {
            "SELECT m.name AS t, p.name AS c, p.type AS ty FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1, 2"
        }
        _ => {
            "SELECT table_name::text AS t, column_name::text AS c, data_type::text AS ty FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2"
        }
    };
    let rows = db.query_all_raw(Statement::from_string(backend, sql)).await.unwrap();
    rows.iter().map(|r| (r.try_get("", "t").unwrap(), r.try_get("", "c").unwrap(), r.try_get("", "ty").unwrap())).collect()
}

/// Where any of `traces` occurs in the database, as `table.column: what (n rows)`: every
/// column of every table is searched, by the database itself (bytes on SQLite, whatever the
/// column's type; text and bytea on PostgreSQL).
pub async fn found_anywhere(app: &TestApp, traces: &[Trace]) -> Vec<String> {
    let db = sea_orm::Database::connect(app.db.url()).await.unwrap();
    let backend = db.get_database_backend();
    let all = columns(&db).await;
    assert!(all.iter().any(|(t, c, _)| t == "accounts" && c == "email"), "the schema is read: {all:?}");
    let mut hits = vec![];
    for (table, column, ty) in &all {
        for Trace { what, bytes, text } in traces {
            let hex = hex::encode(bytes);
            let condition = match backend {
                DbBackend::Sqlite => format!("instr(CAST(\"{column}\" AS BLOB), X'{hex}') > 0"),
                _ if ty == "bytea" => format!("position('\\x{hex}'::bytea in \"{column}\") > 0"),
                // Bytes are only ever stored in bytea; a uuid column is searched as text.
                _ if !text => continue,
                _ => {
                    let text = std::str::from_utf8(bytes).unwrap();
                    assert!(!text.contains('\''), "{text}");
                    format!("position('{text}' in \"{column}\"::text) > 0")
                }
            };
            let sql = format!("SELECT COUNT(*) AS n FROM \"{table}\" WHERE {condition}");
            let row = db.query_one_raw(Statement::from_string(backend, sql.clone())).await.unwrap_or_else(|e| panic!("{sql}: {e}")).unwrap();
            let n: i64 = row.try_get("", "n").unwrap();
            if n > 0 {
                hits.push(format!("{table}.{column}: {what} ({n} rows)"));
            }
        }
    }
    let _ = db.close().await;
    hits
}
