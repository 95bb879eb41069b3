//! A tiny HTTP/1.1 server on 127.0.0.1 for tests: canned responses by path prefix, optional delays, and a log of
//! the requests it saw. No test reaches the internet.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One canned response.
#[derive(Clone, Debug)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
    /// Send the body without Content-Length (connection close marks the end).
    pub no_length: bool,
}

impl Canned {
    pub fn json(status: u16, body: &str) -> Self {
        Canned {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
            delay: Duration::ZERO,
            no_length: false,
        }
    }
    pub fn with_header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn delayed(mut self, d: Duration) -> Self {
        self.delay = d;
        self
    }
}

/// A request the server saw: the request line's target and the headers (lowercased names).
#[derive(Clone, Debug)]
pub struct Seen {
    pub target: String,
    pub headers: Vec<(String, String)>,
}

pub struct Server {
    pub base: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn handle(mut stream: TcpStream, routes: &[(String, Canned)], seen: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let target = line.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h == "\r\n" || h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.trim_end().split_once(':') {
            headers.push((k.trim().to_lowercase(), v.trim().to_string()));
        }
    }
    seen.lock().unwrap().push(Seen {
        target: target.clone(),
        headers,
    });
    let path = target.split('?').next().unwrap_or("");
    let canned = routes
        .iter()
        .filter(|(prefix, _)| path.starts_with(prefix.as_str()))
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, c)| c.clone())
        .unwrap_or_else(|| Canned::json(404, "{\"error\":\"no such route\"}"));
    std::thread::sleep(canned.delay);
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nConnection: close\r\n",
        canned.status,
        reason(canned.status)
    );
    for (k, v) in &canned.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !canned.no_length {
        head.push_str(&format!("Content-Length: {}\r\n", canned.body.len()));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&canned.body);
    let _ = stream.flush();
    // Drain what the client may still send, then close.
    let _ = stream.set_read_timeout(Some(Duration::from_millis(50)));
    let _ = reader.read(&mut [0u8; 64]);
}

/// Starts a server with `routes` (path prefix -> response); it runs until the test process ends.
pub fn start(routes: Vec<(&str, Canned)>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/", listener.local_addr().unwrap());
    let routes: Arc<Vec<(String, Canned)>> = Arc::new(
        routes
            .into_iter()
            .map(|(p, c)| (p.to_string(), c))
            .collect(),
    );
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let routes = routes.clone();
            let seen = seen2.clone();
            std::thread::spawn(move || handle(stream, &routes, &seen));
        }
    });
    Server { base, seen }
}

/// A loopback address nothing listens on.
pub fn closed_port() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    format!("http://{addr}/")
}

// Canned bodies in each provider's documented format.
pub const EM_LATEST: &str = r#"{"zone":"DE","carbonIntensity":302,"datetime":"2026-11-23T10:00:00.000Z","updatedAt":"2026-11-23T10:05:12.418Z","createdAt":"2026-11-20T10:00:00.000Z","emissionFactorType":"lifecycle","isEstimated":false,"estimationMethod":null,"temporalGranularity":"hourly"}"#;
pub const EM_FORECAST: &str = r#"{"zone":"DE","forecast":[{"carbonIntensity":310,"datetime":"2026-11-23T11:00:00.000Z"},{"carbonIntensity":287,"datetime":"2026-11-23T12:00:00.000Z"},{"carbonIntensity":251,"datetime":"2026-11-23T13:00:00.000Z"}],"updatedAt":"2026-11-23T10:05:12.418Z"}"#;
pub const EM_HISTORY: &str = r#"{"zone":"DE","history":[{"zone":"DE","carbonIntensity":330,"datetime":"2026-11-23T08:00:00.000Z","updatedAt":"2026-11-23T08:50:00.000Z","emissionFactorType":"lifecycle","isEstimated":false},{"zone":"DE","carbonIntensity":318,"datetime":"2026-11-23T09:00:00.000Z","updatedAt":"2026-11-23T09:50:00.000Z","emissionFactorType":"lifecycle","isEstimated":true,"estimationMethod":"TIME_SLICER_AVERAGE"}]}"#;
pub const GB_NATIONAL: &str = r#"{"data":[{"from":"2026-11-23T10:00Z","to":"2026-11-23T10:30Z","intensity":{"forecast":180,"actual":175,"index":"moderate"}}]}"#;
pub const GB_FW48H: &str = r#"{"data":[{"from":"2026-11-23T10:30Z","to":"2026-11-23T11:00Z","intensity":{"forecast":172,"actual":null,"index":"moderate"}},{"from":"2026-11-23T11:00Z","to":"2026-11-23T11:30Z","intensity":{"forecast":160,"actual":null,"index":"moderate"}}]}"#;
pub const GB_REGIONAL: &str = r#"{"data":[{"regionid":13,"dnoregion":"UKPN London","shortname":"London","data":[{"from":"2026-11-23T10:00Z","to":"2026-11-23T10:30Z","intensity":{"forecast":141,"index":"low"},"generationmix":[{"fuel":"gas","perc":31.2},{"fuel":"wind","perc":40.1}]}]}]}"#;
pub const GB_REGIONAL_FW48H: &str = r#"{"data":{"regionid":13,"dnoregion":"UKPN London","shortname":"London","data":[{"from":"2026-11-23T10:30Z","to":"2026-11-23T11:00Z","intensity":{"forecast":139,"index":"low"},"generationmix":[]},{"from":"2026-11-23T11:00Z","to":"2026-11-23T11:30Z","intensity":{"forecast":120,"index":"low"},"generationmix":[]}]}}"#;
