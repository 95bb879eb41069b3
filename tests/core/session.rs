//! The app's session files: autosave with backup, a damaged autosave moved aside (never lost, never fatal), and
//! preferences.

use trainprint::persist::presets;
use trainprint::persist::session::{Prefs, Restored, SessionDir, ThemeChoice, utc_stamp};

fn dir(tag: &str) -> SessionDir {
    let d = std::env::temp_dir().join(format!("trainprint-session-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    SessionDir::at(d)
}

#[test]
fn autosave_restores_and_keeps_a_backup() {
    let s = dir("ok");
    assert!(matches!(s.restore(), Restored::Nothing));
    let mut ws = presets::example("llama-65b").unwrap().unwrap();
    s.autosave(&ws).unwrap();
    ws.name = "second".into();
    s.autosave(&ws).unwrap();
    match s.restore() {
        Restored::Workspace(w) => assert_eq!(w.name, "second"),
        other => panic!("{other:?}"),
    }
    let _ = std::fs::remove_dir_all(s.dir());
}

#[test]
fn a_damaged_autosave_is_moved_aside_and_the_backup_restored() {
    let s = dir("damaged");
    let ws = presets::example("llama-65b").unwrap().unwrap();
    s.autosave(&ws).unwrap();
    s.autosave(&ws).unwrap(); // now there is a backup
    std::fs::write(
        s.autosave_path(),
        "(format: \"trainprint-workspace\", version: 1, name: ",
    )
    .unwrap();
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    };
    let before = utc_stamp(now());
    let restored = s.restore();
    let after = utc_stamp(now());
    match restored {
        Restored::FromBackup {
            workspace,
            moved_to,
            error,
        } => {
            assert_eq!(workspace.name, ws.name);
            assert!(moved_to.exists(), "the damaged file is kept");
            // Renamed with a readable UTC time, e.g. autosave.ron.damaged-2026-12-02T13-05-09Z: no colons (Windows),
            // and the stamps sort as the times do, so it lies between the times read before and after.
            let name = moved_to.file_name().unwrap().to_str().unwrap();
            let stamp = name.strip_prefix("autosave.ron.damaged-").unwrap();
            assert_eq!(stamp.len(), "2026-12-02T13-05-09Z".len(), "{name}");
            assert!(!stamp.contains(':'), "{name}");
            assert!(
                before.as_str() <= stamp && stamp <= after.as_str(),
                "{before} {stamp} {after}"
            );
            assert!(!s.autosave_path().exists());
            assert!(error.to_string().contains("autosave.ron"), "{error}");
        }
        other => panic!("{other:?}"),
    }
    // Without a usable backup: start from the presets.
    let s2 = dir("damaged2");
    std::fs::create_dir_all(s2.dir()).unwrap();
    std::fs::write(s2.autosave_path(), "garbage").unwrap();
    match s2.restore() {
        Restored::Damaged { moved_to, .. } => assert!(moved_to.exists()),
        other => panic!("{other:?}"),
    }
    let _ = std::fs::remove_dir_all(s.dir());
    let _ = std::fs::remove_dir_all(s2.dir());
}

#[test]
fn the_damaged_file_stamp_is_a_utc_date_and_time_by_hand() {
    assert_eq!(utc_stamp(0), "1970-01-01T00-00-00Z");
    assert_eq!(utc_stamp(86_399), "1970-01-01T23-59-59Z");
    // 2000-02-29 is day 11,016: 11,016 x 86,400 = 951,782,400 s.
    assert_eq!(utc_stamp(951_782_400), "2000-02-29T00-00-00Z");
    // The issue's `autosave.ron.damaged-1796209845`: 20,789 days (2026-12-02) and 40,245 s (11:10:45).
    assert_eq!(utc_stamp(1_796_209_845), "2026-12-02T11-10-45Z");
}

#[test]
fn prefs_round_trip_and_bad_prefs_fall_back_to_defaults() {
    let s = dir("prefs");
    assert_eq!(s.load_prefs().0, Prefs::default());
    let p = Prefs {
        theme: ThemeChoice::Dark,
        ui_scale: 1.25,
        show_charts: false,
        ..Prefs::default()
    };
    s.save_prefs(&p).unwrap();
    let (loaded, err) = s.load_prefs();
    assert_eq!(loaded, p);
    assert!(err.is_none());
    std::fs::write(s.prefs_path(), "(nonsense").unwrap();
    let (loaded, err) = s.load_prefs();
    assert_eq!(loaded, Prefs::default());
    assert!(err.is_some());
    let _ = std::fs::remove_dir_all(s.dir());
}

#[test]
fn a_session_kept_as_text_loads_through_the_same_strict_loaders() {
    // The browser keeps the session as text in its storage: the workspace and prefs RON of the files.
    use std::path::Path;
    use trainprint::persist::session::{prefs_from_text, prefs_text, restore_text};
    use trainprint::persist::workspace;
    let name = Path::new("the browser's storage");
    assert!(matches!(
        restore_text(None, name, "kept"),
        Restored::Nothing
    ));
    let ws = presets::example_workspace(&presets::EXAMPLES[1]).unwrap();
    let text = workspace::to_text(&ws).unwrap();
    match restore_text(Some(&text), name, "kept") {
        Restored::Workspace(back) => assert_eq!(*back, ws),
        other => panic!("expected the workspace, got {other:?}"),
    }
    // Damaged text (a field of the wrong type, an unknown field, a truncated file) is reported, never loaded.
    for bad in [
        text.replacen("name: ", "name: 42, nom: ", 1),
        text.replacen("plans: [", "plans: [ (bogus: 1), ", 1),
        text[..text.len() / 2].to_owned(),
    ] {
        match restore_text(Some(&bad), name, "kept as X") {
            Restored::Damaged { moved_to, error } => {
                assert_eq!(moved_to, Path::new("kept as X"));
                assert!(
                    error.to_string().contains("the browser's storage"),
                    "{error}"
                );
            }
            other => panic!("expected Damaged, got {other:?}"),
        }
    }
    let p = Prefs {
        theme: ThemeChoice::Light,
        ui_scale: 1.5,
        show_formula: false,
        ..Prefs::default()
    };
    let t = prefs_text(&p, Path::new("prefs")).unwrap();
    let (back, err) = prefs_from_text(&t, Path::new("prefs"));
    assert_eq!(back, p);
    assert!(err.is_none(), "{err:?}");
    let (fallback, err) = prefs_from_text(
        "(format: \"trainprint-prefs\", version: 1, prefs: (ui_scale: \"big\"))",
        Path::new("prefs"),
    );
    assert_eq!(fallback, Prefs::default());
    assert!(err.is_some());
}

#[test]
fn the_autosave_carries_measured_runs_with_their_plan_and_grid() {
    let s = dir("measured");
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/workspace-v5-measured.ron");
    let ws = trainprint::persist::workspace::load(&fixture).unwrap();
    assert_eq!(ws.measured.len(), 2);
    s.autosave(&ws).unwrap();
    match s.restore() {
        Restored::Workspace(w) => {
            assert_eq!(w.measured, ws.measured);
            assert_eq!(w.measured[0].against, Some(w.plans[0].id));
            assert_eq!(w.measured[0].intensity_g_per_kwh, Some(50.0));
        }
        other => panic!("{other:?}"),
    }
    let _ = std::fs::remove_dir_all(s.dir());
}
