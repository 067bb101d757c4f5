//! Headless Chromium for the page tests: `--dump-dom` (the DOM after the page's scripts ran)
//! and `--screenshot`. Chromium is Debian's `chromium` (`.ci/run` installs it);
//! $NEWSGRAPH_CHROMIUM names another binary. A machine without it fails the test with what to
//! install: never a pass.

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("NEWSGRAPH_CHROMIUM") {
        return PathBuf::from(p);
    }
    for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(p).exists() {
            return PathBuf::from(p);
        }
    }
    panic!(
        "this test drives headless Chromium and found none. Note: install it (Debian: apt-get \
         install chromium) or set NEWSGRAPH_CHROMIUM to its binary"
    );
}

/// Chromium with the flags for a closed network and no profile, as root.
fn command(profile: &Path) -> Command {
    let mut c = Command::new(chromium());
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

/// The page's DOM after load, as Chromium serialises it.
pub fn dump_dom(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = command(profile.path())
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium --dump-dom {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the DOM is UTF-8")
}

/// A PNG screenshot of the page at `width`×`height`, written to `path`.
pub fn screenshot(url: &str, path: &Path, width: u32, height: u32) {
    let profile = tempfile::tempdir().unwrap();
    let out = command(profile.path())
        .arg(format!("--screenshot={}", path.display()))
        .arg(format!("--window-size={width},{height}"))
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success() && path.exists(),
        "chromium --screenshot {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
