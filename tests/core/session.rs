//! The app's session files: autosave with backup, a damaged autosave moved aside (never lost, never fatal), and
//! preferences.

use trainprint::persist::presets;
use trainprint::persist::session::{Prefs, Restored, SessionDir, ThemeChoice};

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
    match s.restore() {
        Restored::FromBackup {
            workspace,
            moved_to,
            error,
        } => {
            assert_eq!(workspace.name, ws.name);
            assert!(moved_to.exists(), "the damaged file is kept");
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
