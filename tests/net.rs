//! Live intensity against a real HTTP server on 127.0.0.1 started by the test, serving each provider's real
//! response formats: latest, forecast, history, 401, 404, 429 with Retry-After, 500, a slow reply (timeout), a huge
//! body, malformed JSON, no network. No test reaches the internet; the token never appears in a message.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

mod support_http;

use std::time::{Duration, Instant};
use support_http::{Canned, start};
use trainprint::model::ProviderKind;
use trainprint::net::{
    self, NetError, Provider, cache::Cache, electricitymaps::ElectricityMaps, gb::Gb, token,
};

const TOKEN: &str = "SECRET-TOKEN-7f3a";

fn em(base: &str) -> ElectricityMaps {
    ElectricityMaps::new(base, TOKEN.into()).unwrap()
}

fn assert_no_token(e: &NetError) {
    let s = format!("{e} {e:?}");
    assert!(!s.contains(TOKEN), "the token leaked into: {s}");
}

#[test]
fn electricity_maps_latest_forecast_and_history() {
    let s = start(vec![
        (
            "/v3/carbon-intensity/latest",
            Canned::json(200, support_http::EM_LATEST),
        ),
        (
            "/v3/carbon-intensity/forecast",
            Canned::json(200, support_http::EM_FORECAST),
        ),
        (
            "/v3/carbon-intensity/history",
            Canned::json(200, support_http::EM_HISTORY),
        ),
    ]);
    let p = em(&format!("{}v3/", s.base));
    let r = net::fetch(&p, "DE", true).unwrap();
    assert_eq!(r.provider, ProviderKind::ElectricityMaps);
    assert_eq!(r.intensity_g_per_kwh, 302.0);
    assert_eq!(r.datetime, "2026-11-23T10:00:00.000Z");
    let f: Vec<f64> = r.forecast.iter().map(|p| p.intensity_g_per_kwh).collect();
    assert_eq!(f, [310.0, 287.0, 251.0]);
    assert_eq!(r.forecast[2].datetime, "2026-11-23T13:00:00.000Z");
    let h = p.history("DE").unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[1].intensity_g_per_kwh, 318.0);
    // The token went in the auth-token header, the zone in the query.
    let seen = s.seen.lock().unwrap();
    let latest = seen.iter().find(|r| r.target.contains("latest")).unwrap();
    assert_eq!(latest.target, "/v3/carbon-intensity/latest?zone=DE");
    assert!(
        latest
            .headers
            .iter()
            .any(|(k, v)| k == "auth-token" && v == TOKEN)
    );
}

#[test]
fn gb_national_and_regional_latest_and_forecast() {
    let s = start(vec![
        ("/intensity", Canned::json(200, support_http::GB_NATIONAL)),
        ("/intensity/2", Canned::json(200, support_http::GB_FW48H)),
        (
            "/regional/regionid/13",
            Canned::json(200, support_http::GB_REGIONAL),
        ),
        (
            "/regional/intensity/",
            Canned::json(200, support_http::GB_REGIONAL_FW48H),
        ),
    ]);
    let p = Gb::new(&s.base).unwrap();
    // National: the actual value where published.
    assert_eq!(
        p.latest("national").unwrap(),
        (175.0, "2026-11-23T10:00Z".to_string())
    );
    let f = p.forecast("national").unwrap();
    assert_eq!(
        f.iter().map(|p| p.intensity_g_per_kwh).collect::<Vec<_>>(),
        [172.0, 160.0]
    );
    // Regional: the forecast value (regions publish no actual).
    assert_eq!(
        p.latest("13").unwrap(),
        (141.0, "2026-11-23T10:00Z".to_string())
    );
    let f = p.forecast("13").unwrap();
    assert_eq!(
        f.iter().map(|p| p.intensity_g_per_kwh).collect::<Vec<_>>(),
        [139.0, 120.0]
    );
    let seen = s.seen.lock().unwrap();
    assert!(
        seen.iter()
            .any(|r| r.target.starts_with("/intensity/") && r.target.ends_with("/fw48h"))
    );
    assert!(
        seen.iter()
            .any(|r| r.target.ends_with("/fw48h/regionid/13"))
    );
    drop(seen);
    assert!(matches!(p.latest("99"), Err(NetError::BadZone(_))));
}

#[test]
fn http_errors_become_clear_messages_without_the_token() {
    let s = start(vec![
        (
            "/v3/401/",
            Canned::json(401, r#"{"error":"Invalid auth-token"}"#),
        ),
        ("/v3/403/", Canned::json(403, r#"{"error":"Forbidden"}"#)),
        (
            "/v3/404/",
            Canned::json(404, r#"{"error":"Zone 'XX' does not exist"}"#),
        ),
        (
            "/v3/429/",
            Canned::json(429, r#"{"error":"Too many requests"}"#).with_header("Retry-After", "120"),
        ),
        ("/v3/500/", Canned::json(500, "oops")),
        ("/v3/503/", Canned::json(503, "down")),
        (
            "/v3/bad-json/",
            Canned::json(200, r#"{"zone":"DE","carbonIntensity":"#),
        ),
        (
            "/v3/no-field/",
            Canned::json(
                200,
                r#"{"zone":"DE","datetime":"2026-11-23T10:00:00.000Z"}"#,
            ),
        ),
        (
            "/v3/negative/",
            Canned::json(200, r#"{"zone":"DE","carbonIntensity":-5,"datetime":"x"}"#),
        ),
    ]);
    let latest = |case: &str| {
        em(&format!("{}v3/{case}/", s.base))
            .latest("DE")
            .unwrap_err()
    };
    let e = latest("401");
    assert_eq!(e, NetError::Unauthorized { status: 401 });
    assert!(e.to_string().contains("token was refused"));
    assert_no_token(&e);
    assert_eq!(latest("403"), NetError::Unauthorized { status: 403 });
    let e = latest("404");
    assert!(
        matches!(&e, NetError::UnknownZone { zone, .. } if zone == "DE"),
        "{e}"
    );
    let e = latest("429");
    assert_eq!(
        e,
        NetError::RateLimited {
            provider: "Electricity Maps",
            retry_after: Some("120".into())
        }
    );
    assert!(e.to_string().contains("retried after 120"), "{e}");
    assert!(matches!(
        latest("500"),
        NetError::Server { status: 500, .. }
    ));
    assert!(matches!(
        latest("503"),
        NetError::Server { status: 503, .. }
    ));
    let e = latest("bad-json");
    assert!(
        matches!(&e, NetError::Malformed { message, .. } if message.contains("not JSON")),
        "{e}"
    );
    assert!(matches!(latest("no-field"), NetError::Malformed { .. }));
    assert!(matches!(latest("negative"), NetError::Malformed { .. }));
    for case in ["401", "404", "500", "bad-json"] {
        assert_no_token(&latest(case));
    }
    // Each fault was one request: nothing retried in a loop.
    let n429 = s
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.target.contains("/429/"))
        .count();
    assert_eq!(n429, 1);
}

#[test]
fn huge_bodies_are_refused() {
    let big = vec![b' '; 3 * 1024 * 1024];
    let mut chunked = Canned::json(200, "");
    chunked.body = big.clone();
    chunked.no_length = true;
    let mut sized = Canned::json(200, "");
    sized.body = big;
    let s = start(vec![("/v3/sized/", sized), ("/v3/unsized/", chunked)]);
    for case in ["sized", "unsized"] {
        let e = em(&format!("{}v3/{case}/", s.base))
            .latest("DE")
            .unwrap_err();
        assert_eq!(
            e,
            NetError::TooLarge {
                limit: 2 * 1024 * 1024
            },
            "{case}"
        );
    }
}

#[test]
fn a_slow_reply_times_out_after_15_seconds() {
    let s = start(vec![(
        "/v3/",
        Canned::json(200, support_http::EM_LATEST).delayed(Duration::from_secs(25)),
    )]);
    let t = Instant::now();
    let e = em(&format!("{}v3/", s.base)).latest("DE").unwrap_err();
    let took = t.elapsed();
    assert_eq!(e, NetError::Timeout);
    assert!(
        took >= Duration::from_secs(14) && took < Duration::from_secs(24),
        "{took:?}"
    );
    assert!(e.is_offline());
}

#[test]
fn no_network_and_insecure_addresses() {
    let e = em(&format!("{}v3/", support_http::closed_port()))
        .latest("DE")
        .unwrap_err();
    assert!(matches!(e, NetError::Offline { .. }), "{e}");
    assert!(e.is_offline());
    assert!(matches!(
        ElectricityMaps::new("http://example.com/v3/", TOKEN.into()),
        Err(NetError::Insecure(_))
    ));
    assert!(matches!(
        Gb::new("ftp://localhost/"),
        Err(NetError::Insecure(_))
    ));
    assert!(Gb::new("https://api.carbonintensity.org.uk/").is_ok());
    assert!(
        Gb::new("http://127.0.0.1:9/").is_ok(),
        "loopback http is allowed for tests"
    );
    assert!(matches!(
        ElectricityMaps::new("https://x/", " ".into()),
        Err(NetError::NoToken)
    ));
    assert!(matches!(
        em("https://x/").latest("DE&x=1"),
        Err(NetError::BadZone(_))
    ));
}

#[test]
fn readings_are_cached_with_their_time() {
    let dir = std::env::temp_dir().join(format!("trainprint-net-cache-{}", std::process::id()));
    let cache = Cache::at(&dir);
    assert!(cache.load(ProviderKind::Gb, "national").is_none());
    let r = net::Reading {
        provider: ProviderKind::Gb,
        zone: "national".into(),
        intensity_g_per_kwh: 175.0,
        datetime: "2026-11-23T10:00Z".into(),
        forecast: vec![],
        fetched_at_unix: 1_763_900_000,
    };
    cache.store(&r).unwrap();
    assert_eq!(cache.load(ProviderKind::Gb, "national"), Some(r));
    assert_eq!(
        net::age_text(1_763_900_000, 1_763_900_000 + 3 * 3600),
        "3 h"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_token_file_is_owner_only() {
    let dir = std::env::temp_dir().join(format!("trainprint-net-token-{}", std::process::id()));
    let path = token::path_in(&dir);
    token::save(&path, "  abc123  ").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "abc123\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    if std::env::var_os(token::ENV).is_none() {
        assert_eq!(token::load(Some(&path)).as_deref(), Some("abc123"));
    }
    token::delete(&path).unwrap();
    token::delete(&path).unwrap();
    assert!(!path.exists());
    let _ = std::fs::remove_dir_all(dir);
}

fn cli(args: &[&str], home: &std::path::Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_trainprint"))
        .args(args)
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env(token::ENV, TOKEN)
        .output()
        .unwrap()
}

#[test]
fn the_intensity_command_prints_the_documented_json() {
    let s = start(vec![
        (
            "/v3/carbon-intensity/latest",
            Canned::json(200, support_http::EM_LATEST),
        ),
        (
            "/v3/carbon-intensity/forecast",
            Canned::json(200, support_http::EM_FORECAST),
        ),
        ("/bad/v3/", Canned::json(401, "{}")),
    ]);
    let home = std::env::temp_dir().join(format!("trainprint-net-cli-{}", std::process::id()));
    let base = format!("{}v3/", s.base);
    let out = cli(
        &[
            "intensity",
            "--provider",
            "electricitymaps",
            "--zone",
            "DE",
            "--forecast",
            "--base-url",
            &base,
            "--format",
            "json",
        ],
        &home,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["provider"], "electricitymaps");
    assert_eq!(v["zone"], "DE");
    assert_eq!(v["intensity_g_per_kwh"], 302.0);
    assert_eq!(v["datetime"], "2026-11-23T10:00:00.000Z");
    assert_eq!(v["forecast"].as_array().unwrap().len(), 3);
    assert_eq!(v["forecast"][1]["intensity_g_per_kwh"], 287.0);
    assert_eq!(v["forecast"][1]["datetime"], "2026-11-23T12:00:00.000Z");
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 5);
    // Without --forecast the list is empty.
    let out = cli(
        &[
            "intensity",
            "--provider",
            "electricitymaps",
            "--zone",
            "DE",
            "--base-url",
            &base,
            "--format",
            "json",
        ],
        &home,
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["forecast"].as_array().unwrap().len(), 0);
    // A fault: one line, exit 2, no token.
    let out = cli(
        &[
            "intensity",
            "--provider",
            "electricitymaps",
            "--zone",
            "DE",
            "--base-url",
            &format!("{}bad/v3/", s.base),
        ],
        &home,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("token was refused") && !err.contains(TOKEN),
        "{err}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains(TOKEN));
    // Offline: the message says what the cache holds and how old it is.
    let out = cli(
        &[
            "intensity",
            "--provider",
            "electricitymaps",
            "--zone",
            "DE",
            "--base-url",
            &format!("{}v3/", support_http::closed_port()),
        ],
        &home,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no network") && err.contains("last cached reading") && err.contains("302"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(home);
}
