//! The pages' static files (stylesheet, a little script, icons), compiled into the binary and
//! served under names that carry a digest of their content, so browsers may keep them for a
//! year and still never use a stale copy after an upgrade. Nothing is fetched from elsewhere.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use sha2::{Digest, Sha256};

struct Asset {
    /// The name templates know it by.
    logical: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const ASSETS: [Asset; 3] = [
    Asset { logical: "site.css", content_type: "text/css; charset=utf-8", bytes: include_bytes!("assets/site.css") },
    Asset { logical: "site.js", content_type: "text/javascript; charset=utf-8", bytes: include_bytes!("assets/site.js") },
    Asset { logical: "icon.svg", content_type: "image/svg+xml", bytes: include_bytes!("assets/icon.svg") },
];

/// Each asset's served name, e.g. `site.3f2a9c01d4.css`.
static SERVED: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| {
            let digest = hex::encode(&Sha256::digest(a.bytes)[..5]);
            let (stem, ext) = a.logical.rsplit_once('.').expect("asset names have an extension");
            format!("{stem}.{digest}.{ext}")
        })
        .collect()
});

/// The site's icon as a `data:` URL: one request fewer on a cold load (the page budget is
/// three: the page, its stylesheet and its script).
pub fn icon_data_url() -> &'static str {
    static URL: LazyLock<String> = LazyLock::new(|| {
        use base64::Engine;
        let svg = ASSETS.iter().find(|a| a.logical == "icon.svg").expect("the icon is an asset").bytes;
        format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg))
    });
    &URL
}

/// The URL of an asset by its logical name, e.g. `/assets/site.3f2a9c01d4.css`.
pub fn url(logical: &str) -> String {
    let i = ASSETS.iter().position(|a| a.logical == logical).unwrap_or_else(|| panic!("no asset {logical}"));
    format!("/assets/{}", SERVED[i])
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/assets/{name}", web::get().to(serve));
}

async fn serve(name: web::Path<String>) -> HttpResponse {
    match SERVED.iter().position(|s| *s == *name) {
        Some(i) => HttpResponse::Ok()
            .content_type(ASSETS[i].content_type)
            .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
            .body(ASSETS[i].bytes),
        None => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body("no such asset"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_a_digest_of_the_content() {
        let css = url("site.css");
        assert!(css.starts_with("/assets/site.") && css.ends_with(".css") && css.len() == "/assets/site..css".len() + 10, "{css}");
        assert_ne!(url("site.css"), url("site.js"));
    }
}
