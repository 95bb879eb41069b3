//! The one HTTP client of the program: HTTPS only (plain HTTP only to loopback, for tests), connect timeout 5 s
//! and whole-request timeout 15 s, bodies capped at 2 MiB (read with a limit, whatever Content-Length says), HTTP
//! errors mapped to [`NetError`] once, never a retry.

use super::NetError;
use std::time::Duration;
use url::Url;

/// The largest response body accepted.
pub const MAX_BODY: u64 = 2 * 1024 * 1024;
/// Connect timeout.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Whole-request timeout.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// A JSON-over-HTTPS client for one provider. On the desktop it sends with reqwest's blocking client; in the
/// browser a provider's requests are answered from responses the page fetched beforehand (see [`super::web`]).
pub struct Client {
    #[cfg(not(target_arch = "wasm32"))]
    inner: reqwest::blocking::Client,
    base: Url,
    provider: &'static str,
}

/// A GET request a provider makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The address.
    pub url: Url,
    /// Extra headers (the token header of Electricity Maps).
    pub headers: Vec<(&'static str, String)>,
}

/// The Retry-After header as text (at most 64 characters kept), for the rate-limit message.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(64).collect())
}

/// What came back: the status, the Retry-After header, and the body (at most [`MAX_BODY`] + 1 bytes kept).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The Retry-After header, as sent (at most 64 characters).
    pub retry_after: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Parses a base URL and checks it is HTTPS (or HTTP to a loopback address).
pub fn checked_base(base: &str) -> Result<Url, NetError> {
    let mut url = Url::parse(base).map_err(|e| NetError::BadUrl(format!("{base}: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        _ => return Err(NetError::Insecure(base.to_owned())),
    }
    if !url.path().ends_with('/') {
        let p = format!("{}/", url.path());
        url.set_path(&p);
    }
    Ok(url)
}

impl Client {
    /// A client for `base` (checked with [`checked_base`]).
    pub fn new(base: &str, provider: &'static str) -> Result<Self, NetError> {
        let base = checked_base(base)?;
        Ok(Client {
            #[cfg(not(target_arch = "wasm32"))]
            inner: reqwest::blocking::Client::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .timeout(REQUEST_TIMEOUT)
                .user_agent(concat!("trainprint/", env!("CARGO_PKG_VERSION")))
                // Redirects could leave HTTPS or the provider: follow none.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| NetError::BadUrl(e.to_string()))?,
            base,
            provider,
        })
    }

    /// The URL of `path` (relative, no leading slash) with `query` pairs.
    pub fn url(&self, path: &str, query: &[(&str, &str)]) -> Result<Url, NetError> {
        let mut url = self
            .base
            .join(path)
            .map_err(|e| NetError::BadUrl(e.to_string()))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    /// GETs `url` with extra `headers` and parses the JSON body.
    pub fn get_json(
        &self,
        url: Url,
        headers: &[(&'static str, &str)],
        zone: &str,
    ) -> Result<serde_json::Value, NetError> {
        let request = Request {
            url,
            headers: headers.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
        };
        let response = self.send(request)?;
        interpret(self.provider, zone, &response)
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn send(&self, request: Request) -> Result<Response, NetError> {
        let host = request.url.host_str().unwrap_or("").to_owned();
        let mut req = self.inner.get(request.url);
        for (k, v) in &request.headers {
            req = req.header(*k, v);
        }
        let resp = req.send().map_err(|e| classify(e, &host))?;
        let status = resp.status().as_u16();
        let retry_after = retry_after(resp.headers());
        if (200..300).contains(&status) && resp.content_length().is_some_and(|n| n > MAX_BODY) {
            return Err(NetError::TooLarge { limit: MAX_BODY });
        }
        let mut body = Vec::new();
        if (200..300).contains(&status) {
            use std::io::Read;
            resp.take(MAX_BODY + 1)
                .read_to_end(&mut body)
                .map_err(|e| {
                    if e.to_string().to_lowercase().contains("timed out") {
                        NetError::Timeout
                    } else {
                        NetError::Offline {
                            host: host.clone(),
                            message: e.to_string(),
                        }
                    }
                })?;
        }
        Ok(Response {
            status,
            retry_after,
            body,
        })
    }

    /// In the browser: the response the page fetched for this request, or [`NetError::Pending`] so that the page
    /// fetches it and runs the provider again (see `net::web`).
    #[cfg(target_arch = "wasm32")]
    fn send(&self, request: Request) -> Result<Response, NetError> {
        fetched::get(&request).ok_or(NetError::Pending(request))
    }

    /// The provider name used in messages.
    pub fn provider(&self) -> &'static str {
        self.provider
    }
}

/// In the browser: the responses the page has fetched for the provider being run (the page has one thread).
#[cfg(target_arch = "wasm32")]
pub mod fetched {
    use super::{Request, Response};
    use std::cell::RefCell;

    thread_local! {
        static RESPONSES: RefCell<Vec<(Request, Response)>> = const { RefCell::new(Vec::new()) };
    }

    /// The response fetched for `request`, if there is one.
    pub fn get(request: &Request) -> Option<Response> {
        RESPONSES.with(|r| {
            r.borrow()
                .iter()
                .find(|(q, _)| q == request)
                .map(|(_, resp)| resp.clone())
        })
    }

    /// Keeps the response fetched for `request`.
    pub fn put(request: Request, response: Response) {
        RESPONSES.with(|r| r.borrow_mut().push((request, response)));
    }

    /// Drops every fetched response.
    pub fn clear() {
        RESPONSES.with(|r| r.borrow_mut().clear());
    }
}

/// Maps a response to the JSON body or the error its status means (once, for every transport).
pub fn interpret(
    provider: &'static str,
    zone: &str,
    resp: &Response,
) -> Result<serde_json::Value, NetError> {
    let status = resp.status;
    match status {
        200..=299 => {}
        401 | 403 => return Err(NetError::Unauthorized { status }),
        404 => {
            return Err(NetError::UnknownZone {
                provider,
                zone: zone.to_owned(),
            });
        }
        429 => {
            return Err(NetError::RateLimited {
                provider,
                retry_after: resp.retry_after.clone(),
            });
        }
        500..=599 => return Err(NetError::Server { provider, status }),
        _ => return Err(NetError::Status { provider, status }),
    }
    if resp.body.len() as u64 > MAX_BODY {
        return Err(NetError::TooLarge { limit: MAX_BODY });
    }
    serde_json::from_slice(&resp.body).map_err(|e| NetError::Malformed {
        provider,
        message: format!("not JSON ({e})"),
    })
}

#[cfg(not(target_arch = "wasm32"))]
fn classify(e: reqwest::Error, host: &str) -> NetError {
    if e.is_timeout() {
        NetError::Timeout
    } else {
        // Strip the URL (it may carry query text) and keep the cause.
        let e = e.without_url();
        let mut message = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            message = format!("{message}: {s}");
            source = s.source();
        }
        NetError::Offline {
            host: host.to_owned(),
            message,
        }
    }
}

/// A number field of a JSON object.
pub fn number(v: &serde_json::Value, key: &str) -> Option<f64> {
    v.get(key)
        .and_then(serde_json::Value::as_f64)
        .filter(|x| x.is_finite() && *x >= 0.0)
}

/// A string field of a JSON object.
pub fn text(v: &serde_json::Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(serde_json::Value::as_str)
        .map(|s| s.chars().take(64).collect())
}
