//! Runs the search client's Node tests (`tests/js/`) against the example site, built
//! once into a temporary folder, so `cargo test` covers the browser side too.

mod common;

use std::process::Command;

fn run_node(args: &[&str]) {
    let output = Command::new("node")
        .args(args)
        .env("GONGKAI_SITE", common::built_example_site())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("node must be installed to test the search client (Node 20+)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "node {args:?} failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    assert!(stdout.contains("# pass"), "no test ran:\n{stdout}");
    assert!(stdout.contains("# fail 0"), "{stdout}");
}

#[test]
fn search_client_recall_ranking_and_filters() {
    run_node(&["--test", "tests/js/search.test.mjs"]);
}

#[test]
fn search_page_in_headless_chromium() {
    run_node(&[
        "--experimental-websocket",
        "--test",
        "tests/js/browser.test.mjs",
    ]);
}

#[test]
fn elder_mode_and_phone_widths_in_headless_chromium() {
    run_node(&[
        "--experimental-websocket",
        "--test",
        "tests/js/elder.test.mjs",
    ]);
}

/// axe-core (tests/js/node_modules, from `npm ci` in tests/js) on every page type, tables'
/// captions and scopes, and the keyboard path from the skip link to the footer.
#[test]
fn accessibility_axe_tables_and_keyboard_in_headless_chromium() {
    run_node(&[
        "--experimental-websocket",
        "--test",
        "tests/js/a11y.test.mjs",
    ]);
}

/// The 工作分解表 as cards on a phone and with a header that sticks on a desktop, the
/// notice's folded metadata on a phone, and print (metadata, address, A4 landscape plans).
#[test]
fn phone_cards_sticky_header_and_print_in_headless_chromium() {
    run_node(&[
        "--experimental-websocket",
        "--test",
        "tests/js/layout.test.mjs",
    ]);
}
