//! Crash-safe saves: a child process saves two large workspaces in turn, as fast as it can, and is killed
//! (SIGKILL on Unix) at random moments. After every kill the file must load whole, as one of the two workspaces,
//! and so must its backup: a save is never seen half-written.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::process::{Command, Stdio};
use std::time::Duration;
use trainprint::model::{TrainingPlan, Workspace};
use trainprint::persist::{atomic, workspace};

const CHILD_ENV: &str = "TRAINPRINT_CRASH_CHILD";
const TEST_NAME: &str = "killing_the_process_while_saving_leaves_a_whole_file";

fn big(name: &str, plans: usize) -> Workspace {
    let mut ws = trainprint::persist::presets::example("llama-65b")
        .unwrap()
        .unwrap();
    ws.name = name.into();
    let template = ws.plans[0].clone();
    ws.plans = (0..plans)
        .map(|i| TrainingPlan {
            id: trainprint::model::PlanId::UNSET,
            name: format!("{name} plan {i} {}", "x".repeat(200)),
            ..template.clone()
        })
        .collect();
    // As every workspace the app holds: its plans numbered.
    ws.number_plans();
    ws
}

#[test]
fn killing_the_process_while_saving_leaves_a_whole_file() {
    let a = big("A", 64);
    let b = big("B", 48);
    if let Ok(path) = std::env::var(CHILD_ENV) {
        // The child: save A and B in turn until killed.
        let path = std::path::PathBuf::from(path);
        loop {
            workspace::save(&path, &a, true).unwrap();
            workspace::save(&path, &b, true).unwrap();
        }
    }
    let dir = std::env::temp_dir().join(format!("trainprint-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ws.ron");
    workspace::save(&path, &a, false).unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut seen_b = false;
    for round in 0..40u64 {
        let mut child = Command::new(&exe)
            .args(["--exact", TEST_NAME, "--test-threads=1"])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Let it save a varying number of times, then kill it mid-flight.
        std::thread::sleep(Duration::from_millis(20 + (round * 37) % 90));
        child.kill().unwrap();
        child.wait().unwrap();
        let loaded = workspace::load(&path)
            .unwrap_or_else(|e| panic!("round {round}: the file is not whole after a kill: {e}"));
        assert!(
            loaded == a || loaded == b,
            "round {round}: the file holds neither version"
        );
        seen_b |= loaded == b;
        let backup = atomic::backup_path(&path);
        if backup.exists() {
            let bak = workspace::load(&backup)
                .unwrap_or_else(|e| panic!("round {round}: the backup is not whole: {e}"));
            assert!(bak == a || bak == b);
        }
    }
    assert!(
        seen_b,
        "the child never completed a save: the test did not exercise anything"
    );
    let _ = std::fs::remove_dir_all(dir);
}
