//! A browser for the page tests, over HTTP: its own cookies (the session, the form token's
//! secret, the language), redirects not followed so that tests can look at them, and forms
//! posted as our own pages post them.

use std::sync::Arc;

use reqwest::StatusCode;
use reqwest::cookie::Jar;

use crate::TestApp;

pub struct Browser {
    pub client: reqwest::Client,
    base: String,
}

impl Browser {
    /// Signed in with `access_token` (the session cookie), reading in `lang` if given.
    pub fn new(app: &TestApp, access_token: Option<&str>, lang: Option<&str>) -> Browser {
        let jar = Arc::new(Jar::default());
        let url: reqwest::Url = app.base_url.parse().unwrap();
        if let Some(token) = access_token {
            jar.add_cookie_str(&format!("convene_access={token}; Path=/"), &url);
        }
        if let Some(lang) = lang {
            jar.add_cookie_str(&format!("lang={lang}; Path=/"), &url);
        }
        let client = reqwest::Client::builder().cookie_provider(jar).redirect(reqwest::redirect::Policy::none()).no_proxy().build().unwrap();
        Browser { client, base: app.base_url.clone() }
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let res = self.client.get(format!("{}{path}", self.base)).header("accept", "text/html").send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    }

    /// A page that must answer `status`, as HTML.
    pub async fn page(&self, path: &str, status: u16) -> String {
        let (got, html) = self.get(path).await;
        assert_eq!(got.as_u16(), status, "GET {path}: {html}");
        html
    }

    /// Posts a form as our own pages do: the form token of the page it is on, the browser
    /// saying the post is same-origin.
    pub async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> reqwest::Response {
        self.client.post(format!("{}{path}", self.base)).header("sec-fetch-site", "same-origin").form(pairs).send().await.unwrap()
    }

    /// Posts the form at `path` after reading its form token from the page `from`.
    pub async fn submit(&self, from: &str, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let html = self.page(from, 200).await;
        let csrf = hidden(&html, "csrf");
        let mut pairs = vec![("csrf", csrf.as_str())];
        pairs.extend_from_slice(fields);
        self.post(path, &pairs).await
    }
}

/// The value of the first hidden input `name` on a page.
pub fn hidden(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    let at = html.find(&needle).unwrap_or_else(|| panic!("no {name} in {html}")) + needle.len();
    html[at..].split('"').next().unwrap().replace("&#x2f;", "/").replace("&#47;", "/").replace("&amp;", "&")
}

/// The `<main>` of a page.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a page has a main");
    &html[start..html.find("</main>").unwrap()]
}

/// Where a response sends the browser.
pub fn location(res: &reqwest::Response) -> String {
    res.headers().get(reqwest::header::LOCATION).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}
