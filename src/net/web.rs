//! Live intensity in the browser, without threads or blocking: the providers' own code runs unchanged, and each
//! request it makes that has no response yet stops it with [`NetError::Pending`]; the page then fetches that URL
//! with the browser's `fetch` (through reqwest's wasm client) and runs the provider again, now answered from
//! memory, until it returns a reading or an error. A provider makes two or three requests, so this runs it at most
//! a few times; the responses are dropped when the fetch ends.

use super::http::{MAX_BODY, REQUEST_TIMEOUT, Request, Response, fetched, retry_after};
use super::{NetConfig, NetError, Reading};
use crate::model::ProviderKind;

/// How many times a provider is run before giving up (each run may ask for one more response).
const MAX_ROUNDS: usize = 8;

/// Fetches the latest reading (and the forecast when asked) of `zone` from the provider `kind`.
pub async fn fetch(
    kind: ProviderKind,
    config: &NetConfig,
    zone: &str,
    with_forecast: bool,
) -> Result<Reading, NetError> {
    let result = drive(kind, config, zone, with_forecast).await;
    fetched::clear();
    result
}

async fn drive(
    kind: ProviderKind,
    config: &NetConfig,
    zone: &str,
    with_forecast: bool,
) -> Result<Reading, NetError> {
    for _ in 0..MAX_ROUNDS {
        let provider = super::provider(kind, config)?;
        match super::fetch(provider.as_ref(), zone, with_forecast) {
            Err(NetError::Pending(request)) => {
                let response = send(&request).await?;
                fetched::put(request, response);
            }
            other => return other,
        }
    }
    Err(NetError::Malformed {
        provider: kind.label(),
        message: format!("more than {MAX_ROUNDS} requests for one reading"),
    })
}

/// True when the browser says it has a network connection.
fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// One GET through the browser. A failure without a status is either no network (the browser says so) or a
/// response the page may not read (CORS).
async fn send(request: &Request) -> Result<Response, NetError> {
    let host = request.url.host_str().unwrap_or("").to_owned();
    let mut rb = reqwest::Client::new()
        .get(request.url.clone())
        .timeout(REQUEST_TIMEOUT);
    for (k, v) in &request.headers {
        rb = rb.header(*k, v);
    }
    let failed = |e: reqwest::Error| {
        if e.is_timeout() {
            NetError::Timeout
        } else if online() {
            NetError::Blocked { host: host.clone() }
        } else {
            NetError::Offline {
                host: host.clone(),
                message: "the browser is offline".into(),
            }
        }
    };
    let resp = rb.send().await.map_err(failed)?;
    let status = resp.status().as_u16();
    let retry_after = retry_after(resp.headers());
    let mut body = Vec::new();
    if (200..300).contains(&status) {
        if resp.content_length().is_some_and(|n| n > MAX_BODY) {
            return Err(NetError::TooLarge { limit: MAX_BODY });
        }
        body = resp.bytes().await.map_err(failed)?.to_vec();
    }
    Ok(Response {
        status,
        retry_after,
        body,
    })
}
