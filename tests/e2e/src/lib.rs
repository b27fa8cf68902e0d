//! End-to-end tests of the desktop app live in `tests/`: they drive the real Tauri window
//! through tauri-driver and WebKitWebDriver under Xvfb (see `scripts/test-e2e.sh`).
